/* runtimes N COMMAND [ARG...] [-- COMMAND [ARG...]]...: runs each COMMAND
 * N times (output to /dev/null, each run waited for), taking the
 * commands in turn run after run, so that a change in the machine's load
 * falls on all of them alike. Prints one line per command, the wall time
 * of one run from fork to reap in microseconds: "median p10 p90 min".
 * The fork and the wait are the timer's own and the same for every
 * command. A COMMAND cannot take "--" as an argument. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* One run of argv, fork to reap, in nanoseconds; -1 if it failed. */
static int64_t run_once(char **argv, int null_fd)
{
	int64_t start = now_ns();
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		perror("runtimes: fork");
		return -1;
	}
	if (pid == 0) {
		dup2(null_fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("runtimes: waitpid");
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "runtimes: %s ended with status %#x\n", argv[0],
			(unsigned)status);
		return -1;
	}
	return now_ns() - start;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	char **cmds[argc];
	int64_t *times[argc];
	int n_cmds = 0;

	if (n <= 0 || null_fd < 0) {
		fprintf(stderr, "usage: runtimes N COMMAND [ARG...] [-- COMMAND [ARG...]]...\n");
		return 2;
	}
	/* Split argv at each "--" into NULL-terminated commands. */
	cmds[n_cmds++] = argv + 2;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = NULL;
			cmds[n_cmds++] = argv + i + 1;
		}
	for (int c = 0; c < n_cmds; c++) {
		times[c] = calloc((size_t)n, sizeof(*times[c]));
		if (!times[c] || !cmds[c][0]) {
			fprintf(stderr, "runtimes: %s\n", times[c] ? "empty command" : "out of memory");
			return 2;
		}
	}
	for (long i = 0; i < n; i++)
		for (int c = 0; c < n_cmds; c++)
			if ((times[c][i] = run_once(cmds[c], null_fd)) < 0)
				return 1;
	for (int c = 0; c < n_cmds; c++) {
		qsort(times[c], (size_t)n, sizeof(*times[c]), cmp_i64);
		printf("%.1f %.1f %.1f %.1f\n", times[c][(n - 1) / 2] / 1e3,
		       times[c][(n - 1) / 10] / 1e3, times[c][(n - 1) * 9 / 10] / 1e3,
		       times[c][0] / 1e3);
		free(times[c]);
	}
	return 0;
}
