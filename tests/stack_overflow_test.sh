#!/usr/bin/env bash
# A fiber that overflows its stack hits the guard page. Isolated (the
# default), that is a crash bug naming the thread, with a token; in process,
# a one-line report with exit status 3.
set -uo pipefail
bin=$1
if grep -aq -e __asan_init -e __tsan_init "$bin"; then
    # The sanitizers install their own SIGSEGV handling; their report is the check there.
    echo "sanitizer build: guard-page report not checked"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
passed=0 failed=0
out=$(HEDDLE_STACK_SIZE=65536 "$bin" 2>&1)
rc=$?
echo "$out"
if [[ $rc == 1 ]] && grep -q "^crash: crash: stack overflow in diver, " <<<"$out" && grep -q "^token: hd2:stack_overflow:" <<<"$out"; then
    passed=$((passed + 1))
else
    echo "isolated: expected exit 1 and a crash bug naming 'diver' with a token, got exit $rc"
    failed=$((failed + 1))
fi
out=$(HEDDLE_STACK_SIZE=65536 "$bin" inline 2>&1)
rc=$?
echo "$out"
if [[ $rc == 3 ]] && grep -q "heddle: stack overflow in thread 'diver'" <<<"$out"; then
    passed=$((passed + 1))
else
    echo "inline: expected exit 3 and the stack-overflow report, got exit $rc"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
