#!/usr/bin/env bash
# Time per MiB of one whitespace-heavy multi-line exception record (issue 14 item 1): the record
# that took 70 s at 400k characters when a rule rescanned its whitespace runs. It must be linear:
# the time per MiB flat from 64 KiB to 1 MiB. It measures and prints; it judges nothing.
#
#   scripts/bench-record.sh                         # 64K 128K 256K 512K 1M, 5 runs each
#   RECORD_SIZES="64K 1M" RECORD_RUNS=3 RECORD_TOTAL=32M scripts/bench-record.sh
#   BENCH_BIN=/tmp/old/cmlogcheck scripts/bench-record.sh
#
# Each log holds one `Batching` record and then CMTrace exception records (`Exception details:`,
# the .NET header line, then blank detail lines of spaces, tabs and CRLF around the message, the
# shape LinearRecordTests feeds), each of the given size (K, M: powers of 1024; all under the
# 1 MiB record cap), as many as make RECORD_TOTAL (default 16M): the same bytes at every size, so
# a flat time per MiB is a flat time per record byte, and the records' cost is well above the
# noise of starting a process. A log with the Batching record alone is the baseline: its time
# (process start, rule compilation) is taken off.
# `review --format json` runs it through the whole pipeline: framing, the severity scan, every
# rule (exception.details included), the failure decision and the report. Best of RECORD_RUNS runs
# after one untimed run. Files go to a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=(${RECORD_SIZES:-64K 128K 256K 512K 1M})
RUNS="${RECORD_RUNS:-5}"
TOTAL="${RECORD_TOTAL:-16M}"
BIN="${BENCH_BIN:-.build-release/release/cmlogcheck}"
if [ -z "${BENCH_BIN:-}" ]; then
  swift build -c release --scratch-path .build-release --product cmlogcheck >&2
fi
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

to_bytes() {
  local n="${1%[KkMm]}"
  case "$1" in *[Kk]) echo $((n * 1024)) ;; *[Mm]) echo $((n * 1048576)) ;; *) echo "$n" ;; esac
}

# write_log FILE RECORD_BYTES TOTAL_BYTES: the Batching record, then exception records of about
# RECORD_BYTES each, TOTAL_BYTES of them (none when RECORD_BYTES is 0).
write_log() {
  python3 - "$1" "$2" "$3" <<'EOF'
import sys
path, size, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def cmtrace(message, time, type_="1"):
    return (f'<![LOG[{message}]LOG]!><time="{time}" date="02-28-2020" component="SMS_SERVICE_CONNECTOR" '
            f'context="" type="{type_}" thread="6344" file="">\r\n')
head = "Exception details:\r\n[Critical][CMGatewaySyncUploadWorker][0][System.Net.WebException][0x80131509]\r\n"
text = "The remote name could not be resolved: 'gateway.configmgr.manage.microsoft.com'"
unit = "    \t  \r\n"
runs = max(0, (size - len(head) - len(text)) // len(unit) // 2)
blank = unit * runs
with open(path, "w", newline="") as out:
    out.write(cmtrace("Batching 3 records", "10:00:00.000+000"))
    record = cmtrace(head + blank + text + blank, "10:00:01.000+000", "3")
    for _ in range(total // len(record) if size else 0):
        out.write(record)
EOF
}

# best_seconds FILE: the shortest of RUNS timed runs of review --format json, after a warm-up.
best_seconds() {
  "$BIN" review --format json "$1" >/dev/null 2>&1 || true
  local best="" t
  for _ in $(seq "$RUNS"); do
    t=$(python3 -c "import time,subprocess,sys
s=time.perf_counter(); subprocess.run([sys.argv[1],'review','--format','json',sys.argv[2]],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL); print(time.perf_counter()-s)" "$BIN" "$1")
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$t"; fi
  done
  echo "$best"
}

write_log "$DIR/base.log" 0 0
base=$(best_seconds "$DIR/base.log")
echo "baseline (the Batching record alone): $(awk -v s="$base" 'BEGIN { printf "%.1f ms", s * 1000 }'); $TOTAL of records per size"
echo
echo "| record | records | review --format json | minus baseline | per MiB |"
echo "|---:|---:|---:|---:|---:|"
for size in "${SIZES[@]}"; do
  bytes=$(to_bytes "$size")
  file="$DIR/record-$size.log"
  write_log "$file" "$bytes" "$(to_bytes "$TOTAL")"
  t=$(best_seconds "$file")
  awk -v size="$size" -v t="$t" -v b="$base" -v bytes="$(wc -c <"$file")" -v n="$(grep -c 'Exception details' "$file")" 'BEGIN {
    own = t - b; if (own < 0) own = 0
    printf "| %s | %d | %.0f ms | %.0f ms | %.0f ms |\n", size, n, t * 1000, own * 1000, own * 1000 / (bytes / 1048576)
  }'
done
