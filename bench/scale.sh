#!/usr/bin/env bash
# Scale mode of the benchmark (issue 12, item 3; not a test: it prints figures beside their goals and fails on none).
# 1,000 real agents are beyond one small machine's RAM, so the nodes here are simulated: bench/cloud-sim's driver (a
# cloud for benchmarks only, dropped into the unpacked distribution's deploy/) hands each node's user data to one
# simulator JVM, which serves the agent protocol for every node with that node's own certificate and key, mutual TLS,
# on its own loopback address. The director does all it does for a real cloud (certificates, user data, launch, status
# polls, plug-in push, the type's start operation, health checks every 5 s), only the agents are stand-ins.
# Steps: unpack karaf-distribution/target/*.tar.gz into a temp dir, start the simulator and the director (heap limit
# SCALE_HEAP, default 512m) on free 127.0.0.1 ports; create APPS applications with one helloworld service each on the
# cloud "sim" and SERVICE_NODES nodes per service (start: 1 node, then the rest in one add), SCALE_PARALLEL services at
# a time; then measure the director's heap (live after a full GC, committed) and RSS, its CPU while it only checks the
# nodes' health, GET /applications, one service's node list and /resources (every node) under 16 connections for
# 10 s each (after a 10 s warm-up) with the director's CPU time per answer, and the latency of three state changes
# (one node added; a service stopped; started again), and print them beside the goals (heap <= 512 MB, list p99
# <= 50 ms) with the machine's load and steal. A start the director refuses or fails is tried again (counted).
# Builds nothing: run `mvn -B -DskipTests package -pl karaf-distribution,bench/cloud-sim -am` first.
# Always cleans up (bin/stop, the simulator killed by PID, temp dir removed), also on failure or Ctrl-C.
# Needs: bash, curl, python3, procps (ps), tar, wrk, the JDK's jcmd.
# Usage: bench/scale.sh [applications (100)] [nodes per service (10)]
#   Environment: SCALE_HEAP (512m), SCALE_PARALLEL (8), SCALE_FIRST_ADDRESS (127.201.0.1), BENCH_CONNECTIONS (16),
#   SCALE_LOG (a file to keep the director's log in).
set -euo pipefail
APPS="${1:-100}"; SERVICE_NODES="${2:-10}"
[[ "$APPS" =~ ^[0-9]+$ && "$SERVICE_NODES" =~ ^[0-9]+$ && "$APPS" -ge 1 && "$APPS" -le 1000 \
    && "$SERVICE_NODES" -ge 1 && "$SERVICE_NODES" -le 50 ]] \
    || { echo "usage: bench/scale.sh [applications 1-1000] [nodes per service 1-50]" >&2; exit 2; }
PARALLEL="${SCALE_PARALLEL:-8}"
FIRST_ADDRESS="${SCALE_FIRST_ADDRESS:-127.201.0.1}"
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
bench_init
command -v "$JAVA_HOME/bin/jcmd" >/dev/null || { echo "jcmd is missing from $JAVA_HOME/bin (a JDK is needed)" >&2; exit 2; }
SIM_JAR="$(ls bench/cloud-sim/target/bench-cloud-sim-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1 || true)"
[ -n "$SIM_JAR" ] || { echo "no bench/cloud-sim jar: run 'mvn -B -DskipTests package -pl bench/cloud-sim -am' first" >&2; exit 2; }
RESULTS="$WORK/scale.results"
CPU_START="$(cpu_counters)"

unpack_distribution scale
echo "distribution: $DIST  (runtime in $WORK)"
setcfg "$HOME_DIR/etc/org.conpaas.https.cfg" port "$(free_port)"

# The simulator: its own JVM, found again by the cleanup through OWN_PIDS and the run's marker.
SIM_PORT="$(free_port)"
SIM_TOKEN="$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
CONPAAS_BENCH="$MARK" CONPAAS_SIM_TOKEN="$SIM_TOKEN" "$JAVA_HOME/bin/java" -Xss256k -Xmx768m -XX:+UseSerialGC \
    -cp "$SIM_JAR" org.conpaas.bench.sim.AgentSimulator "$SIM_PORT" "$FIRST_ADDRESS" > "$WORK/simulator.log" 2>&1 &
SIM_PID=$!; OWN_PIDS+=("$SIM_PID")
wait_for 30 grep -q ready "$WORK/simulator.log"

