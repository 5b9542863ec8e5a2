#!/usr/bin/env sh
# Installs xmllint (Debian/Ubuntu: libxml2-utils), which the adapters' integration tests use to check
# that sample messages validate against the published XSD. Idempotent.
set -eu
if command -v xmllint >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO apt-get install -y libxml2-utils
