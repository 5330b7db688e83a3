#!/usr/bin/env bash
# The steps of bench/run.sh against Apache Brooklyn 1.1.0, its closest open-source peer (a Java control plane that
# starts processes over SSH), for a side-by-side comparison (not a test). Fetches Brooklyn from Maven Central with
# `mvn dependency:copy` (cached in ~/.m2 after the first run), starts a private sshd on 127.0.0.1-127.0.0.11 (its own
# host key and authorized_keys in the temp dir, SetEnv HOME=<an empty folder>, so Brooklyn's processes land there),
# and Brooklyn on a free 127.0.0.1 port with its home in the temp dir, then measures:
#   boot 1: boot -> REST answering (GET /v1/server/version), then at once GET /v1/applications x16 for 10 s;
#   boot 2: boot -> REST answering, -> ready (the catalog answers and lists VanillaSoftwareProcess), RSS, one
#     VanillaSoftwareProcess (a `sleep`) on a byon machine -> RUNNING, a DynamicCluster of 10 of them on 10 byon
#     machines -> RUNNING, GET /v1/applications x16 for 2 x BENCH_STEADY seconds (the second half is the steady
#     state), RSS after that load.
# Prints its figures, or with BROOKLYN_RESULTS=<file> (as bench/run.sh --brooklyn calls it) records them there.
# Always cleans up (Brooklyn, sshd and the processes it started killed by PID, temp dir removed), also on failure.
# Needs: bash, curl, python3, procps (ps), tar, wrk, mvn, ssh-keygen, sshd (Debian: apt-get install wrk maven
#   openssh-client openssh-server; run as root, sshd is installed with apt-get when it is missing).
# Usage: bench/brooklyn.sh   Environment: BENCH_STEADY (seconds, 30), BENCH_CONNECTIONS (16).
set -euo pipefail
STEADY="${BENCH_STEADY:-30}"
SSHD=/usr/sbin/sshd
if [ ! -x "$SSHD" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    # Only the binary is wanted: a policy-rc.d answering 101 keeps the package from starting the system's sshd
    # (port 22 on every address) where an init system would; the private sshd below binds 127.0.0.x only.
    POLICY=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        POLICY=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' > "$POLICY" && chmod 755 "$POLICY"
    fi
    apt-get install -y -q openssh-server >/dev/null \
        || { apt-get update -q >/dev/null && apt-get install -y -q openssh-server >/dev/null; } || true
    if [ -n "$POLICY" ]; then rm -f "$POLICY"; fi
fi
for tool in wrk mvn ssh-keygen curl python3 "$SSHD"; do
    command -v "$tool" >/dev/null \
        || { echo "$tool is not installed (apt-get install wrk maven openssh-client openssh-server)" >&2; exit 2; }
done
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
cd "$HERE/.."
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
WORK="$(mktemp -d /tmp/brooklyn-bench.XXXXXX)"
OWN_PIDS=()
RESULTS="${BROOKLYN_RESULTS:-$WORK/brooklyn.results}"
PROCESSES="$WORK/processes"   # HOME of the SSH sessions: Brooklyn's on-box folder, with a pid.txt per process

brooklyn_cleanup() {
    set +e
    local pid f
    for pid in "${OWN_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for f in $(find "$PROCESSES" -name pid.txt 2>/dev/null); do kill "$(cat "$f")" 2>/dev/null; done
    sleep 1
    for pid in "${OWN_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
    for f in $(find "$PROCESSES" -name pid.txt 2>/dev/null); do kill -9 "$(cat "$f")" 2>/dev/null; done
    rm -rf "$WORK"
}
trap brooklyn_cleanup EXIT
trap 'exit 130' INT TERM

# Brooklyn and the three javax APIs Java 17 lacks (its launcher puts BROOKLYN_CLASSPATH first on the class path).
echo "fetching Apache Brooklyn 1.1.0 from Maven Central (cached in ~/.m2 after the first run) ..."
mkdir -p "$WORK/dl/extra"
( cd "$WORK/dl"
  mvn -B -q dependency:copy -Dartifact=org.apache.brooklyn:brooklyn-dist:1.1.0:tar.gz:dist -DoutputDirectory="$WORK/dl"
  for a in jakarta.xml.ws:jakarta.xml.ws-api:2.3.3 jakarta.jws:jakarta.jws-api:2.1.0 \
           jakarta.xml.soap:jakarta.xml.soap-api:1.4.2; do
      mvn -B -q dependency:copy -Dartifact="$a" -DoutputDirectory="$WORK/dl/extra"
  done ) >"$WORK/mvn.log" 2>&1 \
    || { echo "could not fetch Brooklyn from Maven Central; mvn said:" >&2; cat "$WORK/mvn.log" >&2; exit 1; }
export BROOKLYN_CLASSPATH="$(ls "$WORK"/dl/extra/*.jar | paste -sd:)"

# The private sshd: key login only, as the invoking user, on 127.0.0.1 (one service) and 127.0.0.2-11 (10 nodes).
SSH="$WORK/ssh"; mkdir -p "$SSH" "$PROCESSES"
ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -f "$SSH/host_key"
ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -f "$SSH/id"
cp "$SSH/id.pub" "$SSH/authorized_keys"
SSH_PORT="$(free_port)"
{
    echo "Port $SSH_PORT"
    for i in $(seq 1 11); do echo "ListenAddress 127.0.0.$i"; done
    cat <<EOF
HostKey $SSH/host_key
PidFile $SSH/sshd.pid
AuthorizedKeysFile $SSH/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
MaxStartups 100:30:200
MaxSessions 100
Subsystem sftp internal-sftp
SetEnv HOME=$PROCESSES
EOF
} > "$SSH/sshd_config"
# sshd's privilege separation folder, absent until the package's service has run once.
[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
"$SSHD" -D -f "$SSH/sshd_config" -E "$SSH/sshd.log" & OWN_PIDS+=("$!")
wait_for 10 ssh -n -q -i "$SSH/id" -p "$SSH_PORT" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o BatchMode=yes "$(id -un)@127.0.0.11" true \
    || { echo "the private sshd does not accept the key:" >&2; cat "$SSH/sshd.log" >&2; exit 1; }

blueprint() {  # name, hosts (JSON list), service YAML (indented by 0)
    cat <<EOF
name: $1
location:
  byon:
    user: $(id -un)
    privateKeyFile: $SSH/id
    onbox.base.dir: $PROCESSES/brooklyn-managed-processes
    hosts: $2
services:
$3
EOF
}
PROCESS='type: org.apache.brooklyn.entity.software.base.VanillaSoftwareProcess
  brooklyn.config:
    launch.command: "nohup sleep 86400 > /dev/null 2>&1 < /dev/null & echo $! > $PID_FILE"'
blueprint bench-one "[\"127.0.0.1:$SSH_PORT\"]" "- $PROCESS" > "$WORK/one.yaml"
HOSTS="$(for i in $(seq 2 11); do printf '"127.0.0.%s:%s",' "$i" "$SSH_PORT"; done)"
blueprint bench-ten "[${HOSTS%,}]" "- type: org.apache.brooklyn.entity.group.DynamicCluster
  brooklyn.config:
    initialSize: 10
    dynamiccluster.memberspec:
      \$brooklyn:entitySpec:
        ${PROCESS//$'\n'/$'\n'      }" > "$WORK/ten.yaml"

BPID=""
start_brooklyn() {  # folder name under WORK; sets B (REST base) and BPID (its JVM: the launcher execs java)
    local dir="$WORK/$1"
    mkdir -p "$dir/home"
    tar xzf "$WORK"/dl/brooklyn-dist-1.1.0-dist.tar.gz -C "$dir"
    local port; port="$(free_port)"
    B="http://127.0.0.1:$port/v1"
    ( cd "$dir" && exec env JAVA_OPTS="-Xms256m -Xmx1g -Duser.home=$dir/home" \
        "$dir/brooklyn-dist-1.1.0/bin/brooklyn" launch --bindAddress 127.0.0.1 --port "$port" \
        --persist disabled --noGlobalBrooklynProperties >"$dir/console.log" 2>&1 ) &
    BPID="$!"; OWN_PIDS+=("$BPID")
}
stop_brooklyn() {
    local f
    kill "$BPID" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$BPID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$BPID" 2>/dev/null || true
    for f in $(find "$PROCESSES" -name pid.txt 2>/dev/null); do kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
}
bget() { curl -sf --max-time "${GET_TIMEOUT:-30}" "$B$1"; }
catalog_ready() {
    bget /catalog/types | python3 -c "import sys,json
sys.exit(0 if any(t['symbolicName'].endswith('.VanillaSoftwareProcess') for t in json.load(sys.stdin)) else 1)"
}
app_status() { bget "/applications/$1" | jget "['status']"; }
app_settled() { case "$(app_status "$1")" in RUNNING|ERROR) return 0 ;; *) return 1 ;; esac; }
deploy() {  # key, blueprint file: records <key>_s and <key>_state
    local t id; t=$(now)
    id="$(curl -sf -X POST -H 'Content-Type: application/x-yaml' --data-binary "@$2" "$B/applications" \
        | jget "['entityId']")"
    wait_for 300 app_settled "$id"
    record "$1_s" "$(secs_since "$t")"
    echo "$id"
}
running_processes() {
    local n=0 f
    for f in $(find "$PROCESSES" -name pid.txt); do kill -0 "$(cat "$f")" 2>/dev/null && n=$((n+1)); done
    echo "$n"
}

CPU_START="$(cpu_counters)"
echo "Brooklyn boot 1: REST under load right after boot ..."
T=$(now); start_brooklyn boot1
GET_TIMEOUT=1 wait_for 120 bget /server/version; record rest1_s "$(secs_since "$T")"
http_load first 10 "$B/applications"
stop_brooklyn

echo "Brooklyn boot 2: boot, ready, one service, 10 nodes, steady REST load ..."
T=$(now); start_brooklyn boot2
GET_TIMEOUT=1 wait_for 120 bget /server/version; record rest_s "$(secs_since "$T")"
wait_for 120 catalog_ready; record ready_s "$(secs_since "$T")"
sleep 1; record rss_boot_mb "$(rss_mb "$BPID")"
ONE="$(deploy one "$WORK/one.yaml")"; STATE="$(app_status "$ONE")/$(running_processes)"
record one_state "$STATE"; [ "$STATE" = "RUNNING/1" ] || record one_failed yes
TEN="$(deploy ten "$WORK/ten.yaml")"; STATE="$(app_status "$TEN")/$(( $(running_processes) - 1 ))"
record ten_state "$STATE"; [ "$STATE" = "RUNNING/10" ] || record ten_failed yes
RESULTS_KEEP="$RESULTS"; RESULTS="$WORK/warmup.results"   # the first half warms up; its figures are dropped
http_load warm "$STEADY" "$B/applications"
RESULTS="$RESULTS_KEEP"
http_load steady "$STEADY" "$B/applications"
record rss_load_mb "$(rss_mb "$BPID")"
record_machine "$CPU_START"
stop_brooklyn

[ -n "${BROOKLYN_RESULTS:-}" ] || python3 "$HERE/report.py" --brooklyn "$RESULTS"
