/* restart_gap: the baseline and the arithmetic of bench/restart_gap.sh.
 *   restart_gap loop [--vfork] N FILE STAMP: runs STAMP FILE N times in a
 *     row, each forked (or vforked, as svd spawns), exec'd and waited
 *     for: a bare restart loop with no delay.
 *   restart_gap wait FILE N SECONDS: returns once FILE holds N runs'
 *     stamps (polled every 10 ms), 1 after SECONDS without.
 *   restart_gap stats FILE [N]: the gaps between one run's exit stamp and
 *     the next run's start stamp, over the first N runs (all if not
 *     given): prints "median p10 p90 max count" in microseconds. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct stamp {
	int64_t start_ns, exit_ns;
};

/* In a function of its own, so that vfork's borrowed frame holds
 * nothing of the loop's. */
static pid_t spawn(int use_vfork, char **argv)
{
	pid_t pid = use_vfork ? vfork() : fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int loop(int argc, char **argv)
{
	int use_vfork = argc > 0 && strcmp(argv[0], "--vfork") == 0;
	long n;

	argc -= use_vfork;
	argv += use_vfork;
	if (argc != 3)
		return 2;
	n = strtol(argv[0], NULL, 10);
	for (long i = 0; i < n; i++) {
		char *child_argv[] = { argv[2], argv[1], NULL };
		pid_t pid = spawn(use_vfork, child_argv);
		int status;

		if (pid < 0) {
			perror("restart_gap: fork");
			return 1;
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("restart_gap: waitpid");
				return 1;
			}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 1) {
			fprintf(stderr, "restart_gap: %s ended with status %#x, not 1\n",
				argv[2], (unsigned)status);
			return 1;
		}
	}
	return 0;
}

static int wait_runs(int argc, char **argv)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	long n, ticks;
	struct stat st;

	if (argc != 3)
		return 2;
	n = strtol(argv[1], NULL, 10);
	ticks = strtol(argv[2], NULL, 10) * 100;
	for (long t = 0; t < ticks; t++) {
		if (stat(argv[0], &st) == 0 &&
		    st.st_size >= n * (off_t)sizeof(struct stamp))
			return 0;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "restart_gap: %s has fewer than %ld runs after %s s\n",
		argv[0], n, argv[2]);
	return 1;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int stats(int argc, char **argv)
{
	FILE *f;
	struct stamp *runs = NULL;
	int64_t *gaps;
	size_t n = 0, cap = 0, limit;

	if (argc < 1 || argc > 2)
		return 2;
	limit = argc == 2 ? strtoul(argv[1], NULL, 10) : SIZE_MAX;
	f = fopen(argv[0], "rb");
	if (!f) {
		perror(argv[0]);
		return 1;
	}
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			runs = realloc(runs, cap * sizeof(*runs));
			if (!runs) {
				perror("restart_gap: realloc");
				return 1;
			}
		}
		if (n >= limit || fread(&runs[n], sizeof(*runs), 1, f) != 1)
			break;
		n++;
	}
	fclose(f);
	if (n < 2) {
		fprintf(stderr, "restart_gap: %s: %zu runs, no gap\n", argv[0], n);
		return 1;
	}
	gaps = calloc(n - 1, sizeof(*gaps));
	if (!gaps) {
		perror("restart_gap: calloc");
		return 1;
	}
	for (size_t i = 0; i + 1 < n; i++)
		gaps[i] = runs[i + 1].start_ns - runs[i].exit_ns;
	qsort(gaps, n - 1, sizeof(*gaps), cmp_i64);
	printf("%.1f %.1f %.1f %.1f %zu\n", gaps[(n - 2) / 2] / 1e3,
	       gaps[(n - 1) / 10] / 1e3, gaps[(n - 1) * 9 / 10] / 1e3,
	       gaps[n - 2] / 1e3, n - 1);
	free(gaps);
	free(runs);
	return 0;
}

int main(int argc, char **argv)
{
	int r = 2;

	if (argc >= 2 && strcmp(argv[1], "loop") == 0)
		r = loop(argc - 2, argv + 2);
	else if (argc >= 2 && strcmp(argv[1], "wait") == 0)
		r = wait_runs(argc - 2, argv + 2);
	else if (argc >= 2 && strcmp(argv[1], "stats") == 0)
		r = stats(argc - 2, argv + 2);
	if (r == 2)
		fprintf(stderr, "usage: restart_gap loop [--vfork] N FILE STAMP\n"
				"       restart_gap wait FILE N SECONDS\n"
				"       restart_gap stats FILE [N]\n");
	return r;
}
