#!/usr/bin/env bash
# Makes sure one of COMMAND... is on PATH, installing Debian's PACKAGE with apt-get when
# running as root, otherwise printing the one command to run. Prints nothing and exits 0
# when it is already there; exits 1 when it is not and could not be installed.
#
#   scripts/ensure-tool.sh PACKAGE "what it is for" COMMAND [COMMAND...]
set -u
package=$1 purpose=$2
shift 2
have() { for name in "$@"; do command -v "$name" >/dev/null 2>&1 && return 0; done; return 1; }
have "$@" && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "cmlogcheck: installing $package with apt-get ($purpose)" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$package"; } >/dev/null 2>&1 || {
    echo "cmlogcheck: apt-get could not install $package" >&2; exit 1; }
  have "$@" || { echo "cmlogcheck: $package installed but $1 is not on PATH" >&2; exit 1; }
  exit 0
fi
echo "cmlogcheck needs $1 ($purpose). Run:" >&2
echo "  sudo apt-get install -y --no-install-recommends $package" >&2
exit 1
