#!/usr/bin/env bash
# Builds cmlogcheck as one portable binary and installs it under PREFIX:
#   scripts/install.sh PREFIX          (for example /usr/local, or ~/.local)
#
#   PREFIX/bin/cmlogcheck                               the binary: static Swift runtime, the rule
#                                                       catalog, knowledge and finding texts built in
#   PREFIX/share/man/man1/cmlogcheck*.1                 man pages (swift-argument-parser's generate-manual)
#   PREFIX/share/bash-completion/completions/cmlogcheck
#   PREFIX/share/zsh/site-functions/_cmlogcheck
#   PREFIX/share/fish/vendor_completions.d/cmlogcheck.fish
#
# The binary needs only glibc and libpcre2-8 at run time (README, "Install").
# The release build takes about 5 minutes on two cores, the man pages a debug build (shared
# with the tests: minutes on a clean checkout, seconds after scripts/test.sh).
set -eu
if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: scripts/install.sh PREFIX   (for example /usr/local or \$HOME/.local)" >&2
  exit 2
fi
prefix=$1
cd "$(dirname "$0")/.."
scripts/ensure-pcre2.sh

echo "cmlogcheck: building the release binary with the static Swift standard library" >&2
swift build -c release --static-swift-stdlib --product cmlogcheck >&2
binary=$(swift build -c release --static-swift-stdlib --show-bin-path)/cmlogcheck

# The man pages come from the binary's own help (swift-argument-parser's generate-manual
# plugin, which runs it with --experimental-dump-help), so they always match it. The plugin
# builds the package itself, in the configuration asked for: debug, which the tests share,
# since its release build lacks --static-swift-stdlib and would rebuild (and replace) the
# binary above. It needs no network: the plugin comes with swift-argument-parser.
echo "cmlogcheck: generating the man pages" >&2
swift package plugin generate-manual --configuration debug --multi-page >&2
manuals=.build/plugins/GenerateManual/outputs/cmlogcheck

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 755 "$binary" "$prefix/bin/cmlogcheck"
install -m 644 "$manuals"/*.1 "$prefix/share/man/man1/"
"$prefix/bin/cmlogcheck" --generate-completion-script bash > "$prefix/share/bash-completion/completions/cmlogcheck"
"$prefix/bin/cmlogcheck" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_cmlogcheck"
"$prefix/bin/cmlogcheck" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/cmlogcheck.fish"
echo "cmlogcheck: installed $prefix/bin/cmlogcheck" >&2
