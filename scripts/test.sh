#!/usr/bin/env bash
# Runs the whole test suite (Swift Testing), installing libpcre2-dev first if missing.
set -eu
cd "$(dirname "$0")/.."
scripts/ensure-pcre2.sh
swift build --build-tests
swift test --skip-build
