#!/usr/bin/env bash
# Trains the class-data-sharing archives at build time (karaf-distribution's pom, before karaf:archive): copies the
# assembled distribution, runs its first start on free ports of 127.0.0.1 until every service type of deploy/ is
# listed, the first calls of a client are answered and the director has trained the agents' archive for the local
# cloud's shared agent (data/cds/agent-<runtime>-<java>.jsa), stops it, and puts both archives into the assembly:
# the director's, which its JVM wrote at exit (bin/setenv: data/cds/director-<key>.jsa), so that the first start of
# every unpack maps the classes instead of parsing them from the jars (docs/performance.md section 14), and the
# agents', which the director copies into its shared agent installation, so that the very first nodes have it too
# (section 16). The copy, with its data, is then deleted: nothing of the training run but the archives is shipped
# (no CA key, no password, no database).
# Needs only bash and coreutils (HTTP through bash's /dev/tcp), as the build does.
# Usage: train-class-archive.sh <assembly folder> <scratch folder>
set -euo pipefail
assembly="$1"; work="$2"
home="$work/home"
started=$(date +%s)

say() { echo "[class archive] $*"; }
fail() {
    echo "[class archive] FAILED: $*" >&2
    if [ -f "$home/data/log/karaf.log" ]; then
        echo "[class archive] the training director's log ($home/data/log/karaf.log) ends with:" >&2
        tail -n 40 "$home/data/log/karaf.log" >&2
    fi
    exit 1
}
pid=""   # the training director's JVM: bin/karaf exec's java (KARAF_EXEC), so the background job is the JVM
alive() { kill -0 "$pid" 2>/dev/null; }
# on any failure: the training director killed by its PID, its copy kept for the log above
cleanup() {
    local status=$?
    if [ "$status" -ne 0 ] && [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {  # a port nothing on 127.0.0.1 listens on, outside the usual ephemeral range
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 12000))
        listening "$port" || { echo "$port"; return 0; }
    done
    fail "no free port on 127.0.0.1"
}
setcfg() {  # file key value
    if grep -qE "^[[:space:]]*$2[[:space:]]*=" "$1"; then
        sed -i -E "s|^[[:space:]]*$2[[:space:]]*=.*|$2 = $3|" "$1"
    else
        echo "$2 = $3" >> "$1"
    fi
}

# GET on the REST API: prints the body of a 200 answer, fails on anything else (5 s at most).
AUTH=""
get() {  # path under /api/v1
    local answer
    answer="$(timeout 5 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET /api/v1%s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n" "$2" "$3" >&3
        cat <&3' _ "$http" "$1" "${AUTH:+Authorization: Basic $AUTH$'\r\n'}" 2>/dev/null)" || return 1
    case "$answer" in
        "HTTP/1.1 200"*) printf '%s' "${answer#*$'\r\n\r\n'}" ;;
        *) return 1 ;;
    esac
}
wait_for() {  # seconds, what (for the error), command...
    local limit="$1" what="$2"; shift 2
    local end=$(( $(date +%s) + limit ))
    until "$@" >/dev/null; do
        alive || fail "the training director exited while waiting for: $what"
        [ "$(date +%s)" -lt "$end" ] || fail "not within $limit s: $what"
        sleep 0.5
    done
}
types_listed() {
    local listed jar type
    listed="$(get /service-types)" || return 1
    for jar in "$home"/deploy/svc-*.jar; do
        type="$(basename "$jar" .jar)"; type="${type#svc-}"
        case "$type" in *-dist) continue ;; esac   # a runtime for the nodes, not a type
        case "$listed" in *"\"name\":\"$type\""*) ;; *) return 1 ;; esac
    done
}

# the distribution's defaults, whatever the build's environment sets
unset EXTRA_JAVA_OPTS KARAF_HOME KARAF_BASE KARAF_DATA KARAF_ETC KARAF_LOG
rm -rf "$work"; mkdir -p "$work"
cp -a "$assembly" "$home"
rm -rf "$home/data/cds"
# The JVM checks the class path's jars against the archive by size and, unless it recorded a time of 0, by
# modification time, and the unpacked distribution's jars get the times karaf:archive gives its entries (when it
# writes them, later than this). Jars dated 0 here make it check their size only; bin/setenv's key for the archive
# includes the jars' checksums, so a changed jar still gets an archive of its own.
touch -d @0 "$home"/lib/boot/*.jar "$home"/lib/jdk9plus/*.jar
http="$(free_port)"
setcfg "$home/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$http"
setcfg "$home/etc/org.conpaas.https.cfg" port "$(free_port)"
setcfg "$home/etc/org.apache.karaf.shell.cfg" sshPort "$(free_port)"

say "first start of a copy of the distribution (HTTP on 127.0.0.1:$http) ..."
CONPAAS_CDS=on KARAF_EXEC=exec "$home/bin/karaf" server </dev/null >"$work/console.log" 2>&1 &
pid=$!
wait_for 240 "the REST API answering" get /version
wait_for 60 "the first administrator's password" test -s "$home/data/conpaas/admin-password.txt"
AUTH="$(printf 'admin:%s' "$(grep -v '^#' "$home/data/conpaas/admin-password.txt" | grep -m1 .)" | base64 -w0)"
wait_for 120 "every service type of deploy/ listed" types_listed
for path in /applications /clouds /service-types; do
    get "$path" >/dev/null || fail "GET $path did not answer 200"
done
# made in the background from the local cloud's start on (AgentClassArchive), written whole under its name
agent_archive() { ls "$home"/data/cds/agent-*.jsa 2>/dev/null | grep -q .; }
wait_for 180 "the agents' class archive (data/cds/agent-*.jsa; the training director's log says why not)" agent_archive

say "stopping it; its JVM writes the archive as it exits ..."
kill -TERM "$pid"   # Karaf's shutdown hook stops the framework, as bin/stop does
end=$(( $(date +%s) + 120 ))
while kill -0 "$pid" 2>/dev/null; do
    [ "$(date +%s)" -lt "$end" ] || fail "the training director (pid $pid) did not exit within 120 s of SIGTERM"
    sleep 0.5
done
archive="$(ls "$home"/data/cds/director-*.jsa 2>/dev/null | head -n 1 || true)"
[ -n "$archive" ] || fail "no archive in $home/data/cds after the training director exited"
[ "$(od -An -tx4 -N4 "$archive" | tr -d ' ')" = "f00baba8" ] || fail "$archive is not a complete dynamic archive"

agent="$(ls "$home"/data/cds/agent-*.jsa | head -n 1)"
[ "$(od -An -tx4 -N4 "$agent" | tr -d ' ')" = "f00baba8" ] || fail "$agent is not a complete dynamic archive"

mkdir -p "$assembly/data/cds"
rm -f "$assembly"/data/cds/director-*.jsa "$assembly"/data/cds/agent-*.jsa
cp "$archive" "$agent" "$assembly/data/cds/"
rm -rf "$work"
mb() { echo "$(( $(stat -c %s "$assembly/data/cds/$(basename "$1")") / 1048576 )) MB"; }
say "$(basename "$archive") ($(mb "$archive")) and $(basename "$agent") ($(mb "$agent")), trained in $(( $(date +%s) - started )) s"
