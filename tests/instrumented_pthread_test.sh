#!/usr/bin/env bash
# CI's race detection is unchanged for instrumented code: under
# --config=tsan, the plain-C lost update on real threads makes TSan report
# the data race in instrumented_models.c. Other builds have no TSan to ask.
set -uo pipefail
bin=$1
if ! grep -aq __tsan_init "$bin"; then
    echo "not a ThreadSanitizer build: nothing to check"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
out=$(TSAN_OPTIONS="halt_on_error=1:exitcode=66" "$bin" 2>&1)
rc=$?
if [[ $rc == 66 ]] && grep -q "WARNING: ThreadSanitizer: data race" <<<"$out" && grep -q "instrumented_models.c" <<<"$out"; then
    echo "ok:   ThreadSanitizer reports the race in instrumented_models.c"
    echo "1 passed, 0 failed"
else
    echo "$out"
    echo "FAIL: expected ThreadSanitizer's data race report (exit 66), got exit $rc"
    echo "0 passed, 1 failed"
    exit 1
fi
