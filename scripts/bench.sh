#!/usr/bin/env bash
# Speed and memory benchmark for cmlogcheck (issue 11), on logs as dense as real ones.
#
#   scripts/bench.sh                                  # the full run: 16M 64M 256M 1G, cmtrace simple scp
#   BENCH_SIZES="16M 64M" BENCH_RUNS=3 scripts/bench.sh   # a smaller run
#   BENCH_FORMATS=simple scripts/bench.sh             # one format
#   BENCH_BIN=/tmp/old/cmlogcheck scripts/bench.sh    # another build (no build step)
#
# Environment:
#   BENCH_SIZES    sizes of the dense upload logs for the scaling table (default "16M 64M 256M 1G";
#                  K/M/G are powers of 1024)
#   BENCH_FORMATS  cmtrace, simple, scp (CMTrace as real service connection points write it:
#                  seven fractional digits, no bias, the worker in the component); default all three
#   BENCH_RUNS     timed runs per command, after one untimed warm-up run (default 3)
#   BENCH_BIN      the cmlogcheck to measure; unset: build the release binary first
#   BENCH_CASES    the files the comparison table runs on (default "dense sparse notification"):
#                  dense = the upload log shaped like a real one (the floors are judged on it),
#                  sparse = the first bench file (a cycle per half megabyte), notification = a
#                  CMGatewayNotificationWorker.log with device actions
#   BENCH_COMPARE_SIZE  the size of the comparison table's files (default: the largest of BENCH_SIZES)
#   BENCH_HYPERFINE=0   time with the script's own loop even when hyperfine is installed
#
# What it prints, per format:
#   1. the comparison table: on one file, in one run, `wc -l`, `grep -cP 'Batching \d+ records'`,
#      lnav with docs/lnav/cmlogcheck.json counting Batching records, `cmlogcheck records --count`,
#      `cmlogcheck review` and `cmlogcheck review --format json`: best wall-clock time, MiB/s,
#      speed as a multiple of `records --count`, peak RSS and what each printed;
#   2. the scaling table (when BENCH_CASES has dense): `review` and `review --format json` on the
#      dense upload log at every size of BENCH_SIZES: time, MiB/s, peak RSS, size of the JSON report;
#   3. whether the issue's floors hold.
#
# Method: the data is generated once into bench-data/ (gitignored) by scripts/genlogs.py
# (deterministic: the same bytes on every machine; made again when scripts/genlogs.py changes). Each command runs once untimed first (page
# cache, dynamic loader; its exit status and output are checked there), then BENCH_RUNS timed
# runs, under hyperfine when it is installed (its output piped, as a user would, so that no
# program sees /dev/null), else under a loop of its own. The time is the best (shortest) run;
# hyperfine's mean and standard deviation are printed beside it. Peak RSS is the largest
# maximum resident set size that GNU time (%M) reported over the timed runs. MiB = 2^20 bytes.
# lnav runs headless with a private HOME (the format installed there with `lnav -i`), so the
# user's own lnav configuration is neither used nor changed.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=(${BENCH_SIZES:-16M 64M 256M 1G})
FORMATS=(${BENCH_FORMATS:-cmtrace simple scp})
RUNS="${BENCH_RUNS:-3}"
CASES=(${BENCH_CASES:-dense sparse notification})
DATA="bench-data"
BIN="${BENCH_BIN:-.build-release/release/cmlogcheck}"
LNAV_FORMAT="docs/lnav/cmlogcheck.json"
# The floors of issue 11.
FLOOR_REVIEW_VS_RECORDS=0.5   # review (text and JSON) at least this times the speed of records --count
FLOOR_REVIEW_VS_LNAV=4        # ... and at least this times the speed of lnav
FLOOR_RECORDS_VS_GREP=0.3333  # records --count at least a third of the speed of grep -cP
FLOOR_RSS_MIB=32              # peak RSS of review (text and JSON) at every size
FLOOR_FLAT_MIB=2              # the same peak at the smallest size as at the largest, within this

say() { echo "bench: $*" >&2; }

to_bytes() {
  python3 -c 'import re,sys
m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?)(?:i?B)?", sys.argv[1], re.I)
if not m: sys.exit("bad size " + sys.argv[1])
print(int(float(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}[m.group(2).upper()]))' "$1"
}

# --- tools -----------------------------------------------------------------------------------
command -v python3 >/dev/null || { say "python3 is needed for scripts/genlogs.py"; exit 1; }
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v lnav >/dev/null || missing+=(lnav)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1 ||
      say "apt-get could not install ${missing[*]}"
  else
    say "missing: ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
  fi
