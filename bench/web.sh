#!/usr/bin/env bash
# Web benchmark of the built distribution (not a test: it prints figures and asserts no threshold; builds nothing:
# run `mvn -B -DskipTests install` first). Starts the distribution on free 127.0.0.1 ports, runs a PHP service (one
# node: proxy, static web server and php-fpm packed on it) with an application of a static page and a small PHP page,
# and measures with wrk, in one run, requests per second and p99 latency of
#   - the static page through the service's proxy (proxy nginx -> static nginx), then from a plain nginx;
#   - the PHP page through the service's proxy (proxy nginx -> php-fpm), then from the plain nginx and its php-fpm.
# The plain nginx and php-fpm are configured by hand here and serve the same folder of files: php-fpm with the
# service's pool settings (svc-php's PhpFpm: pm static, 5 workers, 300 requests each), nginx with one worker like the
# service's; this script starts them on 127.0.0.N as the invoking user (as root their workers run as www-data, like
# the service's).
# Always cleans up (its servers and the director's processes killed by PID, temp dir removed), also on failure.
# Needs: bash, curl, python3, tar, nginx, php-fpm, memcached, wrk
#   (Debian: apt-get install nginx-light php-fpm php-memcached memcached wrk).
# Usage: bench/web.sh   Environment: BENCH_SECONDS (10 per case), BENCH_CONNECTIONS (8), BENCH_THREADS (2).
set -euo pipefail
SECONDS_PER_CASE="${BENCH_SECONDS:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"
THREADS="${BENCH_THREADS:-2}"
for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (Debian: apt-get install $tool)" >&2; exit 2; }
done
FPM="$(ls /usr/sbin/php-fpm* 2>/dev/null | sort | tail -1 || true)"
[ -n "$FPM" ] || { echo "php-fpm is not installed (Debian: apt-get install php-fpm)" >&2; exit 2; }
source "$(dirname "$0")/lib.sh"
bench_init
# As root the service's (and these) nginx and php-fpm workers run as www-data: they must traverse the temp dir.
[ "$(id -u)" -ne 0 ] || chmod 711 "$WORK"

# The application: a 4 KiB static page and a PHP page printing one line; one folder, served as it is by the plain
# servers and uploaded as a zip to the service.
CODE="$WORK/code"
mkdir -p "$CODE"
python3 - "$CODE/static.html" <<'PY'
import sys
head, tail = "<!doctype html>\n<html><head><title>static</title></head><body>\n", "</body></html>\n"
line = "<p>ConPaaS web benchmark: a static page served as it is.</p>\n"
body = head + line * ((4096 - len(head) - len(tail)) // len(line))
open(sys.argv[1], "w").write(body + " " * (4096 - len(body) - len(tail) - 1) + "\n" + tail)
PY
printf '%s\n' '<?php echo "hello from PHP\n";' > "$CODE/hello.php"
python3 - "$CODE" "$WORK/app.zip" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w") as z:
    for name in sorted(os.listdir(sys.argv[1])):
        z.write(os.path.join(sys.argv[1], name), name)
PY

# Answers 200 with exactly this file's content (the static page) or this text (the PHP page).
serves_file() { curl -sf "$1" | cmp -s - "$2"; }
serves_text() { [ "$(curl -sf "$1")" = "$2" ]; }
check_served() {  # base URL, who
    serves_file "${1}static.html" "$CODE/static.html" || { echo "$2 does not serve static.html" >&2; exit 1; }
    serves_text "${1}hello.php" "hello from PHP" || { echo "$2 does not run hello.php" >&2; exit 1; }
}

unpack_distribution
echo "distribution: $DIST  (runtime in $WORK, REST on 127.0.0.1:$HTTP)"
start_director
login_admin
wait_for 60 type_listed php

# The service, its code uploaded and activated.
APP="$(running_application web-bench)"
SVC="$(post "/applications/$APP/services" '{"type":"php","name":"site"}' | jget "['id']")"
S="/applications/$APP/services/$SVC"
post "$S/start?wait=300" '{}' | settled_running "php service start"
VERSION="$(curl -sf -u "$AUTH" -F "file=@$WORK/app.zip;type=application/zip" "$API$S/code" | jget "['id']")"
put "$S/code/active?wait=300" "{\"version\":\"$VERSION\"}" | settled_running "code activation"
SERVICE_URL="$(get "$S" | jget "['url']")"
check_served "$SERVICE_URL" "the service ($SERVICE_URL)"

# The plain servers, configured by hand: one nginx serving the folder itself and passing *.php to its php-fpm.
PLAIN="$WORK/plain"
mkdir -p "$PLAIN/tmp"
PLAIN_IP="127.0.0.$(( RANDOM % 200 + 50 ))"
NGINX_PORT="$(free_port "$PLAIN_IP")"
FPM_PORT="$(free_port "$PLAIN_IP")"
WORKER_USER=""
[ "$(id -u)" -ne 0 ] || WORKER_USER="www-data"
cat > "$PLAIN/php-fpm.conf" <<EOF
[global]
pid = $PLAIN/php-fpm.pid
error_log = $PLAIN/php-fpm-error.log
daemonize = no
[plain]
${WORKER_USER:+user = $WORKER_USER
group = $WORKER_USER}
listen = $PLAIN_IP:$FPM_PORT
listen.allowed_clients = $PLAIN_IP
pm = static
pm.max_children = 5
pm.max_requests = 300
chdir = $CODE
catch_workers_output = yes
decorate_workers_output = no
security.limit_extensions = .php
EOF
cat > "$PLAIN/nginx.conf" <<EOF
${WORKER_USER:+user $WORKER_USER;}
daemon off;
worker_processes 1;
pid $PLAIN/nginx.pid;
error_log $PLAIN/nginx-error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $PLAIN/nginx-access.log;
  client_body_temp_path $PLAIN/tmp/body;
  proxy_temp_path $PLAIN/tmp/proxy;
  fastcgi_temp_path $PLAIN/tmp/fastcgi;
  uwsgi_temp_path $PLAIN/tmp/uwsgi;
  scgi_temp_path $PLAIN/tmp/scgi;
  server_tokens off;
  sendfile on;
  keepalive_timeout 65;
  server {
    listen $PLAIN_IP:$NGINX_PORT;
    root $CODE;
    location ~ \.php\$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_bind $PLAIN_IP;
      fastcgi_pass $PLAIN_IP:$FPM_PORT;
    }
  }
}
EOF
CONPAAS_BENCH="$MARK" "$FPM" --nodaemonize --fpm-config "$PLAIN/php-fpm.conf" > "$PLAIN/php-fpm.out" 2>&1 &
OWN_PIDS+=("$!")
CONPAAS_BENCH="$MARK" nginx -p "$PLAIN/" -c "$PLAIN/nginx.conf" -e "$PLAIN/nginx-error.log" \
    > "$PLAIN/nginx.out" 2>&1 &
