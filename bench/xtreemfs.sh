#!/usr/bin/env bash
# XtreemFS (MooseFS) benchmark of the built distribution (not a test: it prints figures and asserts no threshold;
# builds nothing: run `mvn -B -DskipTests install` first). Needs root (the local cloud's namespace mode, mounts).
# Starts the distribution on free 127.0.0.1 ports with a local cloud `ns` in the namespace mode, runs an xtreemfs
# service, creates a volume, mounts it from this host and measures, in one run, sequential write (dd, fsync at the
# end) and sequential read (a fresh mount, so no client cache) of one file
#   - through the service with 1 OSD (the DIR node's), then with 3 OSDs (two added with the service's add-nodes);
#   - against MooseFS set up here by hand the same way (a master and 1, then 3 chunkservers, each in a network
#     namespace of its own on a bridge of its own, data in folders of this host's disk).
# Always cleans up (mounts, its daemons and the director's processes by PID, namespaces, bridge, temp dir).
# Needs: bash, curl, python3, tar, iproute2, util-linux, moosefs-master, moosefs-chunkserver, moosefs-client.
# Usage: sudo bench/xtreemfs.sh   Environment: BENCH_MB (256, the file's size).
set -euo pipefail
MB="${BENCH_MB:-256}"
[ "$(id -u)" -eq 0 ] || { echo "run as root: the namespace mode and mfsmount need it" >&2; exit 2; }
for tool in mfsmaster mfschunkserver mfsmount curl python3 ip; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (see the head of $0)" >&2; exit 2; }
done
source "$(dirname "$0")/lib.sh"
bench_init
chmod 711 "$WORK"
SUFFIX="$(printf '%04x' $((RANDOM % 65536)))"
NS_BRIDGE="cpsbx$SUFFIX"; NS_NET="198.19.$((RANDOM % 100 + 150))"
HAND_BRIDGE="cpshx$SUFFIX"; HAND_NET="198.19.$((RANDOM % 100 + 40))"
MOUNT="$WORK/mnt"; mkdir -p "$MOUNT"
HAND_NS=()
xfs_cleanup() {
    set +e
    umount "$MOUNT" 2>/dev/null || umount -l "$MOUNT" 2>/dev/null
    for pid in "${OWN_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    sleep 2
    for ns in "${HAND_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
    ip link del "$HAND_BRIDGE" 2>/dev/null
    bench_cleanup
}
trap xfs_cleanup EXIT

unpack_distribution
cat > "$HOME_DIR/etc/org.conpaas.cloud.local-ns.cfg" <<CFG
name = ns
network = namespace
bridge = $NS_BRIDGE
bridgeAddress = $NS_NET.1/24
dataDir = \${karaf.data}/cloud-local/ns
CFG
echo "distribution: $DIST  (runtime in $WORK, REST on 127.0.0.1:$HTTP)"
start_director
login_admin
wait_for 60 type_listed xtreemfs

# dd of MB MiB into the mounted file, then out of a fresh mount; prints "write-MB/s read-MB/s".
measure() {  # master volume-path password-or-empty
    local opts=(); [ -z "$3" ] || opts=(-o "mfspassword=$3")
    mfsmount "$MOUNT" -H "$1" -S "$2" "${opts[@]}" >/dev/null 2>&1
    local start w r
    rm -f "$MOUNT/bench.bin"
    start="$(now)"; dd if=/dev/zero of="$MOUNT/bench.bin" bs=1M count="$MB" conv=fsync status=none
    w="$(secs_since "$start")"
    umount "$MOUNT"; mfsmount "$MOUNT" -H "$1" -S "$2" "${opts[@]}" >/dev/null 2>&1
    start="$(now)"; dd if="$MOUNT/bench.bin" of=/dev/null bs=1M status=none
    r="$(secs_since "$start")"
    rm -f "$MOUNT/bench.bin"; umount "$MOUNT"
    python3 -c "import sys;mb=int(sys.argv[1]);print(f'{mb/float(sys.argv[2]):.0f} {mb/float(sys.argv[3]):.0f}')" "$MB" "$w" "$r"
}
RESULTS_TABLE="$WORK/results.txt"
row() {  # label "write read"
    local w r; read -r w r <<< "$2"
    printf '%-44s %10s MB/s %10s MB/s\n' "$1" "$w" "$r" | tee -a "$RESULTS_TABLE"
}
echo "sequential dd of $MB MiB; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %15s %15s\n' "case" "write" "read" | tee "$RESULTS_TABLE"

