/* svd: supervise services from unit files. main() reads like the table
 * of contents: options, event loop, reaper, units, control socket, run. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "commands.h"
#include "config.h"
#include "crash.h"
#include "execenv.h"
#include "host.h"
#include "daemon.h"
#include "log.h"
#include "madeup.h"
#include "utmp.h"
#include "sockets.h"
#include "tmpfiles_run.h"
#include "vocab.h"

#define DEFAULT_UNIT_DIR "/etc/svd/units"
#define DEFAULT_CONFIG_PATH "/etc/svd/svd.conf"
#define DEFAULT_LOG_DIR "/var/log/svd"
#define DEFAULT_STATE_DIR "/var/lib/svd"
#define UNIT_DIRS_MAX 64

/* Exit codes for svd's own failures before it supervises anything. */
enum {
	SVD_EXIT_OK = 0,
	SVD_EXIT_FAILURE = 1,	/* could not set up */
	SVD_EXIT_USAGE = 2,	/* bad command line */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: svd [OPTIONS] [-- COMMAND [ARG...]]\n"
		"  -u, --units DIR       unit directory; repeatable (default %s)\n"
		"  -s, --socket PATH     control socket (default %s)\n"
		"  -c, --config FILE     daemon settings (default %s)\n"
		"  -L, --log-dir DIR     service logs (default %s)\n"
		"  -S, --state-dir DIR   persistent state (default %s)\n"
		"      --stop-timeout T  the most a shutdown waits for the services, and\n"
		"                        the container's command after SIGTERM (default 10s)\n"
		"      --kill-grace T    leftovers' time from SIGTERM to SIGKILL at the\n"
		"                        end (default 3s)\n"
		"  -g, --group           forward signals to the command's whole process\n"
		"                        group (as tini -g)\n"
		"  -v, --verbose         debug messages\n"
		"  -q, --quiet           errors only\n"
		"      --version         print the version\n"
		"      --help            print this help\n"
		"usage: svd --tmpfiles [--create] [--remove] [--boot] [-c FILE] [CONF...]\n"
		"                        apply tmpfiles.d(5) lines, as systemd-tmpfiles\n"
		"usage: svd --state-format\n"
		"                        the re-exec state format versions this binary\n"
		"                        reads (svctl daemon-reexec asks it first)\n",
		DEFAULT_UNIT_DIR, VOCAB_DEFAULT_SOCKET_PATH, DEFAULT_CONFIG_PATH,
		DEFAULT_LOG_DIR, DEFAULT_STATE_DIR);
}

/* A finite time span given to option, in seconds; -1 after saying why. */
static int option_span(const char *option, const char *text, double *seconds)
{
	uint64_t usec;

	if (value_parse_timespan(text, &usec) < 0 || usec == USEC_INFINITY) {
		fprintf(stderr, "svd: %s %s: expected a time span such as 10, "
			"10s or 500ms\n", option, text);
		return -1;
	}
	*seconds = (double)usec / 1e6;
	return 0;
}

