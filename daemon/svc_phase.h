/* svc_phase: the machinery of the state machine, shared by its two
 * files only: svc.c enters and leaves the phases, svc_step.c's table
 * decides which, per event and state. Not an API for anyone else. */
#ifndef SVD_SVC_PHASE_H
#define SVD_SVC_PHASE_H

#include "svc.h"

/* The one writer of svc->state: records why and when, arms the state's
 * timer, tells the owner (which only records it). */
void svc_set_state(struct svc *svc, enum svc_state state,
		   enum svc_cause cause, int detail);
void svc_set_cause_text(struct svc *svc, const char *why);
/* Takes text (a control command's failure) as the cause's text. */
void svc_take_cause_text(struct svc *svc, char *text);
/* EXTEND_TIMEOUT_USEC=: the state's deadline moves later, never sooner. */
void svc_extend_timer(struct svc *svc, int ms);

/* The processes. */
void svc_forget_main(struct svc *svc);
void svc_forget_control(struct svc *svc);
/* SIGKILL to a control process whose phase is left, then forgotten. */
void svc_abandon_control(struct svc *svc);
/* Processes of the service still in its cgroup that a stop must wait
 * for: KillMode=control-group and mixed signal them, and the service is
 * down only once none is left, as systemd's. */
bool svc_cgroup_busy(struct svc *svc);
/* KillSignal= (and SIGCONT) to what the main process left behind. */
void svc_signal_leftovers(struct svc *svc);
const struct exec_cmd *svc_current_cmd(const struct svc *svc);
/* The running ExecStart= has '-' (false if a daemon-reload took it). */
bool svc_current_ignores_failure(const struct svc *svc);
/* The control commands a phase runs. */
enum unit_exec svc_phase_commands(enum svc_state state);
/* A control command, or NULL when a daemon-reload took it away. */
const struct exec_cmd *svc_control_cmd(const struct svc *svc,
				       enum unit_exec kind, size_t index);
/* "ExecStartPre=/bin/x: exited with status 3"; NULL on ENOMEM. */
char *svc_describe_control(const struct svc *svc, enum unit_exec kind,
			   size_t index, int wstatus, int err);

/* How a run ends. */
/* Records the run's end; a failure already recorded stays. */
void svc_set_end(struct svc *svc, enum policy_result result,
		 enum svc_cause cause, int detail);
void svc_exit_cause(const struct svc *svc, int wstatus,
		    enum svc_cause *cause, int *detail);
/* ExecStopPost= done: auto-restart, failed or inactive, per the end. */
void svc_enter_dead(struct svc *svc);
void svc_enter_stop_post(struct svc *svc);
/* The run ended by itself: exited (RemainAfterExit=) or stop-post. */
void svc_run_ended(struct svc *svc);
/* A run that got started ended by itself: ExecStop= first if clean. */
void svc_run_finished(struct svc *svc);
/* The stop signal, then stop-sigterm (KillMode=none: stop-post). */
void svc_enter_signal(struct svc *svc, enum svc_cause cause, int signo);

/* The phases with commands. */
/* Runs phase's commands from index on; then what follows the phase. */
void svc_run_control(struct svc *svc, enum svc_state phase, size_t index,
		     enum svc_cause cause);
void svc_phase_done(struct svc *svc, enum svc_state phase,
		    enum svc_cause cause);
void svc_phase_failed(struct svc *svc, enum svc_state phase,
		      enum policy_result result);
/* Forks the current ExecStart=: start, or the spawn failure's state. */
void svc_spawn_main(struct svc *svc, enum svc_cause cause);
void svc_enter_start_post(struct svc *svc, enum svc_cause cause);
/* Conditions, the start limit, then the start sequence. */
void svc_start_attempt(struct svc *svc, enum svc_cause cause);

#endif
