# bash completion for svd(8)

_svd()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    local options="-u --units -s --socket -c --config -L --log-dir
        -S --state-dir --stop-timeout --kill-grace -g --group -v --verbose
        -q --quiet --version --help --tmpfiles"
    local tmpfiles_options="--create --remove --boot -c --config"
    local i

    COMPREPLY=()
    # After "--": the container's command and its own arguments.
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            if ((i + 1 == COMP_CWORD)); then
                mapfile -t COMPREPLY < <(compgen -c -- "$cur")
            else
                compopt -o default 2>/dev/null
            fi
            return
        fi
        [[ ${COMP_WORDS[i]} == --tmpfiles ]] && options=$tmpfiles_options
    done
    case $prev in
    -u | --units | -L | --log-dir | -S | --state-dir)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return
        ;;
    -s | --socket | -c | --config)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
        ;;
    --stop-timeout | --kill-grace)
        return
        ;;
    esac
    if [[ $options == "$tmpfiles_options" && $cur != -* ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -X '!*.conf' -- "$cur"
            compgen -d -- "$cur")
        return
    fi
    mapfile -t COMPREPLY < <(compgen -W "$options --" -- "$cur")
}

complete -F _svd svd