fi
[ -x /usr/bin/time ] || { say "GNU time (/usr/bin/time) is needed for peak RSS: sudo apt-get install -y time"; exit 1; }
HAVE_HYPERFINE=0; command -v hyperfine >/dev/null && [ "${BENCH_HYPERFINE:-1}" != 0 ] && HAVE_HYPERFINE=1
HAVE_LNAV=0; command -v lnav >/dev/null && HAVE_LNAV=1
[ "$HAVE_HYPERFINE" = 1 ] || say "hyperfine not used: timing with the script's own loop"
[ "$HAVE_LNAV" = 1 ] || say "lnav not found: its row and the lnav floor are left out"

if [ -z "${BENCH_BIN:-}" ]; then
  scripts/ensure-pcre2.sh
  say "building release"
  swift build -c release --scratch-path .build-release --product cmlogcheck >&2
fi
[ -x "$BIN" ] || { say "no cmlogcheck at $BIN"; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LNAV_HOME="$WORK/lnav-home"
if [ "$HAVE_LNAV" = 1 ]; then
  mkdir -p "$LNAV_HOME"
  env -u XDG_CONFIG_HOME HOME="$LNAV_HOME" lnav -i "$LNAV_FORMAT" >/dev/null 2>&1 ||
    { say "lnav -i $LNAV_FORMAT failed"; exit 1; }
  # lnav -C loads the configuration and checks every sample line of the format against it.
  env -u XDG_CONFIG_HOME HOME="$LNAV_HOME" lnav -C >&2 ||
    { say "lnav rejects $LNAV_FORMAT (lnav -C above)"; exit 1; }
fi
LNAV="env -u XDG_CONFIG_HOME HOME=$LNAV_HOME lnav -n"

# --- data ------------------------------------------------------------------------------------
GENERATOR=$(sha1sum scripts/genlogs.py | cut -d' ' -f1)
# data_file CASE FORMAT SIZE: the path of a bench file, generated when missing. The file is
# named as the worker's log, in a folder of its own, so cmlogcheck knows which log it is.
data_file() {
  local case="$1" format="$2" size="$3" dir name args
  case "$case" in
    dense) name=CMGatewaySyncUploadWorker.log; args=(--density dense --log upload) ;;
    sparse) name=CMGatewaySyncUploadWorker.log; args=(--density sparse) ;;
    notification) name=CMGatewayNotificationWorker.log; args=(--density dense --log notification) ;;
    *) say "unknown case $case (dense, sparse, notification)"; exit 1 ;;
  esac
  dir="$DATA/$case-$format-$size-seed1"
  # A file made by another version of the generator is made again.
  if [ -s "$dir/$name" ] && [ "$(cat "$dir/generator" 2>/dev/null)" != "$GENERATOR" ]; then
    rm -f "$dir/$name"
  fi
  if [ ! -s "$dir/$name" ]; then
    mkdir -p "$dir"
    say "generating $dir/$name"
    python3 scripts/genlogs.py bench "${args[@]}" --format "$format" --size "$size" --seed 1 \
      -o "$dir/$name.tmp" 2>"$dir/genlogs.txt"
    mv "$dir/$name.tmp" "$dir/$name"
    echo "$GENERATOR" >"$dir/generator"
  fi
  echo "$dir/$name"
}

