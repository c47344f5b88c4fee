#!/usr/bin/env python3
"""The command lines against their docs, read from the source at test
time (a new verb or option needs only its docs and completion):

- every svctl command (proto/vocab.c's rows) is an `.It Cm` of svctl(1)
  and a word of the bash completion;
- every svctl option (ctl/args.c) is in svctl(1) and in the completion;
- every svd option (the getopt tables of daemon/main.c and
  daemon/tmpfiles_run.c) is in svd(8) and in svd's completion;
- the completion, run in bash with COMP_WORDS set and a stand-in svctl
  on PATH that prints a `svctl list` table, offers those unit names after
  each command that takes units (also after an option, and asking the
  socket given with -s), and none after the commands that take none.

usage: check_cli_docs.py SOURCE_ROOT
Exits 1 naming each problem.
"""
import os
import re
import subprocess
import sys
import tempfile

# svctl options accepted only for systemctl's habits (svctl(1) lists
# them as such); the completion need not offer them.
IGNORED_SVCTL_OPTIONS = {"--no-pager", "-l", "--full", "--no-ask-password",
                         "--json=short", "--json=pretty"}
FAKE_UNITS = ["web.service", "greeter@world.service", "db.socket"]


def read(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        return f.read()


def verbs(vocab_c):
    """(name, takes_units) of each row of vocab_verbs; a verb with
    OWN_ARGS (tmpfiles) takes files, not units."""
    table = vocab_c.split("vocab_verbs[] = {", 1)[1].split("\n};", 1)[0]
    rows = re.findall(r'\{\s*"([a-z-]+)",\s*(?:"[a-z-]+"|NULL),\s*(\w+),'
                      r'\s*([^,]+),\s*(\d+),', table)
    # A verb svctl runs itself (units NONE to svd) may still take unit
    # names, as its usage line says: security [UNIT...].
    usage = dict(re.findall(r'\{\s*"([a-z-]+)",[^{}]*?\n\s*"\1 ([^"]*)"', table))
    return [(name, (units in ("SOME", "OPTIONAL") and "OWN_ARGS" not in flags)
             or "UNIT" in usage.get(name, ""))
            for name, units, flags, _ in rows]


def svctl_options(args_c):
    """Every option ctl/args.c parses: its flag table, the long and short
    names of its value_of() calls, and the strings it compares to."""
    options = set(re.findall(r'"(--?[a-z][a-z=-]*)"', args_c))
    for long_name, short in re.findall(
            r'value_of\([^"]*"(--[a-z-]+)",\s*(?:\w+\s*\?\s*)?'
            r"(?:'(\w)'|0)", args_c):
        options.add(long_name)
        if short:
            options.add("-" + short)
    for m in re.finditer(r"kill_s \? '(\w)' : 0|kill_s \? 0 : '(\w)'", args_c):
        options.add("-" + (m.group(1) or m.group(2)))
    return options


def svd_options(*sources):
    """Long names of the getopt_long tables, and the letters of their
    option strings."""
    options = set()
    for text in sources:
        for table in re.findall(r'struct option longopts\[\] = \{(.*?)\};',
                                text, re.S):
            options |= {"--" + n for n in re.findall(r'\{\s*"([a-z-]+)"', table)}
        for letters in re.findall(r'getopt_long\(argc, argv, "\+?([^"]*)"', text):
            options |= {"-" + c for c in letters if c.isalpha()}
    return options


def settings_keys(settings_c):
    """The keys conf/settings.c compares to, and its [Directories] names."""
    keys = set(re.findall(r'strcasecmp\(key, "([A-Za-z]+)"\)', settings_c))
    return keys | set(re.findall(r'\[UNIT_DIR_\w+\] = "([A-Za-z]+)"', settings_c))


def in_man(man, option):
    """`Fl x` for -x; `\\-name` on a line with Fl for --name (mdoc
    escapes each dash)."""
    if not option.startswith("--"):
        return re.search(r"\bFl %s\b" % re.escape(option[1:]), man) is not None
    escaped = option[1:].replace("-", "\\-")
    return any(escaped in line and "Fl" in line and
               re.search(re.escape(escaped) + r"(?![a-z\\-])", line)
               for line in man.splitlines())


def in_completion(completion, option):
    return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(option),
                     completion) is not None


BASH_DRIVER = r'''
set -u
. "$1"
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMPREPLY=()
    _svctl
    printf '%s\n' "${COMPREPLY[@]}"
}
shift
for verb in "$@"; do
    echo "== $verb"
    complete_words svctl "$verb" ""
    echo "== $verb --json"
    complete_words svctl "$verb" --json ""
    echo "== -s $verb"
    complete_words svctl -s /tmp/other.sock "$verb" ""
done
'''


