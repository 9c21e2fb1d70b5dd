#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing:
#   pkg-config, libusb-1.0-0-dev, libudev-dev — so the optional Ledger USB transport (node-hid) builds from source;
#   chromium, fonts-dejavu-core — the browser the end-to-end tests drive with playwright-core
#   (test/browser/; no browser download), and a font so its screenshots show text.
set -euo pipefail
packages=(pkg-config libusb-1.0-0-dev libudev-dev chromium fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Not a Debian-like system: install ${missing[*]} (or your system's equivalents) yourself." >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
