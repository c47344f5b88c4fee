/* bare_spawner [--vfork] N COMMAND [ARG...]: the baseline for starting
 * services. Forks N children that exec COMMAND, and learns that each
 * exec'd (a close-on-exec pipe that reads EOF at exec), then prints the
 * seconds until all N run and its own CPU seconds ("wall cpu"), ends them
 * with SIGTERM and reaps them. With --vfork, each child borrows the
 * loop's memory until it execs (vfork returns once it has), as svd's
 * services do: the floor for that way of spawning. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static pid_t vfork_one(char **argv)
{
	pid_t pid = vfork();

	if (pid == 0) {
		setsid();
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

int main(int argc, char **argv)
{
	int use_vfork = argc > 1 && strcmp(argv[1], "--vfork") == 0;
	long n;
	pid_t *pids;
	struct rusage usage;
	double start;
	char byte;

	argc -= use_vfork;
	argv += use_vfork;
	n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	pids = n > 0 ? calloc((size_t)n, sizeof(*pids)) : NULL;
	if (!pids) {
		fprintf(stderr, "usage: bare_spawner [--vfork] N COMMAND [ARG...]\n");
		return 2;
	}
	start = now();
	for (long i = 0; i < n; i++) {
		int fds[2];

		if (use_vfork) {
			pids[i] = vfork_one(argv + 2);
			if (pids[i] < 0) {
				perror("bare_spawner: vfork");
				return 1;
			}
			continue;
		}

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
