#!/usr/bin/env bash
# Runs the fuzz target: under --config=asan it is libFuzzer (clang, with
# ASan and UBSan) and fuzzes for HEDDLE_FUZZ_SECONDS (default 20) starting
# from the corpus; elsewhere it runs every corpus input once.
set -uo pipefail
bin=$1
corpus=$2
if grep -aq LLVMFuzzerRunDriver "$bin"; then
    work=${TEST_TMPDIR:-$(mktemp -d)}/corpus
    mkdir -p "$work"
    cp "$corpus"/* "$work"/
    # New inputs go to the copy; -close_fd_mask=3 keeps usage errors and --help quiet.
    "$bin" -max_total_time="${HEDDLE_FUZZ_SECONDS:-20}" -close_fd_mask=3 -print_final_stats=1 "$work"
else
    "$bin" "$corpus"/*
fi
