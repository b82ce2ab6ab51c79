#!/usr/bin/env bash
# The scenarios on real pthreads (no harness), as the TSan build runs them.
# With ThreadSanitizer linked in (bazel test --config=tsan), lost_update must
# make TSan report the data race on database.value and locked_update must be
# clean; without it, lost_update must still lose its update for real (the
# tutorial's sleep forces the switch) and the correct scenarios must pass.
set -uo pipefail
bin=$1
passed=0
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
pass() { echo "ok:   $*"; passed=$((passed + 1)); }

if grep -aq __tsan_init "$bin"; then tsan=1; else tsan=0; fi
echo "pthread runner: $bin (ThreadSanitizer: $tsan)"

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# lost_update: the race is real.
TSAN_OPTIONS="halt_on_error=1:exitcode=66" "$bin" lost_update >"$out" 2>&1
rc=$?
if [[ $tsan == 1 ]]; then
    if [[ $rc == 66 ]] && grep -q "WARNING: ThreadSanitizer: data race" "$out" && grep -q "lost_update.c" "$out"; then
        pass "lost_update: ThreadSanitizer reports the data race in lost_update.c"
    else
        cat "$out"; fail "lost_update: expected a ThreadSanitizer data race report (exit 66), got exit $rc"
    fi
else
    if [[ $rc == 1 ]] && grep -q "lost update: database.value is 1 after two updates" "$out"; then
        pass "lost_update: the update is lost on real threads"
    else
        cat "$out"; fail "lost_update: expected the assertion on the lost update (exit 1), got exit $rc"
    fi
fi

# The correct scenarios run clean (and, under TSan, without any report).
correct=$("$bin" --list-correct)
check_count=$(wc -w <<<"$correct")
if [[ $check_count -ge 5 ]]; then pass "$check_count correct scenarios to run"; else fail "only $check_count correct scenarios listed"; fi
for s in $correct; do
    TSAN_OPTIONS="halt_on_error=1:exitcode=66" "$bin" "$s" >"$out" 2>&1
    rc=$?
    if [[ $rc == 0 ]] && ! grep -q "ThreadSanitizer" "$out" && grep -q "$s finished" "$out"; then
        pass "$s: clean on real threads"
    else
        cat "$out"; fail "$s: exit $rc"
    fi
done

# Bad input: one line and exit 2.
"$bin" no_such_scenario >"$out" 2>&1
rc=$?
if [[ $rc == 2 ]] && [[ $(wc -l <"$out") == 1 ]]; then pass "unknown scenario: exit 2"; else cat "$out"; fail "unknown scenario: exit $rc"; fi

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
