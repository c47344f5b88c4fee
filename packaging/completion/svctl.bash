# bash completion for svctl(1)

# Sets _svctl_sock (the -s/--socket arguments to pass on) and _svctl_verb
# (the command word, empty if not typed yet). svctl reads options only
# before the command. bash splits "--socket=PATH" into "--socket" "=" "PATH".
_svctl_parse()
{
    local i w
    _svctl_sock=()
    _svctl_verb=
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        -s | --socket)
            if [[ ${COMP_WORDS[i + 1]} == = ]]; then
                ((i++))
            fi
            ((i++))
            ((i < COMP_CWORD)) && _svctl_sock=(--socket "${COMP_WORDS[i]}")
            ;;
        --socket=*) _svctl_sock=("$w") ;;
        -*) ;;
        *)
            _svctl_verb=$w
            return
            ;;
        esac
    done
}

# Unit names from `svctl list` (first column, header skipped), asking the
# svd that the command line would talk to. Nothing when svd is not
# reachable.
_svctl_units()
{
    local -a to=()
    command -v timeout >/dev/null 2>&1 && to=(timeout 2)
    "${to[@]}" svctl "${_svctl_sock[@]}" list 2>/dev/null |
        awk 'NR > 1 && $1 != "" { print $1 }'
}

_svctl()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="start stop restart reload status list show logs is-active
        enable disable reset-failed daemon-reload verify is-system-running
        tmpfiles version poweroff reboot halt"
    local options="-s --socket --json -h --help --version"
    local -a _svctl_sock
    local _svctl_verb

    COMPREPLY=()
    _svctl_parse
    if [[ -z $_svctl_verb ]]; then
        if [[ $prev == -s || $prev == --socket ||
            ($prev == = && ${COMP_WORDS[COMP_CWORD - 2]} == --socket) ]]; then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        elif [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        fi
        return
    fi

    case $_svctl_verb in
    start | stop | restart | reload | status | show | logs | is-active | enable | disable | reset-failed)
        mapfile -t COMPREPLY < <(compgen -W "$(_svctl_units)" -- "$cur")
        ;;
    tmpfiles)
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "--create --remove --boot" -- "$cur")
        else
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -X '!*.conf' -- "$cur"
                compgen -d -- "$cur")
        fi
        ;;
    verify)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -X '!*.service' -- "$cur"
            compgen -d -- "$cur")
        ;;
    esac
}

complete -F _svctl svctl
