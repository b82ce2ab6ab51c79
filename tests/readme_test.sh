#!/usr/bin/env bash
# The README's code blocks that claim to work: the quick start's two
# commands come first; every block marked "README block: PATH" is that file
# byte for byte (the examples workspace, which tests/examples_test.sh builds
# and tests); and the sample report of `tools/heddle explore lost_update` is
# what the command prints (every line but the elided "..."), in order.
# Run by tools/test (it reads examples/, a workspace Bazel does not see).
# Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=tests/support/check.sh
source "$(dirname "${BASH_SOURCE[0]}")/support/check.sh"

# Splits README.md: block N goes to $tmp/block.N, and $tmp/marks lists
# "N PATH" for the blocks that follow a "README block: PATH" marker ("N !"
# for "README runs": a block of commands that must succeed).
python3 - "$tmp" <<'PY'
import re, sys
out = sys.argv[1]
lines = open("README.md").read().split("\n")
n, mark, marks, i = 0, None, [], 0
while i < len(lines):
    m = re.match(r"<!-- README (block|excerpt): (\S+) -->", lines[i])
    if m:
        mark = ("=" if m.group(1) == "block" else "~") + m.group(2)
    elif lines[i] == "<!-- README runs -->":
        mark = "!"
    elif lines[i].startswith("```"):
        j = i + 1
        while not lines[j].startswith("```"):
            j += 1
        open(f"{out}/block.{n}", "w").write("\n".join(lines[i + 1:j]) + "\n")
        if mark:
            marks.append(f"{n} {mark}")
        mark, n, i = None, n + 1, j
    i += 1
open(f"{out}/marks", "w").write("\n".join(marks) + "\n")
PY

check "the first block is the quick start: tools/heddle explore lost_update, then tools/test" \
    test "$(sed 's/ *#.*//' "$tmp/block.0")" = "$(printf 'tools/heddle explore lost_update\ntools/test')"
check "the README marks the examples workspace's files" test "$(grep -c "=examples/" "$tmp/marks")" -ge 4
# "=PATH": the block is the file; "~PATH": the block is a part of it, verbatim.
while read -r n mark; do
    path=${mark:1}
    if [[ $mark == "!" ]]; then
        check "README block $n runs (exit 0)" bash -c 'bash -e "$1" >/dev/null' _ "$tmp/block.$n"
    elif [[ ${mark:0:1} == "=" ]]; then
        check "README block $n is $path" cmp -s "$tmp/block.$n" "$path"
    else
        check "README block $n is a part of $path" python3 -c 'import sys; sys.exit(open(sys.argv[1]).read() not in open(sys.argv[2]).read())' "$tmp/block.$n" "$path"
    fi
done <"$tmp/marks"

# Whether every line of sample block $1 (after its "$ command" line, but
# the elided "...") is in output file $2, in order.
printed_in_order() {
    python3 - "$1" "$2" <<'PY'
import sys
sample = [l for l in open(sys.argv[1]).read().split("\n")[1:] if l.strip() and l.strip() != "..."]
actual = open(sys.argv[2]).read().split("\n")
at = 0
for line in sample:
    while at < len(actual) and actual[at] != line:
        at += 1
    if at == len(actual):
        print("not printed (or out of order):", line)
        sys.exit(1)
    at += 1
PY
}

# The sample report: the block that starts with the command's prompt.
sample=$(grep -l '^\$ tools/heddle explore lost_update$' "$tmp"/block.* | head -n 1)
check "the README shows a sample report" test -n "$sample"
tools/heddle explore lost_update >"$tmp/actual.txt"
check "tools/heddle explore lost_update finds the bug (exit 1)" test $? = 1
check "every line of the sample report is printed, in order" printed_in_order "$sample" "$tmp/actual.txt"

# Every other sample report: the block that starts with "$ tools/heddle
# explore ..." prints those lines, in order, when the command runs.
for block in $(grep -l '^\$ tools/heddle explore ' "$tmp"/block.*); do
    command=$(head -n 1 "$block" | sed 's/^\$ //')
    [[ $command == "tools/heddle explore lost_update" ]] && continue
    $command >"$tmp/sample.txt" 2>&1
    check "the README's sample of '$command' is what it prints" printed_in_order "$block" "$tmp/sample.txt"
done
check "the README shows a sample report of a program" grep -q '^\$ tools/heddle explore programs/' "$tmp"/block.*

# tools/heddle runs where the user is: a relative --html lands there.
(cd "$tmp" && "$OLDPWD/tools/heddle" explore lost_update --html pic.html >/dev/null)
check "tools/heddle writes --html pic.html where it was run" test -s "$tmp/pic.html"

finish
