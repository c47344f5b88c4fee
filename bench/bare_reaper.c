/* bare_reaper COMMAND [ARG...]: the baseline for reaping benchmarks. As
 * PID 1 it runs COMMAND and does nothing but wait() until no child is
 * left, then exits with COMMAND's status. */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status, command_status = 0;
	pid_t command, pid;

	if (argc < 2) {
		fprintf(stderr, "usage: bare_reaper COMMAND [ARG...]\n");
		return 2;
	}
	command = fork();
	if (command == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	while ((pid = wait(&status)) > 0 || errno == EINTR)
		if (pid == command)
			command_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	return command_status;
}