/* Returns -1 to exit with SVD_EXIT_USAGE, 1 to exit 0 (help, version). */
static int parse_options(int argc, char **argv, struct daemon_options *opt,
			 const char **unit_dirs)
{
	static const struct option longopts[] = {
		{ "units", required_argument, NULL, 'u' },
		{ "socket", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "log-dir", required_argument, NULL, 'L' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "stop-timeout", required_argument, NULL, 'T' },
		{ "kill-grace", required_argument, NULL, 'K' },
		{ "group", no_argument, NULL, 'g' },
		{ 0 },
	};
	int c;

	/* "+": stop at the first non-option, so COMMAND's own options are
	 * never taken for svd's. */
	while ((c = getopt_long(argc, argv, "+u:s:c:L:S:vqg", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			if (opt->n_unit_dirs == UNIT_DIRS_MAX) {
				fprintf(stderr, "svd: at most %d unit directories\n",
					UNIT_DIRS_MAX);
				return -1;
			}
			unit_dirs[opt->n_unit_dirs++] = optarg;
			break;
		case 's': opt->socket_path = optarg; opt->socket_given = true; break;
		case 'c': opt->config_path = optarg; break;
		case 'L': opt->log_dir = optarg; break;
		case 'S': opt->state_dir = optarg; break;
		case 'g': opt->group = true; break;
		case 'v': log_set_level(LOG_LEVEL_DEBUG); opt->verbosity_set = true; break;
		case 'q': log_set_level(LOG_LEVEL_ERROR); opt->verbosity_set = true; break;
		case 'T':
			if (option_span("--stop-timeout", optarg, &opt->stop_timeout_sec) < 0)
				return -1;
			opt->stop_timeout_given = true;
			break;
		case 'K':
			if (option_span("--kill-grace", optarg, &opt->kill_grace_sec) < 0)
				return -1;
			opt->kill_grace_given = true;
			break;
		case 'V': printf("svd %s\n", SVD_VERSION); return 1;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		fprintf(stderr, "svd: unexpected argument %s (a command goes "
			"after --)\n", argv[optind]);
		return -1;
	}
	if (optind == argc && strcmp(argv[optind - 1], "--") == 0) {
		fprintf(stderr, "svd: -- must be followed by a command\n");
		return -1;
	}
	if (optind < argc)
		opt->command = argv + optind;
	return 0;
}

static void options_defaults(struct daemon_options *opt)
{
	*opt = (struct daemon_options){
		.socket_path = vocab_socket_path(),
		.socket_given = getenv("SVD_SOCKET") != NULL,
		.config_path = DEFAULT_CONFIG_PATH,
		.log_dir = DEFAULT_LOG_DIR,
		.state_dir = DEFAULT_STATE_DIR,
		.stop_timeout_sec = CONTAINER_DEFAULT_STOP_TIMEOUT_SEC,
		.kill_grace_sec = SWEEP_DEFAULT_KILL_GRACE_SEC,
	};
}

static void check_idle(struct daemon *d)
{
	/* Several changes may come in one turn of the loop after the last
	 * service stopped: the end is said once. */
	if (d->all_stopped || !d->shutting_down ||
	    (!d->shutdown_forced && !manager_is_idle(&d->manager)))
		return;
	/* A container or a system also waits for every process left; so
	 * does a service manager that tracks its services by cgroup: no
	 * process of a service outlives it. */
	if ((d->opt.command || d->is_init || d->cgroups.mode != CGROUP_OFF) &&
	    !sweep_step(&d->sweep))
		return;
	/* The command's exit is heard by the reactions, after the reaper:
	 * its status is svd's, so the end waits for it. */
	if (d->opt.command && !d->container.main_ended)
		return;
	log_info(NULL, "all services stopped");
	d->all_stopped = true;
	ev_break(d->loop, EVBREAK_ALL);
}

static void on_sweep_done(void *ctx)
{
	check_idle(ctx);
}

/* Boot is done when no service of it is still starting: then svd tells
 * its own manager, if it has one. */
static void check_booted(struct daemon *d)
{
	size_t active = 0, failed = 0;
	char status[128];

	size_t services = 0;

	if (!d->booted || d->upstream.ready_sent || d->shutting_down ||
	    manager_is_starting(&d->manager))
		return;
	/* Once, at the end of the boot. */
	for (const struct service *service = manager_first(&d->manager); service;
	     service = service->next) {
		const struct svc *svc = &service->svc;

		if (service->node.is_target || service->made_up)
			continue;
		services++;
		active += svc_is_active(svc);
		failed += svc_is_failed(svc);
	}
	snprintf(status, sizeof(status), "%zu services: %zu active, %zu failed",
		 services, active, failed);
	upstream_ready(&d->upstream, status);
}

static void shutdown_begin(struct daemon *d);

/* OnFailure=/OnSuccess=: the units named are started, as by svctl start. */
static void start_triggered(struct daemon *d, const struct service *service,
			    enum actions_end end)
{
	char *const *names = actions_units(service->svc.unit, end);

	/* Everything is stopping: nothing starts now (systemd's jobs would
	 * conflict with the stop jobs too). */
	if (names && names[0] && d->shutting_down) {
		log_debug(service->svc.name, "shutting down: %s= not started",
			  end == ACTIONS_END_FAILED ? "OnFailure" : "OnSuccess");
		return;
	}
	for (size_t i = 0; names && names[i]; i++) {
		const char *why = NULL;
		struct service *other = manager_find(&d->manager, names[i], &why);

		if (!other) {
			log_warning(service->svc.name, "%s=%s: %s",
				    end == ACTIONS_END_FAILED ? "OnFailure" : "OnSuccess",
				    names[i], why ? why : "not found");
			continue;
		}
		log_info(service->svc.name, "%s: starting %s",
			 end == ACTIONS_END_FAILED ? "failed" : "done",
			 other->svc.name);
		manager_start(&d->manager, other);
	}
}

/* FailureAction=/SuccessAction=: as init, the system goes down; else svd
 * exits (a container too: its command is stopped with the rest), with
 * the action's status. */
static void run_action(struct daemon *d, const struct service *service,
		       enum actions_end end)
{
	enum unit_action action = actions_action(service->svc.unit, end);
	const char *key = end == ACTIONS_END_FAILED ? "FailureAction" : "SuccessAction";

	if (action == UNIT_ACTION_NONE)
		return;
	if (d->shutting_down) {
		log_debug(service->svc.name, "%s=%s: already shutting down", key,
			  unit_action_name(action));
		return;
	}
	if (d->is_init) {
		d->halt_action = actions_halt(action);
		log_warning(service->svc.name, "%s=%s: the system goes down for %s",
			    key, unit_action_name(action),
			    halt_action_name(d->halt_action));
	} else {
		d->action_exit_status = actions_exit_status(&service->svc, end);
		log_warning(service->svc.name, "%s=%s: svd exits with %d", key,
			    unit_action_name(action), d->action_exit_status);
		if (d->opt.command)
			container_stop(&d->container, SIGTERM);
	}
	shutdown_begin(d);
	if (actions_forced(action) && !d->shutdown_forced) {
		d->shutdown_forced = true;
		check_idle(d);
	}
}

static void on_service_change(void *ctx, struct service *service)
{
	struct daemon *d = ctx;

	if (service) {
		/* Each end the changes since the last reaction went through,
		 * even when a restart or reset-failed came in the same turn. */
		bool failed = service->ended_failed, succeeded = service->ended_succeeded;

		service->ended_failed = service->ended_succeeded = false;
		if (failed) {
			start_triggered(d, service, ACTIONS_END_FAILED);
			run_action(d, service, ACTIONS_END_FAILED);
		}
		if (succeeded) {
			start_triggered(d, service, ACTIONS_END_SUCCEEDED);
			run_action(d, service, ACTIONS_END_SUCCEEDED);
		}
	}

	sockets_react(&d->manager);
	adopt_changed(&d->adopt);
	check_booted(d);
	commands_service_changed(&d->commands, service);
	if (d->opt.command && service && service == d->container.main)
		container_main_changed(&d->container);
	check_idle(d);
}

static void on_service_transition(void *ctx, struct service *service,
				  enum svc_state old)
{
	struct daemon *d = ctx;

	commands_service_transition(&d->commands, service, old);
}

static void on_service_forget(void *ctx, struct service *service)
{
	struct daemon *d = ctx;

	commands_service_forget(&d->commands, service);
}

/* The whole shutdown waited --stop-timeout: whatever is left gets the
 * sweep now, each service's own TimeoutStopSec= notwithstanding. */
static void stop_deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon *d = w->data;

	if (d->shutdown_forced || d->all_stopped)
		return;
	log_warning(NULL, "still stopping after %.3g s (--stop-timeout): not "
		    "waiting for the services any longer", d->opt.stop_timeout_sec);
	d->shutdown_forced = true;
	check_idle(d);
}

/* The sweep's signals reach every process left in a service's cgroup,
 * children of svd or not. */
static void sweep_cgroups(void *ctx, int signo)
{
	struct daemon *d = ctx;

	cgroup_root_signal_all(&d->cgroups, signo);
}

/* The one stop sequence, whoever asks for it first: svd's own reasons
 * (the container's command ended) come here and never count as being
 * asked twice. */
static void shutdown_begin(struct daemon *d)
{
	if (d->shutting_down)
		return;
	if (d->halt_action == HALT_NONE)
		log_info(NULL, "shutting down: stopping all services");
	else
		log_info(NULL, "shutting down for %s: stopping all services",
			 halt_action_name(d->halt_action));
	d->shutting_down = true;
	upstream_stopping(&d->upstream);
	sweep_init(&d->sweep, d->loop, d->opt.kill_grace_sec, on_sweep_done, d);
	if (d->cgroups.mode != CGROUP_OFF)
		sweep_also(&d->sweep, sweep_cgroups, d);
	if (d->opt.command || d->is_init) {
		ev_timer_init(&d->stop_deadline, stop_deadline_cb,
			      d->opt.stop_timeout_sec, 0.);
		d->stop_deadline.data = d;
		ev_timer_start(d->loop, &d->stop_deadline);
	}
	manager_stop_all(&d->manager);
	check_idle(d);
}

void daemon_shutdown(struct daemon *d)
{
	if (!d->shutting_down) {
		shutdown_begin(d);
		return;
	}
	/* Asked twice from outside: a service with TimeoutStopSec=infinity
	 * must not keep a system from rebooting or a container from
	 * stopping. Whatever is left gets the sweep now. */
	if ((d->is_init || d->opt.command) && !d->shutdown_forced) {
		log_warning(NULL, "asked again: not waiting for the "
			    "services any longer");
		d->shutdown_forced = true;
		check_idle(d);
		return;
	}
	log_info(NULL, "already shutting down");
}

/* The container's command ended: svd ends with it. */
static void on_container_ended(void *ctx)
{
	shutdown_begin(ctx);
}

void daemon_halt(struct daemon *d, enum halt_action action)
{
	/* The latest request says what happens at the end. */
	if (d->is_init && action != HALT_NONE)
		d->halt_action = action;
	daemon_shutdown(d);
	if (d->opt.command)
		container_stop(&d->container, SIGTERM);
}

static void settings_diag(void *ctx, const char *message);

/* Who may use the control socket, from d->settings or, at reload, from
 * svd.conf read again for its [Control] section: a group or user added
 * there takes effect without a restart. */
static void apply_control_access(struct daemon *d, const struct settings *s)
{
	struct access_policy policy;

	if (access_policy_load(&policy, s) < 0)
		return;
	if (d->control.listen_fd >= 0)
		access_apply_socket(&policy, d->control.path);
	access_policy_free(&d->access);
	d->access = policy;
	d->control.policy = &d->access;
}

static void reload_control_access(struct daemon *d)
{
	struct settings s;

	if (settings_init(&s) < 0) {
		log_errno(LOG_LEVEL_ERROR, NULL, ENOMEM, "re-reading %s",
			  d->opt.config_path);
		return;
	}
	if (settings_load(&s, d->opt.config_path, settings_diag, NULL) == 0)
		apply_control_access(d, &s);
	settings_free(&s);
}

int daemon_reload(struct daemon *d)
{
	log_info(NULL, "reloading unit files and svd.conf's [Control]");
	reload_control_access(d);
	return manager_load_all(&d->manager);
}

/* commands' view of the daemon (commands.h). */
static int reload_for_commands(void *ctx)
{
	return daemon_reload(ctx);
}

static void halt_for_commands(void *ctx, enum halt_action action)
{
	daemon_halt(ctx, action);
}

static bool is_shutting_down(void *ctx)
{
	const struct daemon *d = ctx;

	return d->shutting_down;
}

static bool owns_machine(void *ctx)
{
	const struct daemon *d = ctx;

	return d->is_init || d->opt.command;
}

/* systemctl is-system-running's words: a health check asks this. */
static const char *system_state(void *ctx)
{
	struct daemon *d = ctx;

	if (d->shutting_down)
		return "stopping";
	/* Starting until the boot is done, as systemd: a unit started or
	 * restarted later does not make a running system "starting". */
	if (!d->booted || !d->upstream.ready_sent)
		return "starting";
	for (const struct service *s = manager_first(&d->manager); s; s = s->next)
		if (svc_is_failed(&s->svc))
			return "degraded";
	return "running";
}

static void stop_command(void *ctx)
{
	struct daemon *d = ctx;

	if (d->opt.command)
		container_stop(&d->container, SIGTERM);
}

/* What a re-exec reads of the daemon and gives back. */
static struct reexec_parts reexec_parts(struct daemon *d)
{
	return (struct reexec_parts){
		.loop = d->loop, .manager = &d->manager, .control = &d->control,
		.commands = &d->commands, .console = &d->console,
		.notify = &d->notify, .devlog = &d->devlog,
		.container = d->opt.command ? &d->container : NULL,
		.upstream = &d->upstream,
		.booted = d->booted, .shutting_down = d->shutting_down,
	};
}

static void reexec_for_commands(void *ctx, struct ctl_client *client)
{
	struct daemon *d = ctx;
	struct reexec_parts parts = reexec_parts(d);

	reexec_request(&d->reexec, &parts, client);
}

static const struct commands_ops commands_ops = {
	.reload = reload_for_commands,
	.halt = halt_for_commands,
	.shutting_down = is_shutting_down,
	.owns_machine = owns_machine,
	.system_state = system_state,
	.stop_command = stop_command,
	.reexec = reexec_for_commands,
};

/* What init does on each signal, as busybox init has it (systemd uses
 * SIGRTMIN+n instead); SIGINT is what the kernel sends for Ctrl-Alt-Del. */
static enum halt_action init_signal_action(int signo)
{
	switch (signo) {
	case SIGTERM: return HALT_REBOOT;
	case SIGINT: return HALT_REBOOT;
	case SIGUSR1: return HALT_HALT;
	case SIGUSR2: return HALT_POWEROFF;
	case SIGPWR: return HALT_POWEROFF;
	}
	return HALT_NONE;
}

static void signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *d = w->data;

	log_debug(NULL, "got SIG%s", value_signal_name(w->signum));
	if (w->signum == SIGHUP) {
		daemon_reload(d);
		return;
	}
	if (d->is_init) {
		daemon_halt(d, init_signal_action(w->signum));
		return;
	}
	/* The shutdown first: a command that never started ends the
	 * container at once, which must not count as being asked twice. */
	daemon_shutdown(d);
	if (d->opt.command)
		container_stop(&d->container, w->signum);
}

