#!/usr/bin/env bash
# Stopping the explorer: SIGINT and SIGTERM stop its workers and print one
# line of how far it got (exit 130 and 143); killing it outright (SIGKILL)
# takes its workers with it. Each run explores a correct scenario for far
# longer than the test waits, with two workers.
set -uo pipefail
cli=$1
# shellcheck source=tests/support/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/support/check.sh"

# The explorer's children: processes whose parent is $1.
children() { ps -o pid= --ppid "$1" | tr -d ' '; }
# Waits (up to 10 s, polling) until the explorer has both workers running.
wait_for_workers() {
    for _ in $(seq 100); do
        [[ $(children "$1" | wc -l) -ge 2 ]] && return 0
        sleep 0.1
    done
    return 1
}
# True when none of the pids is alive, checked for up to $2 seconds.
all_gone_within() {
    local pids=$1 deadline=$((SECONDS + $2))
    while ((SECONDS <= deadline)); do
        local alive=0
        for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
        [[ $alive == 0 ]] && return 0
        sleep 0.05
    done
    return 1
}

for sig in INT TERM; do
    "$cli" explore locked_update --executions 1000000000 --jobs 2 >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    check "SIG$sig: two workers start" wait_for_workers "$pid"
    workers=$(children "$pid")
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    want=$((128 + $(kill -l "$sig")))
    check "SIG$sig: the explorer exits $want" test "$rc" = "$want"
    check "SIG$sig: one line says how far it got and how to go on" grep -qE "^heddle: interrupted by SIG$sig after [0-9]+ executions \(strategy random, seed 1\), no bug among them; to go on: --seed 1 --first-execution [0-9]+$" "$tmp/err"
    check "SIG$sig: stderr is that one line" test "$(wc -l <"$tmp/err")" = 1
    check "SIG$sig: no worker is left" all_gone_within "$workers" 1
    resume=$(grep -oE -- "--first-execution [0-9]+" "$tmp/err")
    "$cli" explore locked_update --executions 20 $resume >/dev/null
    check "SIG$sig: the printed way to go on runs" test $? = 0
done

"$cli" explore locked_update --executions 1000000000 --jobs 2 >/dev/null 2>&1 &
pid=$!
check "SIGKILL: two workers start" wait_for_workers "$pid"
workers=$(children "$pid")
kill -s KILL "$pid"
wait "$pid" 2>/dev/null
check "SIGKILL: the workers die with the explorer within a second" all_gone_within "$workers" 1

finish
