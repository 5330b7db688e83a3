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
    if [ -n "$HOME_DIR" ] && [ -f "$HOME_DIR/karaf.pid" ]; then
        local kpid; kpid="$(cat "$HOME_DIR/karaf.pid")"
        "$HOME_DIR/bin/stop" >/dev/null 2>&1
        for _ in $(seq 1 60); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$kpid" 2>/dev/null && kill -9 "$kpid"
    fi
    for pid in $(marked_pids); do kill "$pid" 2>/dev/null; done
    sleep 1
    for pid in "${OWN_PIDS[@]}" $(marked_pids); do kill -9 "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}

# PIDs of processes carrying this run's marker in their environment, by PID only.
marked_pids() {
    local env pid
    for env in /proc/[0-9]*/environ; do
        if { tr '\0' '\n' < "$env"; } 2>/dev/null | grep -qx "CONPAAS_BENCH=$MARK"; then
            pid="${env#/proc/}"; echo "${pid%/environ}"
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
unpack_distribution() {
    mkdir "$WORK/dist"
    tar xzf "$DIST" -C "$WORK/dist"
    HOME_DIR="$(ls -d "$WORK"/dist/*/ | head -1)"; HOME_DIR="${HOME_DIR%/}"
    HTTP="$(free_port)"
    setcfg "$HOME_DIR/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$HTTP"
    setcfg "$HOME_DIR/etc/org.apache.karaf.shell.cfg" sshPort "$(free_port)"
    setcfg "$HOME_DIR/etc/org.apache.karaf.management.cfg" rmiRegistryPort "$(free_port)"
    setcfg "$HOME_DIR/etc/org.apache.karaf.management.cfg" rmiServerPort "$(free_port)"
    API="http://127.0.0.1:$HTTP/api/v1"
}

# Starts the director with the marker and returns once its REST API answers.
start_director() {
    CONPAAS_BENCH="$MARK" "$HOME_DIR/bin/start"
    wait_for 300 get /version
}

# Sets AUTH to the first administrator the director created.
login_admin() {
    wait_for 60 test -s "$HOME_DIR/data/conpaas/admin-password.txt"
    AUTH="admin:$(grep -v '^#' "$HOME_DIR/data/conpaas/admin-password.txt" | grep -m1 .)"
}

get() { curl -sf ${AUTH:+-u "$AUTH"} "$API$1"; }
post() { curl -sf -u "$AUTH" -X POST -H 'Content-Type: application/json' -d "$2" "$API$1"; }
put() { curl -sf -u "$AUTH" -X PUT -H 'Content-Type: application/json' -d "$2" "$API$1"; }

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
application_running() { get "/applications/$1" | grep -q '"state":"RUNNING"'; }
