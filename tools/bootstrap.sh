#!/usr/bin/env bash
# Install the Debian packages heddle's offline Bazel build needs, and with
# --with-chromium also headless Chromium (for tools/screenshot_html.sh).
# Idempotent, and silent when everything is already installed.
set -euo pipefail

# bazel-bootstrap: Bazel 4.2.3; libcmocka-dev: unit-test framework (@cmocka);
# clang + libclang-rt-14-dev: compiler and sanitizer runtimes for --config=tsan/asan;
# llvm: llvm-symbolizer on PATH, so sanitizer reports show file:line.
# binutils: addr2line, which names file:line in reports of instrumented code.
# procps: ps, which tests/interrupt_cli_test.sh uses to find the workers.
packages=(bazel-bootstrap libcmocka-dev clang libclang-rt-14-dev llvm binutils procps)

# --with-chromium: also headless Chromium, needed only by
# tools/screenshot_html.sh (pictures of HTML traces); the normal quick start
# skips it because it is large.
if [[ "${1:-}" == "--with-chromium" ]]; then
    packages+=(chromium)
elif [[ $# -gt 0 ]]; then
    echo "usage: tools/bootstrap.sh [--with-chromium]" >&2
    exit 2
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "bootstrap: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# apt's chatter goes to a log that is shown only if something fails.
if ! { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update &&
       "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "bootstrap: failed to install ${missing[*]}" >&2
    exit 1
fi
