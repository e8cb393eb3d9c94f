#!/usr/bin/env bash
# Operating-system packages a Packline station (and its test suite) needs on Debian/Ubuntu:
# Qt's X11/EGL runtime libraries, the label fonts (app/printing/fonts.py: a CJK TrueType font and
# the fallbacks for rare ideographs, symbols and emoji), Xvfb for headless windows, and
# PgBouncer, which the tests run in front of PostgreSQL as a large site does.
# Installs what is missing when run as root; otherwise prints the apt-get line to run.
set -euo pipefail

# "a|b" means: the first of these names the distribution knows.
PACKAGES=(
  libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libdbus-1-3 "libglib2.0-0t64|libglib2.0-0" libx11-xcb1 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-xkb1 libxrender1 libxi6 libsm6 libice6
  fonts-wqy-zenhei fonts-wqy-microhei fontconfig
  fonts-dejavu-core fonts-hanazono fonts-babelstone-han fonts-symbola
  "libusb-1.0-0t64|libusb-1.0-0"
  libpulse0 "libpipewire-0.3-0t64|libpipewire-0.3-0"
  xvfb xauth xdotool x11-utils imagemagick
  binutils  # `make package`: PyInstaller reads and writes executables with objdump, objcopy
  pgbouncer  # the tests and the rehearsal pool connections through it (docs/scaling.md)
)

command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian system; install Qt 6 runtime libraries, a CJK font and Xvfb yourself" >&2; exit 0; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
known() { [ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}' | grep -v '(none)')" ]; }

missing=()
updated=0
# Debian's own python3 ships venv/ensurepip separately; `make` needs them for .venv.
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  PACKAGES+=(python3-venv)
fi
for spec in "${PACKAGES[@]}"; do
  IFS='|' read -r -a names <<<"$spec"
  ok=0
  for n in "${names[@]}"; do installed "$n" && { ok=1; break; }; done
  [ $ok = 1 ] && continue
  if [ $updated = 0 ] && [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null; updated=1; fi
  for n in "${names[@]}"; do
    if known "$n"; then missing+=("$n"); ok=1; break; fi
  done
  if [ $ok = 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "system-deps: no package for ${spec} in this distribution" >&2
    else
      missing+=("${names[-1]}")  # package lists may be empty without root: name it anyway
    fi
  fi
done

[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "system-deps: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing packages; run: sudo apt-get install ${missing[*]}" >&2
fi
