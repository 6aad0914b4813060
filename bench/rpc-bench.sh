#!/usr/bin/env bash
# Side by side in one run: jvirtd and Debian's libvirtd serving test:///default, measured with one tiny C
# client built on Debian's libvirt (bench/src/c/rpcbench.c). Results in bench/target-bench/rpc-result.txt.
# Figures: getInfo round trip (client and daemon pinned to one core), 8 concurrent client processes,
# 1,000 connections held (daemon RSS), virsh list --all wall time, and the same over TLS (round trip and
# connection set-up). Both daemons run with private sockets; libvirtd in a network namespace of its own
# with only loopback, and the TLS clients inside that namespace too (nsenter).
#
#   bench/rpc-bench.sh             everything (about 2 minutes)
#   N=20000 bench/rpc-bench.sh     calls per getinfo run
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/target-bench"
N=${N:-20000}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/rpc-bench.XXXXXX)
cleanup() {
  [[ -n ${JPID:-} ]] && kill "$JPID" 2>/dev/null || true
  [[ -n ${LPID:-} ]] && kill "$LPID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

gcc -O2 -o "$WORK/rpcbench" "$ROOT/bench/src/c/rpcbench.c" $(pkg-config --cflags --libs libvirt)
[[ -x "$ROOT/distribution/target/jvirt/bin/jvirtd" ]] || mvn -q -f "$ROOT/pom.xml" -pl distribution -am package -DskipTests

# certificates for both daemons (openssl: a CA, a server for localhost, a client)
P="$WORK/pki"; mkdir -p "$P/client"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$P/cakey.pem" -out "$P/cacert.pem" -days 2 -subj "/CN=bench CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
for who in server client; do
  if [[ $who == server ]]; then ext="subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"; else ext="extendedKeyUsage=clientAuth"; fi
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n%s\n' "$ext" > "$P/$who.ext"
  openssl req -newkey rsa:2048 -nodes -keyout "$P/${who}key.pem" -out "$P/$who.csr" -subj "/O=bench/CN=localhost" 2>/dev/null
  openssl x509 -req -in "$P/$who.csr" -CA "$P/cacert.pem" -CAkey "$P/cakey.pem" -CAcreateserial -days 2 \
    -extfile "$P/$who.ext" -out "$P/${who}cert.pem" 2>/dev/null
done
cp "$P/cacert.pem" "$P/client/"; cp "$P/clientcert.pem" "$P/clientkey.pem" "$P/client/"

conf() {  # $1 socket dir, $2 tls port
  cat <<CONF
unix_sock_dir = "$1"
listen_tcp = 0
listen_tls = 1
listen_addr = "127.0.0.1"
tls_port = "$2"
auth_unix_rw = "none"
auth_unix_ro = "none"
auth_tls = "none"
ca_file = "$P/cacert.pem"
cert_file = "$P/servercert.pem"
key_file = "$P/serverkey.pem"
max_clients = 5000
max_workers = 20
max_client_requests = 5
CONF
}
mkdir -p "$WORK/j" "$WORK/l"
conf "$WORK/j" 26514 > "$WORK/jvirtd.conf"
conf "$WORK/l" 16514 > "$WORK/libvirtd.conf"

# jvirtd: its own copy of the distribution, C2 on for a server, pinned to core 0
cp -a "$ROOT/distribution/target/jvirt" "$WORK/jvirt"; rm -rf "$WORK/jvirt/data" "$WORK/jvirt/deploy"/*.jar
echo "unix_sock_dir = $WORK/j" > "$WORK/jvirt/etc/org.jvirt.remote.server.cfg"
JVIRTD_CDS=0 JVIRTD_JAVA_OPTS="-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2 -XX:-UseSerialGC -XX:+UseParallelGC -Xmx512m" \
  taskset -c 0 "$WORK/jvirt/bin/jvirtd" --listen -f "$WORK/jvirtd.conf" > "$WORK/jvirtd.log" 2>&1 &
JPID=$!
# libvirtd: its own network namespace with loopback up, pinned to core 0
unshare -n sh -c "ip link set lo up && exec taskset -c 0 libvirtd --listen -f $WORK/libvirtd.conf --pid-file $WORK/libvirtd.pid" \
  > "$WORK/libvirtd.log" 2>&1 &
LPID=$!
for _ in $(seq 100); do [[ -S $WORK/j/libvirt-sock && -S $WORK/l/libvirt-sock ]] && break; sleep 0.2; done
[[ -S $WORK/j/libvirt-sock ]] || { cat "$WORK/jvirtd.log"; exit 1; }
[[ -S $WORK/l/libvirt-sock ]] || { cat "$WORK/libvirtd.log"; exit 1; }
LNS=$(pgrep -P "$LPID" libvirtd || echo "$LPID")
JURI="test+unix:///default?socket=$WORK/j/libvirt-sock"
LURI="test+unix:///default?socket=$WORK/l/libvirt-sock"
rss() { awk '/VmRSS/{print $2 " kB"}' "/proc/$1/status"; }
jvirtd_pid() { pgrep -f "jvirt.home=$WORK/jvirt" | head -n1; }

{
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "== getInfo round trip, client and daemon on core 0 ($N calls after warm-up)"
for side in jvirtd libvirtd; do
  uri=$JURI; [[ $side == libvirtd ]] && uri=$LURI
  # warm-up in the timed run's own set-up (pinned), over several connections: jvirtd's JIT reaches its steady
  # state after a few connections have come and gone (the first run after one connection is ~10 us slower)
  for _ in 1 2 3; do taskset -c 0 "$WORK/rpcbench" "$uri" getinfo 100000 > /dev/null; done
  echo "$side: $(taskset -c 0 "$WORK/rpcbench" "$uri" getinfo "$N" | tr '\n' ' ')"
done
echo "== 8 concurrent client processes (unpinned), aggregate calls/s"
for side in jvirtd libvirtd; do
  uri=$JURI; [[ $side == libvirtd ]] && uri=$LURI
  for i in $(seq 8); do "$WORK/rpcbench" "$uri" getinfo "$N" > "$WORK/c$i.txt" & done; wait
  echo "$side: $(cat "$WORK"/c*.txt | awk '/^getinfo/ {s += $(NF-1)} /^client cpu/ {c += $3; k++} \
    END {printf "%.0f calls/s; each client process used %.1f us of CPU per call", s, c / k}')"
done
# the clients' own CPU bounds the aggregate on this machine: all cores busy with clients alone give
echo "ceiling with a daemon that costs nothing: $(nproc) cores / the client CPU per call (see above)"
echo "== 1,000 connections held: daemon RSS"
for side in jvirtd libvirtd; do
  uri=$JURI; pid=$(jvirtd_pid); [[ $side == libvirtd ]] && { uri=$LURI; pid=$LNS; }
  "$WORK/rpcbench" "$uri" hold 1000 6 > /dev/null & H=$!
  sleep 5; echo "$side: $(rss "$pid") with 1,000 connections"; wait "$H"
done
echo "== virsh list --all, whole process, 40 runs each, alternating (median ms)"
for uri in "$JURI" "$LURI"; do for _ in $(seq 5); do virsh -c "$uri" list --all > /dev/null; done; done
jt=(); lt=()
for _ in $(seq 40); do
  s=$(date +%s%N); virsh -c "$JURI" list --all > /dev/null; jt+=($(( ($(date +%s%N) - s) / 1000 )))
  s=$(date +%s%N); virsh -c "$LURI" list --all > /dev/null; lt+=($(( ($(date +%s%N) - s) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | sed -n 20p | awk '{printf "%.1f ms", $1 / 1000}'; }
echo "jvirtd: $(median "${jt[@]}")"
echo "libvirtd: $(median "${lt[@]}")"
echo "== TLS (inside libvirtd's namespace for libvirtd; loopback for jvirtd): getInfo round trip and set-up"
"$WORK/rpcbench" "test+tls://localhost:26514/default?pkipath=$P/client" getinfo 2000 > /dev/null
echo "jvirtd: $("$WORK/rpcbench" "test+tls://localhost:26514/default?pkipath=$P/client" getinfo "$N")"
echo "libvirtd: $(nsenter -t "$LNS" -n "$WORK/rpcbench" "test+tls://localhost:16514/default?pkipath=$P/client" getinfo "$N")"
for side in jvirtd libvirtd; do
  s=$(date +%s%N)
  for _ in $(seq 50); do
    if [[ $side == jvirtd ]]; then "$WORK/rpcbench" "test+tls://localhost:26514/default?pkipath=$P/client" getinfo 1 > /dev/null
    else nsenter -t "$LNS" -n "$WORK/rpcbench" "test+tls://localhost:16514/default?pkipath=$P/client" getinfo 1 > /dev/null; fi
  done
  echo "$side: TLS connect + 1 call + close, whole client process: $(( ($(date +%s%N) - s) / 50000000 )) ms each"
done
} | tee "$OUT/rpc-result.txt"