static void reaper_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct daemon *d = w->data;

	if (!tmpfiles_cmd_child_exited(&d->tmpfiles, w->rpid, w->rstatus)) {
		/* What the process sent to syslog before it ended is read
		 * while its pid still names its service. */
		devlog_drain(&d->devlog);
		manager_child_exited(&d->manager, w->rpid, w->rstatus);
	}
	if (d->sweep.phase == SWEEP_TERM || d->sweep.phase == SWEEP_KILL)
		check_idle(d);
}

static void watch_signal(struct daemon *d, ev_signal *w, int signo)
{
	/* libev reads signals from a signalfd without installing a handler:
	 * one that svd was started with ignored (a shell's background job
	 * ignores SIGINT) would be dropped by the kernel before it got there. */
	if (signal(signo, SIG_DFL) == SIG_ERR)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "signal(SIG%s)",
			  value_signal_name(signo));
	ev_signal_init(w, signal_cb, signo);
	w->data = d;
	ev_signal_start(d->loop, w);
}

static void never_cb(struct ev_loop *loop, ev_periodic *w, int revents)
{
}

/* libev wakes up every ~60 s to notice wall-clock jumps, unless a periodic
 * watcher made it open a timerfd for that; this one, set years ahead,
 * only exists so that an idle svd sleeps until something happens. */
