#!/usr/bin/env bash
# MySQL benchmark of the built distribution (not a test: it prints figures and asserts no threshold; builds nothing:
# run `mvn -B -DskipTests install` first). Starts the distribution on free 127.0.0.1 ports, runs a MySQL service with
# one glb node, and measures with sysbench, in one run, transactions per second and p99 latency of a write-heavy mix
# (oltp_write_only) and a read-heavy mix (oltp_read_only)
#   - through the glb with 1 mysql node, then with 3 mysql nodes (two added with the service's add-nodes);
#   - against a single mariadbd started here by hand with the nodes' settings but without Galera.
# Always cleans up (its mariadbd and the director's processes killed by PID, temp dir removed), also on failure.
# Needs: bash, curl, python3, tar, sysbench, mariadb-server, mariadb-client, galera-4, haproxy, rsync, socat
#   (Debian: apt-get install sysbench mariadb-server mariadb-client galera-4 haproxy rsync socat).
# Usage: bench/mysql.sh   Environment: BENCH_SECONDS (10 per case), BENCH_THREADS (8), BENCH_TABLE_SIZE (10000).
set -euo pipefail
SECONDS_PER_CASE="${BENCH_SECONDS:-10}"
THREADS="${BENCH_THREADS:-8}"
TABLE_SIZE="${BENCH_TABLE_SIZE:-10000}"
for tool in sysbench mariadb mariadb-install-db curl python3; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (see the head of $0)" >&2; exit 2; }
done
source "$(dirname "$0")/lib.sh"
bench_init
# As root the plain mariadbd runs as the mysql account: it must traverse the temp dir.
[ "$(id -u)" -ne 0 ] || chmod 711 "$WORK"

unpack_distribution
echo "distribution: $DIST  (runtime in $WORK, REST on 127.0.0.1:$HTTP)"
start_director
login_admin
wait_for 60 type_listed mysql

APP="$(running_application mysql-bench)"
SVC="$(post "/applications/$APP/services" '{"type":"mysql","name":"db"}' | jget "['id']")"
S="/applications/$APP/services/$SVC"
post "$S/start?wait=300" '{}' | settled_running "mysql service start"
post "$S/nodes?wait=300" '{"roles":{"glb":1}}' | settled_running "adding the glb"
PASSWORD="$(post "$S/operations/get_password" '{}' | jget "['password']")"
GLB="$(post "$S/operations/get_service_info" '{}' | jget "['host']")"

# sysbench against host:port with user and password; prints "tps p99-ms errors" of one mix.
OPTIONS=()
sb() {  # host port user password test action
    sysbench "$5" --db-driver=mysql --mysql-host="$1" --mysql-port="$2" --mysql-user="$3" --mysql-password="$4" \
        --mysql-db=sbtest --tables=2 --table-size="$TABLE_SIZE" --threads="$THREADS" --time="$SECONDS_PER_CASE" \
        --percentile=99 --report-interval=0 --mysql-ignore-errors=1213,1205,1180,1047 "$6"
}
measure() {  # host port user password test
    sb "$@" run | python3 -c '
import re, sys
out = sys.stdin.read()
tps = float(re.search(r"transactions:\s+\d+\s+\(([\d.]+) per sec", out).group(1))
p99 = float(re.search(r"99th percentile:\s+([\d.]+)", out).group(1))
errors = int(re.search(r"ignored errors:\s+(\d+)", out).group(1))
print(f"{tps:.0f} {p99:.2f} {errors}")'
}
prepare() {  # host port user password
    mariadb -h "$1" -P "$2" -u "$3" -p"$4" -e "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest"
    sb "$1" "$2" "$3" "$4" oltp_read_write prepare > /dev/null
}

RESULTS_TABLE="$WORK/results.txt"
run_cases() {  # label host port user password
    local mix result rate p99 errors
    for mix in oltp_write_only oltp_read_only; do
        result="$(measure "$2" "$3" "$4" "$5" "$mix")"
        read -r rate p99 errors <<< "$result"
        printf '%-36s %-16s %8s %10s ms %8s\n' "$1" "$mix" "$rate" "$p99" "$errors" | tee -a "$RESULTS_TABLE"
    done
}

echo "sysbench: $THREADS threads, $SECONDS_PER_CASE s per case, 2 tables of $TABLE_SIZE rows; $(nproc) cores;" \
    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-36s %-16s %8s %13s %8s\n' "case" "mix" "tps" "p99 latency" "errors" | tee "$RESULTS_TABLE"
prepare "$GLB" 3306 mysqldb "$PASSWORD"
run_cases "service, 1 mysql node, via glb" "$GLB" 3306 mysqldb "$PASSWORD"
post "$S/nodes?wait=300" '{"roles":{"mysql":2}}' | settled_running "adding two mysql nodes"
run_cases "service, 3 mysql nodes, via glb" "$GLB" 3306 mysqldb "$PASSWORD"
post "$S/stop?wait=120" '{}' >/dev/null || true

# The plain mariadbd: the nodes' settings (svc-mysql's MariaDbConfig) without wsrep, on its own 127.0.0.N.
PLAIN="$WORK/plain"
mkdir -p "$PLAIN/data" "$PLAIN/run"
PLAIN_IP="127.0.0.$(( RANDOM % 200 + 50 ))"
PLAIN_PORT="$(free_port "$PLAIN_IP")"
cat > "$PLAIN/my.cnf" <<EOF
[mariadbd]
$([ "$(id -u)" -ne 0 ] || echo "user=mysql")
datadir=$PLAIN/data
socket=$PLAIN/run/mysqld.sock
pid-file=$PLAIN/run/mysqld.pid
log-error=$PLAIN/error.log
bind-address=$PLAIN_IP
port=$PLAIN_PORT
skip-name-resolve=ON
innodb_buffer_pool_size=64M
innodb_log_file_size=16M
performance_schema=OFF
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
EOF
[ "$(id -u)" -ne 0 ] || chown -R mysql:mysql "$PLAIN"
mariadb-install-db --defaults-file="$PLAIN/my.cnf" --auth-root-authentication-method=normal --skip-test-db \
    $([ "$(id -u)" -ne 0 ] || echo "--user=mysql") > "$PLAIN/install.log" 2>&1
CONPAAS_BENCH="$MARK" /usr/sbin/mariadbd --defaults-file="$PLAIN/my.cnf" > "$PLAIN/mariadbd.out" 2>&1 &
OWN_PIDS+=("$!")
wait_for 60 mariadb --socket="$PLAIN/run/mysqld.sock" -u root -e "SELECT 1" || { cat "$PLAIN/error.log" >&2; exit 1; }
mariadb --socket="$PLAIN/run/mysqld.sock" -u root -e "CREATE USER bench@'%' IDENTIFIED BY 'bench-Passw0rd';
    GRANT ALL ON *.* TO bench@'%'"
prepare "$PLAIN_IP" "$PLAIN_PORT" bench bench-Passw0rd
run_cases "single mariadbd by hand (no Galera)" "$PLAIN_IP" "$PLAIN_PORT" bench bench-Passw0rd
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
