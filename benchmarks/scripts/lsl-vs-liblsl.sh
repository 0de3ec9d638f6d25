#!/usr/bin/env bash
# lsl4j's outlet against liblsl's, flat out, measured by one liblsl inlet in the same run (issue "Closed-loop speed").
#
#   LIBLSL_DIR=/path/to/liblsl-build LIBLSL_INCLUDE=/path/to/liblsl/include benchmarks/scripts/lsl-vs-liblsl.sh [ROUNDS]
#
# liblsl is built outside the repository (docs/lsl4j.md, "Interop"). Each round runs a liblsl outlet and then an
# lsl4j outlet, each pushing 306-channel float32 chunks of 10 samples as fast as it can for WARMUP + SECONDS, into
# a liblsl inlet that counts the samples it receives after WARMUP. Prints each run and the ratio lsl4j / liblsl.
# Needs: g++, a built benchmarks module (mvn -B -pl benchmarks -am test-compile). LSL4J_CLASSES=DIR measures another
# build of lsl4j (classes directory) instead of this checkout's.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
CH=${CHANNELS:-306}
CHUNK=${CHUNK:-10}
WARMUP=${WARMUP:-3}
SECONDS_MEASURED=${SECONDS_MEASURED:-10}
: "${LIBLSL_DIR:?set LIBLSL_DIR to the directory holding liblsl.so}"
: "${LIBLSL_INCLUDE:?set LIBLSL_INCLUDE to the include directory of liblsl}"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
g++ -O2 -std=c++17 -I"$LIBLSL_INCLUDE" benchmarks/src/main/cpp/lsl_throughput.cpp -L"$LIBLSL_DIR" -llsl \
    -Wl,-rpath,"$LIBLSL_DIR" -o "$WORK/lsl_throughput"
if [ ! -f /tmp/bcp-lsl.txt ] || [ benchmarks/pom.xml -nt /tmp/bcp-lsl.txt ]; then
  mvn -B -q -o -pl benchmarks -am dependency:build-classpath -Dmdep.outputFile=/tmp/bcp-lsl.txt >/dev/null
fi
# LSL4J_CLASSES: another build of lsl4j's classes to measure instead of this checkout's (e.g. an earlier commit's)
CP="${LSL4J_CLASSES:+$LSL4J_CLASSES:}benchmarks/target/classes:$(cat /tmp/bcp-lsl.txt)"
BASE=$((40000 + RANDOM % 20000))
cat > "$WORK/lsl_api.cfg" <<CFG
[ports]
MulticastPort = $((BASE - 1))
BasePort = $BASE
PortRange = 16
[multicast]
ResolveScope = machine
[lab]
KnownPeers = {127.0.0.1}
CFG
echo "$(date -u '+%Y-%m-%d %H:%M:%S UTC') load $(cut -d' ' -f1-3 /proc/loadavg); $CH ch float32, chunks of $CHUNK, ${SECONDS_MEASURED} s after ${WARMUP} s"
run() { # $1 = liblsl|lsl4j
  local name="tp-$1-$RANDOM"
  "$WORK/lsl_throughput" inlet "$WORK/lsl_api.cfg" "$name" "$WARMUP" "$SECONDS_MEASURED" > "$WORK/inlet.out" &
  local inlet=$!
  local total; total=$(awk "BEGIN {print $WARMUP + $SECONDS_MEASURED + 2}")
  if [ "$1" = liblsl ]; then
    "$WORK/lsl_throughput" outlet "$WORK/lsl_api.cfg" "$name" "$CH" "$CHUNK" "$total" > /dev/null
  else
    java -Dchronicle.analytics.disable=true -cp "$CP" io.mindstream.benchmarks.lsl.LslFlatOut "$WORK/lsl_api.cfg" \
      "$name" "$CH" "$CHUNK" "$total" > /dev/null
  fi
  wait "$inlet"
  local rate; rate=$(sed -E 's/.*: ([0-9]+) samples\/s.*/\1/' "$WORK/inlet.out")
  echo "  $1 outlet → liblsl inlet: $(cat "$WORK/inlet.out")" >&2
  echo "$rate"
}
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  a=$(run liblsl)
  b=$(run lsl4j)
  ratio=$(awk "BEGIN {printf \"%.2f\", $b / $a}")
  ratios+=("$ratio")
  echo "round $r: liblsl $a samples/s, lsl4j $b samples/s, lsl4j / liblsl = $ratio"
done
echo "ratios: ${ratios[*]}"
