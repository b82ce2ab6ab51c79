#!/usr/bin/env bash
# A body that calls exit(0) cannot make a cmocka test pass: the test fails
# with an `exit` bug and a token, the token replays to the same report, and
# the next test in the binary still runs.
set -uo pipefail
bin=$1
out=$("$bin" 2>&1)
status=$?
fail() { echo "FAIL: $*"; echo "--- output:"; echo "$out"; exit 1; }
[[ $status -ne 0 ]] || fail "a body that calls exit(0) passed"
grep -q "^BUG FOUND (exit)" <<<"$out" || fail "no exit report"
grep -q "exit: the process exited with status 0 in MainThread" <<<"$out" || fail "the report does not name the status and thread"
grep -q "\[  FAILED  \] test_exit_in_body_fails" <<<"$out" || fail "the exiting test did not fail"
grep -q "\[       OK \] test_next_test_still_runs" <<<"$out" || fail "the next test did not run"
token=$(grep -o "hd2:exits_early:[^ ]*" <<<"$out" | head -1)
[[ -n "$token" ]] || fail "no token"
again=$(HEDDLE_REPLAY="$token" "$bin" 2>&1)
[[ "$(grep "^exit: " <<<"$again")" == "$(grep "^exit: " <<<"$out")" ]] || fail "the token did not replay the same exit: $again"
grep -q "^BUG FOUND (exit) in the replayed execution\|^BUG FOUND (exit)" <<<"$again" || fail "the replay found no exit bug"
# Every bad HEDDLE_REPLAY fails the run with one line and status 2, never a pass.
fnv() { python3 -c 'import sys
h = 2166136261
for b in sys.argv[1].encode(): h = ((h ^ b) * 16777619) & 0xffffffff
print("%s:%08x" % (sys.argv[1], h))' "$1"; }
misspelt=$(fnv "${token%:*}" | sed 's/exits_early/exits_eraly/')
misspelt=$(fnv "${misspelt%:*}")
for bad in "garbage" "${token:0:${#token}-3}" "$misspelt"; do
    err=$(HEDDLE_REPLAY="$bad" "$bin" 2>&1 >/dev/null)
    rc=$?
    [[ $rc == 2 ]] || fail "HEDDLE_REPLAY=$bad: exit $rc, not 2"
    [[ $(grep -c "^heddle: HEDDLE_REPLAY" <<<"$err") == 1 ]] || fail "HEDDLE_REPLAY=$bad: no one-line reason: $err"
done
echo "PASS: exit(0) is a bug with a token that replays; the next test ran; bad HEDDLE_REPLAY forms fail with one line"