# The benchmark cloud: its driver in deploy/, its configuration (the control token) readable by the director only.
CFG="$HOME_DIR/etc/org.conpaas.cloud.sim-scale.cfg"
( umask 077; printf 'name = sim\nsimulatorUrl = http://127.0.0.1:%s\ntoken = %s\n' "$SIM_PORT" "$SIM_TOKEN" > "$CFG" )
cp "$SIM_JAR" "$HOME_DIR/deploy/bench-cloud-sim.jar"

echo "director (heap limit ${SCALE_HEAP:-512m}) ..."
CONPAAS_HEAP="${SCALE_HEAP:-512m}" start_director
login_admin
KPID="$(cat "$HOME_DIR/karaf.pid")"
cloud_listed() { get /clouds | grep -q '"name":"sim"'; }
wait_for 120 cloud_listed
wait_for 120 type_listed helloworld
grant_admin_credit   # a thousand node-hours

echo "$APPS applications x 1 helloworld service x $SERVICE_NODES nodes on the simulated cloud, $PARALLEL at a time ..."
T=$(now)
python3 - "$API" "$AUTH" "$APPS" "$SERVICE_NODES" "$PARALLEL" "$WORK/services.txt" <<'PY'
import base64, json, sys, time, urllib.error, urllib.request
from concurrent.futures import ThreadPoolExecutor
api, auth, apps, per_service, parallel, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
header = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode(), "Content-Type": "application/json"}
def call(method, path, body=None):
    req = urllib.request.Request(api + path, method=method, headers=header,
                                 data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req, timeout=900) as r:
            text = r.read()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode(errors='replace')[:300]}") from None
# A start the director refuses or that ends FAILED is tried again (up to 3 times): each retry is counted and its
# reason kept, so the report shows how often the director failed under this load instead of hiding it.
retries = []
def again(what, attempt):
    for n in range(4):
        try:
            return attempt()
        except RuntimeError as e:
            retries.append(f"{what}: {e}")
            if n == 3:
                raise
            time.sleep(1)
def settled(path, action, body):
    def attempt():
        info = call("POST", path + action, body)
        if info["state"] != "RUNNING":
            raise RuntimeError(f"{info['state']}: {info.get('stateReason') or ''}")
        return info
    return attempt
def one(i):
    try:
        return start_one(i)
    except Exception as e:
        return f"app-{i}", "ERROR", str(e).replace("\n", " ")
def start_one(i):
    app = again("create application", lambda: call("POST", "/applications", {"name": f"scale-{i}"})["id"])
    again("start application", lambda: call("POST", f"/applications/{app}/start", {}))
    svc = again("create service", lambda: call("POST", f"/applications/{app}/services",
                                               {"type": "helloworld", "name": "hw"})["id"])
    path = f"/applications/{app}/services/{svc}"
    info = again("start service", settled(path, "/start?wait=600", {"cloud": "sim"}))
    if per_service > 1:
        # A failed add leaves the service RUNNING with fewer nodes (the director releases the whole batch): count
        # the RUNNING nodes and add what is missing again.
        def add_missing():
            missing = per_service - running_nodes(path)
            if missing > 0:
                info = settled(path, "/nodes?wait=600", {"roles": {"node": missing}})()
                if running_nodes(path) < per_service:
                    raise RuntimeError(f"nodes missing after an add: {info.get('stateReason') or ''}")
            return call("GET", path)
        info = again("add nodes", add_missing)
    return path, info["state"], info.get("stateReason") or ""
def running_nodes(path):
    return sum(1 for n in call("GET", path + "/nodes") if n["status"] == "RUNNING")
with ThreadPoolExecutor(parallel) as pool, open(out, "w") as f:
    for path, state, reason in pool.map(one, range(apps)):
        f.write(f"{path} {state} {reason}\n")
with open(out + ".retries", "w") as f:
    f.writelines(r.replace("\n", " ") + "\n" for r in retries)
PY
record create_s "$(secs_since "$T")"
running_all() {
    get /resources | python3 -c "import sys,json
print(sum(1 for n in json.load(sys.stdin) if n['status']=='RUNNING'))"
}
RUNNING="$(running_all)"
record nodes_running "$RUNNING"
record services_running "$(grep -c ' RUNNING' "$WORK/services.txt" || true)"
record retries "$(wc -l < "$WORK/services.txt.retries")"
sort "$WORK/services.txt.retries" | cut -c1-160 | uniq -c | sort -rn | head -5 | sed 's/^/  retried: /' || true
grep -v ' RUNNING' "$WORK/services.txt" | head -3 | sed 's/^/  not RUNNING: /' || true

