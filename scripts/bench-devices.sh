#!/usr/bin/env bash
# Peak memory and time of `review --inventory --cloud` on large generated device files (issue 14
# item 7: a 1M-row inventory peaked at 1.2 GB when the files were read whole). It measures and
# prints; it judges nothing. Figures and what bounds them: docs/devices.md, "Memory".
#
#   scripts/bench-devices.sh                     # 1,000,000 rows
#   DEVICE_ROWS=200000 scripts/bench-devices.sh
#   BENCH_BIN=/tmp/old/cmlogcheck scripts/bench-devices.sh
#
# Cases, each one run (GNU time, peak RSS and wall time), review of the sample
# dp-shared-certificate logs:
#   - the inventory alone;
#   - with a cloud export lacking one device in 1,000 (few devices reported), as text and JSON;
#   - the same with a user rule that gives device lines (the other devices are then hashed);
#   - with a cloud export lacking one device in 50 (many devices reported).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${DEVICE_ROWS:-1000000}"
BIN="${BENCH_BIN:-.build-release/release/cmlogcheck}"
if [ -z "${BENCH_BIN:-}" ]; then
  swift build -c release --scratch-path .build-release --product cmlogcheck >&2
fi
scripts/ensure-tool.sh time "GNU time, for peak memory" /usr/bin/time
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 scripts/gen-device-files.py "$DIR/few" "$ROWS" 1000
python3 scripts/gen-device-files.py "$DIR/many" "$ROWS" 50
cat > "$DIR/rules.json" <<'RULES'
{"rules": [{"id": "bench.uploaded", "event": "device.uploaded", "provenance": "assumed", "pattern": "^Sent device (?<device>\\S+)"}]}
RULES
LOGS=SampleLogs/dp-shared-certificate

printf '%s rows; inventory %s bytes\n\n' "$ROWS" "$(wc -c < "$DIR/few/inventory.csv")"
printf '| %-58s | %10s | %8s | %9s |\n' case "peak MiB" seconds reported
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "------------" "----------" "-----------"
run() {
  local name="$1"; shift
  /usr/bin/time -f '%M %e' -o "$DIR/time" "$BIN" review --fail-on never --format json "$@" > "$DIR/out.json" 2> /dev/null
  local kb seconds reported
  read -r kb seconds < <(tail -1 "$DIR/time")
  reported=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["devices"]))' "$DIR/out.json")
  printf '| %-58s | %10.1f | %8s | %9s |\n' "$name" "$(awk -v kb="$kb" 'BEGIN { print kb / 1024 }')" "$seconds" "$reported"
}
run "inventory alone" $LOGS --inventory "$DIR/few/inventory.csv"
run "cloud export lacking 1 in 1,000" $LOGS --inventory "$DIR/few/inventory.csv" --cloud "$DIR/few/cloud.csv"
run "cloud export lacking 1 in 1,000, a device-line rule" $LOGS --rules "$DIR/rules.json" \
  --inventory "$DIR/few/inventory.csv" --cloud "$DIR/few/cloud.csv"
run "cloud export lacking 1 in 50" $LOGS --inventory "$DIR/many/inventory.csv" --cloud "$DIR/many/cloud.csv"
