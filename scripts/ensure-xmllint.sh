#!/usr/bin/env bash
# Makes sure xmllint (Debian's libxml2-utils) is installed for the JUnit test that checks
# every sample's `review --format junit` with it (Tests/CMLogCheckTests/CMLogCheckCLI/
# ReviewTests.swift, JUnitFormatTests). Installed with apt-get when running as root,
# otherwise prints the one command to run. Prints nothing and exits 0 when it is there.
command -v xmllint >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "cmlogcheck: installing libxml2-utils with apt-get (xmllint, for the JUnit test)" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends libxml2-utils; } >/dev/null 2>&1 || {
    echo "cmlogcheck: apt-get could not install libxml2-utils" >&2; exit 1; }
  command -v xmllint >/dev/null 2>&1 || { echo "cmlogcheck: libxml2-utils installed but xmllint is not on PATH" >&2; exit 1; }
  exit 0
fi
echo "cmlogcheck's JUnit test needs xmllint. Run:" >&2
echo "  sudo apt-get install -y --no-install-recommends libxml2-utils" >&2
exit 1
