#!/bin/sh
# No-op stand-in for Bazel's coverage tools (offline build; no coverage).
exit 0
