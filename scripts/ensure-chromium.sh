#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed for the HTML report's browser test
# (Tests/CMLogCheckTests/LogReport/HTMLBrowserTests.swift): Debian's `chromium` package,
# installed with apt-get when running as root, otherwise prints the one command to run.
# Prints nothing and exits 0 when it is already there.
for name in chromium chromium-browser; do
  if command -v "$name" >/dev/null 2>&1; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "cmlogcheck: installing chromium with apt-get (for the HTML report's browser test)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null || {
    echo "cmlogcheck: apt-get could not install chromium" >&2; exit 1; }
  command -v chromium >/dev/null 2>&1 || { echo "cmlogcheck: chromium installed but not on PATH" >&2; exit 1; }
  exit 0
fi
echo "cmlogcheck's browser test needs Chromium. Run:" >&2
echo "  sudo apt-get install -y --no-install-recommends chromium" >&2
exit 1
