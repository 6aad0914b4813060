#!/usr/bin/env bash
# jvirtd speed figures (docs/performance.md, "OSGi platform"):
#   boot    spawn of bin/jvirtd -> its "jvirtd: ready" line (all bundles started, drivers registered)
#   deploy  exe-driver.jar renamed into deploy/ -> `jvirt:list -c exe:///session` succeeds in the console
#   rss     VmRSS of an idle jvirtd 10 s after ready (no console), without and with the exe driver
# usage: jvirtd-speed.sh [DIST_DIR [BOOT_RUNS [DEPLOY_RUNS]]]   (DIST_DIR default distribution/target/jvirt)
# Works on a fresh copy of the distribution in a temporary folder.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dist=${1:-$here/../../target/jvirt}
boots=${2:-21}
deploys=${3:-11}
[[ -x $dist/bin/jvirtd ]] || { echo "no distribution at $dist (mvn -pl distribution -am package)" >&2; exit 1; }
work=$(mktemp -d /tmp/jvirtd-speed.XXXXXX)
cp -a "$dist" "$work/jvirt"
home=$work/jvirt
rm -rf "$home"/deploy/*.jar "$home/var" "$home/data"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
minmax() { printf '%s\n' "$@" | sort -n | awk 'NR==1{m=$1} {x=$1} END {print m "-" x}'; }

# ---- boot -----------------------------------------------------------------------------------------
boot_once() {   # prints: wall_ms in_process_ms
    local s e line pid
    s=$(date +%s%N)
    exec {fd}< <(exec "$home/bin/jvirtd" 2>&1)
    pid=$!
    while IFS= read -r -u "$fd" line; do
        if [[ $line == *"jvirtd: ready in"* ]]; then break; fi
    done
    e=$(date +%s%N)
    kill "$pid"; wait "$pid" 2>/dev/null || true
    exec {fd}<&-
    local inproc=${line#*ready in }; inproc=${inproc%% ms*}
    echo "$(ms "$s" "$e") $inproc"
}
boot_once >/dev/null   # writes the class-data archive and the bundle cache
boot_once >/dev/null
walls=(); inprocs=()
for ((i = 0; i < boots; i++)); do
    read -r w p < <(boot_once)
    walls+=("$w"); inprocs+=("$p")
done
echo "boot to ready, $boots runs: median $(median "${walls[@]}") ms wall [$(minmax "${walls[@]}")]," \
     "in-process (from JVM start) median $(median "${inprocs[@]}") ms"

# ---- deploy ---------------------------------------------------------------------------------------
fifo=$work/console.in; mkfifo "$fifo"
out=$work/console.out
"$home/bin/jvirtd" --console < "$fifo" > "$out" 2>&1 &
pids+=($!)
exec {cin}>"$fifo"
until grep -q "jvirtd: ready in" "$out"; do sleep 0.01; done
n=0
cmd() {   # runs a console command, prints its output
    n=$((n + 1))
    local from; from=$(wc -c < "$out")
    printf '%s\necho __m%d__\n' "$1" "$n" >&"$cin"
    until tail -c +"$((from + 1))" "$out" | grep -q "^g\?!\? \?__m${n}__"; do sleep 0.001; done
    tail -c +"$((from + 1))" "$out" | sed "/__m${n}__/,\$d"
}
lat=()
for ((i = 0; i < deploys; i++)); do
    cp "$home/examples/exe-driver.jar" "$home/deploy/exe-driver.jar.part"
    s=$(date +%s%N)
    mv "$home/deploy/exe-driver.jar.part" "$home/deploy/exe-driver.jar"
    while cmd "jvirt:list -c exe:///session" | grep -q "error"; do :; done
    e=$(date +%s%N)
    lat+=("$(ms "$s" "$e")")
    rm "$home/deploy/exe-driver.jar"
    while ! cmd "jvirt:list -c exe:///session" | grep -q "error"; do sleep 0.05; done
done
echo "deploy/ jar to usable scheme, $deploys runs: median $(median "${lat[@]}") ms [$(minmax "${lat[@]}")]"
exec {cin}>&-
wait "${pids[@]}" 2>/dev/null || true
pids=()

# ---- idle RSS --------------------------------------------------------------------------------------
rss_idle() {
    local o=$work/rss.out p
    : > "$o"
    "$home/bin/jvirtd" > "$o" 2>&1 &
    p=$!; pids+=("$p")
    until grep -q "jvirtd: ready in" "$o"; do sleep 0.01; done
    sleep 10
    awk '/VmRSS/ {print int($2/1024)}' "/proc/$p/status"
    kill "$p"; wait "$p" 2>/dev/null || true
}
r1=$(rss_idle)
cp "$home/examples/exe-driver.jar" "$home/deploy/exe-driver.jar"
r2=$(rss_idle)
echo "idle RSS 10 s after ready: $r1 MiB; with the exe driver deployed: $r2 MiB"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