static void sleep_soundly(struct daemon *d)
{
	ev_periodic_init(&d->never, never_cb, ev_time() + 10 * 365 * 86400.0, 0, 0);
	ev_periodic_start(d->loop, &d->never);
	ev_unref(d->loop);
}

static int setup_loop(struct daemon *d)
{
	/* libev's signalfd keeps signals out of the way of syscalls; the
	 * child resets the mask before exec. */
	d->loop = ev_default_loop(EVFLAG_SIGNALFD);
	if (!d->loop) {
		log_error(NULL, "could not initialise the event loop (libev)");
		return -1;
	}
	watch_signal(d, &d->sig_term, SIGTERM);
	watch_signal(d, &d->sig_int, SIGINT);
	/* In a container SIGHUP is the command's (forwarded), not a reload. */
	if (!d->opt.command)
		watch_signal(d, &d->sig_hup, SIGHUP);
	if (d->is_init) {
		watch_signal(d, &d->sig_usr1, SIGUSR1);
		watch_signal(d, &d->sig_usr2, SIGUSR2);
		watch_signal(d, &d->sig_pwr, SIGPWR);
	}
	/* One catch-all child watcher: libev reaps every child, service or
	 * orphan, with waitpid(-1) and hands each exit here. */
	ev_child_init(&d->reaper, reaper_cb, 0, 0);
	d->reaper.data = d;
	ev_child_start(d->loop, &d->reaper);
	/* Writes to a control client or a log pipe that went away must fail
	 * with EPIPE, not kill svd. */
	signal(SIGPIPE, SIG_IGN);
	sleep_soundly(d);
	return 0;
}

