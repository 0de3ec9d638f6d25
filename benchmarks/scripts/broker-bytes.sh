#!/usr/bin/env bash
# Broker bytes per session-second of a checkout's pipeline, measured the same way for any commit:
#   benchmarks/scripts/broker-bytes.sh CHECKOUT [SECONDS] [OUT]
# runs that checkout's own ./mindstream as separate processes (kafka on free ports, simulate for SECONDS at real time,
# ingest, process, decode), stops ingest the way a lab does once the session ends, lets the processor and decoder
# finish, stops the broker cleanly, and then sums the broker's log segment files (*.log) per topic. Every number comes
# from the broker's files, none from a component's counters. Used for docs/deploy.md ("before and after").
set -euo pipefail
repo=$(cd "$1" && pwd)
secs=${2:-60}
out=${3:-$(mktemp -d /tmp/broker-bytes.XXXX)}
mkdir -p "$out"
export MINDSTREAM_DATA_DIR="$out/data" OPT_OUT_TRACKING=true DJL_OFFLINE=true
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port); cport=$(free_port)
bs=127.0.0.1:$port
ms() { exec "$repo/mindstream" "$@"; } # exec: $! is then the JVM itself, which SIGTERM stops
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

(cd "$repo" && mvn -B -q -Dstyle.color=never -DskipTests package -pl cli -am >/dev/null) || { echo "build failed in $repo" >&2; exit 1; }
ms kafka --port "$port" --controller-port "$cport" --data-dir "$out/kafka" >"$out/kafka.log" 2>&1 & kafka=$!; pids+=($kafka)
until grep -q "running at" "$out/kafka.log"; do sleep 1; kill -0 $kafka || { cat "$out/kafka.log"; exit 1; }; done
ms simulate --seed 1 --concepts 200 --exemplars 11 --test-images 200 --test-repeats 4 --name bb --source-id bb \
  --duration "$secs" --out "$out/sim" --wait-for-consumers 180 --progress 0 >"$out/simulate.log" 2>&1 & sim=$!; pids+=($sim)
until [[ -f "$out/sim/bank/bank.json" ]]; do sleep 1; kill -0 $sim || { cat "$out/simulate.log"; exit 1; }; done
ms process --bootstrap-servers "$bs" --state-dir "$out/state" >"$out/process.log" 2>&1 & proc=$!; pids+=($proc)
ms decode --bootstrap-servers "$bs" --model demo --bank "$out/sim/bank" --candidates test --from-beginning --no-lsl \
  >"$out/decode.log" 2>&1 & dec=$!; pids+=($dec)
ms ingest --bootstrap-servers "$bs" --session bb --source-id bb-meg,bb-markers --journal-dir "$out/journal" \
  >"$out/ingest.log" 2>&1 & ing=$!; pids+=($ing)
wait $sim
kill -TERM $ing; wait $ing || true
sleep 20 # the processor and the decoder finish what ingest forwarded last
kill -TERM $dec $proc; wait $dec $proc || true
kill -TERM $kafka; wait $kafka || true
pids=()
/usr/bin/python3 - "$out/kafka" "$secs" <<'PY'
import os, re, sys
root, secs = sys.argv[1], float(sys.argv[2])
by = {}
for d, _, files in os.walk(root):
    m = re.match(r"(.+)-(\d+)$", os.path.basename(d))
    if not m:
        continue
    size = sum(os.path.getsize(os.path.join(d, f)) for f in files if f.endswith(".log"))
    by[m.group(1)] = by.get(m.group(1), 0) + size
def kind(t):
    if t.startswith("raw."): return "raw"
    if t in ("epochs", "windows", "results"): return "derived"
    if t.endswith("-changelog"): return "processor state"
    return "kafka internal"
kinds = {}
for t, b in sorted(by.items()):
    kinds[kind(t)] = kinds.get(kind(t), 0) + b
    print(f"{t:60s} {b:>14,d} B  {b/secs:>12,.0f} B/s")
total = sum(by.values())
for k, b in sorted(kinds.items()):
    print(f"{'= ' + k:60s} {b:>14,d} B  {b/secs:>12,.0f} B/s")
print(f"{'= total':60s} {total:>14,d} B  {total/secs:>12,.0f} B/s per session-second")
PY
