/* service_cgroup: the watcher of svd's cgroup events (a cgroup that
 * became empty, an OOM kill), handing each to its service
 * (service_cgroup_event). Where svd has no cgroup2 it does nothing. */
#ifndef SVD_SERVICE_CGROUP_H
#define SVD_SERVICE_CGROUP_H

#include <stdbool.h>

struct service;
struct service_env;

/* Watches env->cgroups' events (cgroup.events, memory.events). */
void service_cgroups_start(struct service_env *env);
void service_cgroups_stop(struct service_env *env);

#endif
