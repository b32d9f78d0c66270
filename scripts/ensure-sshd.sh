#!/bin/sh
# Makes sure an OpenSSH server binary (and rsync, which the ssh provider prefers over scp) is
# installed, for the ssh provider's tests. Debian/Ubuntu only; needs root for apt-get.
# The tests start their own sshd on a free port with their own keys: this script never starts
# or configures the system's sshd.
set -eu
missing=""
[ -x /usr/sbin/sshd ] || missing="$missing openssh-server"
command -v rsync >/dev/null 2>&1 || missing="$missing rsync"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-sshd: need root to install:$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $missing
