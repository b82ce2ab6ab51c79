#!/usr/bin/env bash
# An instrumented program's report and replay are the same bytes built at
# -O0 and at -O2 (and from one run to the next).
set -uo pipefail
o0=$("$1" 2>&1)
rc0=$?
o2=$("$2" 2>&1)
rc2=$?
again=$("$1" 2>&1)
if [[ $rc0 != 0 || $rc2 != 0 ]]; then
    echo "FAIL: exit $rc0 at -O0, $rc2 at -O2"; echo "$o0"; exit 1
fi
if [[ "$o0" != "$again" ]]; then echo "FAIL: two runs differ"; exit 1; fi
if [[ "$o0" != "$o2" ]]; then
    echo "FAIL: -O0 and -O2 differ"; diff <(echo "$o0") <(echo "$o2") | head -20; exit 1
fi
echo "$o0" | head -5
echo "PASS: the same bytes at -O0 and -O2, run after run"
