#!/bin/sh
# System packages the test suite drives for real (not npm packages): Debian `chromium` for the
# dashboard test, OpenSSH server and rsync for the ssh provider test, libfaketime for the chaos
# test's clock shifts. Installs what is missing (root + apt-get); does nothing when everything
# is there. `npm test` runs it first, so the README's test command works on a fresh Debian
# machine; .ci/run runs it too.
set -eu
here=$(dirname "$0")
sh "$here/ensure-chromium.sh"
sh "$here/ensure-sshd.sh"
if ! dpkg -s faketime >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-test-deps: the chaos test needs Debian's faketime package (apt-get install faketime, as root)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends faketime
fi
