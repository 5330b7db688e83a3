#!/usr/bin/env bash
# Benchmark of the built distribution against the goals of issue 12 (not a test: it prints figures beside their goals
# and fails on none; builds nothing: run `mvn -B -DskipTests install` first). Unpacks
# karaf-distribution/target/*.tar.gz into a temp dir, starts it on free 127.0.0.1 ports and measures:
#   boot 1 (fresh unpack): boot -> REST answering, then at once GET /applications under 16 connections for 10 s;
#   boot 2 (fresh unpack): boot -> REST answering, -> ready (every service type of deploy/ listed), director RSS,
#     hot-deploy latency, one helloworld service (one node: one agent process) -> RUNNING, 10 nodes -> RUNNING,
#     agent RSS, GET /applications under 16 connections for 2 x BENCH_STEADY seconds (the second half is the steady
#     state), director RSS after that load, and with --nodes50 50 more nodes -> RUNNING; then the same installation
#     stopped and started again: restart -> REST answering;
# and prints each figure beside its goal with PASS/MISS (a start that leaves a node not RUNNING prints "failed" and
# the director's reason), the date, the machine and the CPU steal during the run.
# With --brooklyn it then runs bench/brooklyn.sh (Apache Brooklyn 1.1.0, the same steps) and prints both side by side
# with the ratios. Always cleans up (bin/stop, agents killed by PID, temp dir removed), also on failure or Ctrl-C.
# Needs: bash, curl, python3, procps (ps), tar, wrk (Debian: apt-get install wrk); --brooklyn also needs mvn, ssh,
#   ssh-keygen and sshd (apt-get install openssh-client openssh-server).
# Usage: bench/run.sh [--nodes50] [--brooklyn]   Environment: BENCH_STEADY (seconds, 30), BENCH_CONNECTIONS (16),
#   CONPAAS_JIT (the director's JIT, c1 or c2, see bin/setenv; printed with the machine), CONPAAS_CDS (on or off:
#   whether the director loads its classes from the archive the build shipped in data/cds/; printed likewise).
set -euo pipefail
NODES50=false; BROOKLYN=false
for arg in "$@"; do
    case "$arg" in
        --nodes50) NODES50=true ;;
        --brooklyn) BROOKLYN=true ;;
        *) echo "usage: bench/run.sh [--nodes50] [--brooklyn]" >&2; exit 2 ;;
    esac
done
STEADY="${BENCH_STEADY:-30}"
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
bench_init
RESULTS="$WORK/ours.results"
CPU_START="$(cpu_counters)"

