#!/usr/bin/env bash
# Throughput and memory benchmark for cmlogcheck (issue #2, item 10).
#
#   scripts/bench.sh                 # records --count, wc -l, grep -cP on 1 GiB per format
#   scripts/bench.sh review          # ... plus `cmlogcheck review FILE`
#   BENCH_SIZE=100M scripts/bench.sh # a smaller file (kept apart from the 1 GiB ones)
#   BENCH_BIN=/tmp/old/cmlogcheck scripts/bench.sh   # measure another build (no build step)
#
# For each format (cmtrace, simple) it generates, if missing, a deterministic
# file with scripts/genlogs.py into bench-data/ (gitignored), builds cmlogcheck
# in release mode, then times each command: one warm-up run first (so the file
# is in the page cache for every command alike), then BENCH_RUNS timed runs
# (default 3), keeping the best (shortest) wall-clock time. MB/s is 10^6 bytes
# per second of wall-clock time. Peak RSS is the largest maximum resident set
# size that /usr/bin/time -f %M reported over cmlogcheck's timed runs.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE="${BENCH_SIZE:-1G}"
RUNS="${BENCH_RUNS:-3}"
DATA="bench-data"
BIN="${BENCH_BIN:-.build-release/release/cmlogcheck}"
FORMATS=(cmtrace simple)

# The commands measured, as "label|command"; FILE is replaced by the log file.
# Adding a command is one line here (or pass cmlogcheck subcommands as arguments).
COMMANDS=(
  "cmlogcheck records --count|$BIN records --count FILE"
  "wc -l|wc -l FILE"
  "grep -cP 'Batching \\d+ records'|grep -cP 'Batching \\d+ records' FILE"
)
for extra in "$@"; do
  COMMANDS+=("cmlogcheck $extra|$BIN $extra FILE")
done

command -v python3 >/dev/null || { echo "bench: python3 is needed for scripts/genlogs.py" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time (GNU time) is needed for peak RSS: apt-get install time" >&2; exit 1; }

if [ -z "${BENCH_BIN:-}" ]; then
  scripts/ensure-pcre2.sh
  echo "bench: building release" >&2
  swift build -c release --scratch-path .build-release --product cmlogcheck >&2
fi

mkdir -p "$DATA"
for format in "${FORMATS[@]}"; do
  file="$DATA/bench-$format-$SIZE-seed1.log"
  if [ ! -s "$file" ]; then
    echo "bench: generating $file" >&2
    python3 scripts/genlogs.py bench --format "$format" --size "$SIZE" --seed 1 -o "$file.tmp" >&2
    mv "$file.tmp" "$file"
  fi
done

now_ns() { date +%s%N; }
RSS_FILE=$(mktemp)
trap 'rm -f "$RSS_FILE"' EXIT
# The floor from issue #2: records --count at least this fast, with at most this peak RSS.
FLOOR_MBPS=200
FLOOR_RSS_MIB=32

# Runs one command line (FILE substituted) RUNS times after a warm-up; prints
# "best_seconds peak_rss_kib output_of_last_run".
measure() {
  local template="$1" file="$2" command best="" peak=0 out rss start end elapsed status=0
  command="${template//FILE/$file}"
  eval "$command" >/dev/null 2>&1 || true   # warm-up: page cache, dynamic loader
  for _ in $(seq "$RUNS"); do
    start=$(now_ns)
    # Exit 1 is an answer (grep: no match, review: findings); 2 and up is a failure.
    out=$(eval "/usr/bin/time -f '%M' -o \"\$RSS_FILE\" $command" 2>/dev/null) || status=$?
    end=$(now_ns)
    if [ "$status" -ge 2 ]; then
      echo "bench: '$command' failed (exit $status):" >&2
      eval "$command" 2>&1 >/dev/null | head -n 3 >&2 || true
      printf '0 0 FAILED\n'
      return
    fi
    rss=$(tail -n 1 "$RSS_FILE")
    elapsed=$(( end - start ))
    if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  done
  # The output column shows a count (records --count, wc -l, grep -c); other commands show "-".
  out=$(echo "$out" | tail -n 1 | awk '{ print $1 }')
  [[ "$out" =~ ^[0-9]+$ ]] || out="-"
  printf '%s %s %s\n' "$(awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }')" "$peak" "$out"
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
echo "cmlogcheck: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+local changes'), swift $(swift --version 2>/dev/null | grep -o 'version [0-9.]*' | head -n 1 | cut -d' ' -f2)"
echo "best of $RUNS runs after one warm-up run; MB = 10^6 bytes; peak RSS from /usr/bin/time -f %M"
for format in "${FORMATS[@]}"; do
  file="$DATA/bench-$format-$SIZE-seed1.log"
  bytes=$(stat -c %s "$file")
  echo
  echo "== $format: $file ($bytes bytes)"
  printf '%-40s %9s %10s %12s %14s\n' command seconds MB/s "peak RSS" output
  declare -A rate=() peak=()
  for entry in "${COMMANDS[@]}"; do
    label="${entry%%|*}"
    template="${entry#*|}"
    read -r seconds rss output < <(measure "$template" "$file")
    if [ "$output" = FAILED ]; then
      printf '%-40s %9s\n' "$label" "failed"
      continue
    fi
    mbps=$(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.1f", b / s / 1e6 }')
    rate["$label"]=$mbps
    peak["$label"]=$rss
    printf '%-40s %9s %10s %9s MiB %14s\n' "$label" "$seconds" "$mbps" "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$output"
  done
  ours="${rate[cmlogcheck records --count]}"
  ours_mib=$(awk -v k="${peak[cmlogcheck records --count]}" 'BEGIN { printf "%.1f", k / 1024 }')
  if awk -v r="$ours" -v m="$ours_mib" -v fr="$FLOOR_MBPS" -v fm="$FLOOR_RSS_MIB" 'BEGIN { exit !(r >= fr && m <= fm) }'; then
    verdict="met"
  else
    verdict="NOT MET"
  fi
  echo "floor (>= $FLOOR_MBPS MB/s, <= $FLOOR_RSS_MIB MiB peak RSS) for records --count: $verdict ($ours MB/s, $ours_mib MiB)"
  for other in "wc -l" "grep -cP 'Batching \\d+ records'"; do
    printf 'ratio cmlogcheck records --count / %s: %s\n' "$other" "$(awk -v a="$ours" -v b="${rate[$other]}" 'BEGIN { printf "%.2f", a / b }')"
  done
  unset rate peak
done