def completion_replies(root, verb_names):
    """{case: [words]} from running the completion in bash, with a
    stand-in svctl that answers list as svd would and logs its args."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "calls")
        fake = os.path.join(tmp, "svctl")
        table = "".join("%s loaded active running x\n" % u for u in FAKE_UNITS)
        with open(fake, "w") as f:
            f.write('#!/bin/sh\necho "$*" >>"%s"\n'
                    'case " $* " in *" list "*) printf "%%s" "%s";; esac\n'
                    % (log, table))
        os.chmod(fake, 0o755)
        env = dict(os.environ, PATH=tmp + ":" + os.environ.get("PATH", ""))
        out = subprocess.run(
            ["bash", "-c", BASH_DRIVER, "driver",
             os.path.join(root, "packaging/completion/svctl.bash")] + verb_names,
            env=env, capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError("the completion failed in bash: " + out.stderr)
        calls = open(log).read() if os.path.exists(log) else ""
    replies, case = {}, None
    for line in out.stdout.splitlines():
        if line.startswith("== "):
            case = line[3:]
            replies[case] = []
        elif line:
            replies[case].append(line)
    return replies, calls


def check_completion_units(root, all_verbs):
    problems = []
    replies, calls = completion_replies(root, [v for v, _ in all_verbs])
    for verb, takes_units in all_verbs:
        for case in (verb, verb + " --json", "-s " + verb):
            got = set(replies.get(case, []))
            if takes_units and case.endswith(" --json"):
                continue  # an option there: options, not units, are offered
            if takes_units and not set(FAKE_UNITS) <= got:
                problems.append("the completion offers no unit names after "
                                "'svctl %s' (offered: %s)"
                                % (case, " ".join(sorted(got)) or "nothing"))
            if not takes_units and got & set(FAKE_UNITS):
                problems.append("the completion offers unit names after "
                                "'svctl %s', which takes none" % case)
    if "--socket /tmp/other.sock list" not in calls:
        problems.append("the completion did not ask the socket given with -s "
                        "for unit names (calls: %r)" % calls)
    return problems


def main():
    root = sys.argv[1]
    problems = []
    svctl_man = read(root, "packaging/man/svctl.1")
    svd_man = read(root, "packaging/man/svd.8")
    svctl_completion = read(root, "packaging/completion/svctl.bash")
    svd_completion = read(root, "packaging/completion/svd.bash")

    all_verbs = verbs(read(root, "proto/vocab.c"))
    if len(all_verbs) < 10:
        problems.append("only %d verbs found in proto/vocab.c: has the "
                        "table's syntax changed?" % len(all_verbs))
    commands = re.search(r'local commands="([^"]*)"', svctl_completion)
    commands = commands.group(1).split() if commands else []
    for name, _ in all_verbs:
        if not re.search(r"^\.It Cm .*%s\b" % re.escape(name.replace("-", "\\-")),
                         svctl_man, re.M):
            problems.append("svctl(1) has no .It Cm %s" % name)
        if name not in commands:
            problems.append("the svctl completion does not offer %s" % name)

    options = svctl_options(read(root, "ctl/args.c"))
    if len(options) < 10:
        problems.append("only %d options found in ctl/args.c" % len(options))
    for option in sorted(options):
        if not in_man(svctl_man, option):
            problems.append("svctl(1) does not document %s" % option)
        if option not in IGNORED_SVCTL_OPTIONS and \
                not in_completion(svctl_completion, option):
            problems.append("the svctl completion does not offer %s" % option)

    options = svd_options(read(root, "daemon/main.c"),
                          read(root, "daemon/tmpfiles_run.c"))
    if len(options) < 10:
        problems.append("only %d options found in daemon/main.c" % len(options))
    for option in sorted(options):
        if not in_man(svd_man, option):
            problems.append("svd(8) does not document %s" % option)
        if not in_completion(svd_completion, option):
            problems.append("the svd completion does not offer %s" % option)

    keys = settings_keys(read(root, "conf/settings.c"))
    conf_man = read(root, "packaging/man/svd.conf.5")
    sample = read(root, "packaging/svd.conf")
    if len(keys) < 15:
        problems.append("only %d keys found in conf/settings.c" % len(keys))
    for key in sorted(keys):
        if key + "=" not in conf_man:
            problems.append("svd.conf(5) does not document %s=" % key)
        if not re.search(r"^#%s=" % key, sample, re.M):
            problems.append("packaging/svd.conf has no #%s= line" % key)

    problems += check_completion_units(root, all_verbs)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
