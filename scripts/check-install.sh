#!/usr/bin/env bash
# Checks the README's install for real: scripts/install.sh into a temporary prefix, then the
# installed binary run from another folder with this checkout's .build moved away, a bare
# environment, and no Swift runtime on the library path. About 5 minutes on two cores (the
# static release build); kept out of the test suite for that, and run by .ci/run after it.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
scratch=$(mktemp -d)
prefix=$scratch/prefix
fail() { echo "check-install: FAILED: $*" >&2; exit 1; }

scripts/install.sh "$prefix"
bin=$prefix/bin/cmlogcheck
cp -r SampleLogs/upload-401 "$scratch/logs"

# From here on nothing of the build is reachable: the binary must carry its data and runtime.
mv .build .build-moved-by-check-install
trap 'cd "$root" && mv .build-moved-by-check-install .build; rm -rf "$scratch"' EXIT
cd "$scratch"

if ldd "$bin" | grep -E 'swift|/opt/|\.build' >&2; then fail "links a library from the toolchain or the build"; fi
run() { env -i PATH=/usr/bin:/bin HOME="$scratch" "$bin" "$@"; }

run review --fail-on never logs > review.txt || fail "review exited $?"
grep -q 'upload-unauthorized' review.txt || fail "review did not find upload-unauthorized: $(head -5 review.txt)"
run review --format json --fail-on never logs | grep -q '"id": "upload-unauthorized"' || fail "the JSON report lacks upload-unauthorized"
run explain 0x87D00607 > explain.txt || fail "explain exited $?"
run rules > rules.txt || fail "rules exited $?"
run --version > /dev/null || fail "--version exited $?"

for page in cmlogcheck cmlogcheck.review cmlogcheck.records cmlogcheck.rules cmlogcheck.tail cmlogcheck.explain; do
  grep -q '^\.Sh NAME' "$prefix/share/man/man1/$page.1" || fail "man page $page.1 is missing or empty"
done
bash -n "$prefix/share/bash-completion/completions/cmlogcheck" || fail "the bash completion does not parse"
grep -q '_cmlogcheck' "$prefix/share/zsh/site-functions/_cmlogcheck" || fail "the zsh completion is empty"
grep -q "^complete -c 'cmlogcheck'" "$prefix/share/fish/vendor_completions.d/cmlogcheck.fish" || fail "the fish completion is empty"
echo "check-install: ok: $(du -h "$bin" | cut -f1) binary, runs alone from $scratch" >&2
