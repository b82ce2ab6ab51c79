#!/usr/bin/env bash
# Builds and tests examples/, a workspace of its own that depends on heddle
# through local_repository, exactly as a user's project would: plain and
# under ThreadSanitizer. Run by tools/test (a second Bazel workspace cannot
# run inside a Bazel test's sandbox). Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../examples"
passed=0
failed=0
for config in "" "--config=tsan"; do
    echo "==================== examples: bazel test ${config} //..."
    if bazel test $config --color=no --curses=no --test_output=errors //...; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: examples workspace: bazel test ${config} //..."
    fi
done
# Shut the examples' Bazel server down in CI: it is a second JVM.
[[ "${CI:-}" == true ]] && bazel shutdown >/dev/null 2>&1
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
