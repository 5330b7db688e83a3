#!/usr/bin/env bash
# Prepares a Debian 12 machine image for ConPaaS nodes on a real cloud (EC2, OpenStack, Synnefo): Java 17, cloud-init,
# what the director's user data uses (sh, base64, curl, tar) and the Debian packages of the service types.
#
#   tools/node-image.sh user-data [TYPE...]   print a cloud-init user data that prepares the machine it runs on: boot
#                                             a stock Debian 12 cloud image with it, wait for it to power off, and
#                                             snapshot the disk as the image the clouds' `image`/`imageId` name
#   tools/node-image.sh prepare [TYPE...]     prepare this machine (root; e.g. a fresh instance you then snapshot)
#   tools/node-image.sh chroot DIR [TYPE...]  debootstrap Debian 12 into DIR (unless it holds a system already) and
#                                             prepare it there: a root file system to turn into a disk image
#                                             (virt-make-fs, qemu-img) or to check what the image gets
#
# TYPE: the service types the image serves (default: all of them: helloworld generic php java mysql xtreemfs; flink
# needs nothing but the node's Java, its lib/ comes from the director). The packages come
# from tools/os-packages.sh (groups `node` and the types), so images and tests always agree on them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ALL_TYPES="helloworld generic php java mysql xtreemfs"
MIRROR=${CONPAAS_DEBIAN_MIRROR:-http://deb.debian.org/debian}

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# The preparation as one POSIX sh script: the same text is the user data, runs here, or runs inside the chroot.
render() { # types...
  local packages
  packages=$(bash "$here/os-packages.sh" names node "$@" | tr '\n' ' ')
  cat <<EOF
#!/bin/sh
# ConPaaS node image for service types: $*
set -eu
export DEBIAN_FRONTEND=noninteractive
# The agent starts nginx, php-fpm, memcached, mariadbd, haproxy and MooseFS itself, on the node's own ports: the packages must not start the
# system's copies now (policy-rc.d answering 101), nor at boot (disabled below).
policy=/usr/sbin/policy-rc.d
added=
if [ ! -e "\$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "\$policy"; chmod 755 "\$policy"; added=1; fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends ${packages% } > /dev/null
if [ -n "\$added" ]; then rm -f "\$policy"; fi
for unit in nginx memcached mariadb haproxy moosefs-master moosefs-chunkserver \$(cd /lib/systemd/system 2>/dev/null && ls | sed -n 's/^\(php[0-9.]*-fpm\)\.service\$/\1/p'); do
  [ -e "/lib/systemd/system/\$unit.service" ] || continue
  if command -v systemctl > /dev/null; then systemctl disable "\$unit.service" > /dev/null 2>&1 || true; fi
  if command -v deb-systemd-helper > /dev/null; then deb-systemd-helper disable "\$unit.service" > /dev/null 2>&1 || true; fi
done
apt-get clean
rm -rf /var/lib/apt/lists/*
java -version > /dev/null 2>&1 || { echo "no working Java after the installation" >&2; exit 1; }
echo "types=$* prepared=\$(date -u +%Y-%m-%dT%H:%M:%SZ)" > /etc/conpaas-node-image
echo "ConPaaS node image ready (service types: $*)."
EOF
}

as_user_data() { # types...: the script, plus a power-off so that the snapshot is taken of a stopped machine
  render "$@"
  cat <<'EOF'
# A fresh instance of the image runs its own user data: forget this one's.
cloud-init clean --logs > /dev/null 2>&1 || true
shutdown -h +1 "ConPaaS node image prepared; powering off for the snapshot" || poweroff
EOF
}

check_types() {
  local t
  for t in "$@"; do [[ " $ALL_TYPES " == *" $t "* ]] || { echo "unknown service type '$t' (known: $ALL_TYPES)" >&2; exit 2; }; done
}

need_root() { [ "$(id -u)" = 0 ] || { echo "$1 needs root." >&2; exit 1; }; }

in_chroot() { # dir types...
  local dir=$1; shift
  need_root "Preparing a chroot"
  command -v debootstrap > /dev/null || { echo "debootstrap is missing: apt-get install --no-install-recommends debootstrap" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ ! -x "$dir/bin/sh" ]; then
    echo "Installing Debian 12 (bookworm, minbase) into $dir from $MIRROR"
    debootstrap --variant=minbase bookworm "$dir" "$MIRROR" > "$dir.debootstrap.log" 2>&1 \
      || { echo "debootstrap failed; see $dir.debootstrap.log" >&2; exit 1; }
    rm -f "$dir.debootstrap.log"
  fi
  # Java's and dpkg's scripts want /proc; it is unmounted again whatever happens.
  mount -t proc proc "$dir/proc"
  trap 'umount "$dir/proc" 2>/dev/null || umount -l "$dir/proc"' EXIT
  render "$@" > "$dir/root/conpaas-node-image.sh"
  # a clean environment: nothing of the caller's (a JVM's LD_LIBRARY_PATH, its PATH) leaks into the image's programs
  chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 /bin/sh /root/conpaas-node-image.sh
  rm -f "$dir/root/conpaas-node-image.sh"
}

[ $# -ge 1 ] || usage
mode=$1; shift
case "$mode" in
  user-data) [ $# -ge 1 ] || set -- $ALL_TYPES; check_types "$@"; as_user_data "$@" ;;
  prepare) [ $# -ge 1 ] || set -- $ALL_TYPES; check_types "$@"; need_root "Preparing this machine"; render "$@" | sh ;;
  chroot)
    [ $# -ge 1 ] || usage
    dir=$1; shift
    [ $# -ge 1 ] || set -- $ALL_TYPES
    check_types "$@"
    in_chroot "$dir" "$@" ;;
  *) usage ;;
esac
