#!/usr/bin/env bash
# A failing heddle cmocka test prints the report, the replay command and the
# path of the failing execution's HTML picture, written under HEDDLE_PICTURES.
set -uo pipefail
bin=$1
dir=${TEST_TMPDIR:-$(mktemp -d)}/pictures
mkdir -p "$dir"
out=$(HEDDLE_PICTURES="$dir" "$bin" 2>&1)
status=$?
fail() { echo "FAIL: $*"; echo "--- output:"; echo "$out"; exit 1; }
[[ $status -ne 0 ]] || fail "the deliberately failing test passed"
grep -q "^BUG FOUND (data_race)" <<<"$out" || fail "no data_race report"
grep -q "^replay with:  bazel test ${TEST_TARGET} --test_env=HEDDLE_REPLAY=hd2:racy_counter:" <<<"$out" || fail "no replay command naming this test target"
grep -qx "picture:      $dir/racy_counter.html" <<<"$out" || fail "no picture path"
[[ -s "$dir/racy_counter.html" ]] || fail "no picture at $dir/racy_counter.html"
grep -q 'class="lane-group"' "$dir/racy_counter.html" || fail "the picture has no lanes"
echo "PASS: report, replay command and picture path printed; picture written"
# As shard 2 of 4 under Bazel, the printed place is that shard's outputs, and the picture is in them.
outputs=${TEST_TMPDIR:-$(mktemp -d)}/shard_outputs
mkdir -p "$outputs"
out=$(env -u HEDDLE_PICTURES TEST_TARGET=//tests:cmocka_picture_test TEST_TOTAL_SHARDS=4 TEST_SHARD_INDEX=1 \
    TEST_UNDECLARED_OUTPUTS_DIR="$outputs" "$bin" 2>&1)
grep -qx "picture:      racy_counter.html in bazel-testlogs/tests/cmocka_picture_test/shard_2_of_4/test.outputs/outputs.zip" <<<"$out" ||
    fail "no shard picture path"
[[ -s "$outputs/racy_counter.html" ]] || fail "the shard's picture was not written to its outputs"
echo "PASS: a shard names its own outputs, and the picture is there"
