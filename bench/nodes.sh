#!/usr/bin/env bash
# Node start only (issue 12, the node goals): boots the built distribution once on free 127.0.0.1 ports, then times
# one helloworld service (one node: one agent JVM) -> RUNNING, 10 more nodes -> RUNNING, the agents' average RSS and,
# with a count argument, that many nodes more on a second service. Prints each figure with the load average at that
# moment (the machine may be shared). Builds nothing: run `mvn -B -q package -DskipTests -pl karaf-distribution -am`
# first. Cleans up like bench/run.sh (bin/stop, agents by PID, temp dir). On a failed start it prints the director's
# reason and the last WARN/ERROR lines of its log.
# Usage: bench/nodes.sh [extra node count, e.g. 50]
# Environment: BENCH_AGENT_OPTS replaces the agent's default JVM options (AGENT_JVM_DEFAULTS in its start script),
# e.g. "-Xshare:auto" for the JVM's own defaults; BENCH_AGENT_INSPECT runs `jcmd <an agent> <it>` (e.g.
# "VM.native_memory summary" with -XX:NativeMemoryTracking=summary in BENCH_AGENT_OPTS).
set -euo pipefail
EXTRA="${1:-0}"
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
bench_init
load() { cut -d' ' -f1 /proc/loadavg; }
running_nodes() {
    get "$1/nodes" | python3 -c "import sys,json;print(sum(1 for n in json.load(sys.stdin) if n['status']=='RUNNING'))"
}
report() {  # what, seconds, state, reason
    printf '%-28s %7s s  %-14s load %s %s\n' "$1" "$2" "$3" "$(load)" "${4:+ reason: $4}"
}
add_nodes() {  # label, service path, count
    local t info; t=$(now)
    info="$(post "$2/nodes?wait=900" "{\"roles\":{\"node\":$3}}")"
    report "$1" "$(secs_since "$t")" "$(jget "['state']" <<<"$info")/$(running_nodes "$2")" \
        "$(jget ".get('stateReason') or ''" <<<"$info" | grep -i fail || true)"
}
unpack_distribution nodes
if [ -n "${BENCH_AGENT_OPTS:-}" ]; then   # comparing agent JVM options: they replace the shipped defaults
    mkdir "$WORK/agent" && tar xzf "$HOME_DIR/agent/conpaas-agent.tar.gz" -C "$WORK/agent"
    sed -i "s|^AGENT_JVM_DEFAULTS=.*|AGENT_JVM_DEFAULTS=\"$BENCH_AGENT_OPTS\"|" "$WORK/agent/conpaas-agent/bin/conpaas-agent"
    grep '^AGENT_JVM_DEFAULTS=' "$WORK/agent/conpaas-agent/bin/conpaas-agent"
    tar czf "$HOME_DIR/agent/conpaas-agent.tar.gz" -C "$WORK/agent" conpaas-agent
    # the same jars (times kept), so the agents' class archive the build shipped still fits: named for the new runtime
    # as the director names runtimes (SharedAgents: "agent-" and the first 16 hex digits of the tarball's SHA-256)
    for shipped in "$HOME_DIR"/data/cds/agent-*-*.jsa; do
        [ -f "$shipped" ] || continue
        runtime="agent-$(sha256sum "$HOME_DIR/agent/conpaas-agent.tar.gz" | cut -c1-16)"
        mv "$shipped" "$HOME_DIR/data/cds/$runtime-${shipped##*-}"
    done
fi
start_director
login_admin
wait_for 120 type_listed helloworld
grant_admin_credit
APP="$(running_application bench)"
SVC="$(post "/applications/$APP/services" '{"type":"helloworld","name":"hw"}' | jget "['id']")"
S="/applications/$APP/services/$SVC"
T=$(now); STATE="$(post "$S/start?wait=300" '{}' | jget "['state']")"
report "one service -> RUNNING" "$(secs_since "$T")" "$STATE/$(running_nodes "$S")"
add_nodes "10 nodes -> RUNNING" "$S" 10
COUNT=0; TOTAL=0; CPU=0; AGENT=""
for pid in $(marked_pids); do
    { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -q 'agent.properties' || continue
    r="$(rss_mb "$pid")"; [ -n "$r" ] || continue; COUNT=$((COUNT+1)); TOTAL=$((TOTAL+r)); AGENT="$pid"
    CPU=$((CPU + $(awk '{print $14 + $15}' "/proc/$pid/stat")))   # user + system clock ticks so far
done
[ "$COUNT" -gt 0 ] && echo "agent RSS: $((TOTAL / COUNT)) MB," \
    "CPU since start: $(python3 -c "import sys;print(f'{int(sys.argv[1])/int(sys.argv[2])/int(sys.argv[3]):.2f}')" \
    "$CPU" "$COUNT" "$(getconf CLK_TCK)") s (averages of $COUNT agents)"
if [ -n "${BENCH_AGENT_INSPECT:-}" ] && [ -n "$AGENT" ]; then   # e.g. "VM.native_memory summary" (with -XX:NativeMemoryTracking)
    jcmd "$AGENT" $BENCH_AGENT_INSPECT || true
fi
if [ "$EXTRA" -gt 0 ]; then
    SVC2="$(post "/applications/$APP/services" '{"type":"helloworld","name":"hw2"}' | jget "['id']")"
    post "/applications/$APP/services/$SVC2/start?wait=300" '{}' >/dev/null
    add_nodes "$EXTRA nodes -> RUNNING" "/applications/$APP/services/$SVC2" "$EXTRA"
fi
echo "set-up calls asked again (agent dropped the connection): $(cat "$HOME_DIR"/data/log/*.log 2>/dev/null \
    | grep -c 'did not answer its set-up' || true)"
grep -h 'did not answer its set-up' "$HOME_DIR"/data/log/*.log 2>/dev/null | head -3 | cut -c1-24,150- || true
grep -hE ' (WARN|ERROR) ' "$HOME_DIR"/data/log/*.log 2>/dev/null | grep -v 'Observer' | tail -5 || true
echo "$(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
stop_distribution
