# The shell tests' shared checks, sourced by each: `check DESCRIPTION
# COMMAND...` runs the command and counts it as passed or failed, printing a
# line; `finish` prints "N passed, N failed" and fails when anything did.
# $tmp is a scratch directory removed at exit.
passed=0
failed=0
check() { # description, condition-command...
    local what=$1
    shift
    if "$@"; then echo "ok:   $what"; passed=$((passed + 1)); else echo "FAIL: $what"; failed=$((failed + 1)); fi
}
finish() {
    echo "$passed passed, $failed failed"
    [[ $failed == 0 ]]
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
