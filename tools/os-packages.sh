#!/usr/bin/env bash
# The Debian packages ConPaaS needs outside the JVM, by group, and what to do about them.
#
#   tools/os-packages.sh MODE [GROUP...]       (GROUP defaults to "tests")
#
# MODE:
#   install  install the missing packages with apt-get (as root, or through passwordless sudo); daemons that the
#            packages bring (nginx, php-fpm, memcached, mariadb) are not started
#   check    exit 1 naming exactly the missing packages and how to install them; exit 0 when nothing is missing
#   auto     install when root or passwordless sudo can, else check (what `mvn -B verify` does by default)
#   list     print each group's packages and why they are needed
#   skip     do nothing
#   note     for conpaas-run: one sentence per group whose packages are missing, always exit 0
#   names    print the package names of the groups, one per line (the first of alternatives; tools/node-image.sh)
#
# GROUP: build, director, node (what a cloud machine's image needs to boot a node: tools/node-image.sh), helloworld,
# generic, php, java, mysql, lxc (the LXC cloud), frontend (the browser test of the web console), xtreemfs (MooseFS
# for the xtreemfs service; install also gives /dev/fuse Debian's usual mode 0666 where a container left it 0600: the
# DIR node's unprivileged account mounts),
# tests (everything `mvn -B verify` runs).
# The list is checked with dpkg; on a system without dpkg the script says so and lets the caller go on.
set -euo pipefail

usage() { echo "usage: $0 install|check|auto|list|skip|note|names [build|director|node|helloworld|generic|php|java|mysql|lxc|xtreemfs|frontend|tests ...]" >&2; exit 2; }

is_root() { [ "$(id -u)" = 0 ]; }

# One entry per package: "group(s)|package or alternatives (a/b: either one)|why". Groups are space-separated.
# "nonroot" marks a package needed only when the director does not run as root.
ENTRIES=(
  "build|openjdk-17-jdk-headless|the JDK 17 that builds everything and runs the director and its agents"
  "build|maven|the build (mvn)"
  "build|ca-certificates|Maven's HTTPS downloads from Maven Central"
  "node|openjdk-17-jre-headless|the Java 17 runtime of the node's agent"
  "node|ca-certificates|curl's certificate store (the director's own CA is passed to it explicitly)"
  "node|cloud-init|runs the director's user data (a #!/bin/sh script) at the machine's first boot"
  "director node tests|tar|conpaas-run unpacks the distribution; the local cloud unpacks the agent runtime for each node"
  "director node tests|gzip|the distribution and the agent runtime are .tar.gz"
  "director node tests|curl|each node's boot script (its user data) downloads the agent runtime from the director over HTTPS"
  "director node tests|procps|ps and kill: the local cloud finds and stops its nodes' processes"
  "director node tests|util-linux|setsid and setpriv: the local cloud starts each node in its own process group and account"
  "director tests|iproute2|ip: the local cloud's namespace mode (network = namespace) makes namespaces, veths and a bridge"
  "director.nonroot tests|bubblewrap|a director not running as root sandboxes each local node with bwrap"
  "generic tests|bash|Generic's lifecycle scripts"
  "generic tests|e2fsprogs|volumes: mkfs.ext4 formats them, blkid checks them"
  "generic tests|mount|volumes: mount and umount (loop-mounted when the director is root)"
  "generic.nonroot tests|fuse2fs|volumes without root: the node's agent mounts them through FUSE"
  "generic.nonroot|fuse|volumes without root: fusermount unmounts the FUSE mounts"
  "php java tests|nginx-light/nginx|the web services' proxies and static web servers"
  "php tests|php-fpm|the PHP service's backends"
  "php tests|memcached|the PHP service's session store"
  "php tests|php-memcached|PHP sessions in memcached"
  "php tests|php-mysql|PHP pages talking to the MySQL service (mysqli, PDO MySQL)"
  "mysql tests|mariadb-server|the MySQL service's nodes: MariaDB 10.11 (each node runs its own mariadbd)"
  "mysql tests|mariadb-client|the MySQL service's agents talk to their mariadbd through the mariadb client and mariadb-dump"
  "mysql tests|galera-4|the MySQL service's multi-master replication (Galera 4)"
  "mysql tests|rsync|Galera's state transfer to joining MySQL nodes (wsrep_sst_method=rsync)"
  "mysql tests|socat|Galera's state transfer scripts"
  "mysql tests|haproxy|the MySQL service's glb nodes (TCP load balancer with a Galera health check)"
  "lxc tests|lxc|the LXC cloud (cloud-lxc): lxc-create, lxc-copy, lxc-start and the rest run each node as a container (as root)"
  "lxc tests|busybox-static/busybox|the LXC cloud's base container is LXC's busybox template; a Debian base (base = debian) runs the host's /bin/busybox as its init"
  "lxc tests|debootstrap|the LXC cloud's Debian base (base = debian) is made with debootstrap from a Debian mirror"
  "lxc tests|rsync|the LXC cloud clones each node's container from its base with lxc-copy, which copies with rsync"
  "xtreemfs tests|moosefs-master|the xtreemfs service (on MooseFS): the DIR/MRC role's mfsmaster"
  "xtreemfs tests|moosefs-chunkserver|the xtreemfs service: the OSD role's mfschunkserver"
  "xtreemfs tests|moosefs-client|the xtreemfs service: mfsmount (clients mount volumes; the DIR node changes its namespace)"
  "xtreemfs tests|moosefs-cli|the xtreemfs service: mfscli, the master's state (OSDs, chunks, draining)"
  "frontend tests|chromium|the web console's browser test (ConsoleBrowserIT) drives a real headless Chromium"
  "frontend tests|chromium-driver|chromedriver: how Selenium drives Chromium in ConsoleBrowserIT"
  "tests|python3|the local-cloud tests fake an agent with python3's http.server"
  "tests|bzip2|the code-archive tests build tar.bz2 archives with tar -j"
  "tests|debootstrap|the node image test (tools/node-image.sh) builds a Debian 12 chroot from Debian's mirror"
  "tests|python3-flask|the EC2 driver's tests run moto (the AWS API emulator, vendored source) on Debian's python3: its web server"
  "tests|python3-flask-cors|moto's server (EC2 driver tests)"
  "tests|python3-werkzeug|moto's server (EC2 driver tests)"
  "tests|python3-boto3|moto's AWS models (EC2 driver tests)"
  "tests|python3-botocore|moto's AWS models (EC2 driver tests)"
  "tests|python3-responses|moto's request mocking (EC2 driver tests)"
  "tests|python3-xmltodict|moto's XML answers (EC2 driver tests)"
  "tests|python3-jinja2|moto's answer templates (EC2 driver tests)"
  "tests|python3-dateutil|moto's timestamps (EC2 driver tests)"
  "tests|python3-requests|moto (EC2 driver tests)"
  "tests|python3-yaml|moto (EC2 driver tests)"
  "tests|python3-cryptography|moto's key pairs (EC2 driver tests)"
)
ALL_GROUPS="build director node helloworld generic php java mysql lxc xtreemfs frontend tests"

