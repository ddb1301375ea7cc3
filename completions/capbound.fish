# fish completion for capbound(1)
# The options, and what each takes, come from `capbound --help`, so an
# option added there completes here with no change: its placeholder says
# what to offer (CAPS: the running kernel's capability names, from
# `capbound --list`; USER, GROUP, LIST of groups, PATH/FILE, PID).  After
# the options (after "--", or at the first word that is no option): the
# command and its own completion.
# SPDX-License-Identifier: GPL-2.0-or-later

# "NAME KIND PLACEHOLDER DESCRIPTION" per option of `capbound --help`;
# NAME --long or -s, KIND none, req or opt (--opt[=ARG]).
# Read once per shell and command: every option's condition asks.
function __capbound_options
    set -l cb $argv[1]
    command -q $cb; or set cb capbound
    set -l var __capbound_help_(string escape --style=var -- $cb)
    if not set -q $var
        set -g $var (__capbound_parse_help $cb)
    end
    printf '%s\n' $$var
end

function __capbound_parse_help
    $argv[1] --help 2>/dev/null | awk '
    /^ +(-[A-Za-z0-9], )?--[a-z]/ {
        line = $0; sub(/^ +/, "", line)
        short = ""
        if (line ~ /^-[A-Za-z0-9], /) { short = substr(line, 2, 1); line = substr(line, 5) }
        split(line, f, /[ \t]/); spec = f[1]
        desc = substr(line, length(spec) + 1); sub(/^[ \t]+/, "", desc)
        kind = "none"; ph = "-"
        if (spec ~ /\[=/) { kind = "opt"; ph = spec; sub(/^[^[]*\[=/, "", ph); sub(/\].*/, "", ph); sub(/\[.*/, "", spec) }
        else if (spec ~ /=/) { kind = "req"; ph = spec; sub(/^[^=]*=/, "", ph); sub(/=.*/, "", spec) }
        sub(/^--/, "", spec)
        print spec "\t" (short == "" ? "-" : short) "\t" kind "\t" ph "\t" desc
    }'
end

function __capbound_caps
    set -l cb (commandline -opc)[1]
    command -q $cb; or set cb capbound
    set -l names ($cb --list 2>/dev/null | awk 'NR > 1 && $2 ~ /^cap_/ { print $2 }')
    set -l item (string replace -r '.*[=,]' '' -- (commandline -ct))
    if string match -qri '^cap_' -- $item
        printf '%s\n' $names
    else
        string replace -r '^cap_' '' -- $names
        echo all
    end
end

# USER, or USER:GROUP once a colon is typed.
function __capbound_user_group
    set -l t (string replace -r -- '^-[^=]*=' '' (commandline -ct))
    if string match -q -- '*:*' $t
        set -l u (string replace -r -- ':.*' '' $t)
        __fish_complete_groups | string replace -r -- '^' "$u:"
    else
        __fish_complete_users
    end
end

function __capbound_securebits
    printf '%s\n' noroot noroot-locked no-setuid-fixup no-setuid-fixup-locked \
        keep-caps-locked no-cap-ambient-raise no-cap-ambient-raise-locked
end

# The words of the command line from where the command starts, when it
# has started; else false.
function __capbound_command
    set -l tokens (commandline -opc)
    set -l cb $tokens[1]
    set -e tokens[1]
    set -l req
    set -l opt
    __capbound_options $cb | while read -l -d \t name short kind ph desc
        test $kind = none; and continue
        set -a $kind -- --$name
        test $short != -; and set -a $kind -- -$short
    end
    while set -q tokens[1]
        set -l t $tokens[1]
        switch $t
            case --
                set -e tokens[1]
                printf '%s\n' $tokens
                return 0
            case '-*=*'
            case '-*'
                if contains -- $t $req
                    set -e tokens[1]
                else if contains -- $t $opt; and set -q tokens[2]; and not string match -q -- '-*' $tokens[2]
                    set -e tokens[1]
                end
            case '*'
                printf '%s\n' $tokens
                return 0
        end
        set -e tokens[1]
    end
    # The word being typed is the first that is no option: the command.
    set -l cur (commandline -ct)
    if test -n "$cur"; and not string match -q -- '-*' $cur
        set -l last (commandline -opc)[-1]
        contains -- $last $req; and return 1
        return 0
    end
    return 1
end

function __capbound_complete_command
    set -l words (__capbound_command)
    complete -C "$words "(commandline -ct)
end

function __capbound_register --argument-names cmd
    complete -c $cmd -e
    complete -c $cmd -n __capbound_command -f -a '(__capbound_complete_command)'
    __capbound_options $cmd | while read -l -d \t name short kind ph desc
        set -l args -c $cmd -n 'not __capbound_command' -l $name -d $desc
        test $short != -; and set -a args -s $short
        switch $kind
            case req
                set -a args -r
            case opt
                # popt also takes the next word when it is no option.
                set -a args -r
        end
        if test $kind != none
            switch $name:$ph
                case 'securebits:*' '*:SECUREBITS'
                    set -a args -f -a '(__fish_complete_list , __capbound_securebits)'
                case 'groups:*' '*:GROUPS'
                    set -a args -f -a '(__fish_complete_list , __fish_complete_groups)'
                case '*:CAPS'
                    set -a args -f -a '(__fish_complete_list , __capbound_caps)'
                case '*:USER*'
                    set -a args -f -a '(__capbound_user_group)'
                case '*:GROUP'
                    set -a args -f -a '(__fish_complete_groups)'
                case '*:PATH' '*:FILE' '*:DIR'
                    set -a args -F
                case '*:PID'
                    set -a args -f -a '(__fish_complete_pids)'
                case '*'
                    set -a args -f
            end
        end
        complete $args
    end
end

__capbound_register capbound
