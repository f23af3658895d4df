#!/usr/bin/env bash
# Builds cmlogcheck (release) if needed and runs it with the given arguments.
#   scripts/run.sh review SampleLogs/healthy-simple
set -eu
cd "$(dirname "$0")/.."
scripts/ensure-pcre2.sh
swift build -c release --product cmlogcheck >&2
exec .build/release/cmlogcheck "$@"
