#!/usr/bin/env bash
# Runs the whole test suite (Swift Testing), installing libpcre2-dev first if missing,
# Chromium for the HTML report's browser test (scripts/ensure-chromium.sh) and xmllint
# for the JUnit test (scripts/ensure-xmllint.sh).
# CMLOGCHECK_REQUIRE_BROWSER=1 and CMLOGCHECK_REQUIRE_XMLLINT=1 make those tests fail, not skip, when the tool is missing:
# a run of this script (CI's) cannot pass without the browser check. Then fuzzes for
# CMLOGCHECK_FUZZ_SECONDS (default 180; scripts/fuzz.sh).
set -eu
cd "$(dirname "$0")/.."
scripts/ensure-pcre2.sh
scripts/ensure-chromium.sh || echo "cmlogcheck: no chromium: the HTML browser test will fail" >&2
scripts/ensure-xmllint.sh || echo "cmlogcheck: no xmllint: the JUnit xmllint test will fail" >&2
export CMLOGCHECK_REQUIRE_BROWSER=1 CMLOGCHECK_REQUIRE_XMLLINT=1
swift build --build-tests
swift test --skip-build
# The libFuzzer target for a bounded time (docs/fuzzing.md): a crash, a leak or a slow input fails CI.
scripts/fuzz.sh "${CMLOGCHECK_FUZZ_SECONDS:-180}"
