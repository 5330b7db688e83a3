#!/usr/bin/env bash
# Flink benchmark of the built distribution (not a test: it prints figures and asserts no threshold; builds nothing:
# run `mvn -B -DskipTests install` first, or `mvn -B -q package -DskipTests -pl karaf-distribution -am`). Starts the
# distribution on free 127.0.0.1 ports and measures, in one run:
#   - a Flink service's start until RUNNING (one node: JobManager and TaskManager registered with its slots);
#   - adding 2 workers until RUNNING (both TaskManagers' slots listed by the JobManager);
#   - Flink's WordCount example (flink-examples-streaming 1.20.0, batch mode, parallelism 2) on a generated text of
#     BENCH_TEXT_MB MB, submitted through submit_job, until the job is FINISHED;
#   - the same job on a Flink started here by hand from the same lib/ with the same memory settings (JobManager
#     512 MB, TaskManager 768 MB, 2 slots), submitted through Flink's REST API.
# Always cleans up (the hand-started Flink and the director's processes killed by PID, temp dir removed).
# Needs: bash, curl, python3, tar, unzip, mvn (to fetch the WordCount jar once).
# Usage: bench/flink.sh   Environment: BENCH_TEXT_MB (32).
set -euo pipefail
TEXT_MB="${BENCH_TEXT_MB:-32}"
for tool in curl python3 unzip mvn; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done
source "$(dirname "$0")/lib.sh"
bench_init
# the nodes run as accounts of their own (director as root): they read the text from here
chmod 755 "$WORK"

FLINK_VERSION=1.20.0
JAR="$HOME/.m2/repository/org/apache/flink/flink-examples-streaming/$FLINK_VERSION/flink-examples-streaming-$FLINK_VERSION-WordCount.jar"
[ -f "$JAR" ] || mvn -B -q dependency:get -Dartifact="org.apache.flink:flink-examples-streaming:$FLINK_VERSION:jar:WordCount" -Dtransitive=false
TEXT="$WORK/words.txt"
python3 - "$TEXT" "$TEXT_MB" <<'PY'
import random, sys
random.seed(16)
words = ["flink", "conpaas", "osgi", "karaf", "stream", "batch", "slot", "checkpoint", "worker", "master"]
target = int(sys.argv[2]) * 1000 * 1000
with open(sys.argv[1], "w") as out:
    size = 0
    while size < target:
        line = " ".join(random.choice(words) for _ in range(12)) + "\n"
        out.write(line)
        size += len(line)
PY
chmod 644 "$TEXT"
ARGS="--input file://$TEXT --execution-mode BATCH"

unpack_distribution
echo "distribution: $DIST  (runtime in $WORK, REST on 127.0.0.1:$HTTP)"
start_director
login_admin
wait_for 120 type_listed flink

settled_running() {  # what, ServiceInfo JSON on stdin
    python3 -c 'import sys,json
d = json.load(sys.stdin)
if d["state"] != "RUNNING":
    sys.exit(sys.argv[1] + " ended " + d["state"] + ": " + str(d.get("stateReason")))' "$1"
}
APP="$(running_application flink-bench)"
SVC="$(post "/applications/$APP/services" '{"type":"flink","name":"jobs"}' | jget "['id']")"
S="/applications/$APP/services/$SVC"
t="$(now)"
post "$S/start?wait=600" '{}' | settled_running "flink service start"
START="$(secs_since "$t")"
t="$(now)"
post "$S/nodes?wait=600" '{"roles":{"worker":2}}' | settled_running "adding 2 workers"
ADD="$(secs_since "$t")"
SLOTS="$(post "$S/operations/get_flink_info" '{}' | python3 -c 'import sys,json
d = json.load(sys.stdin); print(d.get("result", d)["slotsTotal"])')"

job_state_service() {  # job id
    post "$S/operations/list_jobs" '{}' | python3 -c 'import sys,json
d = json.load(sys.stdin); d = d.get("result", d)
print(next((j["state"] for j in d["jobs"] if j["id"] == sys.argv[1]), ""))' "$1"
}
t="$(now)"
JOB="$(curl -sf -u "$AUTH" -F "jar=@$JAR;type=application/java-archive" -F "args=$ARGS" -F parallelism=2 \
    "$API$S/operations/submit_job" | python3 -c 'import sys,json;d=json.load(sys.stdin);print(d.get("result",d)["job_id"])')"
until [ "$(job_state_service "$JOB")" = FINISHED ]; do
    case "$(job_state_service "$JOB")" in FAILED|CANCELED) echo "the service's WordCount failed" >&2; exit 1;; esac
    sleep 0.2
done
OURS="$(secs_since "$t")"
post "$S/stop?wait=300" '{}' >/dev/null || true