# --- measuring -------------------------------------------------------------------------------
declare -A T_BEST T_MEAN T_SD RSS OUT OBYTES
# measure KEY COMMAND: COMMAND is one line without shell syntax (hyperfine runs it without a
# shell). Sets T_BEST, T_MEAN, T_SD (seconds), RSS (KiB), OUT (the count it printed, or -)
# and OBYTES (bytes it wrote) for KEY. A failure (exit 2 or more) leaves T_BEST[KEY]=failed.
measure() {
  local key="$1" command="$2" status=0 rssfile="$WORK/rss" out="$WORK/out" count
  eval "$command" >"$out" 2>"$WORK/err" || status=$?
  # Exit 1 is an answer (grep: no match; review: a finding at or above --exit-on); 2 and up is a failure.
  if [ "$status" -ge 2 ]; then
    say "'$command' failed (exit $status):"; head -n 3 "$WORK/err" >&2
    T_BEST[$key]=failed; return
  fi
  OBYTES[$key]=$(stat -c %s "$out")
  count=$(tail -n 1 "$out" | awk '{ print $1 }')
  [[ "$count" =~ ^[0-9]+$ ]] || count="-"
  OUT[$key]=$count
  : >"$rssfile"
  if [ "$HAVE_HYPERFINE" = 1 ]; then
    hyperfine -N -i --style none --output pipe --runs "$RUNS" --export-json "$WORK/hf.json" \
      "/usr/bin/time -f %M -a -o $rssfile $command" >/dev/null 2>&1 ||
      { say "hyperfine failed on '$command'"; T_BEST[$key]=failed; return; }
    local best mean sd
    read -r best mean sd < <(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.4f %.4f %.4f" % (r["min"], r["mean"], r["stddev"] or 0))' "$WORK/hf.json")
    T_BEST[$key]=$best; T_MEAN[$key]=$mean; T_SD[$key]=$sd
  else
    local best="" start end i
    for ((i = 0; i < RUNS; i++)); do
      start=$(date +%s%N)
      eval "/usr/bin/time -f %M -a -o $rssfile $command" >"$out" 2>/dev/null || true
      end=$(date +%s%N)
      if [ -z "$best" ] || [ $((end - start)) -lt "$best" ]; then best=$((end - start)); fi
    done
    T_BEST[$key]=$(awk -v ns="$best" 'BEGIN { printf "%.4f", ns / 1e9 }')
    T_MEAN[$key]="-"; T_SD[$key]="-"
  fi
  # GNU time also writes "Command exited with non-zero status 1" to the file: keep the numbers.
  RSS[$key]=$(grep -E '^[0-9]+$' "$rssfile" | sort -n | tail -n 1)
}

human() { awk -v b="$1" 'BEGIN { if (b >= 1e6) printf "%.1f MB", b / 1e6; else if (b >= 1e3) printf "%.1f kB", b / 1e3; else printf "%d B", b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", b / 1048576 / s; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", b / a; else print "-" }'; }
# holds VALUE OP LIMIT: prints "holds" or "NOT HELD"
holds() { if awk -v v="$1" -v l="$3" "BEGIN { exit !(v $2 l) }"; then echo "holds"; else echo "NOT HELD"; fi; }

# The commands of the comparison table, as "id|label|command"; FILE is the log file.
COMMANDS=(
  "wc|wc -l|wc -l FILE"
  "grep|grep -cP 'Batching \\d+ records'|grep -cP 'Batching \\d+ records' FILE"
)
[ "$HAVE_LNAV" = 1 ] &&
  COMMANDS+=("lnav|lnav, counting Batching|$LNAV -c \";SELECT count(*) FROM cmlogcheck_log WHERE log_body LIKE 'Batching %'\" FILE")
COMMANDS+=(
  "records|cmlogcheck records --count|$BIN records --count FILE"
  "review|cmlogcheck review|$BIN review FILE"
  "json|cmlogcheck review --format json|$BIN review --format json FILE"
)

# --- run -------------------------------------------------------------------------------------
# The smallest and the largest size (the issue: the same peak on 16 MiB as on 1 GiB).
SMALLEST="${SIZES[0]}"; LARGEST="${SIZES[0]}"
for size in "${SIZES[@]}"; do
  [ "$(to_bytes "$size")" -lt "$(to_bytes "$SMALLEST")" ] && SMALLEST="$size"
  [ "$(to_bytes "$size")" -gt "$(to_bytes "$LARGEST")" ] && LARGEST="$size"
done
COMPARE_SIZE="${BENCH_COMPARE_SIZE:-$LARGEST}"

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cmlogcheck: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' +local changes'), $BIN"
echo "tools: $(hyperfine --version 2>/dev/null || echo 'no hyperfine'), $(lnav -V 2>/dev/null | head -n 1 || echo 'no lnav'), $(grep --version | head -n 1)"
echo "method: best of $RUNS timed runs after one warm-up run$([ "$HAVE_HYPERFINE" = 1 ] && echo ' (hyperfine, output piped)'); MiB = 2^20 bytes; peak RSS from GNU time %M"
echo "sizes: ${SIZES[*]}; formats: ${FORMATS[*]}; comparison at $COMPARE_SIZE on: ${CASES[*]}"

declare -A VERDICT
floor() { # floor NAME RESULT DETAIL
  VERDICT["$1"]="$2"
  printf '  %-66s %-9s %s\n' "$1" "$2" "$3"
}

HAS_DENSE=0
for case in "${CASES[@]}"; do [ "$case" = dense ] && HAS_DENSE=1; done

