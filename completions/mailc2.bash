# bash completion for mailc2 (installed as share/bash-completion/completions/mailc2)
_mailc2() {
    local cur prev words cword
    _init_completion 2>/dev/null || { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; cword=$COMP_CWORD; }
    local commands="hunt run explain convert formats lint help version"
    if [ "$cword" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]}
    if [ "$cmd" = lint ]; then
        # mailc2 lint RULE [--lang NAME] [--format text|jsonl] [--format-of NAME]
        case $prev in
            --format) COMPREPLY=($(compgen -W "text jsonl" -- "$cur")); return ;;
            --lang) COMPREPLY=($(compgen -W "logscale aql sigma" -- "$cur")); return ;;
            --format-of)
                COMPREPLY=($(compgen -W "$(mailc2 formats 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
                return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--lang --format --format-of --help" -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return
    fi
    if [ "$cmd" = convert ]; then
        # mailc2 convert RULE --to TARGET [--lang] [--table] [--schema] [--now] [--allow-loss] [--output]
        case $prev in
            --to) COMPREPLY=($(compgen -W "aql logscale sigma spl kql esql sql:duckdb sql:postgres sql:clickhouse sql:spark" -- "$cur")); return ;;
            --lang) COMPREPLY=($(compgen -W "logscale aql sigma" -- "$cur")); return ;;
            --schema) COMPREPLY=($(compgen -W "native ocsf" -- "$cur")); return ;;
            --output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
            --table|--now) return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--to --lang --table --schema --now --allow-loss --output --help" -- "$cur"))
        else
            COMPREPLY=($(compgen -f -W builtin -- "$cur"))
        fi
        return
    fi
    case $prev in
        --format) COMPREPLY=($(compgen -W "table jsonl csv html ocsf" -- "$cur")); return ;;
        --lang) COMPREPLY=($(compgen -W "logscale aql" -- "$cur")); return ;;
        --now) COMPREPLY=($(compgen -W "latest" -- "$cur")); return ;;
        --output|--profile|--summary-json) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --ports|--allow|--threshold|--window|--max-errors|--local-nets|--map|--threads|\
        --max-record|--max-memory|--max-groups|--regex-limit|--columns) return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts
        opts=$(mailc2 --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _mailc2 mailc2