# Flink by hand: the same lib/ (from the distribution's svc-flink-dist bundle), the same memory settings; its
# JobManager binds to every address as a plain Flink 1.20 must for submissions (FLINK-38109, docs/decisions.md).
HAND="$WORK/hand"
mkdir -p "$HAND/conf" "$HAND/log" "$HAND/tmp"
unzip -q -j "$HOME_DIR/deploy/svc-flink-dist.jar" 'flink/lib/*' -d "$HAND/lib"
IP="127.0.0.$(( RANDOM % 200 + 50 ))"
REST_PORT="$(free_port "$IP")"
cat > "$HAND/conf/flink-conf.yaml" <<EOF
jobmanager.rpc.address: $IP
jobmanager.bind-host: 0.0.0.0
taskmanager.host: $IP
taskmanager.bind-host: $IP
rest.address: $IP
rest.bind-address: $IP
rest.port: $REST_PORT
jobmanager.rpc.port: $(free_port "$IP")
blob.server.port: $(free_port "$IP")
jobmanager.memory.process.size: 512m
jobmanager.memory.jvm-metaspace.size: 128m
jobmanager.memory.jvm-overhead.min: 64m
jobmanager.memory.off-heap.size: 64m
taskmanager.memory.process.size: 768m
taskmanager.memory.jvm-metaspace.size: 128m
taskmanager.memory.jvm-overhead.min: 64m
taskmanager.memory.managed.fraction: 0.1
taskmanager.memory.network.min: 32m
taskmanager.memory.network.max: 64m
taskmanager.numberOfTaskSlots: 2
io.tmp.dirs: $HAND/tmp
web.upload.dir: $HAND/tmp
EOF
printf '%s\n' 'rootLogger.level = INFO' 'rootLogger.appenderRef.file.ref = F' 'appender.f.name = F' \
    'appender.f.type = File' 'appender.f.append = true' 'appender.f.fileName = ${sys:log.file}' \
    'appender.f.layout.type = PatternLayout' 'appender.f.layout.pattern = %d %-5p %c - %m%n' > "$HAND/conf/log4j.properties"
OPENS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time java.util \
    java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
    OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done
hand_start() {  # jm|tm
    local mode main extra=""
    if [ "$1" = jm ]; then mode=GET_JM_RESOURCE_PARAMS; main=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint; extra="--executionMode cluster"
    else mode=GET_TM_RESOURCE_PARAMS; main=org.apache.flink.runtime.taskexecutor.TaskManagerRunner; fi
    local r; r="$(java -cp "$HAND/lib/*" -Dlog.file="$HAND/log/bju.log" -Dlog4j.configurationFile="file:$HAND/conf/log4j.properties" \
        org.apache.flink.runtime.util.bash.BashJavaUtils "$mode" --configDir "$HAND/conf" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
    # shellcheck disable=SC2086
    java -XX:+UseSerialGC $OPENS $(echo "$r" | sed -n 1p) -Dlog.file="$HAND/log/$1.log" \
        -Dlog4j.configurationFile="file:$HAND/conf/log4j.properties" -cp "$HAND/lib/*" "$main" \
        --configDir "$HAND/conf" $extra $(echo "$r" | sed -n 2p) > "$HAND/log/$1.out" 2>&1 &
    OWN_PIDS+=("$!")
}
hand_start jm
hand_start tm
HAND_API="http://$IP:$REST_PORT"
wait_for 120 bash -c "curl -sf $HAND_API/overview | grep -q '\"slots-total\":2'"
t="$(now)"
JAR_ID="$(curl -sf -X POST -H 'Expect:' -F "jarfile=@$JAR" "$HAND_API/jars/upload" | jget "['filename']" | xargs basename)"
BODY="$(python3 -c 'import json,sys;print(json.dumps({"programArgsList":sys.argv[1].split(),"parallelism":2}))' "$ARGS")"
HAND_JOB="$(curl -sf -X POST -H 'Content-Type: application/json' -d "$BODY" "$HAND_API/jars/$JAR_ID/run" | jget "['jobid']")"
until curl -sf "$HAND_API/jobs/$HAND_JOB" | grep -q '"state":"FINISHED"'; do
    curl -sf "$HAND_API/jobs/$HAND_JOB" | grep -q '"state":"FAILED"' && { echo "the hand-started WordCount failed" >&2; exit 1; }
    sleep 0.2
done
HANDS="$(secs_since "$t")"

printf '\n%-58s %10s\n' "Flink $FLINK_VERSION on the local cloud" "seconds"
printf '%-58s %10s\n' "service start -> RUNNING (JobManager + TaskManager, 2 slots)" "$START"
printf '%-58s %10s\n' "add 2 workers -> RUNNING ($SLOTS slots)" "$ADD"
printf '%-58s %10s\n' "WordCount ${TEXT_MB} MB, parallelism 2, via submit_job" "$OURS"
printf '%-58s %10s\n' "WordCount ${TEXT_MB} MB, parallelism 2, Flink started by hand" "$HANDS"
echo "machine: $(nproc) cores, $(free -m | awk '/Mem:/{print $2}') MB RAM; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