OWN_PIDS+=("$!")
PLAIN_URL="http://$PLAIN_IP:$NGINX_PORT/"
plain_up() { serves_text "${PLAIN_URL}hello.php" "hello from PHP"; }
wait_for 30 plain_up || { cat "$PLAIN"/*.out "$PLAIN"/*error.log >&2; exit 1; }
check_served "$PLAIN_URL" "the plain nginx ($PLAIN_URL)"

# CPU time of the machine so far and the part of it the hypervisor gave to other guests (steal), in ticks.
cpu_ticks() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat; }
steal_percent() {  # ticks before, ticks after ("total steal" each)
    python3 -c 'import sys;t0,s0,t1,s1=map(int,sys.argv[1:]);print(f"{100*(s1-s0)/max(1,t1-t0):.0f}%")' $1 $2
}

# One case: a short warm-up, then SECONDS_PER_CASE seconds of wrk; prints "requests/s p99-ms errors".
measure() {  # URL
    wrk -t "$THREADS" -c "$CONNECTIONS" -d 2s "$1" > /dev/null
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${SECONDS_PER_CASE}s" --latency "$1" | python3 -c '
import re, sys
out = sys.stdin.read()
rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
value, unit = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errors += int(m.group(1)) if m else 0
print(f"{rate:.0f} {p99:.2f} {errors}")'
}

echo "service proxy: $SERVICE_URL   plain nginx: $PLAIN_URL   (wrk: $THREADS threads, $CONNECTIONS connections," \
    "${SECONDS_PER_CASE} s per case after 2 s of warm-up; $(nproc) cores)"
# Each page through the service and then from the plain servers, one right after the other, so that both sides of a
# comparison see the same load from the rest of the machine. The load average and the CPU steal time (taken by other
# guests of the hypervisor) are printed to judge how quiet the machine was.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-36s %12s %14s %8s %7s\n' "case" "requests/s" "p99 latency" "errors" "steal"
for case in "service proxy, static.html|${SERVICE_URL}static.html" "plain nginx, static.html|${PLAIN_URL}static.html" \
        "service proxy, hello.php|${SERVICE_URL}hello.php" "plain nginx + php-fpm, hello.php|${PLAIN_URL}hello.php"; do
    before="$(cpu_ticks)"
    result="$(measure "${case#*|}")"
    read -r rate p99 errors <<< "$result"
    steal="$(steal_percent "$before" "$(cpu_ticks)")"
    printf '%-36s %12s %11s ms %8s %7s\n' "${case%%|*}" "$rate" "$p99" "$errors" "$steal"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

post "$S/stop?wait=120" '{}' >/dev/null || true
