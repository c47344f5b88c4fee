#include "utmp.h"

#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmpx.h>

#include "log.h"

/* glibc's paths: /var/run/utmp, /var/log/wtmp. */
#define UTMP_PATH _PATH_UTMPX
#define WTMP_PATH _PATH_WTMPX

bool utmp_enabled(void)
{
	return access(UTMP_PATH, F_OK) == 0;
}

void utmp_id_suffix(const char *id, char out[4])
{
	size_t n = strlen(id);

	memset(out, 0, 4);
	if (n <= 4)
		memcpy(out, id, n);
	else
		memcpy(out, id + n - 4, 4);
}

static void stamp(struct utmpx *u)
{
	struct timeval now;

	gettimeofday(&now, NULL);
	u->ut_tv.tv_sec = (int32_t)now.tv_sec;
	u->ut_tv.tv_usec = (int32_t)now.tv_usec;
}

/* Copies text into a utmp field of size bytes (no NUL needed there). */
static void field(char *dst, size_t size, const char *text)
{
	size_t n = strlen(text);

	memset(dst, 0, size);
	memcpy(dst, text, n < size ? n : size);
}

/* utmp (when it is there) and wtmp. */
static void write_both(const struct utmpx *utmp_record,
		       const struct utmpx *wtmp_record, const char *what)
{
	setutxent();
	if (!pututxline(utmp_record))
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "%s: writing %s",
			  what, UTMP_PATH);
	endutxent();
	/* updwtmpx() says nothing of a failure; a missing wtmp is the
	 * system's choice. */
	updwtmpx(WTMP_PATH, wtmp_record);
}

/* The process, running by now, may have written its own record already
 * (agetty writes LOGIN_PROCESS, login USER_PROCESS): that one stays.
 * systemd writes its record in the child before exec; svd writes none
 * there (not async-signal-safe), so it defers to what is newer. */
static bool moved_on(const struct utmpx *mine)
{
	struct utmpx *found;
	bool newer;

	setutxent();
	found = getutxid(mine);
	newer = found && found->ut_pid == mine->ut_pid &&
		found->ut_type != mine->ut_type && found->ut_type != DEAD_PROCESS;
	endutxent();
	return newer;
}

void utmp_process_started(const struct unit *unit, const char *user, pid_t pid)
{
	static const short types[] = {
		[UNIT_UTMP_INIT] = INIT_PROCESS,
		[UNIT_UTMP_LOGIN] = LOGIN_PROCESS,
		[UNIT_UTMP_USER] = USER_PROCESS,
	};
	struct utmpx u = { .ut_type = types[unit->utmp_mode], .ut_pid = pid,
			   .ut_session = pid };
	const char *line = unit->tty_path;

	if (!unit->utmp_id || !utmp_enabled())
		return;
	utmp_id_suffix(unit->utmp_id, u.ut_id);
	if (moved_on(&u))
		return;
	if (line && strncmp(line, "/dev/", 5) == 0)
		line += 5;
	if (line)
		field(u.ut_line, sizeof(u.ut_line), line);
	if (unit->utmp_mode == UNIT_UTMP_LOGIN)
		field(u.ut_user, sizeof(u.ut_user), "LOGIN");
	else if (unit->utmp_mode == UNIT_UTMP_USER)
		field(u.ut_user, sizeof(u.ut_user), user ? user : "root");
	stamp(&u);
	write_both(&u, &u, unit->name);
}

void utmp_process_exited(const struct unit *unit, pid_t pid, int wstatus)
{
	struct utmpx lookup = { .ut_type = INIT_PROCESS }, dead, *found;

	if (!unit->utmp_id || !utmp_enabled())
		return;
	utmp_id_suffix(unit->utmp_id, lookup.ut_id);
	setutxent();
	/* getutxid() matches INIT, LOGIN, USER and DEAD_PROCESS records by
	 * their id. */
	found = getutxid(&lookup);
	if (!found || found->ut_pid != pid) {
		endutxent();
		return;
	}
	dead = *found;
	endutxent();
	dead.ut_type = DEAD_PROCESS;
	dead.ut_exit.e_termination = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	dead.ut_exit.e_exit = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 0;
	memset(dead.ut_user, 0, sizeof(dead.ut_user));
	memset(dead.ut_host, 0, sizeof(dead.ut_host));
	stamp(&dead);
	write_both(&dead, &dead, unit->name);
}

/* A system record: id "~~", line "~", as sysvinit and systemd write. */
static void system_record(struct utmpx *u, short type, const char *user)
{
	memset(u, 0, sizeof(*u));
	u->ut_type = type;
	field(u->ut_id, sizeof(u->ut_id), "~~");
	field(u->ut_line, sizeof(u->ut_line), "~");
	field(u->ut_user, sizeof(u->ut_user), user);
	stamp(u);
}

void utmp_boot(void)
{
	struct utmpx u;

	if (!utmp_enabled())
		return;
	system_record(&u, BOOT_TIME, "reboot");
	write_both(&u, &u, "boot record");
	/* Runlevel 3, the one before it none ('N'): who -r reads it. */
	system_record(&u, RUN_LVL, "runlevel");
	u.ut_pid = '3' | 'N' << 8;
	write_both(&u, &u, "runlevel record");
}

void utmp_shutdown(void)
{
	struct utmpx u;

	if (!utmp_enabled())
		return;
	system_record(&u, RUN_LVL, "shutdown");
	updwtmpx(WTMP_PATH, &u);
}