/* A container's svd without -s takes the default path, or, where another
 * svd answers there (a container sharing the host's /run), one of its
 * own, which its command's svctl finds through SVD_SOCKET. */
static int open_control(struct daemon *d)
{
	static const char *const fallback_dirs[] = { "/run/svd", "/tmp" };

	if (d->reexec.incoming && d->reexec.image.control_fd >= 0)
		return control_adopt(&d->control, d->loop, d->opt.socket_path,
				     (int)d->reexec.image.control_fd,
				     commands_handle, commands_client_gone,
				     &d->commands);
	if (control_open(&d->control, d->loop, d->opt.socket_path,
			 commands_handle, commands_client_gone, &d->commands) == 0)
		return 0;
	if (!d->opt.command || d->opt.socket_given)
		return -1;
	for (size_t i = 0; i < sizeof(fallback_dirs) / sizeof(fallback_dirs[0]); i++) {
		char *path;

		if (asprintf(&path, "%s/svd-%d.sock", fallback_dirs[i], (int)getpid()) < 0)
			return -1;
		if (control_open(&d->control, d->loop, path, commands_handle,
				 commands_client_gone, &d->commands) == 0) {
			d->own_socket_path = path;
			d->opt.socket_path = path;
			if (setenv("SVD_SOCKET", path, 1) < 0)
				log_errno(LOG_LEVEL_WARNING, NULL, errno, "SVD_SOCKET");
			log_warning(NULL, "control socket %s instead (the command "
				    "gets it as SVD_SOCKET)", path);
			return 0;
		}
		free(path);
	}
	return -1;
}

static void become_subreaper(void)
{
	if (getpid() == 1)
		return;
	/* Orphans of our services come to us, not to init, so that they are
	 * reaped and their service's stop can reach them. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno,
			  "prctl(PR_SET_CHILD_SUBREAPER); orphans go to init");
}

/* Next to the control socket: control.sock -> control.notify, made
 * absolute (libsystemd refuses a relative NOTIFY_SOCKET). */
static char *notify_path_for(const char *socket_path)
{
	size_t len = strlen(socket_path);
	char cwd[4096] = "";
	char *path;

	if (socket_path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (len > 5 && strcmp(socket_path + len - 5, ".sock") == 0)
		len -= 5;
	if (asprintf(&path, "%s%s%.*s.notify", cwd, *cwd ? "/" : "", (int)len,
		     socket_path) < 0)
		return NULL;
	return path;
}

/* Services then find it in NOTIFY_SOCKET; without it, they are told of
 * none and a Type=notify service fails its start at the timeout. */
static void open_notify_socket(struct daemon *d)
{
	int kept = d->reexec.incoming ? (int)d->reexec.image.notify_fd : -1;

	d->notify_path = notify_path_for(d->opt.socket_path);
	if (!d->notify_path ||
	    (kept >= 0 ? notify_adopt(&d->notify, d->loop, d->notify_path, kept,
				      manager_notify, &d->manager) :
	     notify_open(&d->notify, d->loop, d->notify_path, manager_notify,
			 &d->manager)) < 0) {
		log_warning(NULL, "no notify socket: Type=notify services "
			    "cannot say they are ready");
		free(d->notify_path);
		d->notify_path = NULL;
	}
}

/* svd.conf's SyslogSocket= (as init, /dev/log unless it says no) and
 * ForwardToSyslog=. Without it, programs' syslog(3) goes wherever it went
 * before: a host's syslog daemon, or nowhere. */
static void open_syslog_socket(struct daemon *d)
{
	const struct settings *s = &d->settings;
	bool on = s->syslog_socket == SETTINGS_AUTO ? d->is_init :
		  s->syslog_socket == SETTINGS_ON;
	char *forward = NULL;

	if (!on)
		return;
	if (s->forward_to_syslog == SETTINGS_ON && !s->forward_to_syslog_path &&
	    asprintf(&forward, "%s/%s", s->directory_roots[UNIT_DIR_RUNTIME],
		     SETTINGS_SYSLOG_FORWARD) < 0)
		forward = NULL;
	if (s->forward_to_syslog == SETTINGS_ON && s->forward_to_syslog_path)
		forward = strdup(s->forward_to_syslog_path);
	if (s->forward_to_syslog == SETTINGS_ON && !forward)
		log_errno(LOG_LEVEL_WARNING, NULL, ENOMEM, "syslog: not forwarding");
	if (devlog_adopt(&d->devlog, d->loop, s->syslog_socket_path ?
			 s->syslog_socket_path : SETTINGS_SYSLOG_SOCKET,
			 d->reexec.incoming ? (int)d->reexec.image.devlog_fd : -1,
			 forward, manager_syslog_owner, &d->manager) == 0)
		log_debug(NULL, "syslog socket %s", d->devlog.path);
	free(forward);
}

static void settings_diag(void *ctx, const char *message)
{
	log_error(NULL, "%s", message);
}

static void console_log_writer(void *ctx, const char *line, size_t len)
{
	console_write(ctx, line, len);
}

/* svd holds up to four fds per service (the pipes of its output, both
 * ends): the soft limit goes up to the hard one. Services get the soft
 * limit svd was given back (spawn.c). */
static void raise_fd_limit(struct daemon *d)
{
	struct rlimit raised;

	if (getrlimit(RLIMIT_NOFILE, &d->nofile_at_start) < 0) {
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "getrlimit(RLIMIT_NOFILE)");
		return;
	}
	raised = d->nofile_at_start;
	raised.rlim_cur = raised.rlim_max;
	if (raised.rlim_cur != d->nofile_at_start.rlim_cur &&
	    setrlimit(RLIMIT_NOFILE, &raised) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "raising RLIMIT_NOFILE "
			  "to %llu", (unsigned long long)raised.rlim_cur);
}

static void log_flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	log_flush_suppressed();
}

