#!/usr/bin/env bash
# A fiber that overflows its stack hits the guard page and gets a one-line
# report naming the thread, with exit status 3.
set -uo pipefail
bin=$1
if grep -aq -e __asan_init -e __tsan_init "$bin"; then
    # The sanitizers install their own SIGSEGV handling; their report is the check there.
    echo "sanitizer build: guard-page report not checked"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
out=$(HEDDLE_STACK_SIZE=65536 "$bin" 2>&1)
rc=$?
echo "$out"
if [[ $rc == 3 ]] && grep -q "heddle: stack overflow in thread 'diver'" <<<"$out"; then
    echo "1 passed, 0 failed"
else
    echo "expected exit 3 and the stack-overflow report, got exit $rc"
    echo "0 passed, 1 failed"
    exit 1
fi
