#!/bin/sh
# Installs Debian's Chromium and the Noto fonts (with Devanagari) for the browser tests, and
# poppler-utils (pdftoppm) for the certificate PDF tests, and redis-server for the shared-cache tests
# (production's cache; the tests start their own server on a free port).
set -eu
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "Installing Debian's chromium, fonts-noto-core, poppler-utils and redis-server for the tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-core poppler-utils redis-server >/dev/null