/* The log asks for its flush: the earliest request wins, and a window
 * always ends later than now, so this timer never spins. */
static void arm_log_flush(void *ctx, double delay_sec)
{
	struct daemon *d = ctx;

	ev_timer_stop(d->loop, &d->log_flush);
	ev_timer_set(&d->log_flush, delay_sec, 0.);
	ev_timer_start(d->loop, &d->log_flush);
}

/* svd.conf, svd's console, and where services' lines go: a container
 * shows them on svd's stderr, a service manager keeps them in files. */
static void setup_logs(struct daemon *d)
{
	struct settings *s = &d->settings;
	bool container = d->opt.command != NULL;
	bool files, console;

	console_init(&d->console, d->loop, STDERR_FILENO);
	log_set_writer(console_log_writer, &d->console);
	settings_load(s, d->opt.config_path, settings_diag, NULL);
	if (!d->opt.stop_timeout_given && s->stop_timeout_usec != SETTINGS_UNSET) {
		d->opt.stop_timeout_sec = (double)s->stop_timeout_usec / 1e6;
		d->container.stop_timeout_sec = d->opt.stop_timeout_sec;
	}
	if (!d->opt.kill_grace_given && s->kill_grace_usec != SETTINGS_UNSET)
		d->opt.kill_grace_sec = (double)s->kill_grace_usec / 1e6;
	files = s->log_files == SETTINGS_AUTO ? !container :
		s->log_files == SETTINGS_ON;
	/* A board's console is where its services' output has always
	 * gone, and often the only place that survives a reboot. */
	console = s->log_console == SETTINGS_AUTO ? container || d->is_init :
		  s->log_console == SETTINGS_ON;
	d->logs = (struct logs_config){
		.loop = d->loop,
		.console = &d->console,
		.max_file_bytes = s->log_max_file_bytes,
		.max_files = s->log_max_files,
		.ring_bytes = s->log_ring_bytes,
		.read_buf = d->log_read_buf,
		.batch = &d->log_batch,
		.echo_console = console,
	};
	if (files && (execenv_make_parents(d->opt.log_dir) < 0 ||
		      (mkdir(d->opt.log_dir, 0755) < 0 && errno != EEXIST)))
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "making the log directory "
			  "%s; services' lines are kept in memory only",
			  d->opt.log_dir);
	else if (files)
		d->logs.dir = d->opt.log_dir;
}

static void tmpfiles_diag(void *ctx, bool error, const char *message)
{
	if (error)
		log_error("tmpfiles", "%s", message);
	else
		log_warning("tmpfiles", "%s", message);
}

/* tmpfiles.d before any unit starts, as systemd-tmpfiles-setup.service
 * does early in a boot: in svd, before the loop, so it may take its
 * time. '!' lines only as init: a service manager's start is no boot. */
static void tmpfiles_at_start(struct daemon *d)
{
	const struct settings *s = &d->settings;
	struct tmpfiles_run_opts opts = {
		.settings = s, .create = true, .remove = true,
		.boot = d->is_init, .diag = tmpfiles_diag,
	};
	unsigned failed;

	/* A re-exec is no start: what runs has what it needs. */
	if (d->reexec.incoming || s->tmpfiles_at_start == SETTINGS_OFF ||
	    (s->tmpfiles_at_start == SETTINGS_AUTO && !d->is_init))
		return;
	failed = tmpfiles_run(&opts);
	if (failed)
		log_warning("tmpfiles", "%u lines failed; going on", failed);
	else
		log_info("tmpfiles", "applied");
}

/* SVD_CGROUP_ROOT= over svd.conf's CgroupRoot=: "no" keeps svd off
 * cgroups (the test suite's svds, which must not share the host's).
 * SVD_CGROUP_FORCE_FREEZE=1 kills as a kernel without cgroup.kill
 * would, for its test. */
static void setup_cgroups(struct daemon *d)
{
	const char *root = getenv("SVD_CGROUP_ROOT");
	const char *freeze = getenv("SVD_CGROUP_FORCE_FREEZE");

	if (!root || !*root)
		root = d->settings.cgroup_root;
	if (root && strcmp(root, "no") == 0) {
		d->cgroups = (struct cgroup_root){ .inotify_fd = -1 };
		log_info(NULL, "cgroups off (CgroupRoot=no): services are tracked "
			 "by process group");
		return;
	}
	/* As init, the hierarchy is svd's to mount; a CgroupRoot= names
	 * one that is there already. */
	if (d->is_init && (!root || !*root))
		boot_mount_cgroup();
	cgroup_root_init(&d->cgroups, root,
			 d->settings.default_tasks_max.kind ?
			 &d->settings.default_tasks_max : NULL,
			 freeze && strcmp(freeze, "1") == 0,
			 d->reexec.incoming || (!d->is_init && !d->opt.command &&
						adopt_file_exists(d->opt.state_dir)));
}

