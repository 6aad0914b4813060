#!/usr/bin/env bash
# Builds the bench module and runs every benchmark: the JMH suite (jvirt vs libvirt-java, both
# in process on test:///default) and the jvirsh vs virsh whole-process timer. About 5 minutes on
# a 2-core machine (build ~30 s, JMH ~4 min, CLI ~20 s, QEMU ~1.5 min). Results in bench/target-bench/:
# jmh-result.txt (summary), jmh-log.txt, jmh-result.json, cli-result.txt, qemu-result.txt, machine.txt.
#
#   bench/run.sh                 everything
#   bench/run.sh LookupInfo      only JMH benchmarks matching a regex (extra args go to JMH)
#   SKIP_BUILD=1 bench/run.sh    reuse the last build
#   SKIP_CLI=1 / SKIP_JMH=1 / SKIP_QEMU=1   leave out one part
#   CLI_RUNS=20                  runs per command for the CLI timer
#   QEMU_RUNS=20                 start/destroy rounds for the QEMU side by side (QemuSideBySide)
# The QEMU part compares jvirt's QEMU driver with bare QEMU and with Debian's libvirtd (qemu:///system).
# As root, when libvirtd is installed but not running, it starts virtlogd and libvirtd for the run and
# stops them afterwards (they need the libvirt-qemu user that Debian's libvirt-daemon-system creates);
# libvirtd runs in a network namespace of its own, so nothing it sets up reaches the host's network.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUFFIX="${JVIRT_BUILD_SUFFIX:--bench}"
OUT="$ROOT/bench/target$SUFFIX"
cd "$ROOT"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building (mvn -Djvirt.build.suffix=$SUFFIX -pl bench -am package -DskipTests)"
  mvn -q -Djvirt.build.suffix="$SUFFIX" -pl bench -am package -DskipTests
fi

echo "== machine"
{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc)"
  echo "mem: $(free -g | awk '/^Mem:/{print $2}') GiB"
  echo "kernel: $(uname -r)"
  java -version 2>&1 | head -2
  echo "libvirt: $(virsh --version 2>/dev/null || echo '?')"
} | tee "$OUT/machine.txt"

if [[ -z "${SKIP_JMH:-}" ]]; then
  echo "== JMH (-f 1 -prof gc; warm-up/measurement from each class: 3-5 x 2 s warm-up, 5 x 2 s measured)"
  # 1 fork per benchmark; iterations come from the @Warmup/@Measurement annotations (3x2s warm-up,
  # 5x2s measured; 5 warm-ups for defineXML, whose XML parser needs longer to JIT).
  # -prof gc everywhere: gc.alloc.rate.norm is bytes allocated per operation.
  # The full log (per-iteration figures) goes to jmh-log.txt; the console shows one line per result.
  java -jar "$OUT/bench.jar" -f 1 -prof gc -rf json -rff "$OUT/jmh-result.json" "$@" 2>&1 \
    | tee "$OUT/jmh-log.txt" \
    | awk '/^# Benchmark: /{b=$3} /^# Run progress/{print "   " $0; fflush()} /^Result /{r=1; next} r{print "   " b ": " $0; fflush(); r=0} /Exception/{print; fflush()}'
  if ! grep -q '^Benchmark ' "$OUT/jmh-log.txt"; then
    echo "JMH failed; see $OUT/jmh-log.txt" >&2; tail -40 "$OUT/jmh-log.txt" >&2; exit 1
  fi
  # the summary table, without the gc.count/gc.time/alloc.rate noise lines
  sed -n '/^Benchmark /,$p' "$OUT/jmh-log.txt" \
    | grep -vE ':gc\.(count|time)|:gc\.alloc\.rate ' | tee "$OUT/jmh-result.txt"
fi

if [[ -z "${SKIP_CLI:-}" ]]; then
  echo "== jvirsh vs virsh, whole process, ${CLI_RUNS:-20} runs each"
  if [[ -x "$ROOT/jvirsh" ]]; then
    # jvirsh builds itself when stale: make it build into the same suffixed folders as we do
    JVIRT_BUILD_SUFFIX="$SUFFIX" java -cp "$OUT/bench.jar" org.jvirt.bench.CliWallTime "${CLI_RUNS:-20}" "$ROOT" \
      | tee "$OUT/cli-result.txt" || { echo "CLI timer failed (does ./jvirsh build and run?)" >&2; exit 1; }
  else
    echo "skipped: $ROOT/jvirsh not found (or not executable)" | tee "$OUT/cli-result.txt"
  fi
fi

if [[ -z "${SKIP_QEMU:-}" ]]; then
  echo "== QEMU driver vs bare QEMU vs libvirtd, ${QEMU_RUNS:-20} rounds"
  started=()
  if [[ $EUID -eq 0 ]] && command -v libvirtd >/dev/null && ! pgrep -x libvirtd >/dev/null; then
    if id libvirt-qemu >/dev/null 2>&1; then
      mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/cache/libvirt
      if ! pgrep -x virtlogd >/dev/null; then
        virtlogd -d -p "$OUT/virtlogd.pid" && started+=("$OUT/virtlogd.pid")
      fi
      # in a network namespace of its own (loopback only): a network it autostarts never reaches the host;
      # its unix socket, which is all the benchmark uses, is in the file system
      unshare -n sh -c "ip link set lo up && exec libvirtd -d -p '$OUT/libvirtd.pid'" && started+=("$OUT/libvirtd.pid")
      for _ in $(seq 50); do [[ -S /run/libvirt/libvirt-sock ]] && break; sleep 0.2; done
    else
      echo "libvirtd not started: there is no libvirt-qemu user (Debian's libvirt-daemon-system creates it)"
    fi
  fi
  java -cp "$OUT/bench.jar" org.jvirt.bench.QemuSideBySide "${QEMU_RUNS:-20}" 2>&1 | tee "$OUT/qemu-result.txt" || true
  for f in "${started[@]}"; do
    [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null || true
  done
fi