agent_pids() {
    local kpid; kpid="$(cat "$HOME_DIR/karaf.pid" 2>/dev/null || echo none)"
    for pid in $(marked_pids); do
        [ "$pid" = "$kpid" ] && continue
        { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -q 'agent.properties' && echo "$pid"
    done
}
# yes when the director's JVM loads its classes from the archive in data/cds/ (shipped by the build; bin/setenv)
maps_class_archive() {
    if grep -q "/data/cds/director-.*\.jsa$" "/proc/$(cat "$HOME_DIR/karaf.pid")/maps" 2>/dev/null; then
        echo yes
    else
        echo no
    fi
}
TYPES_EXPECTED=0
all_types_listed() {
    get /service-types | python3 -c "import sys, json
sys.exit(0 if len(json.load(sys.stdin)) >= int(sys.argv[1]) else 1)" "$TYPES_EXPECTED"
}
type_absent() { ! type_listed helloworld; }
running_nodes() {
    get "$1/nodes" | python3 -c "import sys,json;print(sum(1 for n in json.load(sys.stdin) if n['status']=='RUNNING'))"
}
add_nodes() {  # service path, count: prints "<seconds> <state>/<RUNNING nodes> <state reason>"
    local t info; t=$(now)
    info="$(post "$1/nodes?wait=900" "{\"roles\":{\"node\":$2}}")"
    echo "$(secs_since "$t") $(jget "['state']" <<<"$info")/$(running_nodes "$1")" \
        "$(jget ".get('stateReason') or ''" <<<"$info")"
}

# Boot 1: the REST API under load during its first 10 s.
unpack_distribution boot1
echo "distribution: $DIST  (runtime in $WORK)"
echo "boot 1: REST under load right after boot ..."
T=$(now); start_director; record rest1_s "$(secs_since "$T")"
login_admin
http_load first 10 "$API/applications" "$AUTH"
stop_distribution; AUTH=""

# Boot 2: everything else.
unpack_distribution boot2
# one service type per plug-in jar; svc-flink-dist.jar is Flink's runtime for the nodes, not a type
TYPES_EXPECTED="$(ls "$HOME_DIR"/deploy/*.jar | grep -cv -- '-dist\.jar$')"
echo "boot 2: boot, ready, one service, 10 nodes, steady REST load ..."
T=$(now)
start_director; record rest_s "$(secs_since "$T")"
login_admin
wait_for 120 all_types_listed; record ready_s "$(secs_since "$T")"
sleep 1; record rss_boot_mb "$(rss_mb "$(cat "$HOME_DIR/karaf.pid")")"
record boot_cds "$(maps_class_archive)"
grant_admin_credit

JAR="$HOME_DIR/deploy/svc-helloworld.jar"
cp "$JAR" "$WORK/svc-helloworld.jar"; rm "$JAR"
wait_for 60 type_absent
T=$(now); cp "$WORK/svc-helloworld.jar" "$JAR"
wait_for 60 type_listed helloworld
record hotdeploy_s "$(secs_since "$T")"

APP="$(running_application bench)"
SVC="$(post "/applications/$APP/services" '{"type":"helloworld","name":"hw"}' | jget "['id']")"
S="/applications/$APP/services/$SVC"
T=$(now); STATE="$(post "$S/start?wait=300" '{}' | jget "['state']")"
record one_s "$(secs_since "$T")"; record one_state "$STATE/$(running_nodes "$S")"
[ "$STATE/$(running_nodes "$S")" = "RUNNING/1" ] || record one_failed yes
read -r SECS STATE REASON <<<"$(add_nodes "$S" 10)"
record ten_s "$SECS"; record ten_state "$STATE${REASON:+ ($REASON)}"
[ "$STATE" = "RUNNING/11" ] || record ten_failed yes   # the one service's node and 10 more

COUNT=0; TOTAL=0
for pid in $(agent_pids); do r="$(rss_mb "$pid")"; [ -n "$r" ] || continue; COUNT=$((COUNT+1)); TOTAL=$((TOTAL+r)); done
[ "$COUNT" -gt 0 ] && record agent_rss_mb "$((TOTAL / COUNT))"

RESULTS_KEEP="$RESULTS"; RESULTS="$WORK/warmup.results"   # the first half warms up; its figures are dropped
http_load warm "$STEADY" "$API/applications" "$AUTH"
RESULTS="$RESULTS_KEEP"
http_load steady "$STEADY" "$API/applications" "$AUTH"
record rss_load_mb "$(rss_mb "$(cat "$HOME_DIR/karaf.pid")")"

if $NODES50; then
    SVC50="$(post "/applications/$APP/services" '{"type":"helloworld","name":"hw50"}' | jget "['id']")"
    post "/applications/$APP/services/$SVC50/start?wait=300" '{}' >/dev/null
    read -r SECS STATE REASON <<<"$(add_nodes "/applications/$APP/services/$SVC50" 50)"
    record fifty_s "$SECS"; record fifty_state "$STATE${REASON:+ ($REASON)}"
    [ "$STATE" = "RUNNING/51" ] || record fifty_failed yes
fi
# Restart: the same installation started again, without a first start's one-time work (the CA and HTTPS stores
# with their Jetty restart, the database schema, the first administrator, resolving and installing the features).
stop_distribution; AUTH=""
T=$(now); start_director; record restart_s "$(secs_since "$T")"
record restart_cds "$(maps_class_archive)"
record_machine "$CPU_START"
record jit "${CONPAAS_JIT:-c1}"
stop_distribution

if $BROOKLYN; then
    echo "Apache Brooklyn 1.1.0: the same steps ..."
    BROOKLYN_RESULTS="$WORK/brooklyn.results" "$HERE/brooklyn.sh"
    python3 "$HERE/report.py" "$RESULTS" "$WORK/brooklyn.results"
else
    python3 "$HERE/report.py" "$RESULTS"
fi