# The package specs (with alternatives) of the given groups, in order, without duplicates.
specs_of() {
  local group entry groups spec seen=" "
  for group in "$@"; do
    for entry in "${ENTRIES[@]}"; do
      groups=" ${entry%%|*} "; spec="${entry#*|}"; spec="${spec%%|*}"
      if [[ "$groups" == *" $group "* ]] || { ! is_root && [[ "$groups" == *" $group.nonroot "* ]]; }; then
        [[ "$seen" == *" $spec "* ]] || { seen+="$spec "; echo "$spec"; }
      fi
    done
  done
}

reason_of() {
  local entry spec
  for entry in "${ENTRIES[@]}"; do
    spec="${entry#*|}"; spec="${spec%%|*}"
    if [ "$spec" = "$1" ] || [ "${spec%%/*}" = "$1" ]; then echo "${entry##*|}"; return; fi
  done
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q ' installed$'; }

# Prints the missing package of each spec (the first alternative when none is installed).
missing_of() {
  local spec alt found
  for spec in $(specs_of "$@"); do
    found=""
    for alt in ${spec//\// }; do installed "$alt" && { found=1; break; }; done
    [ -n "$found" ] || echo "${spec%%/*}"
  done
}

install_hint() {
  local sudo=""; is_root || sudo="sudo "
  echo "${sudo}apt-get install --no-install-recommends $*"
}

SUDO=()
can_install() {
  command -v apt-get >/dev/null || return 1
  if is_root; then return 0; fi
  command -v sudo >/dev/null && sudo -n true 2>/dev/null && { SUDO=(sudo -n); return 0; }
  return 1
}

do_check() { # groups...
  local missing
  missing=$(missing_of "$@" | tr '\n' ' '); missing="${missing% }"
  [ -z "$missing" ] && { echo "OS packages for $*: all installed."; return 0; }
  echo "Missing Debian packages for $*: $missing" >&2
  local p; for p in $missing; do echo "  $p: $(reason_of "$p")" >&2; done
  echo "Install them with: $(install_hint "$missing")  (or: tools/os-packages.sh install $*)." >&2
  # From Maven (the root pom sets this): the way past the check, knowing that the tests needing them will fail.
  [ -n "${CONPAAS_FROM_MAVEN:-}" ] && echo "Or build without them: -Dconpaas.osPackages=skip (the tests that use them then fail)." >&2
  return 1
}

# MooseFS's client needs /dev/fuse; Debian's udev makes it 0666, some containers leave it 0600 (root only), and the
# local cloud's nodes run as unprivileged accounts.
fuse_mode() { # groups...
  [[ " $* " == *" xtreemfs "* || " $* " == *" tests "* ]] || return 0
  [ -c /dev/fuse ] || return 0
  [ "$(stat -c %a /dev/fuse)" = 666 ] && return 0
  if [ "$1" = fix ] && "${SUDO[@]}" chmod 0666 /dev/fuse; then echo "/dev/fuse made 0666 (Debian's default) for MooseFS's client."; return 0; fi
  echo "/dev/fuse is $(stat -c %a /dev/fuse): the xtreemfs service's nodes cannot mount; chmod 0666 /dev/fuse (Debian's default)." >&2
}

do_install() { # groups...
  can_install >/dev/null 2>&1 && fuse_mode fix "$@"
  local missing
  missing=$(missing_of "$@" | tr '\n' ' '); missing="${missing% }"
  [ -z "$missing" ] && { echo "OS packages for $*: all installed."; return 0; }
  can_install || { echo "Cannot install packages here (not root, no passwordless sudo, or no apt-get)." >&2; do_check "$@"; return 1; }
  echo "Installing Debian packages for $*: $missing"
  # Packages must not start their daemons: a system nginx on *:80 or memcached on 127.0.0.1:11211 would take the
  # ports that the PHP service's nodes bind on their own addresses. A policy-rc.d that answers 101 tells
  # invoke-rc.d not to start anything; one we add is removed again afterwards.
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null && "${SUDO[@]}" chmod 755 "$policy"
    added=1
  fi
  local rc=0
  {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  } || rc=$?
  [ -n "$added" ] && "${SUDO[@]}" rm -f "$policy"
  [ "$rc" = 0 ] || { echo "apt-get failed (exit $rc) installing: $missing" >&2; return 1; }
  do_check "$@"
}

do_list() {
  local group spec
  for group in "$@"; do
    echo "$group:"
    for spec in $(specs_of "$group"); do printf '  %-20s %s\n' "${spec//\// or }" "$(reason_of "$spec")"; done
  done
}

do_note() { # one sentence per group with missing packages
  [[ " $* " != *" xtreemfs "* ]] || fuse_mode note xtreemfs
  local group missing
  for group in "$@"; do
    missing=$(missing_of "$group" | tr '\n' ' '); missing="${missing% }"
    [ -z "$missing" ] && continue
    if [ "$group" = director ]; then
      echo "The director needs the Debian packages $missing; install them with: $(install_hint "$missing")."
    else
      local p what=""
      for p in $missing; do what+="${what:+; }$p ($(reason_of "$p"))"; done
      echo "Service type $group is offered, but its nodes lack the Debian packages: $what. Until you run '$(install_hint "$missing")', what needs them fails."
    fi
  done
  return 0
}

[ $# -ge 1 ] || usage
mode=$1; shift
[ $# -ge 1 ] || set -- tests
for g in "$@"; do [[ " $ALL_GROUPS " == *" $g "* ]] || { echo "unknown group '$g' (known: $ALL_GROUPS)" >&2; exit 2; }; done

case "$mode" in
  list) do_list "$@"; exit 0 ;;
  names) specs_of "$@" | sed 's|/.*||'; exit 0 ;;
  skip) echo "OS packages for $*: not checked (skip)."; exit 0 ;;
esac
# Maven passes -Dmaven.test.skip through this variable: no tests, nothing to install.
[ "${CONPAAS_TEST_SKIP:-false}" = true ] && { echo "OS packages: tests are skipped, nothing to check."; exit 0; }
if ! command -v dpkg-query >/dev/null; then
  echo "No dpkg here, so the OS packages cannot be checked; '$0 list $*' says what is needed." >&2
  exit 0
fi
case "$mode" in
  install) do_install "$@" ;;
  check) do_check "$@" ;;
  auto) if can_install; then do_install "$@"; else do_check "$@"; fi ;;
  note) do_note "$@" ;;
  *) usage ;;
esac
