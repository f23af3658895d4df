#!/usr/bin/env bash
# Fuzzes the reader, the framer, the classifier and the CSV reader with libFuzzer for
# SECONDS (default 60), seeded from SampleLogs/. Builds Fuzz/FuzzTarget.swift with the
# address sanitizer and libFuzzer's coverage in .build-fuzz/, apart from the normal
# build (the target is in no Package.swift product). Exits non-zero on a crash, a leak, a timeout (an input over 10 s) or an input
# over 2 GiB of memory; the input that did it is written to .build-fuzz/artifacts/.
# The corpus grows in .build-fuzz/corpus/ from run to run. docs/fuzzing.md.
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scripts/ensure-pcre2.sh
build=.build-fuzz/debug
# The stages under test, instrumented (coverage for libFuzzer, the address sanitizer),
# built by SwiftPM apart from the normal build; then the target linked by swiftc itself,
# so that libFuzzer's main drives it (Fuzz/FuzzTarget.swift has no main of its own).
# (Package.swift adds the flags to those stages only when CMLOGCHECK_FUZZ_BUILD is set.)
CMLOGCHECK_FUZZ_BUILD=1 swift build --scratch-path .build-fuzz --target LogRules 2>&1 | grep -v '^\[' || true
objects=()
for module in LogMatching LogInput LogRules; do
    for object in "$build/$module.build"/*.o; do objects+=("$object"); done
done
[ "${#objects[@]}" -gt 3 ] || { echo "fuzz.sh: the instrumented build failed" >&2; exit 2; }
binary="$build/cmlogcheck-fuzz"
# `package` declarations are visible under the package's name, which SwiftPM takes from the folder.
package_name="$(grep -o '"-package-name","[^"]*"' .build-fuzz/debug.yaml | grep -v swift_argument_parser | head -1 | cut -d'"' -f4)"
swiftc -sanitize=fuzzer,address -parse-as-library -g -module-name cmlogcheck_fuzz -package-name "$package_name" \
    -I "$build/Modules" -Xcc -fmodule-map-file=Sources/CPCRE2/module.modulemap \
    Fuzz/FuzzTarget.swift "${objects[@]}" -lpcre2-8 -o "$binary"

# Seeds: every sample log and CSV, cut to the fuzzer's maximum input length.
seeds=.build-fuzz/seeds
rm -rf "$seeds"; mkdir -p "$seeds" .build-fuzz/corpus .build-fuzz/artifacts
n=0
while IFS= read -r -d '' file; do
    n=$((n + 1))
    head -c 65536 "$file" > "$seeds/$n-$(basename "$file")"
done < <(find SampleLogs -type f \( -name '*.log' -o -name '*.lo_' -o -name '*.csv' \) -print0)

# ASan's leak check runs at exit and, with -detect_leaks, after inputs that allocate more than they free.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
"$binary" .build-fuzz/corpus "$seeds" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix=.build-fuzz/artifacts/ -print_final_stats=1 -detect_leaks=1
