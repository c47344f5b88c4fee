#include "condition.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "log.h"

static bool directory_not_empty(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	bool found = false;

	while (dir && !found && (de = readdir(dir)))
		found = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	if (dir)
		closedir(dir);
	return found;
}

static bool glob_matches(const char *pattern)
{
	glob_t g;
	bool found = glob(pattern, GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0;

	globfree(&g);
	return found;
}

/* Whether a line of the file holds needle (DMI names, cpuinfo flags). */
static bool file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t line_size = 0;
	bool found = false;

	while (f && !found && getline(&line, &line_size, f) > 0)
		found = strstr(line, needle) != NULL;
	free(line);
	if (f)
		fclose(f);
	return found;
}

/* The first "container=" in PID 1's environment: set by most container
 * managers (podman, lxc, systemd-nspawn, ...). */
static const char *pid1_container(char *buf, size_t size)
{
	FILE *f = fopen("/proc/1/environ", "re");
	char *entry = NULL;
	size_t entry_size = 0;
	const char *found = NULL;

	while (f && getdelim(&entry, &entry_size, '\0', f) > 0)
		if (strncmp(entry, "container=", 10) == 0 && entry[10]) {
			snprintf(buf, size, "%s", entry + 10);
			found = buf;
			break;
		}
	free(entry);
	if (f)
		fclose(f);
	return found;
}

/* DMI names, as systemd-detect-virt maps them. */
static const char *dmi_vm(void)
{
	static const struct { const char *text, *name; } vendors[] = {
		{ "KVM", "kvm" }, { "QEMU", "qemu" }, { "VMware", "vmware" },
		{ "VirtualBox", "oracle" }, { "innotek", "oracle" },
		{ "Xen", "xen" }, { "Microsoft Corporation", "microsoft" },
		{ "Amazon EC2", "amazon" }, { "Google", "google" },
		{ "Parallels", "parallels" }, { "Bochs", "bochs" },
	};
	static const char *const files[] = {
		"/sys/class/dmi/id/product_name", "/sys/class/dmi/id/sys_vendor",
		"/sys/class/dmi/id/board_vendor", "/sys/class/dmi/id/bios_vendor",
	};

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
		for (size_t v = 0; v < sizeof(vendors) / sizeof(vendors[0]); v++)
			if (file_contains(files[f], vendors[v].text))
				return vendors[v].name;
	return NULL;
}

const char *condition_virtualization(const char **kind)
{
	static char name[64];
	const char *vm;

	*kind = "container";
	if (pid1_container(name, sizeof(name)))
		return name;
	if (access("/.dockerenv", F_OK) == 0)
		return "docker";
	if (access("/run/.containerenv", F_OK) == 0)
		return "podman";
	*kind = "vm";
	vm = dmi_vm();
	if (vm)
		return vm;
	/* A hypervisor that DMI does not name (Firecracker, ...). */
	if (file_contains("/proc/cpuinfo", " hypervisor"))
		return "vm-other";
	*kind = "none";
	return "none";
}

static bool virtualization_is(const char *wanted)
{
	const char *kind, *name = condition_virtualization(&kind);
	bool any = strcmp(kind, "none") != 0;

	if (!strcasecmp(wanted, "yes") || !strcasecmp(wanted, "true") ||
	    !strcmp(wanted, "1"))
		return any;
	if (!strcasecmp(wanted, "no") || !strcasecmp(wanted, "false") ||
	    !strcmp(wanted, "0"))
		return !any;
	if (!strcmp(wanted, "vm") || !strcmp(wanted, "container"))
		return !strcmp(wanted, kind);
	return !strcmp(wanted, name);
}

static bool host_is(const char *wanted)
{
	char host[256] = "", id[64] = "";
	FILE *f;

	if (gethostname(host, sizeof(host) - 1) == 0 && !strcasecmp(host, wanted))
		return true;
	f = fopen("/etc/machine-id", "re");
	if (f) {
		if (!fgets(id, sizeof(id), f))
			id[0] = '\0';
		fclose(f);
		id[strcspn(id, "\n")] = '\0';
	}
	return *id && !strcasecmp(id, wanted);
}

bool condition_holds(const struct unit_condition *c)
{
	struct stat st;

	switch (c->type) {
	case UNIT_COND_PATH_EXISTS:
		return access(c->arg, F_OK) == 0;
	case UNIT_COND_PATH_EXISTS_GLOB:
		return glob_matches(c->arg);
	case UNIT_COND_PATH_IS_DIRECTORY:
		return stat(c->arg, &st) == 0 && S_ISDIR(st.st_mode);
	case UNIT_COND_PATH_IS_SYMBOLIC_LINK:
		return lstat(c->arg, &st) == 0 && S_ISLNK(st.st_mode);
	case UNIT_COND_DIRECTORY_NOT_EMPTY:
		return directory_not_empty(c->arg);
	case UNIT_COND_FILE_NOT_EMPTY:
		return stat(c->arg, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
	case UNIT_COND_FILE_IS_EXECUTABLE:
		return stat(c->arg, &st) == 0 && S_ISREG(st.st_mode) &&
		       (st.st_mode & 0111);
	case UNIT_COND_VIRTUALIZATION:
		return virtualization_is(c->arg);
	case UNIT_COND_HOST:
		return host_is(c->arg);
	case UNIT_COND_CAPABILITY:
		/* systemd's meaning: the manager's bounding set has it. */
		return prctl(PR_CAPBSET_READ, (unsigned long)caps_from_name(c->arg),
			     0, 0, 0) == 1;
	case UNIT_COND_COUNT:
		break;
	}
	return true;
}

static void describe(const struct unit_condition *c, char *why, unsigned size)
{
	snprintf(why, size, "%s%s=%s%s%s", c->assert ? "Assert" : "Condition",
		 unit_condition_name(c->type), c->trigger ? "|" : "",
		 c->negate ? "!" : "", c->arg);
}

/* Conditions first, then asserts, each set on its own: as systemd, a
 * skipped start never gets as far as its assertions. */
static bool set_holds(const struct unit *unit, bool asserts, char *why,
		      unsigned size)
{
	const struct unit_condition *first_trigger = NULL;
	bool any_trigger_holds = false;

	for (size_t i = 0; i < unit->n_conditions; i++) {
		const struct unit_condition *c = &unit->conditions[i];
		bool holds;

		if (c->assert != asserts)
			continue;
		holds = condition_holds(c) != c->negate;
		if (c->trigger) {
			first_trigger = first_trigger ? first_trigger : c;
			any_trigger_holds |= holds;
		} else if (!holds) {
			describe(c, why, size);
			return false;
		}
	}
	if (first_trigger && !any_trigger_holds) {
		describe(first_trigger, why, size);
		return false;
	}
	return true;
}

enum condition_verdict condition_check(const struct unit *unit, char *why,
				       unsigned size)
{
	if (!set_holds(unit, false, why, size))
		return CONDITION_SKIP;
	if (!set_holds(unit, true, why, size))
		return CONDITION_FAIL;
	return CONDITION_PASS;
}
