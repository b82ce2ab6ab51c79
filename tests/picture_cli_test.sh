#!/usr/bin/env bash
# Pictures from the CLI: `heddle replay TOKEN --html F --chrome-trace G` and
# `heddle explore ... --html` write a self-contained page with one lane per
# thread and a Chrome trace that is valid JSON with one track per thread; the
# same token gives the same bytes at -O0 and -O2; bad picture options are
# usage errors (exit 2).
set -uo pipefail
cli=$1
cli_o2=$2
# shellcheck source=tests/support/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/support/check.sh"

"$cli" explore lost_update --html "$tmp/explore.html" --chrome-trace "$tmp/explore.json" >"$tmp/explore.txt"
check "explore with pictures still exits 1 (bug found)" test $? = 1
check "explore prints where the pictures went" grep -qx "picture:      $tmp/explore.html" "$tmp/explore.txt"
token=$(sed -n 's/^replay token: //p' "$tmp/explore.txt")
check "a token is printed" test -n "$token"

"$cli" replay "$token" --html "$tmp/race.html" --chrome-trace "$tmp/race.json" >/dev/null
check "replay with pictures exits 1 (the bug again)" test $? = 1
check "the page is HTML" grep -q '^<!DOCTYPE html>' "$tmp/race.html"
check "one lane per thread (3)" test "$(grep -o 'class="lane-group"' "$tmp/race.html" | wc -l)" = 3
check "the race is marked" grep -q '<g id="race">' "$tmp/race.html"
check "the page fetches and runs nothing" bash -c '! grep -Eq "<script|src=|href=" "$0"' "$tmp/race.html"
check "the Chrome trace is valid JSON" python3 -m json.tool "$tmp/race.json" >/dev/null
check "one named track per thread" python3 -c '
import json, sys
events = json.load(open(sys.argv[1]))["traceEvents"]
names = {e["tid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
steps = {e["tid"] for e in events if e.get("cat") == "heddle"}
assert names == {1: "MainThread", 2: "Thread-1", 3: "Thread-2"}, names
assert steps == set(names), steps
' "$tmp/race.json"
check "explore and replay draw the same page" cmp -s "$tmp/explore.html" "$tmp/race.html"
check "explore and replay write the same trace" cmp -s "$tmp/explore.json" "$tmp/race.json"

"$cli_o2" replay "$token" --html "$tmp/race_o2.html" --chrome-trace "$tmp/race_o2.json" >/dev/null
check "the page is byte-identical at -O0 and -O2" cmp -s "$tmp/race.html" "$tmp/race_o2.html"
check "the trace is byte-identical at -O0 and -O2" cmp -s "$tmp/race.json" "$tmp/race_o2.json"

"$cli" explore double_acquire --html "$tmp/deadlock.html" >/dev/null
check "a deadlock's page marks the stuck wait" grep -q '\[stuck forever\]' "$tmp/deadlock.html"

"$cli" explore thread_waited_at_exit --executions 5 --html "$tmp/none.html" >/dev/null 2>"$tmp/none.err"
check "no bug: exit 0" test $? = 0
check "no bug: no picture, and a note why" bash -c '[[ ! -e "$0" ]] && grep -q "no picture written" "$1"' "$tmp/none.html" "$tmp/none.err"

"$cli" replay "$token" --format html >/dev/null 2>"$tmp/err.txt"
check "--format knows only text (exit 2)" test $? = 2
"$cli" replay "$token" --html >/dev/null 2>"$tmp/err.txt"
check "--html needs a file (exit 2)" test $? = 2
"$cli" replay "$token" --format text >/dev/null
check "--format text is the default report (exit 1: the bug)" test $? = 1

finish
