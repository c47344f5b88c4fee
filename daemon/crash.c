#include "crash.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "halt.h"
#include "log.h"

/* The handler runs here: a stack overflow leaves no room on the stack
 * itself, and without a handler that can run, PID 1 dies. */
#define CRASH_STACK_BYTES (64 * 1024)
static char crash_stack[CRASH_STACK_BYTES];
/* Read once at install: getrlimit is not async-signal-safe. The kernel
 * starts init with a core size limit of 0, and then no dump is wanted. */
static bool core_dump_wanted;

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

/* Only async-signal-safe calls from here on. */
static void say(int fd, const char *text)
{
	while (*text) {
		ssize_t n = write(fd, text, strlen(text));

		if (n <= 0)
			return;
		text += n;
	}
}

static void say_crash(int fd, const char *prefix, int signo)
{
	char number[4] = { (char)('0' + signo / 10), (char)('0' + signo % 10), 0 };

	say(fd, prefix);
	say(fd, "svd: error: crashed with signal ");
	say(fd, number[0] == '0' ? number + 1 : number);
	say(fd, "; staying up as init, only reaping: services are no longer "
		"supervised\n");
}

static void dump_core(int signo)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;
	pid_t pid = fork();

	if (pid == 0) {
		sigaction(signo, &dfl, NULL);
		sigemptyset(&set);
		sigaddset(&set, signo);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(signo);
		_exit(128 + signo);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void on_fatal_signal(int signo)
{
	int kmsg = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);

	say_crash(STDERR_FILENO, "", signo);
	if (kmsg >= 0) {
		say_crash(kmsg, "<26>", signo);	/* daemon.crit */
		close(kmsg);
	}
	if (core_dump_wanted)
		dump_core(signo);
	halt_freeze();
}

void crash_install_handler(void)
{
	struct sigaction sa = { .sa_handler = on_fatal_signal,
				.sa_flags = SA_ONSTACK };
	stack_t stack = { .ss_sp = crash_stack, .ss_size = sizeof(crash_stack) };
	struct rlimit core;

	core_dump_wanted = getrlimit(RLIMIT_CORE, &core) == 0 && core.rlim_cur > 0;
	if (sigaltstack(&stack, NULL) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "sigaltstack");
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		if (sigaction(fatal_signals[i], &sa, NULL) < 0)
			log_errno(LOG_LEVEL_WARNING, NULL, errno,
				  "sigaction(SIG%s)", sigabbrev_np(fatal_signals[i]));
}
