#!/usr/bin/env bash
# Makes sure xmllint (Debian's libxml2-utils) is installed for the JUnit test that checks
# every sample's `review --format junit` with it (JUnitFormatTests in
# Tests/CMLogCheckTests/CMLogCheckCLI/ReviewTests.swift).
exec "$(dirname "$0")/ensure-tool.sh" libxml2-utils "xmllint, for the JUnit test" xmllint
