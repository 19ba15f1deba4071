#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are not installed yet, quietly; does nothing when all
# are. As root with apt-get, else through sudo. Used by make targets for tools that come from Debian (promtool from
# `prometheus`, the Python consumer's `python3-confluent-kafka` and `python3-avro`).
set -euo pipefail

missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
(( ${#missing[@]} == 0 )) && exit 0

if (( EUID == 0 )); then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else
  echo "needs the Debian packages ${missing[*]}: run as root, or install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine: update them once, only when an install is needed.
"${as_root[@]}" apt-get update -qq >/dev/null
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's prometheus package enables a systemd service on :9090. Nothing here uses it (tests run promtool only;
# `make run PROMETHEUS=1` starts its own on another port): keep it stopped where systemd runs.
if [[ " ${missing[*]} " == *" prometheus "* ]] && [[ -d /run/systemd/system ]]; then
  "${as_root[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
