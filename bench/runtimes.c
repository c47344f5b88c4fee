/* runtimes N COMMAND [ARG...]: runs COMMAND N times in a row (output to
 * /dev/null, each waited for) and prints the wall time of one run, fork
 * to reap, in microseconds: "median p10 p90 min". The fork and the wait
 * are the timer's own and the same for every command timed with it. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	int64_t *times = n > 0 ? calloc((size_t)n, sizeof(*times)) : NULL;
	int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (!times || null_fd < 0) {
		fprintf(stderr, "usage: runtimes N COMMAND [ARG...]\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		int64_t start = now_ns();
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			perror("runtimes: fork");
			return 1;
		}
		if (pid == 0) {
			dup2(null_fd, 1);
			execv(argv[2], argv + 2);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0) {
			perror("runtimes: waitpid");
			return 1;
		}
		times[i] = now_ns() - start;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "runtimes: %s ended with status %#x\n",
				argv[2], (unsigned)status);
			return 1;
		}
	}
	qsort(times, (size_t)n, sizeof(*times), cmp_i64);
	printf("%.1f %.1f %.1f %.1f\n", times[(n - 1) / 2] / 1e3,
	       times[(n - 1) / 10] / 1e3, times[(n - 1) * 9 / 10] / 1e3,
	       times[0] / 1e3);
	return 0;
}
