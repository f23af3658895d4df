#!/usr/bin/env bash
# Makes sure PCRE2's development files (libpcre2-dev) and pkg-config are
# installed: apt-get when running as root, otherwise prints the one command to run.
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libpcre2-8 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "cmlogcheck: installing libpcre2-dev and pkg-config with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq libpcre2-dev pkg-config >/dev/null || {
    echo "cmlogcheck: apt-get could not install libpcre2-dev" >&2; exit 1; }
  exit 0
fi
echo "cmlogcheck needs PCRE2's development files. Run:" >&2
echo "  sudo apt-get install -y libpcre2-dev pkg-config" >&2
exit 1