static int setup_services(struct daemon *d)
{
	struct manager_config config = {
		.unit_dirs = d->opt.unit_dirs,
		.n_unit_dirs = d->opt.n_unit_dirs,
		.state_dir = d->opt.state_dir,
		.fstab = MADEUP_FSTAB_PATH,
		.host = &d->host,
		.default_timeout_start_usec = d->settings.default_timeout_start_usec,
		.default_timeout_stop_usec = d->settings.default_timeout_stop_usec,
		.notify_socket = d->notify_path,
		.svd_environ = environ,
		.directory_roots = d->settings.directory_roots,
		.sandbox_fallback = &d->settings.sandbox_fallback,
		.logs = &d->logs,
		.nofile_soft = d->nofile_at_start.rlim_cur,
		.cgroups = &d->cgroups,
		.mounts = d->is_init ? &d->mounts : NULL,
		.on_change = on_service_change,
		.on_forget = on_service_forget,
		.on_transition = on_service_transition,
		.ctx = d,
	};

	/* After boot set the host name; a value missing here makes only the
	 * units that use its specifier fail, each saying which. */
	if (host_read(&d->host, NULL) < 0)
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "reading the host's "
			  "values for unit specifiers");
	manager_init(&d->manager, d->loop, &config);
	sockets_init(&d->manager);
	return manager_load_all(&d->manager);
}

/* A closed fd 0-2 would be taken by the first pipe or socket svd makes,
 * and a service's stdio set-up would then overwrite it: /dev/null holds
 * their place. */
static void open_missing_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int null;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		null = open("/dev/null", O_RDWR);	/* the lowest: fd */
		if (null >= 0 && null != fd)
			close(null);
	}
}

/* As init, svd goes on whatever happens: its exit would panic the
 * kernel. So a bad command line (the kernel passes init the boot
 * arguments it did not understand) is only reported. */
static int read_command_line(struct daemon *d, int argc, char **argv,
			     const char **unit_dirs)
{
	int r;

	options_defaults(&d->opt);
	r = parse_options(argc, argv, &d->opt, unit_dirs);
	d->is_init = getpid() == 1 && !d->opt.command;
	if (r != 0 && d->is_init) {
		log_warning(NULL, "as init: going on despite the command line");
		d->opt.command = NULL;
		r = 0;
	}
	/* A container runs side services only from the -u it is given. */
	if (d->opt.n_unit_dirs == 0 && !d->opt.command)
		unit_dirs[d->opt.n_unit_dirs++] = DEFAULT_UNIT_DIR;
	d->opt.unit_dirs = unit_dirs;
	return r;
}

/* Where svd as init ends up: the shutdown it was asked for, or, if the
 * loop ended some other way, reaping forever. */
_Noreturn static void init_end(struct daemon *d, const char *why)
{
	if (!why && d->halt_action == HALT_NONE)
		why = "BUG: shut down with nothing to do next";
	if (why) {
		log_error(NULL, "%s: staying up as init, only reaping", why);
	} else {
		utmp_shutdown();
		mounts_swapoff(&d->mounts);
		halt_system(d->halt_action);
	}
	halt_freeze();
}

static void on_power_key(void *ctx)
{
	daemon_halt(ctx, HALT_POWEROFF);
}

/* svd.conf's PowerKey= (on as init unless it says no): a power key
 * pressed powers off, as logind's HandlePowerKey=poweroff. */
static void watch_power_key(struct daemon *d)
{
	enum settings_switch on = d->settings.power_key;

	if (on == SETTINGS_OFF || (on == SETTINGS_AUTO && !d->is_init))
		return;
	powerkey_start(&d->powerkey, d->loop, POWERKEY_DIR, on_power_key, d);
}

/* /etc/fstab before anything else that writes to disk: the log
 * directory and tmpfiles.d may well be on its file systems, or on a root
 * that its options make writable. */
static void boot_fstab(struct daemon *d)
{
	if (mounts_load(&d->mounts, MOUNTS_FSTAB_PATH) < 0)
		log_errno(LOG_LEVEL_ERROR, NULL, errno, "reading %s; nothing of "
			  "it is mounted", MOUNTS_FSTAB_PATH);
	mounts_boot(&d->mounts);
}

/* Init's signals wait, blocked, until the loop reads them: one that came
 * during boot (Ctrl-Alt-Del) would otherwise be dropped, as the kernel
 * drops signals to init that has no handler. */
