#!/usr/bin/env bash
# Benchmark of the built distribution (not a test; builds nothing: run `mvn -B -DskipTests install` first).
# Unpacks karaf-distribution/target/*.tar.gz into a temp dir, starts it on free 127.0.0.1 ports and prints:
#   cold boot to REST ready, hot-deploy latency, helloworld start to RUNNING, adding 10 nodes to RUNNING,
#   RSS of one agent, of all agents, and of the director, and authenticated REST GETs per second.
# Always cleans up (bin/stop, agents killed by PID, temp dir removed), also on failure or Ctrl-C.
# Needs: bash, curl, python3, procps (ps), tar.   Usage: bench/run.sh [nodes-to-add (default 10)]
set -euo pipefail
ADD_NODES="${1:-10}"
source "$(dirname "$0")/lib.sh"
bench_init

agent_pids() {
    local kpid; kpid="$(cat "$HOME_DIR/karaf.pid" 2>/dev/null || echo none)"
    for pid in $(marked_pids); do
        [ "$pid" = "$kpid" ] && continue
        { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -q 'agent.properties' && echo "$pid"
    done
}
rss_kb() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' '; }
type_absent() { ! type_listed helloworld; }

unpack_distribution
echo "distribution: $DIST  (runtime in $WORK, REST on 127.0.0.1:$HTTP)"
T=$(now)
start_director
echo "cold boot to REST ready:          $(since "$T")"
login_admin
wait_for 60 type_listed helloworld

JAR="$HOME_DIR/deploy/svc-helloworld.jar"
cp "$JAR" "$WORK/svc-helloworld.jar"; rm "$JAR"
wait_for 60 type_absent
T=$(now); cp "$WORK/svc-helloworld.jar" "$JAR"
wait_for 60 type_listed helloworld
echo "hot deploy (jar copied -> listed): $(since "$T")"

APP="$(running_application bench)"
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
