/* bare_spawner N COMMAND [ARG...]: the baseline for starting services.
 * Forks N children that exec COMMAND, and learns that each exec'd as svd
 * does (a close-on-exec pipe that reads EOF at exec), then prints the
 * seconds until all N run and its own CPU seconds ("wall cpu"), ends them
 * with SIGTERM and reaps them. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	pid_t *pids = n > 0 ? calloc((size_t)n, sizeof(*pids)) : NULL;
	struct rusage usage;
	double start = now();
	char byte;

	if (!pids) {
		fprintf(stderr, "usage: bare_spawner N COMMAND [ARG...]\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		int fds[2];

		if (pipe2(fds, O_CLOEXEC) < 0) {
			perror("bare_spawner: pipe2");
			return 1;
		}
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("bare_spawner: fork");
			return 1;
		}
		if (pids[i] == 0) {
			setsid();
			execv(argv[2], argv + 2);
			_exit(127);
		}
		close(fds[1]);
		/* EOF once the child exec'd: the same news svd waits for. */
		while (read(fds[0], &byte, 1) > 0)
			;
		close(fds[0]);
	}
	getrusage(RUSAGE_SELF, &usage);
	printf("%.3f %.3f\n", now() - start,
	       (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
	       (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6);
	fflush(stdout);
	for (long i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	while (wait(NULL) > 0)
		;
	free(pids);
	return 0;
}