APP="$(running_application xtreemfs-bench)"
SVC="$(post "/applications/$APP/services" '{"type":"xtreemfs","name":"fs"}' | jget "['id']")"
S="/applications/$APP/services/$SVC"
post "$S/start?wait=300" '{"cloud":"ns"}' | settled_running "xtreemfs service start"
post "$S/operations/createVolume" '{"volumeName":"bench"}' >/dev/null
MASTER="$(post "$S/operations/get_client_cert" '{}' | jget "['master']")"
PASSWORD="$(post "$S/operations/get_client_cert" '{}' | jget "['volumes']['bench']['password']")"
row "service, 1 OSD" "$(measure "$MASTER" /bench "$PASSWORD")"
post "$S/nodes?wait=300" '{"roles":{"osd":2},"cloud":"ns"}' | settled_running "adding two OSDs"
row "service, 3 OSDs" "$(measure "$MASTER" /bench "$PASSWORD")"
post "$S/stop?wait=120" '{}' >/dev/null || true

# MooseFS by hand: the same daemons and settings the nodes get, started here in namespaces of a bridge of our own.
ip link add "$HAND_BRIDGE" type bridge; ip addr add "$HAND_NET.1/24" dev "$HAND_BRIDGE"; ip link set "$HAND_BRIDGE" up
for i in 1 2 3; do
    ns="$HAND_BRIDGE-$i"; ip netns add "$ns"; HAND_NS+=("$ns")
    ip link add "cpshv$SUFFIX$i" type veth peer name eth0 netns "$ns"
    ip link set "cpshv$SUFFIX$i" master "$HAND_BRIDGE" up
    ip -n "$ns" addr add "$HAND_NET.1$i/24" dev eth0; ip -n "$ns" link set eth0 up; ip -n "$ns" link set lo up
done
H="$WORK/hand"; mkdir -p "$H/master"
cp /var/lib/mfs/metadata.mfs.empty "$H/master/metadata.mfs"
echo "* / rw,alldirs,maproot=0" > "$H/master/mfsexports.cfg"; touch "$H/master/mfstopology.cfg"
cat > "$H/master/mfsmaster.cfg" <<CFG
WORKING_USER = root
DATA_PATH = $H/master
EXPORTS_FILENAME = $H/master/mfsexports.cfg
TOPOLOGY_FILENAME = $H/master/mfstopology.cfg
MATOML_LISTEN_HOST = $HAND_NET.11
MATOCS_LISTEN_HOST = $HAND_NET.11
MATOCL_LISTEN_HOST = $HAND_NET.11
REPLICATIONS_DELAY_INIT = 0
CHUNKS_LOOP_MIN_TIME = 1
CFG
nsenter --net="/run/netns/$HAND_BRIDGE-1" mfsmaster -f -c "$H/master/mfsmaster.cfg" > "$H/master.log" 2>&1 &
OWN_PIDS+=("$!")
wait_for 30 bash -c "</dev/tcp/$HAND_NET.11/9421" 2>/dev/null
chunkserver() {  # n
    local d="$H/cs$1"; mkdir -p "$d/chunks"; echo "$d/chunks" > "$d/mfshdd.cfg"
    cat > "$d/mfschunkserver.cfg" <<CFG
WORKING_USER = root
DATA_PATH = $d
HDD_CONF_FILENAME = $d/mfshdd.cfg
MASTER_HOST = $HAND_NET.11
BIND_HOST = $HAND_NET.1$1
CSSERV_LISTEN_HOST = $HAND_NET.1$1
HDD_LEAVE_SPACE_DEFAULT = 64MiB
CFG
    nsenter --net="/run/netns/$HAND_BRIDGE-$1" mfschunkserver -f -c "$d/mfschunkserver.cfg" > "$d.log" 2>&1 &
    OWN_PIDS+=("$!")
    wait_for 30 bash -c "</dev/tcp/$HAND_NET.1$1/9422" 2>/dev/null
    sleep 1
}
chunkserver 1
row "MooseFS by hand, 1 chunkserver" "$(measure "$HAND_NET.11" / "")"
chunkserver 2; chunkserver 3
row "MooseFS by hand, 3 chunkservers" "$(measure "$HAND_NET.11" / "")"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
