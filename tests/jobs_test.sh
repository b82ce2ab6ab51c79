#!/usr/bin/env bash
# --jobs gives exactly one process's answer: for every scenario and model
# and every strategy, the JSON of 2, 3 and 4 jobs equals that of one job
# (but for the "jobs" field itself): the same first bug, token, counts,
# `complete` and stopped_by, with --executions a global budget.
set -uo pipefail
cli=$1
passed=0
failed=0
names=$("$cli" list --json | python3 -c 'import json,sys; print(" ".join(s["name"] for s in json.load(sys.stdin)))')
# Under a sanitizer every run (and every fork) costs far more: there, 2 jobs
# on three scenarios (a race, a correct one, a deadlock) with a smaller
# budget; the plain build checks them all.
jobs_list="2 3 4" budget=150
if grep -aq -e __tsan_init -e __asan_init "$cli"; then
    jobs_list="2" budget=40 names="lost_update locked_update double_acquire"
fi
for name in $names; do
    for strategy in random pct dfs dfs-naive bounded; do
        one=$("$cli" explore "$name" --strategy "$strategy" --executions "$budget" --json 2>&1)
        for jobs in $jobs_list; do
            many=$("$cli" explore "$name" --strategy "$strategy" --executions "$budget" --jobs "$jobs" --json 2>&1 |
                sed "s/,\"jobs\":$jobs//")
            if [[ "$many" == "$one" ]]; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                echo "FAIL: $name --strategy $strategy --jobs $jobs differs from one job"
                diff <(echo "$one") <(echo "$many") | head -5
            fi
        done
    done
done
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