# Idle: the director only checks the nodes' health (GET /v1/status of each node every 5 s). Its CPU over 20 s.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sleep 5
C0="$(cpu_ticks "$KPID")"; sleep 20; C1="$(cpu_ticks "$KPID")"
record idle_cpu_pct "$(python3 -c "import os,sys;print(f'{100*(int(sys.argv[2])-int(sys.argv[1]))/os.sysconf(\"SC_CLK_TCK\")/20:.0f}')" "$C0" "$C1")"

# Heap: what is live after a full collection, and what the JVM holds (committed), from jcmd GC.heap_info.
heap_figures() {  # prefix
    "$JAVA_HOME/bin/jcmd" "$KPID" GC.run >/dev/null
    "$JAVA_HOME/bin/jcmd" "$KPID" GC.heap_info | python3 -c "import re,sys
text = sys.stdin.read()
gens = re.findall(r'(?:def new generation|tenured generation|garbage-first heap|PSYoungGen|ParOldGen)\s+total (\d+)K, used (\d+)K', text)
total = sum(int(t) for t, _ in gens); used = sum(int(u) for _, u in gens)
print(f'{used*1024/1e6:.0f} {total*1024/1e6:.0f}')"
}
read -r LIVE COMMITTED <<<"$(heap_figures)"
record heap_live_mb "$LIVE"; record heap_committed_mb "$COMMITTED"
record rss_mb "$(rss_mb "$KPID")"
record sim_rss_mb "$(rss_mb "$SIM_PID")"
record director_threads "$(ls /proc/"$KPID"/task | wc -l)"

# Lists under load: 10 s of warm-up on each URL, then 10 s measured.
FIRST_SVC="$(head -1 "$WORK/services.txt" | cut -d' ' -f1)"
echo "lists under ${BENCH_CONNECTIONS:-16} connections ..."
record loadavg_lists "$(cut -d' ' -f1 /proc/loadavg)"
for pair in "apps /applications" "nodes $FIRST_SVC/nodes" "resources /resources"; do
    set -- $pair
    RESULTS_KEEP="$RESULTS"; RESULTS="$WORK/warmup.results"
    http_load "warm_$1" 10 "$API$2" "$AUTH"
    RESULTS="$RESULTS_KEEP"
    C0="$(cpu_ticks "$KPID")"
    http_load "$1" 10 "$API$2" "$AUTH"
    C1="$(cpu_ticks "$KPID")"
    # The director's own CPU per answer: unlike p99, hardly moved by what else runs on the machine.
    record "$1_cpu_ms" "$(python3 -c "import os,sys
rps = float(sys.argv[3]); print(f'{1000*(int(sys.argv[2])-int(sys.argv[1]))/os.sysconf(\"SC_CLK_TCK\")/max(1.0, rps*10):.2f}')" \
        "$C0" "$C1" "$(grep "^$1_all_rps " "$RESULTS" | cut -d' ' -f2)")"
done
record rss_load_mb "$(rss_mb "$KPID")"
read -r LIVE COMMITTED <<<"$(heap_figures)"
record heap_live_after_mb "$LIVE"; record heap_committed_after_mb "$COMMITTED"

# State changes, each until settled (?wait).
echo "state changes ..."
SVC2="$(sed -n 2p "$WORK/services.txt" | cut -d' ' -f1)"
T=$(now); STATE="$({ post "$SVC2/nodes?wait=300" '{"roles":{"node":1}}' || echo '{"state":"refused"}'; } | jget "['state']")"
record add_node_s "$(secs_since "$T")"; record add_node_state "$STATE"
T=$(now); STATE="$({ post "$SVC2/stop?wait=300" '{}' || echo '{"state":"refused"}'; } | jget "['state']")"
record stop_s "$(secs_since "$T")"; record stop_state "$STATE"
T=$(now); STATE="$({ post "$SVC2/start?wait=300" '{"cloud":"sim"}' || echo '{"state":"refused"}'; } | jget "['state']")"
record start_s "$(secs_since "$T")"; record start_state "$STATE"

record_machine "$CPU_START"
[ -z "${SCALE_LOG:-}" ] || cp "$HOME_DIR/data/log/karaf.log" "$SCALE_LOG"
stop_distribution
python3 "$HERE/scale_report.py" "$RESULTS" "$APPS" "$SERVICE_NODES" "${SCALE_HEAP:-512m}"
