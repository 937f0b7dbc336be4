#!/usr/bin/env bash
# Installs the Debian packages the app and its tests use, when they are missing.
# Qt needs a few shared libraries even offscreen; poppler-utils renders and
# reads back exported PDFs in tests; xvfb runs a real window for screenshots.
set -eu
packages="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 poppler-utils xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 strace"
packages="$packages binutils"  # PyInstaller strips the bundle's libraries; build_installer.py reads them with readelf
command -v dpkg >/dev/null 2>&1 || exit 0
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "setup: please install these Debian packages:$missing" >&2; exit 0; fi
else SUDO=""; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