static void init_block_signals(void)
{
	static const int signals[] = {
		SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGPWR, SIGCHLD,
	};
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaddset(&set, signals[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		log_errno(LOG_LEVEL_WARNING, NULL, errno, "sigprocmask");
}

int main(int argc, char **argv)
{
	static struct daemon daemon;
	const char *unit_dirs[UNIT_DIRS_MAX];
	struct daemon *d = &daemon;
	int r;

	/* The helper that svctl tmpfiles runs (never as init: PID 1 never
	 * gets this as its first argument from svd). */
	if (argc > 1 && strcmp(argv[1], "--tmpfiles") == 0 && getpid() != 1)
		return tmpfiles_run_main(argc, argv, DEFAULT_CONFIG_PATH);

	/* The probe of the svd that is about to exec this binary (never
	 * as init, as --tmpfiles). */
	if (argc > 1 && strcmp(argv[1], REEXEC_FORMAT_OPTION) == 0 &&
	    getpid() != 1) {
		char line[64];

		state_format_line(line, sizeof(line));
		printf("%s\n", line);
		return SVD_EXIT_OK;
	}
	d->action_exit_status = -1;
	reexec_init(&d->reexec, &argc, &argv);
	if (settings_init(&d->settings) < 0)
		return SVD_EXIT_FAILURE;
	r = read_command_line(d, argc, argv, unit_dirs);
	if (r != 0)
		return r < 0 ? SVD_EXIT_USAGE : SVD_EXIT_OK;
	/* Before anything is opened: a state that cannot be read sends
	 * svd back to the binary that wrote it. */
	reexec_load(&d->reexec, !d->is_init && !d->opt.command);
	if (!d->is_init)
		open_missing_stdio();	/* init's boot opens the console */
	if (d->is_init) {
		crash_install_handler();
		init_block_signals();
		/* Re-executed, the system is booted already. */
		if (!d->reexec.incoming) {
			boot_system(&d->boot);
			boot_fstab(d);
		}
	}
	if (d->opt.command) {
		/* Before libev changes the signal mask and dispositions. */
		container_capture(&d->container, d->opt.command,
				  d->opt.stop_timeout_sec, d->opt.group);
		container_block_signals();
		/* Like tini: quiet unless asked, the command's output is
		 * what the user wants to see. */
		if (!d->opt.verbosity_set)
			log_set_level(LOG_LEVEL_WARNING);
	}
	reexec_find_binary(&d->reexec);
	if (setup_loop(d) < 0) {
		if (d->is_init)
			init_end(d, "no event loop");
		return SVD_EXIT_FAILURE;
	}
	become_subreaper();
	raise_fd_limit(d);
	setup_logs(d);
	upstream_init(&d->upstream, d->loop);
	commands_init(&d->commands, &d->manager, &commands_ops, d);
	tmpfiles_cmd_init(&d->tmpfiles, d->loop, d->opt.config_path);
	d->commands.tmpfiles = &d->tmpfiles;
	if (open_control(d) < 0) {
		/* A container's command runs even where svd cannot serve
		 * svctl (read-only /run, another svd outside); a board
		 * boots. */
		if (!d->opt.command && !d->is_init)
			return SVD_EXIT_FAILURE;
		log_error(NULL, "running without a control socket, nor a "
			  "notify socket: svctl cannot reach this svd");
	} else {
		apply_control_access(d, &d->settings);
		/* Only with the control socket: else the path may well be
		 * another svd's, live. */
		open_notify_socket(d);
	}
	tmpfiles_at_start(d);
	/* After tmpfiles.d, which makes /run/utmp on Debian. */
	if (d->is_init)
		utmp_boot();
	setup_cgroups(d);
	setup_services(d);
	open_syslog_socket(d);
	watch_power_key(d);
	log_info(NULL, "svd %s: %zu units, control socket %s", SVD_VERSION,
		 manager_count(&d->manager), d->opt.socket_path);
	d->container.resumed = d->reexec.incoming;
	if (d->opt.command &&
	    container_start(&d->container, d->loop, &d->manager,
			    on_container_ended, d) < 0)
		return SVD_EXIT_FAILURE;
	/* A service manager keeps what a new svd adopts should it die. */
	adopt_init(&d->adopt, d->loop, &d->manager, d->opt.state_dir,
		   !d->is_init && !d->opt.command);
	if (d->reexec.incoming) {
		struct reexec_parts parts = reexec_parts(d);

		reexec_apply(&d->reexec, &parts);
	} else {
		adopt_take_over(&d->adopt);
		manager_start_enabled(&d->manager);
	}
	d->booted = true;
	check_booted(d);
	/* Booted: from now on the console is svd's log, if there is one. */
	if (d->is_init && d->boot.console_ok && d->boot.kmsg_fd >= 0) {
		log_to_kmsg(-1);
		close(d->boot.kmsg_fd);
		d->boot.kmsg_fd = -1;
	}
	ev_init(&d->log_flush, log_flush_cb);
	log_set_flush_timer(arm_log_flush, d);
	log_set_limit(true);
	ev_run(d->loop, 0);
	log_set_limit(false);
	/* The loop is over: what follows is said directly, blocking; no
	 * file stays open on a file system init is about to remount. */
	manager_close_log_files(&d->manager);
	log_set_flush_timer(NULL, NULL);
	ev_timer_stop(d->loop, &d->log_flush);
	log_set_writer(NULL, NULL);
	console_flush_blocking(&d->console);
	control_close(&d->control);
	access_policy_free(&d->access);
	tmpfiles_cmd_free(&d->tmpfiles);
	notify_close(&d->notify);
	devlog_close(&d->devlog);
	powerkey_stop(&d->powerkey);
	free(d->notify_path);
	free(d->own_socket_path);
	upstream_free(&d->upstream);
	if (d->is_init)
		init_end(d, d->shutting_down ? NULL : "event loop ended");
	/* Stopped cleanly: nothing runs that a new svd should adopt. */
	if (d->all_stopped)
		adopt_free(&d->adopt);
	manager_free(&d->manager);
	mounts_free(&d->mounts);
	cgroup_root_free(&d->cgroups);
	host_clear(&d->host);
	console_flush_blocking(&d->console);
	console_free(&d->console);
	logs_batch_free(&d->log_batch);
	settings_free(&d->settings);
	reexec_free(&d->reexec);
	ev_loop_destroy(d->loop);
	if (d->action_exit_status >= 0)
		return d->action_exit_status;
	return d->opt.command ? d->container.exit_status : SVD_EXIT_OK;
}
