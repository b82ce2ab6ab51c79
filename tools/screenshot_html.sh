#!/usr/bin/env bash
# A picture of the tutorial's race: finds lost_update's failing schedule,
# writes its HTML trace with `tools/heddle replay TOKEN --html`, renders the
# page with headless Chromium and checks the screenshot is a real picture
# (a PNG of the requested size, far larger than a blank page).
#   tools/screenshot_html.sh [OUT.png]      (default /tmp/race.png; the page goes next to it as .html)
# Installs nothing: Chromium comes from `tools/bootstrap.sh --with-chromium`.
# Exit status: 0 picture written and checked, 1 check failed, 2 no Chromium.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

out=$(realpath -m "${1:-/tmp/race.png}")
html="${out%.png}.html"
width=1300
height=1000

browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then
    echo "screenshot_html: chromium not found; install it with tools/bootstrap.sh --with-chromium" >&2
    exit 2
fi

# The failing schedule's token, then the picture from the token alone, as a
# user would replay it. Both commands exit 1: they report a bug.
token=$(tools/heddle explore lost_update | sed -n 's/^replay token: //p' || true)
if [[ -z "$token" ]]; then
    echo "screenshot_html: 'tools/heddle explore lost_update' printed no replay token" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
rm -f "$html" "$out"
tools/heddle replay "$token" --html "$html" >/dev/null || [[ $? -eq 1 ]]
lanes=$(grep -o 'class="lane-group"' "$html" 2>/dev/null | wc -l || true)
if [[ "$lanes" -ne 3 ]]; then
    echo "screenshot_html: expected 3 thread lanes in $html, found $lanes" >&2
    exit 1
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --disable-gpu --hide-scrollbars --user-data-dir="$profile"
       --screenshot="$out" --window-size="$width,$height")
# Chromium refuses to run as root without --no-sandbox.
[[ $(id -u) -eq 0 ]] && flags+=(--no-sandbox)
timeout 120 "$browser" "${flags[@]}" "file://$html" >"$profile/log" 2>&1 || {
    cat "$profile/log" >&2
    echo "screenshot_html: chromium failed" >&2
    exit 1
}

if [[ ! -s "$out" ]]; then
    echo "screenshot_html: no screenshot at $out" >&2
    exit 1
fi
# PNG signature, then IHDR width and height (big-endian) at bytes 16..23.
magic=$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')
size=$(head -c 24 "$out" | tail -c 8 | od -An -tu1 | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
bytes=$(stat -c %s "$out")
if [[ "$magic" != "89504e470d0a1a0a" || "$size" != "${width}x${height}" ]]; then
    echo "screenshot_html: $out is not a ${width}x${height} PNG (signature $magic, size $size)" >&2
    exit 1
fi
# A blank or error page compresses to a few kilobytes; the trace does not.
if [[ "$bytes" -lt 40000 ]]; then
    echo "screenshot_html: $out is only $bytes bytes: the page looks empty" >&2
    exit 1
fi
echo "screenshot: $out (${size}, $bytes bytes) of $html"
echo "token:      $token"
