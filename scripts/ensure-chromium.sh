#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed for the HTML report's browser test
# (Tests/CMLogCheckTests/LogReport/HTMLBrowserTests.swift): Debian's `chromium` package.
exec "$(dirname "$0")/ensure-tool.sh" chromium "for the HTML report's browser test" chromium chromium-browser
