# bash completion for svctl(1)

# Sets _svctl_sock (the -s/--socket arguments to pass on) and _svctl_verb
# (the command word, empty if not typed yet). svctl reads options
# anywhere, as systemctl; -s is the socket before the command and the
# signal after kill. bash splits "--socket=PATH" into "--socket" "=" "PATH".
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
            if [[ -z $_svctl_verb || $w == --socket || $_svctl_verb != kill ]]; then
                ((i < COMP_CWORD)) && _svctl_sock=(--socket "${COMP_WORDS[i]}")
            fi
            ;;
        --socket=*) _svctl_sock=("$w") ;;
        -p | --property | --state | --signal | --kill-whom | -n | --lines | -u | --units)
            [[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))
            ((i++))
            ;;
        -*) ;;
        *)
            [[ -z $_svctl_verb ]] && _svctl_verb=$w
            ;;
        esac
    done
}

# Unit names from `svctl list` (first column, no legend), asking the svd
# that the command line would talk to. Nothing when svd is not reachable.
_svctl_units()
{
    local -a to=()
    command -v timeout >/dev/null 2>&1 && to=(timeout 2)
    "${to[@]}" svctl "${_svctl_sock[@]}" list --no-legend --no-color 2>/dev/null |
        awk '$1 != "" { print $1 }'
}

_svctl()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="start stop restart reload status list show logs is-active
        is-failed is-enabled cat edit list-dependencies kill monitor enable
        disable mask unmask reset-failed
        daemon-reload daemon-reexec verify security is-system-running tmpfiles version poweroff
        reboot halt"
    local options="-s --socket --json --no-color -q --quiet -h --help --version"
    local -a _svctl_sock
    local _svctl_verb

    COMPREPLY=()
    _svctl_parse
    [[ $prev == = ]] && prev=${COMP_WORDS[COMP_CWORD - 2]}
    case $prev in
    -s | --socket)
        if [[ -z $_svctl_verb || $_svctl_verb != kill || $prev == --socket ]]; then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return
        fi
        mapfile -t COMPREPLY < <(compgen -W "HUP INT QUIT KILL USR1 USR2 TERM CONT STOP" -- "$cur")
        return
        ;;
    --signal)
        mapfile -t COMPREPLY < <(compgen -W "HUP INT QUIT KILL USR1 USR2 TERM CONT STOP" -- "$cur")
        return
        ;;
    --kill-whom)
        mapfile -t COMPREPLY < <(compgen -W "main all" -- "$cur")
        return
        ;;
    --state)
        mapfile -t COMPREPLY < <(compgen -W "active inactive failed activating deactivating running exited dead" -- "$cur")
        return
        ;;
    -p | --property | -n | --lines)
        return
        ;;
    esac
    if [[ -z $_svctl_verb ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        fi
        return
    fi

    case $_svctl_verb in
    start | stop | restart | reload | status | show | logs | is-active | \
        is-failed | is-enabled | cat | edit | list-dependencies | kill | enable | \
        disable | mask | unmask | reset-failed)
        if [[ $cur == -* ]]; then
            local verb_options="--json --no-color -q --quiet"
            case $_svctl_verb in
            show) verb_options+=" -p --property --value" ;;
            status) verb_options+=" -p --property" ;;
            logs) verb_options="-n --lines -f --follow" ;;
            kill) verb_options+=" -s --signal --kill-whom" ;;
            list-dependencies) verb_options+=" -a --all" ;;
            esac
            mapfile -t COMPREPLY < <(compgen -W "$verb_options" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$(_svctl_units)" -- "$cur")
        fi
        ;;
    list)
        mapfile -t COMPREPLY < <(compgen -W "--json --no-color -q --quiet -a --all --failed --state --no-legend" -- "$cur")
        ;;
    monitor)
        mapfile -t COMPREPLY < <(compgen -W "--json" -- "$cur")
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
    security)
        # offline: unit files of -u DIR (or svd's list), or a file's path
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "--json --no-color -q --quiet -u --units --threshold=" -- "$cur")
        elif [[ $prev == -u || $prev == --units ]]; then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        elif [[ $cur == */* ]]; then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -X '!*.service' -- "$cur"
                compgen -d -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$(_svctl_units)" -- "$cur")
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
