# Shared by the benchmarks (bench/run.sh, bench/web.sh); sourced, not run. The built distribution unpacked into a
# temp dir and started on free 127.0.0.1 ports, its REST API through curl, and one cleanup that stops everything the
# benchmark started by PID, also on failure or Ctrl-C.
#
# Call bench_init first: it sets DIST, WORK and MARK and installs the cleanup trap. Processes started with
# CONPAAS_BENCH="$MARK" in their environment (the director, the agents it forks and their servers) are found by that
# marker; processes the benchmark starts itself in the background are added to OWN_PIDS.

bench_init() {
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
    DIST="$(ls karaf-distribution/target/karaf-distribution-*.tar.gz 2>/dev/null | head -1 || true)"
    [ -n "$DIST" ] || { echo "no distribution: run 'mvn -B -DskipTests install' first" >&2; exit 2; }
    export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
    WORK="$(mktemp -d /tmp/conpaas-bench.XXXXXX)"
    MARK="conpaas-bench-$$-$RANDOM"
    HOME_DIR=""
    OWN_PIDS=()
    AUTH=""   # admin:<password>, read once the director has created its first administrator
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM   # exit runs the cleanup once, through the EXIT trap
}

bench_cleanup() {
    set +e
    local pid
    for pid in "${OWN_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    stop_distribution
    sleep 1
    for pid in "${OWN_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}

# Stops the director started from HOME_DIR (bin/stop, then by PID) and every process carrying this run's marker.
stop_distribution() {
    local pid
    if [ -n "$HOME_DIR" ] && [ -f "$HOME_DIR/karaf.pid" ]; then
        local kpid; kpid="$(cat "$HOME_DIR/karaf.pid")"
        "$HOME_DIR/bin/stop" >/dev/null 2>&1
        for _ in $(seq 1 60); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$kpid" 2>/dev/null && kill -9 "$kpid"
    fi
    for pid in $(marked_pids); do kill "$pid" 2>/dev/null; done
    sleep 1
    for pid in $(marked_pids); do kill -9 "$pid" 2>/dev/null; done
    return 0
}

# PIDs of this run's processes, by PID only: those carrying its marker in their environment (the director and what
# it starts with the director's environment) and those whose command line names its temp dir (the local cloud's
# agents: they get a fresh environment and their own session, so they outlive a stopped director).
marked_pids() {
    local env pid
    for env in /proc/[0-9]*/environ; do
        pid="${env#/proc/}"; pid="${pid%/environ}"
        [ "$pid" != "$$" ] && [ "$pid" != "$BASHPID" ] || continue
        if { tr '\0' '\n' < "$env"; } 2>/dev/null | grep -qx "CONPAAS_BENCH=$MARK" \
            || { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$WORK/"; then
            echo "$pid"
        fi
    done
}

free_port() {  # [address (default 127.0.0.1)]
    python3 -c 'import socket,sys;s=socket.socket();s.bind((sys.argv[1],0));print(s.getsockname()[1]);s.close()' \
        "${1:-127.0.0.1}"
}
now() { date +%s.%N; }
since() { python3 -c "import sys;print(f'{float(sys.argv[2])-float(sys.argv[1]):.2f} s')" "$1" "$(now)"; }
jget() { python3 -c "import sys,json;d=json.load(sys.stdin);print(eval('d'+sys.argv[1]))" "$1"; }
setcfg() {  # file key value
    if grep -qE "^[[:space:]]*$2[[:space:]]*=" "$1" 2>/dev/null; then
        sed -i -E "s|^[[:space:]]*$2[[:space:]]*=.*|$2 = $3|" "$1"
    else
        echo "$2 = $3" >> "$1"
    fi
}
wait_for() {  # seconds, command...
    local limit="$1"; shift; local end=$(( $(date +%s) + limit ))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$end" ] || { echo "timed out after ${limit}s: $*" >&2; return 1; }
        sleep 0.1
    done
}

# The distribution unpacked into WORK/dist, every port it opens moved to a free one; sets HOME_DIR, HTTP and API.
unpack_distribution() {  # [folder name under WORK (default dist)]
    local into="$WORK/${1:-dist}"
    mkdir "$into"
    tar xzf "$DIST" -C "$into"
    HOME_DIR="$(ls -d "$into"/*/ | head -1)"; HOME_DIR="${HOME_DIR%/}"
    HTTP="$(free_port)"
    setcfg "$HOME_DIR/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$HTTP"
    # HTTPS too: a taken 8443 keeps Jetty from starting again with its secure connector, and then nothing answers
    setcfg "$HOME_DIR/etc/org.conpaas.https.cfg" port "$(free_port)"
    setcfg "$HOME_DIR/etc/org.apache.karaf.shell.cfg" sshPort "$(free_port)"
    API="http://127.0.0.1:$HTTP/api/v1"
}

# Starts the director with the marker and returns once its REST API answers.
start_director() {
    CONPAAS_BENCH="$MARK" "$HOME_DIR/bin/start"
    GET_TIMEOUT=1 wait_for 300 get /version
}

# Sets AUTH to the first administrator the director created.
login_admin() {
    wait_for 60 test -s "$HOME_DIR/data/conpaas/admin-password.txt"
    AUTH="admin:$(grep -v '^#' "$HOME_DIR/data/conpaas/admin-password.txt" | grep -m1 .)"
}

# Nodes cost credit, and the first administrator's starting credit lasts for a few nodes only: without more, the
# director stops all the administrator's services right after the 50-node start (61 nodes charged at once).
grant_admin_credit() { post /users/admin/credit '{"delta":1000000}' >/dev/null; }

# Every call is bounded: a request that reaches Jetty just as the first start restarts it (HTTPS settings) can be
# left unanswered for good (seen once in about 30 boots, the connection accepted and never read), so the boot polls
# give up after GET_TIMEOUT seconds and ask again; posts wait up to 15 minutes (the ?wait=… of node starts).
GET_TIMEOUT="${GET_TIMEOUT:-30}"
get() { curl -sf --max-time "$GET_TIMEOUT" ${AUTH:+-u "$AUTH"} "$API$1"; }
post() { curl -sf --max-time 900 -u "$AUTH" -X POST -H 'Content-Type: application/json' -d "$2" "$API$1"; }
put() { curl -sf --max-time 900 -u "$AUTH" -X PUT -H 'Content-Type: application/json' -d "$2" "$API$1"; }

type_listed() {  # service type name
    get /service-types | python3 -c "import sys,json
sys.exit(0 if any(t['name'] == sys.argv[1] for t in json.load(sys.stdin)) else 1)" "$1"
}

# Creates an application, starts it and prints its id once it is RUNNING.
running_application() {  # name
    local app; app="$(post /applications "{\"name\":\"$1\"}" | jget "['id']")"
    post "/applications/$app/start" '{}' >/dev/null
    wait_for 60 application_running "$app"
    echo "$app"
}
# Fails naming the step unless the ServiceInfo JSON on stdin is RUNNING.
settled_running() {  # what, ServiceInfo JSON on stdin
    python3 -c 'import sys,json
d = json.load(sys.stdin)
if d["state"] != "RUNNING":
    sys.exit(sys.argv[1] + " ended " + d["state"] + ": " + str(d.get("stateReason")))' "$1"
}

application_running() { get "/applications/$1" | grep -q '"state":"RUNNING"'; }

# --- Figures shared by bench/run.sh and bench/brooklyn.sh ---

# Seconds since a time taken with now(), as a plain number.
secs_since() { python3 -c "import sys;print(f'{float(sys.argv[2])-float(sys.argv[1]):.2f}')" "$1" "$(now)"; }
rss_mb() {  # pid: its resident set in MB (10^6 bytes, as issue 12's goals)
    local kb; kb="$(ps -o rss= -p "$1" 2>/dev/null | tr -d ' ')"
    [ -n "$kb" ] && echo $(( kb * 1024 / 1000000 ))
}
record() { echo "$1 $2" >> "$RESULTS"; }  # key value: one figure of this run, read by bench/report.py

# The machine and the CPU counters, so that a run says how loaded its host was: CPU steal over the whole run.
cpu_counters() { head -1 /proc/stat; }
record_machine() {  # counters taken at the start of the run
    local start="$1"
    record date "$(date -u +%Y-%m-%dT%H:%MZ)"
    record cores "$(nproc)"
    record ram_gib "$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)"
    record steal_pct "$(python3 -c 'import sys
a = [int(x) for x in sys.argv[1].split()[1:]]; b = [int(x) for x in sys.argv[2].split()[1:]]
d = [y - x for x, y in zip(a, b)]
print(f"{100.0 * d[7] / max(1, sum(d[:8])):.1f}")' "$start" "$(cpu_counters)")"
    record loadavg "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# HTTP load with wrk: 16 connections on 2 threads, keep-alive, for the given seconds. Records <prefix>_rps (answers
# with a 2xx status per second: a 401/403/503 of a server still starting does not count), <prefix>_p99_ms (wrk's
# latency p99 over all answers), <prefix>_failed (non-2xx answers and socket errors) and <prefix>_all_rps (all answers).
http_load() {  # prefix seconds url [user:password]
    local out
    out="$(wrk -t 2 -c "${BENCH_CONNECTIONS:-16}" -d "${2}s" --timeout 10s --latency \
        ${4:+-H "Authorization: Basic $(printf '%s' "$4" | base64 -w0)"} -H 'Accept: application/json' "$3")"
    WRK_OUT="$out" python3 - "$1" "$2" "$RESULTS" <<'PY'
import os, re, sys
out = os.environ["WRK_OUT"]
prefix, seconds, results = sys.argv[1], float(sys.argv[2]), sys.argv[3]
def num(pattern, default=0.0):
    m = re.search(pattern, out)
    return float(m.group(1)) if m else default
total = num(r"(\d+) requests in")
duration = num(r"requests in ([\d.]+)s", seconds)
failed = num(r"Non-2xx or 3xx responses: (\d+)")
failed += sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)] if m else float("nan")
with open(results, "a") as f:
    f.write(f"{prefix}_rps {max(0.0, total - failed) / duration:.0f}\n{prefix}_p99_ms {p99:.1f}\n")
    f.write(f"{prefix}_failed {failed:.0f}\n{prefix}_all_rps {total / duration:.0f}\n")
PY
}
