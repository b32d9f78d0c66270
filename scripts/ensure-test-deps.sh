#!/bin/sh
# System packages the test suite drives for real (not npm packages): Debian `chromium` for the
# dashboard test, OpenSSH server and rsync for the ssh provider test. Installs what is missing
# (root + apt-get); does nothing when everything is there. `npm test` runs it first, so the
# README's test command works on a fresh Debian machine; .ci/run runs it too.
set -eu
here=$(dirname "$0")
sh "$here/ensure-chromium.sh"
sh "$here/ensure-sshd.sh"
