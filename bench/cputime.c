/* cputime COMMAND [ARG...]: runs COMMAND and prints the CPU seconds it
 * and its waited-for children used, "user sys", on stderr. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage usage;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: cputime COMMAND [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("cputime: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &usage) < 0) {
		perror("cputime: wait4");
		return 1;
	}
	fprintf(stderr, "%ld.%06ld %ld.%06ld\n", (long)usage.ru_utime.tv_sec,
		(long)usage.ru_utime.tv_usec, (long)usage.ru_stime.tv_sec,
		(long)usage.ru_stime.tv_usec);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