for format in "${FORMATS[@]}"; do
  # lnav really parses this format: its record count is records --count's, its Batching count grep's.
  if [ "$HAVE_LNAV" = 1 ] && [ "$HAS_DENSE" = 1 ]; then
    small=$(data_file dense "$format" "$SMALLEST")
    lnav_counts=$($LNAV -c ";SELECT count(*), sum(log_body LIKE 'Batching %') FROM cmlogcheck_log" "$small" | tail -n 1)
    read -r lnav_records lnav_batching <<<"$lnav_counts"
    our_records=$($BIN records --count "$small")
    grep_batching=$(grep -cP 'Batching \d+ records' "$small")
    if [ "$lnav_records" = "$our_records" ] && [ "$lnav_batching" = "$grep_batching" ]; then
      echo; echo "lnav parses the $format lines: $lnav_records records (as records --count), $lnav_batching Batching (as grep) in $small"
    else
      echo; echo "lnav does NOT parse the $format lines as cmlogcheck does: lnav $lnav_records records, $lnav_batching Batching; records --count $our_records, grep $grep_batching ($small)"
      VERDICT["lnav parses $format"]="NOT HELD"
    fi
    [ -n "${VERDICT[lnav parses $format]:-}" ] || VERDICT["lnav parses $format"]="holds"
  fi

  for case in "${CASES[@]}"; do
    file=$(data_file "$case" "$format" "$COMPARE_SIZE")
    bytes=$(stat -c %s "$file")
    echo
    echo "== $case $format $COMPARE_SIZE: $file ($bytes bytes, $(wc -l <"$file") lines)"
    sed 's/^/   generated: /' "$(dirname "$file")/genlogs.txt"
    printf '%-36s %10s %9s %17s %9s %9s %10s\n' command output "best s" "mean s ± sd" MiB/s "x records" "peak RSS"
    for entry in "${COMMANDS[@]}"; do
      id="${entry%%|*}"; rest="${entry#*|}"; command="${rest#*|}"
      measure "$case|$format|$COMPARE_SIZE|$id" "${command//FILE/$file}"
    done
    k="$case|$format|$COMPARE_SIZE"
    for entry in "${COMMANDS[@]}"; do
      id="${entry%%|*}"; rest="${entry#*|}"; label="${rest%%|*}"
      if [ "${T_BEST[$k|$id]}" = failed ]; then printf '%-36s %10s\n' "$label" failed; continue; fi
      out="${OUT[$k|$id]}"
      [ "$out" = "-" ] && out="$(human "${OBYTES[$k|$id]}")"
      printf '%-36s %10s %9s %17s %9s %9s %6s MiB\n' "$label" "$out" "${T_BEST[$k|$id]}" \
        "${T_MEAN[$k|$id]} ± ${T_SD[$k|$id]}" "$(rate "$bytes" "${T_BEST[$k|$id]}")" \
        "$(ratio "${T_BEST[$k|$id]}" "${T_BEST[$k|records]}")" "$(mib "${RSS[$k|$id]}")"
    done

    if [ "$HAVE_LNAV" = 1 ] && [ "$case" != dense ]; then
      lb="${OUT[$k|lnav]:-}"; gb="${OUT[$k|grep]:-}"
      echo "lnav's Batching count = grep's: $([ -n "$lb" ] && [ "$lb" = "$gb" ] && echo yes || echo NO) ($lb, $gb)"
    fi
    [ "$case" = dense ] || continue
    rec="${T_BEST[$k|records]}"
    echo "floors ($format, dense $COMPARE_SIZE):"
    for id in review json; do
      which="review"; [ "$id" = json ] && which="review --format json"
      t="${T_BEST[$k|$id]}"
      if [ "$t" = failed ] || [ "$rec" = failed ]; then
        floor "$format: $which >= $FLOOR_REVIEW_VS_RECORDS x records --count" "NOT HELD" "(a command failed)"; continue
      fi
      r=$(awk -v a="$rec" -v b="$t" 'BEGIN { printf "%.2f", a / b }')
      floor "$format: $which >= $FLOOR_REVIEW_VS_RECORDS x records --count" "$(holds "$r" ">=" "$FLOOR_REVIEW_VS_RECORDS")" "($r x)"
      if [ "$HAVE_LNAV" = 1 ] && [ "${T_BEST[$k|lnav]}" != failed ]; then
        r=$(awk -v a="${T_BEST[$k|lnav]}" -v b="$t" 'BEGIN { printf "%.2f", a / b }')
        floor "$format: $which >= $FLOOR_REVIEW_VS_LNAV x lnav" "$(holds "$r" ">=" "$FLOOR_REVIEW_VS_LNAV")" "($r x)"
      else
        floor "$format: $which >= $FLOOR_REVIEW_VS_LNAV x lnav" "NOT HELD" "(lnav not measured)"
      fi
    done
    if [ "$rec" != failed ] && [ "${T_BEST[$k|grep]}" != failed ]; then
      r=$(awk -v a="${T_BEST[$k|grep]}" -v b="$rec" 'BEGIN { printf "%.2f", a / b }')
      floor "$format: records --count >= 1/3 x grep -cP" "$(holds "$r" ">=" "$FLOOR_RECORDS_VS_GREP")" "($r x)"
    fi
    if [ "$HAVE_LNAV" = 1 ]; then
      lb="${OUT[$k|lnav]:-}"; gb="${OUT[$k|grep]:-}"
      floor "$format: lnav's Batching count = grep's" "$([ -n "$lb" ] && [ "$lb" = "$gb" ] && echo holds || echo 'NOT HELD')" "($lb, $gb)"
    fi
  done

  [ "$HAS_DENSE" = 1 ] || continue
  # The scaling table: review and review --format json on the dense upload log at every size.
  echo
  echo "== scaling, dense $format: cmlogcheck review (text) and review --format json"
  printf '%6s %13s %9s %8s %7s %10s %9s %8s %10s %10s\n' size bytes cycles "text s" MiB/s "peak RSS" "json s" MiB/s "peak RSS" "JSON"
  for size in "${SIZES[@]}"; do
    file=$(data_file dense "$format" "$size")
    bytes=$(stat -c %s "$file")
    cycles=$(grep -o '[0-9]\+ cycles' "$(dirname "$file")/genlogs.txt" | head -n 1 | cut -d' ' -f1)
    [ -n "${T_BEST[dense|$format|$size|review]:-}" ] || measure "dense|$format|$size|review" "$BIN review $file"
    [ -n "${T_BEST[dense|$format|$size|json]:-}" ] || measure "dense|$format|$size|json" "$BIN review --format json $file"
    kt="dense|$format|$size|review"; kj="dense|$format|$size|json"
    printf '%6s %13s %9s %8s %7s %6s MiB %9s %8s %6s MiB %10s\n' "$size" "$bytes" "${cycles:--}" \
      "${T_BEST[$kt]}" "$(rate "$bytes" "${T_BEST[$kt]}")" "$(mib "${RSS[$kt]:-0}")" \
      "${T_BEST[$kj]}" "$(rate "$bytes" "${T_BEST[$kj]}")" "$(mib "${RSS[$kj]:-0}")" \
      "$(human "${OBYTES[$kj]:-0}")"
  done
  echo "floors ($format, scaling):"
  first="$SMALLEST"; last="$LARGEST"
  for id in review json; do
    which="review"; [ "$id" = json ] && which="review --format json"
    worst=0; at="-"
    for size in "${SIZES[@]}"; do
      k="dense|$format|$size|$id"
      if [ "${RSS[$k]:-0}" -gt "$worst" ]; then worst="${RSS[$k]}"; at="$size"; fi
    done
    floor "$format: $which peak RSS <= $FLOOR_RSS_MIB MiB at every size" \
      "$(holds "$(mib "$worst")" "<=" "$FLOOR_RSS_MIB")" "(largest $(mib "$worst") MiB, at $at)"
    a="${RSS[dense|$format|$first|$id]:-0}"; b="${RSS[dense|$format|$last|$id]:-0}"
    d=$(awk -v a="$a" -v b="$b" 'BEGIN { d = (b - a) / 1024; if (d < 0) d = -d; printf "%.1f", d }')
    floor "$format: $which same peak at $first as at $last (±$FLOOR_FLAT_MIB MiB)" \
      "$(holds "$d" "<=" "$FLOOR_FLAT_MIB")" "($(mib "$a") and $(mib "$b") MiB)"
  done
done

echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
failed=0
judged=0
[ "$HAS_DENSE" = 1 ] && judged=${#VERDICT[@]}
[ "$judged" -gt 0 ] &&
  for name in "${!VERDICT[@]}"; do [ "${VERDICT[$name]}" = "NOT HELD" ] && failed=$((failed + 1)); done
if [ "$judged" -eq 0 ]; then
  echo "floors: none judged (they are judged on the dense case)"
elif [ "$failed" -eq 0 ]; then
  echo "floors: all ${#VERDICT[@]} hold"
else
  echo "floors: $failed of ${#VERDICT[@]} NOT HELD:"
  for name in "${!VERDICT[@]}"; do [ "${VERDICT[$name]}" = "NOT HELD" ] && echo "  $name"; done | sort
fi
