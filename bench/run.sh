#!/usr/bin/env bash
# Benchmark of the built distribution (not a test; builds nothing: run `mvn -B -DskipTests install` first).
# Unpacks karaf-distribution/target/*.tar.gz into a temp dir, starts it on free 127.0.0.1 ports and prints:
#   cold boot to REST ready, hot-deploy latency, helloworld start to RUNNING, adding 10 nodes to RUNNING,
#   RSS of one agent, of all agents, and of the director, and authenticated REST GETs per second.
# Always cleans up (bin/stop, agents killed by PID, temp dir removed), also on failure or Ctrl-C.
# Needs: bash, curl, python3, procps (ps), tar.   Usage: bench/run.sh [nodes-to-add (default 10)]
set -euo pipefail
cd "$(dirname "$0")/.."
ADD_NODES="${1:-10}"
DIST="$(ls karaf-distribution/target/karaf-distribution-*.tar.gz 2>/dev/null | head -1 || true)"
[ -n "$DIST" ] || { echo "no distribution: run 'mvn -B -DskipTests install' first" >&2; exit 2; }
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"

WORK="$(mktemp -d /tmp/conpaas-bench.XXXXXX)"
MARK="conpaas-bench-$$-$RANDOM"          # inherited by the director and the agents it forks
HOME_DIR=""
cleanup() {
    set +e
    if [ -n "$HOME_DIR" ] && [ -f "$HOME_DIR/karaf.pid" ]; then
        local kpid; kpid="$(cat "$HOME_DIR/karaf.pid")"
        "$HOME_DIR/bin/stop" >/dev/null 2>&1
        for _ in $(seq 1 60); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$kpid" 2>/dev/null && kill -9 "$kpid"
    fi
    for pid in $(marked_pids); do kill "$pid" 2>/dev/null; done
    sleep 1
    for pid in $(marked_pids); do kill -9 "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# PIDs of processes carrying this run's marker in their environment (the director and its agents), by PID only.
marked_pids() {
    for env in /proc/[0-9]*/environ; do
        if { tr '\0' '\n' < "$env"; } 2>/dev/null | grep -qx "CONPAAS_BENCH=$MARK"; then
            pid="${env#/proc/}"; echo "${pid%/environ}"
        fi
    done
}
agent_pids() {
    local kpid; kpid="$(cat "$HOME_DIR/karaf.pid" 2>/dev/null || echo none)"
    for pid in $(marked_pids); do
        [ "$pid" = "$kpid" ] && continue
        { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -q 'agent.properties' && echo "$pid"
    done
}
rss_kb() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' '; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }
now() { date +%s.%N; }
since() { python3 -c "import sys;print(f'{float(sys.argv[2])-float(sys.argv[1]):.2f} s')" "$1" "$(now)"; }
jget() { python3 -c "import sys,json;d=json.load(sys.stdin);print(eval('d'+sys.argv[1]))" "$1"; }
setcfg() {  # file key value
    if grep -qE "^[[:space:]]*$2[[:space:]]*=" "$1" 2>/dev/null; then sed -i -E "s|^[[:space:]]*$2[[:space:]]*=.*|$2 = $3|" "$1"
    else echo "$2 = $3" >> "$1"; fi
}

tar xzf "$DIST" -C "$WORK"
HOME_DIR="$(ls -d "$WORK"/*/ | head -1)"; HOME_DIR="${HOME_DIR%/}"
HTTP="$(free_port)"
setcfg "$HOME_DIR/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$HTTP"
setcfg "$HOME_DIR/etc/org.apache.karaf.shell.cfg" sshPort "$(free_port)"
setcfg "$HOME_DIR/etc/org.apache.karaf.management.cfg" rmiRegistryPort "$(free_port)"
setcfg "$HOME_DIR/etc/org.apache.karaf.management.cfg" rmiServerPort "$(free_port)"
API="http://127.0.0.1:$HTTP/api/v1"
AUTH=""   # admin:<password>, read once the director has created its first administrator
post() { curl -sf -u "$AUTH" -X POST -H 'Content-Type: application/json' -d "$2" "$API$1"; }
get() { curl -sf ${AUTH:+-u "$AUTH"} "$API$1"; }
wait_for() {  # seconds, command...
    local limit="$1"; shift; local end=$(( $(date +%s) + limit ))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$end" ] || { echo "timed out after ${limit}s: $*" >&2; return 1; }
        sleep 0.1
    done
}
type_listed() { get /service-types | python3 -c "import sys,json;sys.exit(0 if any(t['name']=='helloworld' for t in json.load(sys.stdin)) else 1)"; }
type_absent() { ! type_listed; }

echo "distribution: $DIST  (runtime in $WORK, REST on 127.0.0.1:$HTTP)"
T=$(now)
CONPAAS_BENCH="$MARK" "$HOME_DIR/bin/start"
wait_for 300 get /version
echo "cold boot to REST ready:          $(since "$T")"
wait_for 60 test -s "$HOME_DIR/data/conpaas/admin-password.txt"
AUTH="admin:$(grep -v '^#' "$HOME_DIR/data/conpaas/admin-password.txt" | grep -m1 .)"
wait_for 60 type_listed

JAR="$HOME_DIR/deploy/svc-helloworld.jar"
cp "$JAR" "$WORK/svc-helloworld.jar"; rm "$JAR"
wait_for 60 type_absent
T=$(now); cp "$WORK/svc-helloworld.jar" "$JAR"
wait_for 60 type_listed
echo "hot deploy (jar copied -> listed): $(since "$T")"

APP="$(post /applications '{"name":"bench"}' | jget "['id']")"
post "/applications/$APP/start" '{}' >/dev/null
app_running() { get "/applications/$APP" | grep -q '"state":"RUNNING"'; }
wait_for 60 app_running
SVC="$(post "/applications/$APP/services" '{"type":"helloworld","name":"hw"}' | jget "['id']")"
S="/applications/$APP/services/$SVC"
T=$(now); STATE="$(post "$S/start?wait=300" '{}' | jget "['state']")"
echo "helloworld start to $STATE:      $(since "$T")"
T=$(now); STATE="$(post "$S/nodes?wait=600" "{\"roles\":{\"node\":$ADD_NODES}}" | jget "['state']")"
RUNNING="$(get "$S/nodes" | python3 -c "import sys,json;print(sum(1 for n in json.load(sys.stdin) if n['status']=='RUNNING'))")"
echo "adding $ADD_NODES nodes to $STATE:         $(since "$T")  ($RUNNING nodes RUNNING)"

AGENTS="$(agent_pids)"
COUNT=0; TOTAL=0
for pid in $AGENTS; do r="$(rss_kb "$pid")"; [ -n "$r" ] || continue; COUNT=$((COUNT+1)); TOTAL=$((TOTAL+r)); done
[ "$COUNT" -gt 0 ] && echo "agent RSS:                        $((TOTAL / COUNT / 1024)) MiB average of $COUNT agents, $((TOTAL / 1024)) MiB in total"
echo "director RSS:                     $(( $(rss_kb "$(cat "$HOME_DIR/karaf.pid")") / 1024 )) MiB"

# Authenticated REST throughput: one client, keep-alive, HTTP Basic on every request (bounded: 2000 requests).
python3 - "$HTTP" "$AUTH" "$APP" <<'PY'
import base64, http.client, sys, time
port, auth, app = int(sys.argv[1]), sys.argv[2], sys.argv[3]
headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode(), "Accept": "application/json"}
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
def call():
    conn.request("GET", "/api/v1/applications/" + app, headers=headers)
    r = conn.getresponse(); r.read()
    if r.status != 200:
        raise SystemExit("unexpected HTTP %d" % r.status)
for _ in range(100):
    call()  # warm up: the JIT, and the first password check (Argon2id) of these credentials
n, start = 2000, time.monotonic()
for _ in range(n):
    call()
elapsed = time.monotonic() - start
print("authenticated REST GETs:          %.0f per second (%.2f ms each, one client)" % (n / elapsed, 1000 * elapsed / n))
PY

post "$S/stop?wait=120" '{}' >/dev/null || true
