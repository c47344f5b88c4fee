#include "deps.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "proto.h"

/* What a level needs of one unit's reply, copied out of it. */
struct deps_unit {
	char *id;
	char *active;
	char **children;	/* Requires, Requisite, Wants, BindsTo */
	size_t n_children;
	bool failed_alloc;
};

struct deps_walk {
	FILE *out;
	int fd;
	bool all, color;
	char **seen;		/* units expanded already */
	size_t n_seen;
	int worst;
};

static char *copy(struct deps_unit *u, const char *s)
{
	char *c = strdup(s);

	u->failed_alloc |= !c;
	return c;
}

static void on_reply(void *ctx, const struct proto_msg *reply, int last)
{
	struct deps_unit *u = ctx;
	static const char *const kinds[] = { "Requires", "Requisite", "Wants",
					     "BindsTo" };

	if (!proto_get(reply, "Id"))
		return;
	u->id = copy(u, proto_get(reply, "Id"));
	u->active = copy(u, proto_get(reply, "ActiveState") ?
			    proto_get(reply, "ActiveState") : "");
	for (size_t i = 0; i < reply->n_fields; i++)
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			char **grown;

			if (strcmp(reply->fields[i].key, kinds[k]) != 0)
				continue;
			grown = realloc(u->children, (u->n_children + 1) *
					sizeof(*grown));
			if (!grown) {
				u->failed_alloc = true;
				continue;
			}
			u->children = grown;
			u->children[u->n_children++] = copy(u, reply->fields[i].value);
		}
}

static void unit_free(struct deps_unit *u)
{
	for (size_t i = 0; i < u->n_children; i++)
		free(u->children[i]);
	free(u->children);
	free(u->id);
	free(u->active);
}

/* The state's dot, green up, red failed, as status shows it. */
static const char *dot(const struct deps_walk *w, const char *active)
{
	bool up = strcmp(active, "active") == 0 || strcmp(active, "reloading") == 0;
	bool failed = strcmp(active, "failed") == 0;

	if (!w->color)
		return up ? "\u25cf " : failed ? "\u00d7 " : "\u25cb ";
	return up ? "\033[0;1;32m\u25cf\033[0m " : failed ?
	       "\033[0;1;31m\u00d7\033[0m " : "\u25cb ";
}

static bool seen(struct deps_walk *w, const char *id)
{
	char **grown;

	for (size_t i = 0; i < w->n_seen; i++)
		if (strcmp(w->seen[i], id) == 0)
			return true;
	grown = realloc(w->seen, (w->n_seen + 1) * sizeof(*grown));
	if (grown && (grown[w->n_seen] = strdup(id)))
		w->n_seen++;
	if (grown)
		w->seen = grown;
	return false;
}

static bool is_target(const char *id)
{
	size_t n = strlen(id);

	return n > 7 && strcmp(id + n - 7, ".target") == 0;
}

static void walk(struct deps_walk *w, const char *name, const char *prefix,
		 bool last, int depth)
{
	struct deps_unit u = { 0 };
	char *child_prefix;
	int r = client_call(w->fd, "show", name, on_reply, &u);

	if (r > w->worst)
		w->worst = r;
	if (r != SVCTL_EXIT_OK || !u.id || u.failed_alloc) {
		unit_free(&u);
		return;
	}
	fprintf(w->out, "%s%s%s%s\n", prefix,
		depth == 0 ? "" : last ? "\u2514\u2500" : "\u251c\u2500",
		dot(w, u.active), u.id);
	if (depth > 0 && ((!w->all && !is_target(u.id)) || seen(w, u.id))) {
		unit_free(&u);
		return;
	}
	if (depth == 0)
		seen(w, u.id);
	if (depth >= DEPS_DEPTH_MAX && u.n_children) {
		fprintf(w->out, "%s  ... (deeper than %d levels)\n", prefix,
			DEPS_DEPTH_MAX);
		unit_free(&u);
		return;
	}
	if (asprintf(&child_prefix, "%s%s", prefix, depth == 0 ? "" :
		     last ? "  " : "\u2502 ") < 0) {
		unit_free(&u);
		w->worst = SVCTL_EXIT_FAILED;
		return;
	}
	for (size_t i = 0; i < u.n_children && w->worst != SVCTL_EXIT_UNREACHABLE; i++)
		walk(w, u.children[i], child_prefix, i + 1 == u.n_children,
		     depth + 1);
	free(child_prefix);
	unit_free(&u);
}

int deps_run(FILE *out, int fd, const char *unit, bool all, bool color)
{
	struct deps_walk w = { .out = out, .fd = fd, .all = all,
			       .color = color };

	walk(&w, unit, "", true, 0);
	for (size_t i = 0; i < w.n_seen; i++)
		free(w.seen[i]);
	free(w.seen);
	return w.worst;
}
