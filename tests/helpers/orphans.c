/* orphans [--no-wait] N: leaves N short-lived orphans to whoever reaps
 * for its parent (svd as PID 1 or as subreaper), then waits until none of
 * them is left as a zombie. Exits 0 when none is left within the
 * deadline, 1 when some still are (and says how many), 2 on bad use.
 * --no-wait returns at once (benchmarks time the reaper's whole run). */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEADLINE_SEC 60

/* Zombies whose parent is reaper. */
static int zombies_of(pid_t reaper)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	int count = 0;

	if (!proc)
		return -1;
	while ((de = readdir(proc))) {
		char path[300], state;
		int ppid;
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		/* The command name may hold blanks: parse after its ')'. */
		if (fscanf(f, "%*d (%*[^)]) %c %d", &state, &ppid) == 2 &&
		    state == 'Z' && ppid == reaper)
			count++;
		fclose(f);
	}
	closedir(proc);
	return count;
}

/* One middle process forks n children that exit at once, then exits
 * itself: its n zombies are orphaned together, a burst for the reaper. */
static void leave_orphans(int n)
{
	pid_t middle = fork();

	if (middle == 0) {
		/* vfork: no page tables to copy, so a burst of 10,000
		 * costs the test little; each child only exits. */
		for (int i = 0; i < n; i++)
			if (vfork() == 0)
				_exit(0);
		_exit(0);
	}
	if (middle > 0)
		waitpid(middle, NULL, 0);
}

int main(int argc, char **argv)
{
	pid_t reaper = getppid();
	bool wait_for_reaper = true;
	time_t deadline;
	int n, left;

	if (argc == 3 && strcmp(argv[1], "--no-wait") == 0) {
		wait_for_reaper = false;
		argv++;
		argc--;
	}
	if (argc != 2 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: orphans [--no-wait] N\n");
		return 2;
	}
	leave_orphans(n);
	if (!wait_for_reaper)
		return 0;
	deadline = time(NULL) + DEADLINE_SEC;
	while ((left = zombies_of(reaper)) > 0 && time(NULL) < deadline) {
		struct timespec pause = { 0, 10 * 1000 * 1000 };

		nanosleep(&pause, NULL);	/* a poll with a deadline */
	}
	if (left != 0) {
		fprintf(stderr, "orphans: %d zombies left under pid %d\n", left,
			(int)reaper);
		return 1;
	}
	printf("orphans: %d reaped, no zombie left\n", n);
	return 0;
}
