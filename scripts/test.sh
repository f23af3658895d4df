#!/usr/bin/env bash
# Runs the whole test suite (Swift Testing), installing libpcre2-dev first if missing,
# and Chromium for the HTML report's browser test (scripts/ensure-chromium.sh).
# CMLOGCHECK_REQUIRE_BROWSER=1 makes that test fail, not skip, when Chromium is missing:
# a run of this script (CI's) cannot pass without the browser check.
set -eu
cd "$(dirname "$0")/.."
scripts/ensure-pcre2.sh
scripts/ensure-chromium.sh || echo "cmlogcheck: no chromium: the HTML browser test will fail" >&2
export CMLOGCHECK_REQUIRE_BROWSER=1
swift build --build-tests
swift test --skip-build
