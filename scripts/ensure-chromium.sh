#!/bin/sh
# Makes sure Debian's `chromium` is installed for the dashboard's end-to-end test, which drives
# it with playwright-core (no browser download: playwright-core only speaks the protocol).
# Debian/Ubuntu only; needs root for apt-get. Does nothing when /usr/bin/chromium exists.
set -eu
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: chromium installed but /usr/bin/chromium is missing" >&2; exit 1; }
