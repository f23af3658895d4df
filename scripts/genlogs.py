#!/usr/bin/env python3
"""Deterministic generator of synthetic ConfigMgr "tenant attach" logs.

Standard library only. Three subcommands:

  bench    one large upload (or notification) worker log for speed tests, as dense as a
           real one (--density dense, the default) or the first sparse bench file
           python3 scripts/genlogs.py bench --format cmtrace|simple|scp --size 1G --seed 1 -o FILE
           [--density dense|sparse] [--log upload|notification]
  samples  (re)write every sample scenario (logs, expected.json, README.md)
           python3 scripts/genlogs.py samples -o SampleLogs
  verify   re-read the written sample files with a small independent reader and
           check them against their expected.json (a reference for the Swift parser)
           python3 scripts/genlogs.py verify SampleLogs

Everything is derived from a seeded random stream that uses only
random.Random.random(), the one method Python promises to keep stable across
versions, so the samples are byte-identical on every run and every Python 3.

The documented message texts (Microsoft's public docs, see
shared/reference/tenant-attach-logs.md) are copied verbatim; everything else
(filler lines, the [UploadFull_HelpdeskUpload] tag, web request lines for
DevicePost and Notification, BgbServer/CcmNotificationAgent component names,
record grouping, CMTrace type values) is a synthetic stand-in.
"""

import argparse
import datetime as _dt
import json
import os
import random
import re
import sys
import time

# --------------------------------------------------------------------------
# constants: documented texts

HOST = "us.gateway.configmgr.manage.microsoft.com"
GATEWAY = "https://" + HOST + "/api/gateway"
DEVICEPOST = GATEWAY + "/DevicePost"
ONBOARD = GATEWAY + "/AccountOnboardingInfo"
NOTIFICATION = GATEWAY + "/Notification"
SCP_COMPONENT = "SMS_SERVICE_CONNECTOR"
BGB_COMPONENT = "BgbServer"                 # synthetic: not documented
CLIENT_COMPONENT = "CcmNotificationAgent"   # synthetic: not documented

UPLOAD_LOG = "CMGatewaySyncUploadWorker.log"
UPLOAD_LOG_OLD = "CMGatewaySyncUploadWorker.lo_"
NOTIFY_LOG = "CMGatewayNotificationWorker.log"
GENERIC_LOG = "GenericUploadWorker.log"
BGB_LOG = "BgbServer.log"
CLIENT_LOG = "CcmNotificationAgent.log"

TAG_DELTA = "[UploadDelta_HelpdeskUpload]"   # documented
TAG_FULL = "[UploadFull_HelpdeskUpload]"     # synthetic stand-in for the full sync
TAG_ONBOARD = "[OnboardScenario]"            # documented
TAG_NOTIFY = "[GetNotifications]"            # documented

STACK = ("    at Microsoft.ConfigurationManager.ServiceConnector."
         "ExtensionMethods.<GetResponseAsync>d__13.MoveNext()")
HRESULT = "0x80131509"

# Network failures: the .NET Framework WebException messages for each status.
NET_FAILURES = {
    "dns": "The remote name could not be resolved: '" + HOST + "'",
    "connect": "Unable to connect to the remote server",
    "timeout": "The operation has timed out",
    "proxy": "The proxy name could not be resolved: 'proxy.contoso.com'",
}
# how long the failing request takes before the exception is logged (ms)
NET_FAILURE_DELAY = {"dns": (20, 90), "connect": (21000, 21100),
                     "timeout": (120000, 120050), "proxy": (15, 60)}

ERROR_FINDINGS = {"sync-stalled", "upload-unauthorized", "onboarding-rejected",
                  "notification-unauthorized", "action-unauthorized",
                  "service-unreachable", "upload-exception", "no-sync-activity",
                  # issue 12: failures whose cause and fix are written down
                  "signing-certificate-mismatch", "sql-connection-closed", "adminservice-upn-mismatch",
                  "provider-forbidden", "endpoint-check-failed", "tls-failure"}
WARNING_FINDINGS = {"sync-late", "action-not-forwarded", "action-not-delivered",
                    "device-shared-dp-certificate", "device-evidence-conflict",
                    "adminservice-sql-timeout", "push-partially-failed"}
LATE_GRACE = _dt.timedelta(minutes=10)
STALL_GRACE = _dt.timedelta(minutes=10)
INTERVAL = _dt.timedelta(minutes=15)

# filler must never contain any of these (case-insensitive)
BANNED_WORDS = ("batching", "next run", "response", "exception", "error", "fail", "warn",
                "authoriz", "critical", "timed out", "timeout", "resolv", "unable", "proxy",
                "refused", "unreachable", "denied", "invalid", "web request", "activity id",
                "$$<", "]log]", "<![log[")
BANNED = re.compile(r"\r|[\x00-\x08]")   # and no stray control characters

# --------------------------------------------------------------------------
# deterministic random helpers (only random.Random.random() is used)


class Rng:
    def __init__(self, seed):
        self._r = random.Random(seed)
        self.random = self._r.random

    def int(self, a, b):
        """uniform integer in [a, b]"""
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def chance(self, p):
        return self.random() < p

    def shuffle(self, lst):
        for i in range(len(lst) - 1, 0, -1):
            j = int(self.random() * (i + 1))
            lst[i], lst[j] = lst[j], lst[i]

    def hexs(self, n):
        return "".join("0123456789abcdef"[int(self.random() * 16)] for _ in range(n))

    def guid(self):
        h = self.hexs(32)
        variant = "89ab"[int(self.random() * 4)]
        return "%s-%s-4%s-%s%s-%s" % (h[0:8], h[8:12], h[13:16], variant, h[17:20], h[20:32])

    def ms(self, a, b):
        return _dt.timedelta(milliseconds=self.int(a, b))


# --------------------------------------------------------------------------
# formatting


def bias_str(bias):
    """Windows bias in minutes, UTC = local + bias, written as +480 / -060 / +000."""
    return "%s%03d" % ("-" if bias < 0 else "+", abs(bias))


def fmt_time(t):
    return "%02d:%02d:%02d.%03d" % (t.hour, t.minute, t.second, t.microsecond // 1000)


def fmt_date(t):
    """CMTrace and the simple format always write MM-DD-YYYY."""
    return "%02d-%02d-%04d" % (t.month, t.day, t.year)


CULTURES = ("en-US", "nl-NL", "de-DE", "en-GB", "en-US-12h")


def fmt_culture(t, culture):
    """The Next run time date as DateTime.ToString() writes it in the server's culture."""
    hms = "%02d:%02d:%02d" % (t.hour, t.minute, t.second)
    if culture == "en-US":          # as in Microsoft's documented example
        return "%02d/%02d/%04d %s" % (t.month, t.day, t.year, hms)
    if culture == "nl-NL":
        return "%d-%d-%04d %s" % (t.day, t.month, t.year, hms)
    if culture == "de-DE":
        return "%02d.%02d.%04d %s" % (t.day, t.month, t.year, hms)
    if culture == "en-GB":
        return "%02d/%02d/%04d %s" % (t.day, t.month, t.year, hms)
    if culture == "en-US-12h":      # the real .NET en-US default; bench option only
        h = t.hour % 12 or 12
        return "%d/%d/%04d %d:%02d:%02d %s" % (t.month, t.day, t.year, h, t.minute,
                                               t.second, "AM" if t.hour < 12 else "PM")
    raise ValueError("unknown culture " + culture)


def render(fmt, t, bias, comp, tid, typ, msg, eol):
    """One record as text. msg uses '\\n' between its physical lines."""
    body = msg.replace("\n", eol)
    if fmt == "cmtrace":
        return ('<![LOG[%s]LOG]!><time="%s%s" date="%s" component="%s" context="" '
                'type="%d" thread="%d" file="">%s'
                % (body, fmt_time(t), bias_str(bias), fmt_date(t), comp, typ, tid, eol))
    if fmt == "simple":
        return ("%s  $$<%s><%s %s%s><thread=%d (0x%04X)>%s"
                % (body, comp, fmt_date(t), fmt_time(t), bias_str(bias), tid, tid, eol))
    raise ValueError(fmt)


def fmt_time7(t):
    """.NET's "HH:mm:ss.fffffff", as the real service connection point logs write it.

    The generator keeps times in whole milliseconds; the four sub-millisecond digits (100 ns
    ticks) are derived from the time itself by a multiplicative hash, so they vary like real
    ticks (`13:59:35.6721099`) and records stamped at the same moment print the same text, as
    consecutive lines of the real GenericDownloadWorker.log do. Truncating the seven digits to
    six (microseconds) gives back the record's time within 1 ms, never another second."""
    ms = t.microsecond // 1000
    key = ((((t.toordinal() * 24 + t.hour) * 60 + t.minute) * 60 + t.second) * 1000) + ms
    sub = ((key * 2654435761) >> 7) % 10000
    return "%02d:%02d:%02d.%03d%04d" % (t.hour, t.minute, t.second, ms, sub)


def render_shaped(t, bias, comp, tid, typ, msg, eol, frac7, pad_bias, src):
    """One CMTrace record in a shape other than the illustrative one of render():
    seven fractional digits (frac7), no bias at all (bias None), an unpadded bias such as
    `-60` (pad_bias False), a filled file="..." attribute (src)."""
    body = msg.replace("\n", eol)
    tm = fmt_time7(t) if frac7 else fmt_time(t)
    if bias is not None:
        tm += bias_str(bias) if pad_bias else "%+d" % bias
    return ('<![LOG[%s]LOG]!><time="%s" date="%s" component="%s" context="" '
            'type="%d" thread="%d" file="%s">%s'
            % (body, tm, fmt_date(t), comp, typ, tid, src, eol))


def trunc_sec(t):
    return t.replace(microsecond=0)


def iso_utc(t_local, bias):
    return (t_local + _dt.timedelta(minutes=bias)).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(t_local):
    """A time on a log's own clock (no bias in the file): ISO 8601 without an offset."""
    return t_local.strftime("%Y-%m-%dT%H:%M:%S")


# --------------------------------------------------------------------------
# message texts (documented ones verbatim, GUIDs and numbers vary)


def msg_batching(n):
    return "Batching %d records" % n


def msg_next_run(t_next, culture):
    return "Next run time will be at approximately: " + fmt_culture(t_next, culture)


def msg_request(tag, url, guid, method="POST"):
    return "%s Creating web request to: %s Method: %s Activity ID: %s Timeout: 00:02:00" % (
        tag, url, method, guid)


def msg_response(tag, url, status):
    return "%s Response from %s is: %s" % (tag, url, status)


def msg_status(status, guid):
    return "Response status code: %s Activity ID: %s" % (status, guid)


def msg_exception(severity, worker, text):
    return "Exception details:\n[%s][%s][0][System.Net.WebException][%s]\n%s%s" % (
        severity, worker, HRESULT, text, STACK)


# --------------------------------------------------------------------------
# filler (synthetic, neutral)

DEVICE_PREFIX = ("PC", "LT", "WS", "VM", "KIOSK")
COLLECTIONS = (("SMS00001", "All Systems"), ("PS100042", "Tenant attach upload"),
               ("PS100017", "Workstations"), ("PS10002A", "Laptops - Field staff"))
NONASCII_DEVICES = ("B\u00dcRO-PC-0042", "KASSE-Z\u00dcRICH-07", "CAF\u00c9-LT-0113",
                    "S\u00c3O-PAULO-WS-9")
PAIR_KEYS = ("devices", "bytes", "elapsedMs", "queue", "threads", "watermark",
             "site", "region", "cacheHits", "cacheMisses", "rows", "retries", "gen")


def device(rng, nonascii=False):
    if nonascii and rng.chance(0.5):
        return rng.choice(NONASCII_DEVICES)
    return "%s-%04d" % (rng.choice(DEVICE_PREFIX), rng.int(1, 9999))


def _filler_base(rng, nonascii):
    k = rng.int(0, 15)
    if k == 0:
        return "Checking schedule for worker CMGatewaySyncUploadWorker (interval %d seconds)" % 900
    if k == 1:
        return "Reading device change watermark from site database: %d" % rng.int(10 ** 6, 10 ** 8)
    if k == 2:
        return "Device change query took %d ms (watermark %d)" % (rng.int(3, 900), rng.int(10 ** 6, 10 ** 8))
    if k == 3:
        return "Acquiring AAD access token for tenant %s" % rng.guid()
    if k == 4:
        return "AAD access token taken from cache, valid for %d more minutes" % rng.int(2, 59)
    if k == 5:
        return "Serialized device payload: %d bytes, %d devices" % (rng.int(900, 90000), rng.int(1, 250))
    if k == 6:
        a = rng.int(2000, 90000)
        return "Payload compressed from %d to %d bytes" % (a, a // rng.int(3, 9))
    if k == 7:
        return "Heartbeat from worker thread %d, queue length %d" % (rng.int(1000, 12000), rng.int(0, 9))
    if k == 8:
        cols = ["ResourceID", "Name0", "Client0", "ClientVersion", "AADDeviceID",
                "SMS_Unique_Identifier0", "Operating_System_Name_and0", "LastModifiedTime"]
        n = rng.int(2, len(cols))
        return "SQL command completed in %d ms: SELECT %s FROM v_R_System WHERE Client0 = 1" % (
            rng.int(1, 400), ", ".join(cols[:n]))
    if k == 9:
        cid, name = rng.choice(COLLECTIONS)
        return "Upload collection filter: %s (%s)" % (cid, name)
    if k == 10:
        return "Updating device change watermark to %d" % rng.int(10 ** 6, 10 ** 8)
    if k == 11:
        return "Worker is idle, sleeping %d seconds" % rng.int(5, 300)
    if k == 12:
        cid, _ = rng.choice(COLLECTIONS)
        return ('Loaded service connector settings: <Settings Region="us" '
                'UploadIntervalMinutes="15" CollectionId="%s" />' % cid)
    if k == 13:
        a = rng.int(1, 5000)
        return "Device inventory snapshot [%d..%d] queued for upload, hash %s" % (
            a, a + rng.int(1, 250), rng.hexs(16))
    if k == 14:
        return "Device %s (ResourceID %d) client %s included in delta set" % (
            device(rng, nonascii), rng.int(16777216, 16799999),
            rng.choice(("5.00.8968.1000", "5.00.9012.1020", "5.00.9040.1015")))
    return "Memory in use by service connector: %d MB, handles %d" % (rng.int(40, 400), rng.int(300, 2000))


def filler_line(rng, lo=30, hi=200, nonascii=False):
    """One neutral physical line, length in [lo, hi]."""
    target = rng.int(lo, hi)
    msg = _filler_base(rng, nonascii)
    if len(msg) < target:
        msg += " |"
        k0 = rng.int(0, len(PAIR_KEYS) - 1)
        i = 0
        while i == 0 or len(msg) < target:
            if i < len(PAIR_KEYS):   # each key at most once, from a random starting key
                msg += " %s=%d" % (PAIR_KEYS[(k0 + i) % len(PAIR_KEYS)], rng.int(0, 99999))
                i += 1
            else:
                msg += " %s" % device(rng)
    if len(msg) > hi:
        cut = msg.rfind(" ", 0, hi + 1)
        msg = msg[:cut if cut >= lo else hi]
    return msg


def filler_multiline(rng, nonascii=False):
    """A neutral message that spans several physical lines."""
    k = rng.int(0, 2)
    if k == 0:
        return ("Executing query:\nSELECT ResourceID, Name0, Client0, ClientVersion\n"
                "FROM v_R_System\nWHERE ResourceID > %d AND Client0 = 1\nORDER BY ResourceID"
                % rng.int(16777216, 16799999))
    if k == 1:
        rows = []
        for _ in range(rng.int(1, 3)):
            rows.append('{"Id":%d,"Name":"%s","Client":"Yes"}' % (
                rng.int(16777216, 16799999), device(rng, nonascii)))
        return 'Device payload preview:\n{"DeviceCount":%d,"Region":"us"}\n[%s]' % (
            rng.int(1, 250), ",".join(rows))
    cid, _ = rng.choice(COLLECTIONS)
    return ("Service connector settings:\n  UploadIntervalMinutes = 15\n  Region = us\n"
            "  CollectionId = %s" % cid)


def check_filler(msg):
    low = msg.lower()
    if any(w in low for w in BANNED_WORDS) or BANNED.search(msg):
        raise AssertionError("filler contains a banned word: %r" % msg)
    return msg


# --------------------------------------------------------------------------
# bench
#
# Two densities. "dense" (the default) is shaped like a real service connection point's
# log: an upload cycle every 15 minutes with its 5 to 20 lines, months of history (the
# size sets how many), a few failure episodes (the documented DevicePost 401 block,
# network failures) and late cycles; or, with --log notification, the notification
# worker's polls with device actions at an admin's pace. "sparse" is the first bench
# file: neutral lines every few milliseconds and an upload cycle per half megabyte or so.
#
# Formats: cmtrace and simple as in the samples (component SMS_SERVICE_CONNECTOR, a bias),
# and scp, the shape of the real service connection point lines that are public
# (shared/reference/tenant-attach-logs.md): CMTrace with seven fractional digits, no bias,
# and the worker in the component (SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker).

BENCH_FORMATS = ("cmtrace", "simple", "scp")
UPLOAD_WORKER = "CMGatewaySyncUploadWorker"
NOTIFY_WORKER = "CMGatewayNotificationWorker"


def bench_component(fmt, worker):
    """The component a bench record carries: scp names the worker, as real lines do."""
    return SCP_COMPONENT + "_" + worker if fmt == "scp" else SCP_COMPONENT


def sub_ms_ticks(ms_in_minute):
    """The four digits past the millisecond of a seven-digit fraction (100 ns ticks).
    A fixed function of the time, so it draws nothing from the random stream."""
    return (ms_in_minute * 7919 + 1237) % 10000


def bench_render(fmt, t, bias, comp, tid, typ, msg, eol):
    """render() plus the scp shape: seven fractional digits and no bias."""
    if fmt != "scp":
        return render(fmt, t, bias, comp, tid, typ, msg, eol)
    ms = t.microsecond // 1000
    return ('<![LOG[%s]LOG]!><time="%02d:%02d:%02d.%03d%04d" date="%s" component="%s" context="" '
            'type="%d" thread="%d" file="">%s'
            % (msg.replace("\n", eol), t.hour, t.minute, t.second, ms,
               sub_ms_ticks(t.second * 1000 + ms), fmt_date(t), comp, typ, tid, eol))


def parse_size(s):
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*", s, re.I)
    if not m:
        raise argparse.ArgumentTypeError("bad size %r (use e.g. 200M, 1G)" % s)
    mult = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}[m.group(2).upper()]
    return int(float(m.group(1)) * mult)


def parse_bias(s):
    m = re.fullmatch(r"([+-])(\d{1,4})", s)
    if not m:
        raise argparse.ArgumentTypeError("bad bias %r (use e.g. +480, -060)" % s)
    return int(m.group(2)) * (-1 if m.group(1) == "-" else 1)


class BenchCycles:
    """Slow path of the bench: one upload cycle rendered record by record."""

    def __init__(self, rng, fmt, bias, culture, eol, start, threads):
        self.rng, self.fmt, self.bias, self.culture, self.eol = rng, fmt, bias, culture, eol
        self.start, self.threads = start, threads
        self.count = 0
        self.records = 0
        self.failed = 0

    def emit(self, t_ms, out):
        """Append one cycle to out starting at t_ms; return (end_ms, next_cycle_ms)."""
        rng = self.rng
        t = self.start + _dt.timedelta(milliseconds=t_ms)
        tid = rng.choice(self.threads)
        full = self.count == 0
        self.count += 1
        if full:
            batches = [250] * rng.int(6, 12) + [rng.int(1, 249)]
            tag = TAG_FULL
        else:
            batches = [rng.int(1, 60)] + ([rng.int(1, 30)] if rng.chance(0.1) else [])
            tag = TAG_DELTA
        fail = (not full) and rng.chance(0.02)
        comp = bench_component(self.fmt, UPLOAD_WORKER)
        rec = lambda typ, msg: out.append(bench_render(self.fmt, t, self.bias, comp, tid, typ, msg, self.eol))
        for i, n in enumerate(batches):
            rec(1, msg_batching(n))
            self.records += n
            t += rng.ms(2, 15)
            rec(1, msg_request(tag, DEVICEPOST, rng.guid()))
            t += rng.ms(150, 900)
            if fail:
                self.failed += 1
                rec(3, msg_response(tag, DEVICEPOST, "401 (Unauthorized)"))
                t += rng.ms(1, 5)
                rec(3, msg_status("401 (Unauthorized)", rng.guid()))
                t += rng.ms(1, 5)
                rec(3, "[WebException]: Failed to upload data to '%s'" % DEVICEPOST)
                t += rng.ms(0, 3)
                rec(2, msg_exception("Warning", "CMGatewaySyncUploadWorker",
                                     "The remote server returned an error: (401) Unauthorized."))
                break
            rec(1, msg_response(tag, DEVICEPOST, "200 (OK)"))
            if rng.chance(0.5):
                t += rng.ms(1, 40)
                rec(1, check_filler(filler_line(rng)))
            t += rng.ms(20, 80)
        t += rng.ms(5, 30)
        nxt = trunc_sec(t) + INTERVAL
        rec(1, msg_next_run(nxt, self.culture))
        t += rng.ms(1, 20)
        end_ms = (t - self.start) // _dt.timedelta(milliseconds=1)
        next_ms = (nxt - self.start) // _dt.timedelta(milliseconds=1) + rng.int(20, 2500)
        return end_ms, next_ms


def bench(args):
    if args.density == "sparse":
        if args.log != "upload":
            raise SystemExit("genlogs: --density sparse writes an upload log only")
        return bench_sparse(args)
    return bench_dense(args)


def bench_sparse(args):
    size = args.size
    fmt = args.format
    eol = "\r\n" if args.eol == "crlf" else "\n"
    rng = Rng(args.seed)
    bias = args.bias
    bs = bias_str(bias)
    start = _dt.datetime.strptime(args.start, "%Y-%m-%dT%H:%M:%S")
    threads = [6344, 7012, 4488, 9120, 3260, 11876]

    # precomputed pieces: line = FP + A + SS[ms in minute] + B + TS[thread]
    n_fill = 8192
    fillers = []
    for i in range(n_fill):
        if rng.chance(1 / 40):
            fillers.append(check_filler(filler_multiline(rng)).replace("\n", eol))
        else:
            fillers.append(check_filler(filler_line(rng)))
    # line = FP (message and what precedes the time) + A (per minute) + SS[ms in minute]
    #        + SUF[thread] (bias, date for CMTrace, component, thread, end of line)
    rich = fmt in ("cmtrace", "scp")
    if rich:
        fpre = ["<![LOG[" + m + ']LOG]!><time="' for m in fillers]
    else:
        fpre = [m + "  $$<" + SCP_COMPONENT + "><" for m in fillers]
    if fmt == "scp":   # no bias, and the worker in the component
        bs = ""
    comp = bench_component(fmt, UPLOAD_WORKER)

    def suffixes(day):
        if rich:
            return ['%s" date="%s" component="%s" context="" type="1" thread="%d" file="">%s'
                    % (bs, fmt_date(day), comp, th, eol) for th in threads]
        return ["%s><thread=%d (0x%04X)>%s" % (bs, th, th, eol) for th in threads]
    if fmt == "scp":
        SS = ["%02d.%03d%04d" % (s, m, sub_ms_ticks(s * 1000 + m)) for s in range(60) for m in range(1000)]
    else:
        SS = ["%02d.%03d" % (s, m) for s in range(60) for m in range(1000)]
    tweights = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 5]

    def gap():
        r = rng.random()
        if r < 0.6:
            return rng.int(1, 20)
        if r < 0.9:
            return rng.int(20, 500)
        return rng.int(500, 5000)

    P = 1 << 16
    plan = [(gap(), fpre[rng.int(0, n_fill - 1)], rng.choice(tweights)) for _ in range(P)]
    CH = 8192

    cyc = BenchCycles(rng, fmt, bias, args.culture, eol, start, threads)
    out = open(args.output, "wb") if args.output != "-" else sys.stdout.buffer
    written = 0
    lines = 0
    t = 0
    next_cycle = 5000
    mend = -1
    m0 = 0
    A = ""
    SUF = suffixes(start)
    th = 0
    cur_day = None
    t_start = time.perf_counter()
    done = False
    try:
        while not done:
            for k in range(0, P, CH):
                buf = []
                ap = buf.append
                for g, fp, ti in plan[k:k + CH]:
                    t += g
                    if t >= th:
                        if t >= next_cycle:
                            t, next_cycle = cyc.emit(t, buf)
                        if t >= mend:
                            d = start + _dt.timedelta(milliseconds=t)
                            m0 = t - d.second * 1000 - d.microsecond // 1000
                            mend = m0 + 60000
                            if rich:
                                A = "%02d:%02d:" % (d.hour, d.minute)
                                if d.date() != cur_day:
                                    cur_day = d.date()
                                    SUF = suffixes(d)
                            else:
                                A = "%s %02d:%02d:" % (fmt_date(d), d.hour, d.minute)
                        th = mend if mend < next_cycle else next_cycle
                    ap(f"{fp}{A}{SS[t - m0]}{SUF[ti]}")
                data = "".join(buf).encode("utf-8")
                if written + len(data) >= size:
                    # stop right after the record that crosses the size
                    acc = 0
                    for i, rec in enumerate(buf):
                        acc += len(rec.encode("utf-8"))
                        if written + acc >= size:
                            break
                    data = "".join(buf[:i + 1]).encode("utf-8")
                    lines += i + 1
                    done = True
                else:
                    lines += len(buf)
                out.write(data)
                written += len(data)
                if done:
                    break
            # next pass: the same entries in another order (odd stride, random offset)
            stride = 2 * rng.int(0, P // 2 - 1) + 1
            off = rng.int(0, P - 1)
            plan = [plan[(off + i * stride) & (P - 1)] for i in range(P)]
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    el = time.perf_counter() - t_start
    end = start + _dt.timedelta(milliseconds=t)
    print("wrote %d bytes (%d records incl. cycles), %d cycles (%d with a 401), %d records uploaded, "
          "log time %s .. %s, in %.2f s = %.1f MB/s"
          % (written, lines, cyc.count, cyc.failed, cyc.records, start.isoformat(),
             end.isoformat(timespec="seconds"), el, written / el / 1e6), file=sys.stderr)


class _BenchFull(Exception):
    """Raised by DenseWriter right after the record that crosses the size."""


class DenseWriter:
    """Renders bench records at integer milliseconds from the start time, the text of the
    current minute (date, hour and minute, bias, component) computed once per minute."""

    def __init__(self, fmt, bias, start, eol, comp, size, out):
        self.fmt, self.eol, self.comp, self.size, self.out = fmt, eol, comp, size, out
        self.start = start
        self.bias = "" if fmt == "scp" else bias_str(bias)
        if fmt == "scp":
            self.ss = ["%02d.%03d%04d" % (s, m, sub_ms_ticks(s * 1000 + m))
                       for s in range(60) for m in range(1000)]
        else:
            self.ss = ["%02d.%03d" % (s, m) for s in range(60) for m in range(1000)]
        self.m0, self.mend = 0, -1
        self.pre = self.post = ""
        self.thread_text = {}
        self.buf = []
        self.written = 0      # bytes flushed
        self.pending = 0      # bytes in buf
        self.records = 0
        self.lines = 0
        self.last = 0

    def _minute(self, t):
        d = self.start + _dt.timedelta(milliseconds=t)
        self.m0 = t - d.second * 1000 - d.microsecond // 1000
        self.mend = self.m0 + 60000
        hm = "%02d:%02d:" % (d.hour, d.minute)
        if self.fmt == "simple":
            self.pre = "  $$<%s><%s %s" % (self.comp, fmt_date(d), hm)
            self.post = self.bias + "><thread="
        else:
            self.pre = ']LOG]!><time="' + hm
            self.post = '%s" date="%s" component="%s" context="" type="' % (
                self.bias, fmt_date(d), self.comp)

    def rec(self, t, tid, typ, msg):
        if t < self.last:
            raise AssertionError("bench: time goes back at %r" % msg)
        self.last = t
        if t >= self.mend:
            self._minute(t)
        if "\n" in msg:
            self.lines += msg.count("\n")
            msg = msg.replace("\n", self.eol)
        th = self.thread_text.get(tid)
        if th is None:
            if self.fmt == "simple":
                th = "%d (0x%04X)>%s" % (tid, tid, self.eol)
            else:
                th = '" thread="%d" file="">%s' % (tid, self.eol)
            self.thread_text[tid] = th
        if self.fmt == "simple":
            line = msg + self.pre + self.ss[t - self.m0] + self.post + th
        else:
            line = "<![LOG[" + msg + self.pre + self.ss[t - self.m0] + self.post + str(typ) + th
        self.buf.append(line)
        self.pending += len(line)   # the bench text is ASCII: characters are bytes
        self.records += 1
        self.lines += 1
        if self.written + self.pending >= self.size:
            self.flush()
            raise _BenchFull()
        if len(self.buf) >= 8192:
            self.flush()

    def flush(self):
        data = "".join(self.buf).encode("ascii")
        self.out.write(data)
        self.written += len(data)
        self.buf, self.pending = [], 0


def _dense_fillers(rng, n=4096):
    """A pool of neutral filler messages (1 in 40 spans several lines)."""
    pool = []
    for _ in range(n):
        if rng.chance(1 / 40):
            pool.append(check_filler(filler_multiline(rng)))
        else:
            pool.append(check_filler(filler_line(rng, 40, 180)))
    return pool


# Per-cycle odds of the dense upload log (a cycle every 15 minutes: 96 a day, ~2,900 a month).
DENSE_P_401 = 1 / 4000      # a DevicePost 401 episode starts (about one every six weeks) ...
DENSE_401_CYCLES = (2, 16)  # ... and lasts this many cycles
DENSE_P_NET = 1 / 1500      # a network failure episode starts (about two a month) ...
DENSE_NET_CYCLES = (1, 4)
DENSE_P_LATE = 1 / 500      # a cycle starts 11 to 45 minutes after its announced run (late) ...
DENSE_P_SLOW = 1 / 150      # ... or 2 to 9 minutes after (within the 10-minute grace)

# The notification worker: a poll every 3 to 5 minutes (synthetic, as in the samples);
# device actions from the admin center at an admin's pace.
DENSE_ACTIONS_PER_HOUR_WORK = 1.5    # Monday to Friday, 08:00 to 18:00 local
DENSE_ACTIONS_PER_HOUR_OFF = 0.1
DENSE_P_UNAUTHORIZED = 0.05          # of actions: a user without the permission
DENSE_P_NOTIFY_401 = 1 / 10000       # per poll: a Notification 401 episode starts ...
DENSE_NOTIFY_401_POLLS = (8, 45)     # ... and lasts this many polls


def dense_upload(rng, w, start, culture, stats):
    threads = [6344, 7012, 4488, 9120, 3260, 11876]
    upload_threads, other_threads = threads[:2], threads[2:]
    fillers = _dense_fillers(rng)
    nf = len(fillers)
    ms = rng.int

    def filler(t):
        w.rec(t, rng.choice(threads), 1, fillers[ms(0, nf - 1)])

    def cycle(t, full, outcome):
        tid = rng.choice(upload_threads)
        tag = TAG_FULL if full else TAG_DELTA
        if full:
            batches = [250] * ms(6, 12) + [ms(1, 249)]
        else:
            batches = [ms(1, 60)] + ([ms(1, 30)] if rng.chance(0.1) else [])
        for _ in range(ms(1, 3)):
            filler(t)
            t += ms(5, 400)
        for n in batches:
            w.rec(t, tid, 1, msg_batching(n))
            stats["batching"] += 1
            stats["uploaded"] += n
            t += ms(2, 15)
            w.rec(t, tid, 1, msg_request(tag, DEVICEPOST, rng.guid()))
            if outcome == "401":
                t += ms(150, 900)
                w.rec(t, tid, 3, msg_response(tag, DEVICEPOST, "401 (Unauthorized)"))
                t += ms(1, 5)
                w.rec(t, tid, 3, msg_status("401 (Unauthorized)", rng.guid()))
                t += ms(1, 5)
                w.rec(t, tid, 3, "[WebException]: Failed to upload data to '%s'" % DEVICEPOST)
                t += ms(0, 3)
                w.rec(t, tid, 2, msg_exception("Warning", UPLOAD_WORKER,
                                               "The remote server returned an error: (401) Unauthorized."))
                stats["cycles_401"] += 1
                break
            if outcome in NET_FAILURES:
                t += ms(*NET_FAILURE_DELAY[outcome])
                w.rec(t, tid, 3, "[WebException]: Failed to upload data to '%s'" % DEVICEPOST)
                t += ms(0, 3)
                w.rec(t, tid, 2, msg_exception("Warning", UPLOAD_WORKER, NET_FAILURES[outcome]))
                stats["cycles_network"] += 1
                break
            t += ms(150, 900)
            w.rec(t, tid, 1, msg_response(tag, DEVICEPOST, "200 (OK)"))
            for _ in range(ms(0, 2)):
                t += ms(1, 40)
                filler(t)
            t += ms(20, 80)
        t += ms(5, 30)
        nxt = t - t % 1000 + 900000     # whole seconds (the start time has none) + 15 minutes
        w.rec(t, tid, 1, msg_next_run(start + _dt.timedelta(milliseconds=nxt), culture))
        for _ in range(ms(0, 2)):
            t += ms(1, 900)
            filler(t)
        return t, nxt

    t = ms(500, 5000)
    for _ in range(2):
        filler(t)
        t += ms(5, 900)
    end, nxt = cycle(t, True, "ok")
    stats["cycles"] += 1
    episode, left = None, 0
    while True:
        r = rng.random()
        if r < DENSE_P_LATE:
            begin = nxt + ms(11 * 60000, 45 * 60000)
            stats["cycles_late"] += 1
        elif r < DENSE_P_LATE + DENSE_P_SLOW:
            begin = nxt + ms(2 * 60000, 9 * 60000)
        else:
            begin = nxt + ms(40, 2500)
        for _ in range(ms(0, 2)):      # the worker's neutral lines between cycles
            at = ms(end + 1, max(end + 1, begin - 1))
            end = max(end, at)
            filler(end)
        if left == 0:
            r = rng.random()
            if r < DENSE_P_401:
                episode, left = "401", ms(*DENSE_401_CYCLES)
                stats["episodes_401"] += 1
            elif r < DENSE_P_401 + DENSE_P_NET:
                episode, left = rng.choice(sorted(NET_FAILURES)), ms(*DENSE_NET_CYCLES)
                stats["episodes_network"] += 1
        outcome = "ok"
        if left > 0:
            outcome, left = episode, left - 1
        end, nxt = cycle(max(begin, end + 1), False, outcome)
        stats["cycles"] += 1


def dense_notification(rng, w, start, stats):
    poll_thread, other_threads = 5188, [2904, 3260, 4488]
    fillers = _dense_fillers(rng, n=1024)
    nf = len(fillers)
    ms = rng.int
    tenant = rng.guid()
    users = [rng.guid() for _ in range(6)]
    outsider = rng.guid()
    t = ms(1000, 60000)
    left = 0
    while True:
        tid = poll_thread
        w.rec(t, tid, 1, msg_request(TAG_NOTIFY, NOTIFICATION, rng.guid(), "GET"))
        t += ms(80, 600)
        stats["polls"] += 1
        if left == 0 and rng.chance(DENSE_P_NOTIFY_401):
            left = ms(*DENSE_NOTIFY_401_POLLS)
            stats["episodes_401"] += 1
        if left > 0:
            left -= 1
            stats["polls_401"] += 1
            w.rec(t, tid, 3, msg_response(TAG_NOTIFY, NOTIFICATION, "401 (Unauthorized)"))
            t += ms(1, 5)
            w.rec(t, tid, 3, msg_status("401 (Unauthorized)", rng.guid()))
            t += ms(1, 5)
            w.rec(t, tid, 3, "Web exception when getting new notification")
            t += ms(0, 3)
            w.rec(t, tid, 2, msg_exception("Warning", NOTIFY_WORKER,
                                           "The remote server returned an error: (401) Unauthorized."))
            t += ms(0, 3)
            w.rec(t, tid, 3, 'Response in the web exception: {"Message":"An error has occurred."}')
        else:
            w.rec(t, tid, 1, msg_response(TAG_NOTIFY, NOTIFICATION, "200 (OK)"))
        gap = ms(180, 300) * 1000 + ms(0, 999)
        if left == 0:
            d = start + _dt.timedelta(milliseconds=t)
            work = d.weekday() < 5 and 8 <= d.hour < 18
            rate = DENSE_ACTIONS_PER_HOUR_WORK if work else DENSE_ACTIONS_PER_HOUR_OFF
            # the actions this poll brings (expected rate x interval; at most two)
            for _ in range(2):
                if not rng.chance(rate * gap / 3600000.0):
                    break
                t += ms(5, 200)
                w.rec(t, tid, 1, MSG_RECEIVED)
                t += ms(1, 20)
                w.rec(t, tid, 1, MSG_VALIDATING)
                t += ms(5, 60)
                if rng.chance(DENSE_P_UNAUTHORIZED):
                    w.rec(t, tid, 3, "Unauthorized to perform client action. TemplateID: RequestMachinePolicy "
                                     "TenantId: %s AADUserID: %s" % (tenant, outsider))
                    stats["actions_unauthorized"] += 1
                else:
                    w.rec(t, tid, 1, msg_authorized(tenant, rng.choice(users)))
                    t += ms(20, 300)
                    w.rec(t, tid, 1, msg_forwarded(rng.guid()))
                    stats["actions_forwarded"] += 1
        if rng.chance(0.25):
            t += ms(1, 60000)
            w.rec(t, rng.choice(other_threads), 1, fillers[ms(0, nf - 1)])
        t += gap


def bench_dense(args):
    fmt = args.format
    eol = "\r\n" if args.eol == "crlf" else "\n"
    rng = Rng(args.seed)
    start = _dt.datetime.strptime(args.start, "%Y-%m-%dT%H:%M:%S")
    worker = UPLOAD_WORKER if args.log == "upload" else NOTIFY_WORKER
    out = open(args.output, "wb") if args.output != "-" else sys.stdout.buffer
    w = DenseWriter(fmt, args.bias, start, eol, bench_component(fmt, worker), args.size, out)
    keys = ("cycles", "batching", "uploaded", "cycles_401", "cycles_network", "cycles_late",
            "episodes_401", "episodes_network", "polls", "polls_401", "actions_forwarded",
            "actions_unauthorized")
    stats = dict.fromkeys(keys, 0)
    t_start = time.perf_counter()
    try:
        if args.log == "upload":
            dense_upload(rng, w, start, args.culture, stats)
        else:
            dense_notification(rng, w, start, stats)
    except _BenchFull:
        pass
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    el = time.perf_counter() - t_start
    end = start + _dt.timedelta(milliseconds=w.last)
    days = w.last / 86400000.0
    if args.log == "upload":
        what = ("%d cycles (%d with a 401 in %d episodes, %d with a network failure in %d episodes, "
                "%d late), %d Batching lines, %d records uploaded"
                % (stats["cycles"], stats["cycles_401"], stats["episodes_401"], stats["cycles_network"],
                   stats["episodes_network"], stats["cycles_late"], stats["batching"], stats["uploaded"]))
    else:
        what = ("%d polls (%d with a 401 in %d episodes), %d device actions (%d forwarded, %d unauthorized)"
                % (stats["polls"], stats["polls_401"], stats["episodes_401"],
                   stats["actions_forwarded"] + stats["actions_unauthorized"],
                   stats["actions_forwarded"], stats["actions_unauthorized"]))
    print("wrote %d bytes, %d records on %d lines, %s; log time %s .. %s (%.0f days, %.1f months), "
          "%.0f bytes per %s; in %.2f s = %.1f MB/s"
          % (w.written, w.records, w.lines, what, start.isoformat(), end.isoformat(timespec="seconds"),
             days, days / 30.44,
             w.written / max(1, stats["cycles"] if args.log == "upload" else stats["polls"]),
             "cycle" if args.log == "upload" else "poll", el, w.written / el / 1e6), file=sys.stderr)


# --------------------------------------------------------------------------
# sample scenarios


class LogFile:
    """One log file. The keyword-only shape arguments describe the trailer: the defaults are the
    illustrative shape of Microsoft's examples (every sample before issue 10 item 11), rendered
    by render(); anything else goes through render_shaped() (real service connection point and
    client lines). component is what the scenario helpers write for this log's own records."""

    def __init__(self, name, fmt, bias, encoding="utf-8", eol="\r\n", *, component=SCP_COMPONENT,
                 frac7=False, pad_bias=True, src=""):
        self.name, self.fmt, self.bias, self.encoding, self.eol = name, fmt, bias, encoding, eol
        self.component, self.frac7, self.pad_bias, self.src = component, frac7, pad_bias, src
        self.shaped = frac7 or bias is None or not pad_bias or src != ""
        if self.shaped and fmt != "cmtrace":
            raise ValueError("%s: the real shapes are CMTrace lines" % name)
        self.records = []  # (t_local, component, thread, type, msg)

    def add(self, t, comp, tid, typ, msg):
        if self.records and t < self.records[-1][0]:
            raise AssertionError("%s: time goes back at %r" % (self.name, msg))
        self.records.append((t, comp, tid, typ, msg))

    def last_time(self):
        return self.records[-1][0] if self.records else None

    def text(self, eol=None):
        eol = eol or self.eol
        if self.shaped:
            return "".join(render_shaped(t, self.bias, c, tid, typ, m, eol, self.frac7, self.pad_bias, self.src)
                           for (t, c, tid, typ, m) in self.records)
        return "".join(render(self.fmt, t, self.bias, c, tid, typ, m, eol)
                       for (t, c, tid, typ, m) in self.records)

    def split(self, names_and_cuts):
        """Rotation: [(name, first time of the next file or None)] -> LogFiles with the same
        shape holding this file's records in time order (a record at a cut goes to the next)."""
        out, rest = [], list(self.records)
        for name, cut in names_and_cuts:
            lf = LogFile(name, self.fmt, self.bias, self.encoding, self.eol, component=self.component,
                         frac7=self.frac7, pad_bias=self.pad_bias, src=self.src)
            k = len(rest) if cut is None else next((i for i, r in enumerate(rest) if r[0] >= cut), len(rest))
            lf.records, rest = rest[:k], rest[k:]
            out.append(lf)
        if rest:
            raise AssertionError("%s: records after the last cut" % self.name)
        return out

    def data(self):
        s = self.text()
        if self.encoding == "utf-16le":
            return b"\xff\xfe" + s.encode("utf-16-le")
        return s.encode("utf-8")


class Scenario:
    def __init__(self, name, seed, fmt, culture, bias, nonascii=False):
        self.name, self.fmt, self.culture, self.bias = name, fmt, culture, bias
        self.rng = Rng(seed)
        self.nonascii = nonascii
        self.files = {}
        self.cycles = []      # (start_local, announced_next_local)
        self.uploaded = 0
        self.events = set()   # finding ids caused by error lines
        self.args = []
        self.actions = None   # [{"taskGuid", "outcome"}] in received order, for scenarios that list them
        self.devices = None   # [{"name", "state", "droppedAt"}], for scenarios with an inventory
        self.extra_files = {}  # other files of the folder (inventory, cloud export, rule file): name -> bytes
        self.explicit_clock = False   # write "clock" into expected.json (scenarios from issue 10 item 11 on)
        self.tenant = self.rng.guid()
        pool = [6344, 7012, 4488, 9120, 3260, 11876, 5188, 2904]
        self.rng.shuffle(pool)
        self.upload_threads = pool[:2]
        self.other_threads = pool[2:5]
        self.notify_thread = pool[5]

    def log(self, name, fmt=None, encoding="utf-8", bias=None, **shape):
        """The file named name; bias defaults to the scenario's (another machine may differ).
        shape: LogFile's trailer arguments (component, frac7, pad_bias, src)."""
        if name not in self.files:
            self.files[name] = LogFile(name, fmt or self.fmt, self.bias if bias is None else bias, encoding,
                                       **shape)
        return self.files[name]

    def real_threads(self):
        """Small thread ids, as .NET managed thread ids are in the real log (153, 137), in place of
        the Win32-looking ids of the illustrative samples."""
        pool = list(range(6, 190))
        self.rng.shuffle(pool)
        self.upload_threads = pool[:2]
        self.other_threads = pool[2:5]
        self.notify_thread = pool[5]

    # -- worker lifecycle: real lines of GenericDownloadWorker.log (November 2022), written here for
    # the upload and notification workers, for which Microsoft shows none
    def service_start(self, lf, t, worker, tid):
        """A worker starting with the service, as the real log shows it: three set-up lines on one
        thread with one stamp, then `Starting worker X_ANY...` on the worker's thread 5 ms later.
        Returns the time of the Starting line (the first run is triggered at that same stamp)."""
        init = self.rng.choice(self.other_threads)
        for msg in ("Successfully subscribed listener to registry key.",
                    "Waiting for CommonWorker to be ready...",
                    "GenericWorkerConfig initializing..."):
            lf.add(t, lf.component, init, 1, msg)
        t += self.rng.ms(3, 8)
        lf.add(t, lf.component, tid, 1, "Starting worker %s_ANY..." % worker)
        return t

    def worker_run(self, lf, t, worker, tid):
        """The two lines that begin a timer-driven run (one stamp, as in the real log); returns
        when the run's own work starts."""
        lf.add(t, lf.component, tid, 1, "Worker %s_ANY was triggered by timer." % worker)
        lf.add(t, lf.component, tid, 1, "Triggered %s_ANY::ExecuteAsync()" % worker)
        return t + self.rng.ms(15, 400)

    # -- filler
    def filler(self, lf, t, comp=None, multiline_p=0.08):
        rng = self.rng
        if rng.chance(multiline_p):
            msg = filler_multiline(rng, self.nonascii)
        elif self.nonascii and rng.chance(0.3):
            msg = "Device %s (ResourceID %d) client 5.00.9012.1020 included in delta set" % (
                rng.choice(NONASCII_DEVICES), rng.int(16777216, 16799999))
        else:
            msg = filler_line(rng, 30, 140, self.nonascii)
        tid = rng.choice(self.upload_threads + self.other_threads)
        lf.add(t, comp or lf.component, tid, 1, check_filler(msg))

    def idle(self, lf, a, b, lo=0, hi=2):
        """lo..hi filler records strictly between a and b."""
        n = self.rng.int(lo, hi)
        span = int((b - a).total_seconds() * 1000)
        if span < 10 or n == 0:
            return
        times = sorted(self.rng.int(1, span - 1) for _ in range(n))
        for ms in times:
            self.filler(lf, a + _dt.timedelta(milliseconds=ms))

    # -- one upload cycle
    def upload_cycle(self, lf, t, kind="delta", outcome="ok", batches=None, tid=None):
        """Write one cycle into lf starting at t. Returns (end_time, announced_next_run)."""
        rng = self.rng
        start = t
        tid = rng.choice(self.upload_threads) if tid is None else tid
        tag = TAG_FULL if kind == "full" else TAG_DELTA
        if batches is None:
            if kind == "full":
                batches = [250] * rng.int(2, 4) + [rng.int(1, 249)]
            else:
                batches = [rng.int(1, 45)] + ([rng.int(1, 20)] if rng.chance(0.15) else [])

        def rec(typ, msg):
            lf.add(t, lf.component, tid, typ, msg)

        for n in batches:
            rec(1, msg_batching(n))
            self.uploaded += n
            t += rng.ms(2, 15)
            rec(1, msg_request(tag, DEVICEPOST, rng.guid()))
            if outcome == "401":
                t += rng.ms(150, 900)
                rec(3, msg_response(tag, DEVICEPOST, "401 (Unauthorized)"))
                t += rng.ms(1, 5)
                rec(3, msg_status("401 (Unauthorized)", rng.guid()))
                t += rng.ms(1, 5)
                rec(3, "[WebException]: Failed to upload data to '%s'" % DEVICEPOST)
                t += rng.ms(0, 3)
                rec(2, msg_exception("Warning", "CMGatewaySyncUploadWorker",
                                     "The remote server returned an error: (401) Unauthorized."))
                self.events.add("upload-unauthorized")
                break
            if outcome in NET_FAILURES:
                t += rng.ms(*NET_FAILURE_DELAY[outcome])
                rec(3, "[WebException]: Failed to upload data to '%s'" % DEVICEPOST)
                t += rng.ms(0, 3)
                rec(2, msg_exception("Warning", "CMGatewaySyncUploadWorker", NET_FAILURES[outcome]))
                self.events.add("service-unreachable")
                break
            t += rng.ms(150, 900)
            rec(1, msg_response(tag, DEVICEPOST, "200 (OK)"))
            if rng.chance(0.35):
                t += rng.ms(1, 40)
                self.filler(lf, t)
            t += rng.ms(20, 80)
        t += rng.ms(5, 30)
        nxt = trunc_sec(t) + INTERVAL
        rec(1, msg_next_run(nxt, self.culture))
        self.cycles.append((start, nxt))
        return t, nxt

    def run_cycles(self, lf, t, n, first_full=False, outcomes=None, late=None,
                   idle=(0, 2), worker=None, started=False):
        """n cycles from t; late = {cycle index: minutes after the announced run}.
        worker: begin each run with the real lifecycle lines of that worker (worker_run), the
        first one after service_start when started; the run starts at the trigger line."""
        outcomes = outcomes or {}
        late = late or {}
        end = nxt = None
        for i in range(n):
            if i > 0:
                start = nxt + self.rng.ms(40, 2500)
                if i in late:
                    start = nxt + _dt.timedelta(minutes=late[i]) + self.rng.ms(0, 59999)
                self.idle(lf, end, start, *idle)
                t = start
            tid = None
            if worker:
                tid = self.rng.choice(self.upload_threads)
                if i == 0 and started:
                    t = self.service_start(lf, t, worker, tid)
                t = self.worker_run(lf, t, worker, tid)
            end, nxt = self.upload_cycle(lf, t, "full" if (first_full and i == 0) else "delta",
                                         outcomes.get(i, "ok"), tid=tid)
        return end, nxt

    def preamble(self, lf, t, n=2):
        for _ in range(n):
            self.filler(lf, t)
            t += self.rng.ms(5, 900)
        return t

    # -- notification worker
    def poll(self, lf, t, status="200 (OK)", worker=None):
        """One [GetNotifications] poll. The request line and the 200 response are synthetic.
        worker: begin it with the real lifecycle lines (a poll is one timer-driven run)."""
        rng = self.rng
        tid = self.notify_thread

        def rec(typ, msg):
            lf.add(t, lf.component, tid, typ, msg)

        if worker:
            t = self.worker_run(lf, t, worker, tid)
        rec(1, msg_request(TAG_NOTIFY, NOTIFICATION, rng.guid(), "GET"))
        t += rng.ms(80, 600)
        if status.startswith("200"):
            rec(1, msg_response(TAG_NOTIFY, NOTIFICATION, status))
            return t
        # documented 401 block
        rec(3, msg_response(TAG_NOTIFY, NOTIFICATION, "401 (Unauthorized)"))
        t += rng.ms(1, 5)
        rec(3, msg_status("401 (Unauthorized)", rng.guid()))
        t += rng.ms(1, 5)
        rec(3, "Web exception when getting new notification")
        t += rng.ms(0, 3)
        rec(2, msg_exception("Warning", "CMGatewayNotificationWorker",
                             "The remote server returned an error: (401) Unauthorized."))
        t += rng.ms(0, 3)
        rec(3, 'Response in the web exception: {"Message":"An error has occurred."}')
        self.events.add("notification-unauthorized")
        return t

    def action(self, lf, t, authorized, user, task=None):
        """Documented device action lines; returns (end, task_guid)."""
        rng = self.rng
        tid = self.notify_thread

        def rec(typ, msg):
            lf.add(t, lf.component, tid, typ, msg)

        rec(1, "Received new notification. Validating basic notification details...")
        t += rng.ms(1, 20)
        rec(1, "Validating device action message content...")
        t += rng.ms(5, 60)
        if not authorized:
            rec(3, "Unauthorized to perform client action. TemplateID: RequestMachinePolicy "
                   "TenantId: %s AADUserID: %s" % (self.tenant, user))
            self.events.add("action-unauthorized")
            return t, None
        rec(1, "Authorized to perform client action. TemplateID: RequestMachinePolicy "
               "TenantId: %s AADUserID:     %s" % (self.tenant, user))
        t += rng.ms(20, 300)
        rec(1, "Forwarded BGB remote task. TemplateID: 1 TaskGuid: %s TaskParam: TargetDeviceIDs: 1"
            % task)
        return t, task

    def expected(self, description, intended_verdict, intended_findings):
        """Compute expected.json from what was written, and check it against the intent."""
        # Logs with no bias (the real service connection point shape) are judged on their own
        # local clock; a folder never mixes the two (two-servers keeps one clock per server).
        local = self.bias is None
        if any((lf.bias is None) != local for lf in self.files.values()):
            raise AssertionError("%s: logs with and without a bias in one folder" % self.name)
        bias = _dt.timedelta(minutes=0 if local else self.bias)
        # the last record in UTC (or local): each file carries its own machine's bias
        last_utc = max(lf.last_time() + _dt.timedelta(minutes=lf.bias or 0)
                       for lf in self.files.values() if lf.records)
        at = last_utc
        findings = set(self.events)
        upload_present = any(n.startswith("CMGatewaySyncUploadWorker.") for n in self.files)
        if upload_present and not self.cycles:
            findings.add("no-sync-activity")
        for (s0, n0), (s1, _) in zip(self.cycles, self.cycles[1:]):
            if s1 - n0 > LATE_GRACE:
                findings.add("sync-late")
        if self.cycles and self.cycles[-1][1] + bias + STALL_GRACE < at:
            findings.add("sync-stalled")
        if findings & ERROR_FINDINGS:
            verdict = "failing"
        elif findings & WARNING_FINDINGS:
            verdict = "degraded"
        elif self.cycles or self.actions:   # something recognised: cycles, or (client-history) actions
            verdict = "healthy"
        else:
            verdict = "no-data"
        fids = sorted(findings)
        if verdict != intended_verdict or fids != sorted(intended_findings):
            raise AssertionError("%s: computed %s %s, intended %s %s" % (
                self.name, verdict, fids, intended_verdict, sorted(intended_findings)))
        result = {
            "description": description,
            "args": self.args,
            "verdict": verdict,
            "findingIds": fids,
            "cycles": len(self.cycles),
            "uploadedRecords": self.uploaded,
        }
        # extra keys, for tests of date and bias handling
        if local:
            result["clock"] = "local"
            result["lastNextRunLocal"] = iso_local(self.cycles[-1][1]) if self.cycles else None
            result["lastRecordLocal"] = iso_local(trunc_sec(last_utc))
        else:
            if self.explicit_clock:
                result["clock"] = "utc"
            result["lastNextRunUtc"] = iso_utc(self.cycles[-1][1], self.bias) if self.cycles else None
            result["lastRecordUtc"] = iso_utc(trunc_sec(last_utc), 0)
        if self.actions is not None:
            result["actions"] = self.actions
        if self.devices is not None:
            result["devices"] = self.devices
        return result


def D(*a):
    return _dt.datetime(*a)


def sc_healthy(name, seed, fmt, culture, bias, start, n, first_full=True, nonascii=False,
               encoding="utf-8"):
    sc = Scenario(name, seed, fmt, culture, bias, nonascii)
    lf = sc.log(UPLOAD_LOG, encoding=encoding)
    t = sc.preamble(lf, start)
    end, nxt = sc.run_cycles(lf, t, n, first_full=first_full)
    sc.idle(lf, end, end + _dt.timedelta(minutes=4), 1, 2)
    return sc


def scenario_healthy_simple():
    sc = sc_healthy("healthy-simple", 101, "simple", "en-US", 480, D(2020, 2, 28, 8, 3, 11, 250000), 28)
    return sc, sc.expected(
        "A healthy day in the simple format (en-US, bias +480): a full sync, then delta cycles every 15 minutes.",
        "healthy", [])


def scenario_healthy_nl():
    sc = sc_healthy("healthy-cmtrace-nl", 102, "cmtrace", "nl-NL", -60,
                    D(2020, 2, 29, 20, 4, 47, 120000), 30, first_full=False)
    return sc, sc.expected(
        "A healthy night on a Dutch server in CMTrace format (nl-NL next-run dates, bias -060) "
        "crossing 29 February into 1 March 2020, where day-first dates like 1-3-2020 are ambiguous.",
        "healthy", [])


def scenario_stalled():
    sc = Scenario("stalled", 103, "simple", "de-DE", -60)
    lf = sc.log(UPLOAD_LOG)
    t = sc.preamble(lf, D(2020, 11, 12, 9, 10, 5, 810000))
    end, nxt = sc.run_cycles(lf, t, 10)
    # the worker keeps writing neutral lines for 80 minutes after the last announced run
    t = end
    stop = nxt + _dt.timedelta(minutes=80)
    while t < stop:
        t += sc.rng.ms(150000, 330000)
        sc.filler(lf, t)
    return sc, sc.expected(
        "Upload cycles stop on a German server (de-DE dates, bias -060) while the worker keeps "
        "logging for 80 minutes after the last announced run.",
        "failing", ["sync-stalled"])


def scenario_late():
    sc = Scenario("late-cycles", 104, "cmtrace", "en-GB", 0)
    lf = sc.log(UPLOAD_LOG)
    t = sc.preamble(lf, D(2020, 4, 3, 7, 58, 40, 330000))
    # cycle 5 starts 23 min late, cycle 10 37 min late; cycle 8 is 6 min late (within grace)
    sc.run_cycles(lf, t, 14, late={5: 23, 8: 6, 10: 37}, idle=(1, 3))
    end = lf.last_time()
    sc.idle(lf, end, end + _dt.timedelta(minutes=3), 1, 1)
    return sc, sc.expected(
        "A British server (en-GB dates, bias +000, 3 April 2020 so 03/04/2020 is ambiguous) whose "
        "cycles twice start 23 and 37 minutes after the announced run, and once 6 minutes late (within grace).",
        "degraded", ["sync-late"])


def scenario_upload_401():
    sc = Scenario("upload-401", 105, "simple", "en-US", 300)
    lf = sc.log(UPLOAD_LOG)
    t = sc.preamble(lf, D(2021, 1, 7, 13, 2, 9, 640000))
    sc.run_cycles(lf, t, 10, outcomes={6: "401", 7: "401", 8: "401", 9: "401"})
    end = lf.last_time()
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    return sc, sc.expected(
        "Delta uploads succeed, then the last four cycles get the documented DevicePost 401 (Unauthorized) block.",
        "failing", ["upload-unauthorized"])


def scenario_onboarding_400():
    sc = Scenario("onboarding-400", 106, "simple", "en-US", 360)
    lf = sc.log(UPLOAD_LOG)
    t0 = D(2020, 12, 2, 10, 0, 3, 90000)
    t = sc.preamble(lf, t0)
    end, nxt = sc.run_cycles(lf, t, 6)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    # GenericUploadWorker.log: neutral lines and the documented onboarding 400 block,
    # with the documented Activity IDs.
    g = sc.log(GENERIC_LOG)
    rng = sc.rng
    t = t0 + _dt.timedelta(minutes=31, seconds=12, milliseconds=377)
    for _ in range(2):
        sc.filler(g, t)
        t += rng.ms(100, 4000)
    tid = sc.other_threads[0]

    def rec(typ, msg):
        g.add(t, SCP_COMPONENT, tid, typ, msg)

    rec(1, msg_request(TAG_ONBOARD, ONBOARD, "ed2186a0-fb43-4cf1-84df-9283dd45a461"))
    t += rng.ms(200, 900)
    rec(3, msg_response(TAG_ONBOARD, ONBOARD, "400 (Bad Request)"))
    t += rng.ms(1, 5)
    rec(3, msg_status("400 (BadRequest)", "a579728b-eca0-4144-80ac-eea25ee5bcf6"))
    t += rng.ms(1, 5)
    rec(3, "Unexpected exception for worker GenericUploadWorker")
    t += rng.ms(0, 3)
    rec(3, msg_exception("Critical", "GenericUploadWorker",
                         "The remote server returned an error: (400) Bad Request."))
    sc.events.add("onboarding-rejected")
    t += rng.ms(2000, 9000)
    sc.filler(g, t)
    return sc, sc.expected(
        "GenericUploadWorker.log holds the documented AccountOnboardingInfo 400 (Bad Request) block "
        "while the upload worker runs healthy delta cycles.",
        "failing", ["onboarding-rejected"])


def notify_polls(sc, nf, a, b, bad_from=None, worker=None):
    """Polls every 3-5 minutes in (a, b); polls at or after bad_from get the 401 block."""
    t = a + sc.rng.ms(1000, 60000)
    while t < b:
        status = "401" if bad_from is not None and t >= bad_from else "200 (OK)"
        sc.poll(nf, t, status, worker)
        t += _dt.timedelta(seconds=sc.rng.int(180, 300))


def scenario_notification_401():
    sc = Scenario("notification-401", 107, "cmtrace", "en-US", 480)
    lf = sc.log(UPLOAD_LOG)
    t0 = D(2020, 2, 20, 11, 45, 30, 5000)
    t = sc.preamble(lf, t0)
    end, nxt = sc.run_cycles(lf, t, 6)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    nf = sc.log(NOTIFY_LOG)
    notify_polls(sc, nf, t0, end, bad_from=t0 + _dt.timedelta(minutes=62))
    return sc, sc.expected(
        "CMGatewayNotificationWorker.log polls fine, then gets the documented Notification 401 "
        "(Unauthorized) block; uploads stay healthy.",
        "failing", ["notification-unauthorized"])


def scenario_action_unauthorized():
    sc = Scenario("action-unauthorized", 108, "simple", "en-US", 420)
    rng = sc.rng
    lf = sc.log(UPLOAD_LOG)
    t0 = D(2020, 7, 15, 14, 20, 2, 470000)
    t = sc.preamble(lf, t0)
    end, nxt = sc.run_cycles(lf, t, 6)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    nf = sc.log(NOTIFY_LOG)
    polls_end = end
    # an authorized action at ~+25 min, forwarded through BGB to the client
    ta = t0 + _dt.timedelta(minutes=25, seconds=7, milliseconds=118)
    notify_polls(sc, nf, t0, ta - _dt.timedelta(seconds=200))
    sc.poll(nf, ta - rng.ms(300, 700))   # the poll that brings the notification
    task = rng.guid()
    user = rng.guid()
    ta_end, _ = sc.action(nf, ta, True, user, task)
    bgb = sc.log(BGB_LOG, fmt="cmtrace")
    tb = ta_end + rng.ms(800, 4000)
    push_id, task_id = 7, 8
    bgb.add(tb, BGB_COMPONENT, 3712, 1, "Get one push message from database.")
    tb += rng.ms(5, 60)
    bgb.add(tb, BGB_COMPONENT, 3712, 1,
            "Starting to send push task (PushID: %d TaskID: %d TaskGUID: %s TaskType: 1 TaskParam: ) "
            "to 1 clients  with throttling (strategy: 1 param: 42)" % (push_id, task_id, task.upper()))
    cl = sc.log(CLIENT_LOG, fmt="cmtrace")
    tc = tb + rng.ms(300, 2000)
    cl.add(tc, CLIENT_COMPONENT, 5520, 1,
           "Receive task from server with pushid=%d, taskid=%d, taskguid=%s, tasktype=1 and taskParam="
           % (push_id, task_id, task.upper()))
    tc += rng.ms(1000, 4000)
    cl.add(tc, CLIENT_COMPONENT, 5520, 1,
           'Send Task response message <BgbResponseMessage TimeStamp="%s"><PushID>%d</PushID>'
           '<TaskID>%d</TaskID><ReturnCode>1</ReturnCode></BgbResponseMessage> successfully.'
           % (iso_utc(tc, sc.bias), push_id, task_id))
    # an unauthorized action by another user at ~+58 min
    tu = t0 + _dt.timedelta(minutes=58, seconds=41, milliseconds=902)
    notify_polls(sc, nf, ta_end, tu - _dt.timedelta(seconds=200))
    sc.poll(nf, tu - rng.ms(300, 700))
    tu_end, _ = sc.action(nf, tu, False, rng.guid())
    notify_polls(sc, nf, tu_end, polls_end)
    return sc, sc.expected(
        "One device action is authorized and reaches the client (BgbServer.log, CcmNotificationAgent.log); "
        "a second one is refused with the documented 'Unauthorized to perform client action' line.",
        "failing", ["action-unauthorized"])


# -- device actions followed across the three machines (issue 4)

MSG_RECEIVED = "Received new notification. Validating basic notification details..."
MSG_VALIDATING = "Validating device action message content..."
MSG_PUSH_FETCHED = "Get one push message from database."


def msg_authorized(tenant, user):
    return ("Authorized to perform client action. TemplateID: RequestMachinePolicy "
            "TenantId: %s AADUserID:     %s" % (tenant, user))


def msg_forwarded(task):
    return "Forwarded BGB remote task. TemplateID: 1 TaskGuid: %s TaskParam: TargetDeviceIDs: 1" % task


def msg_push(push_id, task_id, task, clients=1):
    return ("Starting to send push task (PushID: %d TaskID: %d TaskGUID: %s TaskType: 1 TaskParam: ) "
            "to %d clients  with throttling (strategy: 1 param: 42)" % (push_id, task_id, task.upper(), clients))


def msg_client_receive(push_id, task_id, task):
    return ("Receive task from server with pushid=%d, taskid=%d, taskguid=%s, tasktype=1 and taskParam="
            % (push_id, task_id, task.upper()))


def msg_client_response(stamp, push_id, task_id, code=1):
    return ('Send Task response message <BgbResponseMessage TimeStamp="%s"><PushID>%d</PushID>'
            '<TaskID>%d</TaskID><ReturnCode>%d</ReturnCode></BgbResponseMessage> successfully.'
            % (stamp, push_id, task_id, code))


def on_machine(t, from_bias, to_bias):
    """The local time on a machine with to_bias of local time t on one with from_bias."""
    return t + _dt.timedelta(minutes=from_bias - to_bias)


def action_records(sc, t, tid, user, task):
    """One authorized action's four documented lines on one thread: [(t, tid, type, msg)], end."""
    rng = sc.rng
    out = [(t, tid, 1, MSG_RECEIVED)]
    t += rng.ms(1, 20)
    out.append((t, tid, 1, MSG_VALIDATING))
    t += rng.ms(5, 60)
    out.append((t, tid, 1, msg_authorized(sc.tenant, user)))
    t += rng.ms(20, 300)
    out.append((t, tid, 1, msg_forwarded(task)))
    return out, t


def push_and_answer(sc, bgb, cl, t_fwd, push_id, task_id, task, answer_ids=None,
                    client_comp=CLIENT_COMPONENT, client_tid=5520):
    """The management point's push and the client's receipt and answer, after a forward at
    t_fwd (the service connection point's local time). answer_ids: the PushID and TaskID the
    response carries (default: the push's own). Returns the client's (receipt, answer) times."""
    rng = sc.rng
    tb = on_machine(t_fwd, sc.bias, bgb.bias) + rng.ms(800, 4000)
    bgb.add(tb, BGB_COMPONENT, 3712, 1, MSG_PUSH_FETCHED)
    tb += rng.ms(5, 60)
    bgb.add(tb, BGB_COMPONENT, 3712, 1, msg_push(push_id, task_id, task))
    tc = on_machine(tb, bgb.bias, cl.bias) + rng.ms(300, 2000)
    cl.add(tc, client_comp, client_tid, 1, msg_client_receive(push_id, task_id, task))
    t_receipt = tc
    tc += rng.ms(1000, 4000)
    pid, tsk = answer_ids or (push_id, task_id)
    cl.add(tc, client_comp, client_tid, 1, msg_client_response(iso_utc(tc, cl.bias), pid, tsk))
    return t_receipt, tc


def scenario_action_completed():
    sc = Scenario("action-completed", 113, "cmtrace", "en-US", 480)
    rng = sc.rng
    sc.actions = []
    lf = sc.log(UPLOAD_LOG)
    t0 = D(2021, 2, 9, 9, 12, 40, 215000)
    t = sc.preamble(lf, t0)
    end, nxt = sc.run_cycles(lf, t, 6)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    nf = sc.log(NOTIFY_LOG)
    # the management point and the client are in other time zones than the service connection point
    bgb = sc.log(BGB_LOG, bias=300)
    cl = sc.log(CLIENT_LOG, bias=360)
    user = rng.guid()
    last = t0
    for minutes, push_id, answer in ((18, 11, None), (47, 12, (13, 14))):
        ta = t0 + _dt.timedelta(minutes=minutes, seconds=rng.int(0, 59), milliseconds=rng.int(0, 999))
        notify_polls(sc, nf, last, ta - _dt.timedelta(seconds=200))
        sc.poll(nf, ta - rng.ms(700, 1200))
        task = rng.guid()
        records, last = action_records(sc, ta, sc.notify_thread, user, task)
        for r in records:
            nf.add(r[0], SCP_COMPONENT, r[1], r[2], r[3])
        # the second answer carries PushID and TaskID one higher, as Microsoft's example does
        push_and_answer(sc, bgb, cl, last, push_id, push_id + 1, task, answer)
        sc.actions.append({"taskGuid": task, "outcome": "completed"})
    notify_polls(sc, nf, last, end)
    return sc, sc.expected(
        "Two device actions followed across all three logs to the client's answer; the management point "
        "(BgbServer.log, bias +300) and the client (CcmNotificationAgent.log, bias +360) are in other time "
        "zones than the service connection point (+480), and the second answer carries a PushID and TaskID "
        "one higher than the receipt, as in Microsoft's example.",
        "healthy", [])


def scenario_action_not_pushed():
    sc = Scenario("action-not-pushed", 114, "cmtrace", "nl-NL", -60)
    rng = sc.rng
    sc.actions = []
    lf = sc.log(UPLOAD_LOG)
    t0 = D(2020, 3, 12, 13, 4, 51, 660000)
    t = sc.preamble(lf, t0)
    end, nxt = sc.run_cycles(lf, t, 6)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    nf = sc.log(NOTIFY_LOG)
    bgb = sc.log(BGB_LOG, fmt="cmtrace")
    # the management point pushes other tasks before and after, never this one
    for minutes, push_id in ((9, 40), (38, 41)):
        tb = t0 + _dt.timedelta(minutes=minutes, seconds=rng.int(0, 59), milliseconds=rng.int(0, 999))
        bgb.add(tb, BGB_COMPONENT, 3712, 1, MSG_PUSH_FETCHED)
        tb += rng.ms(5, 60)
        bgb.add(tb, BGB_COMPONENT, 3712, 1, msg_push(push_id, push_id + 1, rng.guid()))
    ta = t0 + _dt.timedelta(minutes=21, seconds=rng.int(0, 59), milliseconds=rng.int(0, 999))
    notify_polls(sc, nf, t0, ta - _dt.timedelta(seconds=200))
    sc.poll(nf, ta - rng.ms(700, 1200))
    task = rng.guid()
    records, last = action_records(sc, ta, sc.notify_thread, rng.guid(), task)
    for r in records:
        nf.add(r[0], SCP_COMPONENT, r[1], r[2], r[3])
    notify_polls(sc, nf, last, end)
    sc.events.add("action-not-delivered")
    sc.actions.append({"taskGuid": task, "outcome": "not-delivered"})
    return sc, sc.expected(
        "A device action is authorized and forwarded, but the BgbServer.log given (which pushes two other "
        "tasks, before it and 17 minutes after it) holds no push for its TaskGuid.",
        "degraded", ["action-not-delivered"])


def scenario_action_interleaved():
    sc = Scenario("action-interleaved", 115, "cmtrace", "en-US", 240)
    rng = sc.rng
    sc.actions = []
    lf = sc.log(UPLOAD_LOG)
    t0 = D(2020, 9, 17, 15, 30, 8, 730000)
    t = sc.preamble(lf, t0)
    end, nxt = sc.run_cycles(lf, t, 6)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    nf = sc.log(NOTIFY_LOG)
    bgb = sc.log(BGB_LOG, fmt="cmtrace")
    cl = sc.log(CLIENT_LOG, fmt="cmtrace")
    ta = t0 + _dt.timedelta(minutes=33, seconds=rng.int(0, 59), milliseconds=rng.int(0, 999))
    notify_polls(sc, nf, t0, ta - _dt.timedelta(seconds=200))
    sc.poll(nf, ta - rng.ms(700, 1200))
    t1, t2, t3 = sc.other_threads
    user_a, user_b, user_c = rng.guid(), rng.guid(), rng.guid()
    task_a, task_b = rng.guid(), rng.guid()
    ms = lambda n: ta + _dt.timedelta(milliseconds=n)
    # three actions on three threads, their lines interleaved; B is forwarded before A,
    # C is authorized and never forwarded
    lines = [
        (0, t1, MSG_RECEIVED),
        (140, t2, MSG_RECEIVED),
        (153, t1, MSG_VALIDATING),
        (171, t2, MSG_VALIDATING),
        (322, t3, MSG_RECEIVED),
        (390, t1, msg_authorized(sc.tenant, user_a)),
        (406, t2, msg_authorized(sc.tenant, user_b)),
        (455, t3, MSG_VALIDATING),
        (610, t2, msg_forwarded(task_b)),
        (702, t1, msg_forwarded(task_a)),
        (733, t3, msg_authorized(sc.tenant, user_c)),
    ]
    for offset, tid, msg in lines:
        nf.add(ms(offset), SCP_COMPONENT, tid, 1, msg)
    notify_polls(sc, nf, ms(733), end)
    # the management point pushes B, then A; the client receives B, then A, and answers B first
    # (so only PushID and TaskID tell which receipt an answer belongs to)
    for offset, push_id, task in ((1810, 21, task_b), (2602, 22, task_a)):
        bgb.add(ms(offset - 40), BGB_COMPONENT, 3712, 1, MSG_PUSH_FETCHED)
        bgb.add(ms(offset), BGB_COMPONENT, 3712, 1, msg_push(push_id, push_id + 10, task))
    cl.add(ms(2411), CLIENT_COMPONENT, 5520, 1, msg_client_receive(21, 31, task_b))
    cl.add(ms(3005), CLIENT_COMPONENT, 5520, 1, msg_client_receive(22, 32, task_a))
    cl.add(ms(3920), CLIENT_COMPONENT, 5520, 1, msg_client_response(iso_utc(ms(3920), sc.bias), 21, 31))
    cl.add(ms(4633), CLIENT_COMPONENT, 5520, 1, msg_client_response(iso_utc(ms(4633), sc.bias), 22, 32))
    sc.events.add("action-not-forwarded")
    sc.actions += [{"taskGuid": task_a, "outcome": "completed"},
                   {"taskGuid": task_b, "outcome": "completed"},
                   {"taskGuid": None, "outcome": "not-forwarded"}]
    return sc, sc.expected(
        "Three device actions whose lines interleave on three threads of CMGatewayNotificationWorker.log: "
        "two are forwarded (the second one first) and answered by the client in the other order; the "
        "third is authorized and never forwarded.",
        "degraded", ["action-not-forwarded"])


# -- distribution points that share their PKI certificate with their client (issue 5)
#
# Everything here is synthetic: the inventory and cloud export CSVs, the device names, the
# thumbprints, and the device lines of dp-certificate-contradiction (Microsoft documents no log
# line that names a device; the sample's device-rules.json reads these invented lines).

INVENTORY_HEADER_A = ("Name", "Resource ID", "Is Distribution Point", "Client Certificate Thumbprint",
                      "DP Certificate Thumbprint", "Last Change", "Client")
INVENTORY_HEADER_B = ("NetBIOS Name", "Resource_ID", "DP", "Client Auth Cert Thumbprint",
                      "DP Cert Thumbprint", "Last Heartbeat", "Last Hardware Scan", "Client")
DIALOG_MARK = "\u200e"   # the left-to-right mark a copy from the Windows certificate dialog starts with


def csv_cell(value, delimiter):
    """RFC 4180: quote a value holding the delimiter, a quote or a line break."""
    if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_text(rows, delimiter=",", eol="\r\n"):
    return "".join(delimiter.join(csv_cell(v, delimiter) for v in row) + eol for row in rows)


def dialog_style(thumb):
    """A thumbprint as copied from the certificate dialog: a mark, lower case, pairs spaced."""
    return DIALOG_MARK + " ".join(thumb[i:i + 2].lower() for i in range(0, len(thumb), 2))


def colon_style(thumb):
    return ":".join(thumb[i:i + 2] for i in range(0, len(thumb), 2)).lower()


def device_states(sc, devices):
    """Each shared-certificate device's state, computed from the cycles written (UTC), and the
    missing ones: [{"name", "state", "droppedAt"}] sorted as the report sorts them."""
    bias = _dt.timedelta(minutes=sc.bias)
    starts = [s + bias for s, _ in sc.cycles]      # UTC; cycle 0 is the full sync
    out = []
    for d in devices:
        if d.get("shared"):
            change = d["change_utc"]
            if change <= starts[0]:
                out.append({"name": d["name"], "state": "at-risk", "droppedAt": None})
                continue
            later = [t for t in starts[1:] if t > change]
            if not later:
                raise AssertionError("%s: change after the last cycle" % d["name"])
            out.append({"name": d["name"], "state": "dropped",
                        "droppedAt": later[0].strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (later[0].microsecond // 1000)})
        elif not d.get("in_cloud", True):
            out.append({"name": d["name"], "state": "missing", "droppedAt": None})
    rank = {"dropped": 0, "undetermined": 1, "at-risk": 2, "missing": 3}
    out.sort(key=lambda x: (rank[x["state"]], x["name"].lower()))
    return out


def insert_record(lf, t, comp, tid, typ, msg):
    """Insert a record at its place in time (after any record at the same time)."""
    i = len(lf.records)
    while i > 0 and lf.records[i - 1][0] > t:
        i -= 1
    lf.records.insert(i, (t, comp, tid, typ, msg))


def scenario_dp_shared():
    sc = Scenario("dp-shared-certificate", 116, "cmtrace", "en-US", 480)
    rng = sc.rng
    lf = sc.log(UPLOAD_LOG)
    t = sc.preamble(lf, D(2021, 3, 8, 9, 2, 41, 318000))
    end, nxt = sc.run_cycles(lf, t, 12, first_full=True)
    sc.idle(lf, end, end + _dt.timedelta(minutes=3), 1, 2)
    bias = _dt.timedelta(minutes=sc.bias)
    full_local = sc.cycles[0][0]
    # local times of the site (UTC-8), written in ISO 8601 with their offset
    iso = lambda local: local.strftime("%Y-%m-%dT%H:%M:%S") + "-08:00"
    secs = lambda a, b: _dt.timedelta(seconds=rng.int(a, b))
    devices = []

    def add(name, rid, dp, client_thumb, dp_thumb, change_local, client="Yes", shared=False, in_cloud=True,
            client_text=None, dp_text=None):
        devices.append({"name": name, "rid": rid, "dp": dp, "client_thumb": client_thumb, "dp_thumb": dp_thumb,
                        "client_text": client_text if client_text is not None else (client_thumb or ""),
                        "dp_text": dp_text if dp_text is not None else (dp_thumb or ""),
                        "change_local": change_local, "change_utc": change_local + bias,
                        "client": client, "shared": shared, "in_cloud": in_cloud})

    # dropped: changed between the 4th and the 5th cycle, after the full sync
    t1 = rng.hexs(40).upper()
    add("CONTOSO-DP01", "16800011", "Yes", t1, t1, sc.cycles[4][0] - secs(200, 400), shared=True, in_cloud=False,
        client_text=dialog_style(t1))
    # at risk: last changed two days before the full sync
    t2 = rng.hexs(40).upper()
    add("CONTOSO-DP02", "16800012", "Yes", t2, t2, full_local - _dt.timedelta(days=2) + secs(0, 7200), shared=True,
        dp_text=colon_style(t2))
    # a distribution point with a certificate of its own: not affected
    add("CONTOSO-DP03", "16800013", "Yes", rng.hexs(40).upper(), rng.hexs(40).upper(),
        sc.cycles[6][0] + secs(10, 300))
    for i, n in enumerate((101, 102, 103, 104, 105)):
        add("WKS-%04d" % n, "168000%d" % (20 + i), "No", rng.hexs(40).upper() if i % 2 == 0 else None, None,
            sc.cycles[rng.int(0, 10)][0] + secs(10, 600))
    # missing for another reason: one with Client = Yes (a collection limit, say), one with Client = No
    add("WKS-0311", "16800031", "No", rng.hexs(40).upper(), None, full_local - _dt.timedelta(hours=5), in_cloud=False)
    add("LAB-PC-07", "16800032", "No", None, None, full_local - _dt.timedelta(days=40), client="No", in_cloud=False)

    rows = [INVENTORY_HEADER_A]
    for d in devices:
        rows.append((d["name"], d["rid"], d["dp"], d["client_text"], d["dp_text"], iso(d["change_local"]), d["client"]))
    sc.extra_files["inventory.csv"] = b"\xef\xbb\xbf" + csv_text(rows).encode("utf-8")
    cloud = [("Device name", "Managed by")] + [(d["name"], "ConfigMgr") for d in devices if d["in_cloud"]]
    sc.extra_files["cloud.csv"] = csv_text(cloud).encode("utf-8")
    sc.args = ["--inventory", "inventory.csv", "--cloud", "cloud.csv"]
    sc.devices = device_states(sc, devices)
    sc.events |= {"device-shared-dp-certificate", "device-not-in-cloud"}
    return sc, sc.expected(
        "Healthy uploads; inventory.csv (comma, UTF-8 with BOM, ISO 8601 times with offset) names two "
        "distribution points that use one certificate for the distribution point and the client: one "
        "changed after the full sync and dropped at the next delta cycle, one not changed since (at risk). "
        "cloud.csv (the admin center export) confirms both, and lacks two ordinary devices: missing for "
        "another reason (one has Client = No).",
        "degraded", ["device-shared-dp-certificate", "device-not-in-cloud"])


DEVICE_RULES = {
    "schemaVersion": 1,
    "about": ("EXAMPLE ONLY - NOT DOCUMENTED BY MICROSOFT. Microsoft documents no log line that names a "
              "device uploaded to or removed from tenant attach device sync. These two rules read "
              "synthetic lines that scripts/genlogs.py writes into this sample; real logs may write "
              "nothing of the kind. If your logs do name devices, copy this file, change the patterns to "
              "the lines you actually see, keep \"documented\": false, and pass the file with --rules "
              "(docs/devices.md)."),
    "rules": [
        {
            "id": "example.device.uploaded",
            "logs": ["CMGatewaySyncUploadWorker"],
            "event": "device.uploaded",
            "pattern": "^Device (?<device>\\S+) \\(ResourceID (?<resourceId>\\d+)\\)(?: client \\S+)? "
                       "included in (?:delta|full) set",
            "documented": False,
            "source": "Not documented by Microsoft: an example that reads a synthetic line of "
                      "SampleLogs/dp-certificate-contradiction",
        },
        {
            "id": "example.device.removed",
            "logs": ["CMGatewaySyncUploadWorker"],
            "event": "device.removed",
            "pattern": "^Device (?<device>\\S+) \\(ResourceID (?<resourceId>\\d+)\\) excluded from delta set"
                       "(?:: (?<reason>.*))?",
            "documented": False,
            "source": "Not documented by Microsoft: an example that reads a synthetic line of "
                      "SampleLogs/dp-certificate-contradiction",
        },
    ],
}


def scenario_dp_contradiction():
    sc = Scenario("dp-certificate-contradiction", 117, "simple", "nl-NL", -60)
    rng = sc.rng
    lf = sc.log(UPLOAD_LOG)
    t = sc.preamble(lf, D(2021, 3, 15, 8, 31, 5, 902000))
    end, nxt = sc.run_cycles(lf, t, 12, first_full=True)
    sc.idle(lf, end, end + _dt.timedelta(minutes=3), 1, 2)
    bias = _dt.timedelta(minutes=sc.bias)
    full_local = sc.cycles[0][0]
    # the inventory is written in the site's local time (UTC+1) without an offset: day-first, Dutch style
    nl = lambda local: "%d-%d-%04d %02d:%02d:%02d" % (local.day, local.month, local.year,
                                                       local.hour, local.minute, local.second)
    secs = lambda a, b: _dt.timedelta(seconds=rng.int(a, b))
    devices = []

    def add(name, rid, dp, client_thumb, dp_thumb, heartbeat, scan, shared=False, in_cloud=True):
        change = max(x for x in (heartbeat, scan) if x is not None)
        devices.append({"name": name, "rid": rid, "dp": dp, "client_thumb": client_thumb or "",
                        "dp_thumb": dp_thumb or "", "heartbeat": heartbeat, "scan": scan,
                        "change_utc": change + bias, "shared": shared, "in_cloud": in_cloud})

    # dropped, confirmed: changed (hardware scan) between the 6th and 7th cycles; the log names it
    # excluded at the 7th, and the cloud export does not list it
    t1 = rng.hexs(40).upper()
    scan1 = sc.cycles[6][0] - secs(120, 500)
    add("NLDP-01", "16800101", "Ja", t1, t1, full_local - _dt.timedelta(hours=20), scan1, shared=True, in_cloud=False)
    # dropped by the inventory (changed between the 3rd and 4th cycles), yet the cloud export lists it
    t2 = rng.hexs(40).upper()
    add("NLDP-02", "16800102", "Ja", t2, t2, sc.cycles[3][0] - secs(60, 400), None, shared=True)
    # at risk: last changed on 2 March (2-3-2021, settled as day-first by the file's other dates);
    # the log names it in the full sync and the cloud export lists it
    t3 = rng.hexs(40).upper()
    add("NLDP-03", "16800103", "Ja", t3, t3, D(2021, 3, 2, 10, 14, 0), None, shared=True)
    add("NLDP-04", "16800104", "Ja", rng.hexs(40).upper(), rng.hexs(40).upper(),
        sc.cycles[8][0] + secs(10, 300), None)
    add("CAF\u00c9-KASSA-01", "16800120", "Nee", rng.hexs(40).upper(), None,
        full_local - _dt.timedelta(hours=3), sc.cycles[2][0] + secs(10, 400))
    for i, n in enumerate((11, 12, 13)):
        add("NLWS-%03d" % n, "1680013%d" % i, "Nee", rng.hexs(40).upper(), None,
            sc.cycles[rng.int(1, 10)][0] + secs(10, 600), None)

    # the synthetic device lines (see DEVICE_RULES)
    tid = sc.upload_threads[0]
    s0 = sc.cycles[0][0]
    insert_record(lf, s0 + _dt.timedelta(milliseconds=1), SCP_COMPONENT, tid, 1,
                  "Device NLDP-03 (ResourceID 16800103) client 5.00.9040.1015 included in full set")
    s6 = sc.cycles[6][0]
    insert_record(lf, s6 + _dt.timedelta(milliseconds=1), SCP_COMPONENT, tid, 1,
                  "Device NLDP-01 (ResourceID 16800101) excluded from delta set")

    rows = [INVENTORY_HEADER_B]
    for d in devices:
        rows.append((d["name"], d["rid"], d["dp"], d["client_thumb"], d["dp_thumb"], nl(d["heartbeat"]),
                     nl(d["scan"]) if d["scan"] else "", "Ja"))
    # semicolon-separated, Windows-1252 (Excel's "CSV" in a Dutch culture), CRLF
    sc.extra_files["inventory.csv"] = csv_text(rows, ";").encode("cp1252")
    cloud = [("Device name", "Managed by")] + [(d["name"], "ConfigMgr") for d in devices if d["in_cloud"]]
    sc.extra_files["cloud.csv"] = b"\xef\xbb\xbf" + csv_text(cloud).encode("utf-8")
    sc.extra_files["device-rules.json"] = dump_json(DEVICE_RULES)
    sc.args = ["--inventory", "inventory.csv", "--cloud", "cloud.csv", "--inventory-utc-offset", "+01:00",
               "--rules", "device-rules.json"]
    sc.devices = device_states(sc, devices)
    sc.events |= {"device-shared-dp-certificate", "device-evidence-conflict"}
    return sc, sc.expected(
        "A Dutch site (nl-NL, bias -060). inventory.csv is semicolon-separated Windows-1252 with other "
        "header names (NetBIOS Name, Resource_ID, DP, two last-change columns) and day-first local times "
        "(--inventory-utc-offset +01:00). Three distribution points share one certificate with their client: "
        "one dropped, confirmed by the cloud export and by a device line; one dropped by the inventory yet "
        "listed in cloud.csv (a contradiction, reported); one at risk. device-rules.json is an example user "
        "rule file for device lines, not documented by Microsoft.",
        "degraded", ["device-shared-dp-certificate", "device-evidence-conflict"])


def scenario_network():
    sc = Scenario("network-failure", 109, "cmtrace", "de-DE", -120)
    lf = sc.log(UPLOAD_LOG)
    t = sc.preamble(lf, D(2020, 8, 5, 6, 55, 17, 600000))
    sc.run_cycles(lf, t, 12, outcomes={3: "dns", 4: "dns", 6: "connect", 8: "timeout", 9: "proxy"})
    end = lf.last_time()
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    return sc, sc.expected(
        "A German server in summer time (bias -120) whose uploads fail in five cycles because the gateway "
        "cannot be reached (name resolution, connect, timeout, proxy name).",
        "failing", ["service-unreachable"])


def scenario_rotated():
    sc = Scenario("rotated", 110, "simple", "en-US", 480)
    old = sc.log(UPLOAD_LOG_OLD)
    t = sc.preamble(old, D(2020, 2, 27, 21, 40, 2, 30000))
    end, nxt = sc.run_cycles(old, t, 24, first_full=True)
    sc.idle(old, end, end + _dt.timedelta(minutes=3), 1, 1)
    # Move the records from the 15th cycle's Next run line on into the new .log:
    # the rotation falls inside that cycle, between its response and its Next run line.
    nexts = [i for i, r in enumerate(old.records) if r[4].startswith("Next run time")]
    cut = nexts[14]   # the 15th cycle: its Batching/request/response in .lo_, its Next run in .log
    new = sc.log(UPLOAD_LOG)
    new.records = old.records[cut:]
    old.records = old.records[:cut]
    return sc, sc.expected(
        "A healthy history split by rotation: CMGatewaySyncUploadWorker.lo_ (older, from the full sync) "
        "and CMGatewaySyncUploadWorker.log (newer); the split falls inside a cycle.",
        "healthy", [])


def scenario_utf16():
    sc = sc_healthy("utf16le", 111, "cmtrace", "en-US", 480, D(2020, 1, 21, 15, 1, 44, 870000), 8,
                    first_full=False, nonascii=True, encoding="utf-16le")
    return sc, sc.expected(
        "A healthy CMTrace log written in UTF-16 LE with a BOM, with a few non-ASCII device names.",
        "healthy", [])


def scenario_eol():
    sc = sc_healthy("crlf", 112, "simple", "en-US", 480, D(2020, 3, 3, 9, 12, 0, 40000), 8,
                    first_full=False)
    return sc, sc.expected(
        "A healthy simple-format log with CRLF line endings (same records as the lf sample).",
        "healthy", [])


# -- logs in the shape of REAL service connection point and client logs (issue 10 item 11)
#
# What the real lines look like is in shared/reference/tenant-attach-logs.md ("What real service
# connection point logs look like"): CMTrace, seven fractional digits and NO bias (the server's
# local wall-clock time; the zone is not in the file), a component naming the worker, context=""
# and file="". The worker lifecycle lines are real lines of GenericDownloadWorker.log; nothing
# public shows them in the upload or notification worker's log, so writing them there is this
# generator's assumption. The client shape (component BgbAgent, bias -60 unpadded,
# file="bgbconnector.cpp:386") is from one real CcmNotificationAgent.log line.

UPLOAD_WORKER = "CMGatewaySyncUploadWorker"
NOTIFY_WORKER = "CMGatewayNotificationWorker"
CLIENT_REAL_COMPONENT = "BgbAgent"
CLIENT_REAL_SRC = "bgbconnector.cpp:386"


def real_scp(worker):
    """LogFile shape of a real service connection point log (bias None comes from the scenario)."""
    return {"component": SCP_COMPONENT + "_" + worker, "frac7": True}


def real_scenario(name, seed, culture="en-US"):
    """A scenario whose service connection point logs carry no bias: judged on the local clock."""
    sc = Scenario(name, seed, "cmtrace", culture, None)
    sc.explicit_clock = True
    sc.real_threads()
    return sc


def scenario_real_late():
    sc = real_scenario("real-upload-late", 118)
    lf = sc.log(UPLOAD_LOG, **real_scp(UPLOAD_WORKER))
    # The log begins with the service starting, on the day and at the time of the real log's first
    # line (29 November 2022, 13:59:35.67; 29 > 12, so the en-US next-run date is unambiguous here).
    # Cycle 4 starts 23 min after its announced run and cycle 10 41 min after (past the 10 min
    # grace); cycle 7 starts 5 min late, within grace, so only two cycles count as late.
    sc.run_cycles(lf, D(2022, 11, 29, 13, 59, 35, 672000), 14, late={4: 23, 7: 5, 10: 41}, idle=(1, 3),
                  worker=UPLOAD_WORKER, started=True)
    end = lf.last_time()
    sc.idle(lf, end, end + _dt.timedelta(minutes=3), 1, 2)
    return sc, sc.expected(
        "CMGatewaySyncUploadWorker.log in the shape of a real service connection point log (CMTrace, "
        "seven fractional digits, no bias: the server's local clock; component "
        "SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker; each run begins with the worker's timer "
        "lines) whose cycles twice start 23 and 41 minutes after the announced run, and once 5 "
        "minutes late (within grace).",
        "degraded", ["sync-late"])


def scenario_real_stalled():
    sc = real_scenario("real-upload-stalled", 119)
    lf = sc.log(UPLOAD_LOG, **real_scp(UPLOAD_WORKER))
    # The log starts mid-stream (its older lines rotated away): no service start. 6 December is
    # ambiguous as an en-US date (12/06/2022); the twelfth cycle, a quarter to midnight, announces
    # its next run for 00:0x on 12/07/2022, and the stall runs on past midnight.
    t = sc.preamble(lf, D(2022, 12, 6, 21, 4, 12, 408000))
    end, nxt = sc.run_cycles(lf, t, 12, idle=(1, 3), worker=UPLOAD_WORKER)
    # no more runs: the worker keeps writing neutral lines for 85 minutes after the announced run
    t = end
    stop = nxt + _dt.timedelta(minutes=85)
    while t < stop:
        t += sc.rng.ms(150000, 330000)
        sc.filler(lf, t)
    return sc, sc.expected(
        "The real service connection point shape (no bias: judged on the log's local clock, at its "
        "last record): after twelve cycles the worker stops running (the last one announces its next "
        "run for %s, past midnight) while it keeps writing other lines for 85 minutes past that time."
        % fmt_culture(nxt, "en-US"),
        "failing", ["sync-stalled"])


def scenario_real_notification():
    sc = real_scenario("real-notification", 120)
    rng = sc.rng
    sc.actions = []
    lf = sc.log(UPLOAD_LOG, **real_scp(UPLOAD_WORKER))
    nf = sc.log(NOTIFY_LOG, **real_scp(NOTIFY_WORKER))
    # one service start, written into both workers' logs a few milliseconds apart
    t0 = D(2023, 1, 17, 7, 31, 2, 118000)
    end, nxt = sc.run_cycles(lf, t0, 8, idle=(1, 3), worker=UPLOAD_WORKER, started=True)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    tn = sc.service_start(nf, t0 + rng.ms(40, 300), NOTIFY_WORKER, sc.notify_thread)
    last = sc.poll(nf, tn, worker=NOTIFY_WORKER)   # the first run is triggered at the Starting stamp
    for minutes in (26, 71):
        ta = t0 + _dt.timedelta(minutes=minutes, seconds=rng.int(0, 59), milliseconds=rng.int(0, 999))
        notify_polls(sc, nf, last, ta - _dt.timedelta(seconds=200), worker=NOTIFY_WORKER)
        # the poll that brings the notification (a real-shape poll takes up to 1 s)
        sc.poll(nf, ta - rng.ms(1500, 2200), worker=NOTIFY_WORKER)
        task = rng.guid()
        records, last = action_records(sc, ta, sc.notify_thread, rng.guid(), task)
        for r in records:
            nf.add(r[0], nf.component, r[1], r[2], r[3])
        # no BgbServer.log is given, so the review cannot tell more than "forwarded"
        sc.actions.append({"taskGuid": task, "outcome": "forwarded"})
    notify_polls(sc, nf, last, end, worker=NOTIFY_WORKER)
    return sc, sc.expected(
        "CMGatewayNotificationWorker.log and CMGatewaySyncUploadWorker.log in the real service "
        "connection point shape (no bias, seven fractional digits, components "
        "SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker and ..._CMGatewaySyncUploadWorker), both "
        "starting with the service: healthy uploads, notification polls, and two device actions "
        "authorized and forwarded; no BgbServer.log is given, so both stay forwarded.",
        "healthy", [])


CLIENT_MP = "MP01.contoso.com"


def client_filler(rng):
    """A neutral line of the client's BGB agent. Synthetic: nothing public shows these."""
    k = rng.int(0, 5)
    if k == 0:
        return "Sending keep-alive message to %s over TCP" % CLIENT_MP
    if k == 1:
        return "Keep-alive message sent, next one in %d seconds" % rng.choice((300, 600, 900))
    if k == 2:
        return "Connected to BGB server %s:10123 over TCP, session %d" % (CLIENT_MP, rng.int(1000, 99999))
    if k == 3:
        return "BGB channel state: online, %d tasks queued" % rng.int(0, 2)
    if k == 4:
        return "Client notification channel idle for %d seconds" % rng.int(30, 900)
    return "Checking BGB server list: %s, MP02.contoso.com" % CLIENT_MP


def history_name(log_name, closed):
    """A history file as a real client Logs folder names it: CcmNotificationAgent-20131014-063030.log.
    The stamp is when the file was closed, on the machine's local clock (which clock ConfigMgr
    uses for it is not documented)."""
    base, ext = log_name.rsplit(".", 1)
    return "%s-%s.%s" % (base, closed.strftime("%Y%m%d-%H%M%S"), ext)


def scenario_client_history():
    # A Dutch site: service connection point and management point at bias -060 (written padded, as
    # in the older samples), the client at -60 (written unpadded, as the real client line does).
    sc = Scenario("client-history", 121, "cmtrace", "nl-NL", -60)
    sc.explicit_clock = True
    rng = sc.rng
    sc.actions = []
    nf = sc.log(NOTIFY_LOG)
    bgb = sc.log(BGB_LOG)
    # the client log is written whole, then split into its history files below
    cl = LogFile(CLIENT_LOG, "cmtrace", -60, component=CLIENT_REAL_COMPONENT, pad_bias=False,
                 src=CLIENT_REAL_SRC)
    client_tids = (4896, 7340)
    t0 = D(2023, 11, 14, 8, 47, 13, 602000)
    span = _dt.timedelta(hours=5, minutes=20)
    user = rng.guid()
    last = t0
    answers = []     # (receipt, answer) on the client, per action
    for minutes, push_id in ((24, 31), (158, 32), (302, 33)):
        ta = t0 + _dt.timedelta(minutes=minutes, seconds=rng.int(0, 59), milliseconds=rng.int(0, 999))
        notify_polls(sc, nf, last, ta - _dt.timedelta(seconds=200))
        sc.poll(nf, ta - rng.ms(700, 1200))
        task = rng.guid()
        records, last = action_records(sc, ta, sc.notify_thread, user, task)
        for r in records:
            nf.add(r[0], SCP_COMPONENT, r[1], r[2], r[3])
        answers.append(push_and_answer(sc, bgb, cl, last, push_id, push_id + 1, task,
                                       client_comp=CLIENT_REAL_COMPONENT, client_tid=client_tids[0]))
        sc.actions.append({"taskGuid": task, "outcome": "completed"})
    notify_polls(sc, nf, last, t0 + span)
    # the client's neutral lines, every 2 to 9 minutes, from before the first poll to near the end
    tc = t0 - _dt.timedelta(minutes=6)
    while tc < t0 + span - _dt.timedelta(minutes=4):
        insert_record(cl, tc, CLIENT_REAL_COMPONENT, rng.choice(client_tids), 1, check_filler(client_filler(rng)))
        tc += _dt.timedelta(seconds=rng.int(120, 540), milliseconds=rng.int(0, 999))
    # Rotation points (each is the time of the next file's first record, when the full file was
    # closed): the first falls inside action 1, between its receipt and its answer, so action 1
    # needs both stamped files; the second and third between the actions, so action 2 lies in the
    # .lo_ and action 3 in the .log.
    after = lambda t: next(r[0] for r in cl.records if r[0] > t)
    cut1 = answers[0][1]
    cut2 = after(answers[0][1] + _dt.timedelta(minutes=50))
    cut3 = after(answers[1][1] + _dt.timedelta(minutes=40))
    assert answers[1][0] > cut2 and answers[2][0] > cut3
    parts = cl.split([(history_name(CLIENT_LOG, trunc_sec(cut1)), cut1),
                      (history_name(CLIENT_LOG, trunc_sec(cut2)), cut2),
                      (CLIENT_LOG[:-4] + ".lo_", cut3),
                      (CLIENT_LOG, None)])
    for part, nxt_part in zip(parts[:2], parts[1:]):
        # a closed file's stamp (to the second) is after its own last record and is the second of
        # the next file's first record
        stamp = _dt.datetime.strptime(part.name[len(CLIENT_LOG) - 3:-4], "%Y%m%d-%H%M%S")
        assert part.last_time() < stamp + _dt.timedelta(seconds=1) and stamp == trunc_sec(nxt_part.records[0][0])
    for part in parts:
        sc.files[part.name] = part
    return sc, sc.expected(
        "A flat folder: CMGatewayNotificationWorker.log and BgbServer.log (bias -060), and the client "
        "log as a real client Logs folder keeps its history: two CcmNotificationAgent-YYYYMMDD-HHMMSS.log "
        "files (stamped when each was closed), CcmNotificationAgent.lo_ and CcmNotificationAgent.log, in "
        "the real client shape (component BgbAgent, bias -60 unpadded, file=\"bgbconnector.cpp:386\"). "
        "Three device actions complete; the client's receipt and answer of the first fall in the two "
        "stamped files (the first rotation falls between them), those of the second in the .lo_, of "
        "the third in the .log.",
        "healthy", [])


class Folder:
    """A sample folder made of several servers' folders, one Scenario each."""

    def __init__(self, parts):
        self.files, self.extra_files = {}, {}
        for sub, sc in parts:
            for n, lf in sc.files.items():
                self.files[sub + "/" + n] = lf
            for n, data in sc.extra_files.items():
                self.extra_files[sub + "/" + n] = data


VERDICT_RANK = {"no-data": 0, "healthy": 1, "degraded": 2, "failing": 3}
PER_SERVER_KEYS = ("clock", "lastNextRunUtc", "lastRecordUtc", "lastNextRunLocal", "lastRecordLocal")


def scenario_two_servers():
    # site-ps1: the older illustrative shape (simple format, bias +480, en-US; 18 January, so no
    # daylight saving time), healthy
    a = Scenario("two-servers/site-ps1", 122, "simple", "en-US", 480)
    a.explicit_clock = True
    la = a.log(UPLOAD_LOG)
    t = a.preamble(la, D(2023, 1, 18, 9, 2, 44, 530000))
    end, _ = a.run_cycles(la, t, 14, idle=(1, 3))
    a.idle(la, end, end + _dt.timedelta(minutes=3), 1, 2)
    ea = a.expected("site-ps1", "healthy", [])
    # site-ps2: another site's service connection point in the real shape (no bias), over the same
    # local hours; its seventh cycle starts 27 minutes after the announced run
    b = real_scenario("two-servers/site-ps2", 123)
    lb = b.log(UPLOAD_LOG, **real_scp(UPLOAD_WORKER))
    t = b.preamble(lb, D(2023, 1, 18, 9, 7, 19, 904000))
    end, _ = b.run_cycles(lb, t, 13, late={6: 27}, idle=(1, 3), worker=UPLOAD_WORKER)
    b.idle(lb, end, end + _dt.timedelta(minutes=3), 1, 2)
    eb = b.expected("site-ps2", "degraded", ["sync-late"])
    # The point of the sample: the written times overlap by hours, so one merged timeline would
    # double the cycles and run backwards at every switch from one server's lines to the other's.
    overlap = min(la.last_time(), lb.last_time()) - max(la.records[0][0], lb.records[0][0])
    assert overlap > _dt.timedelta(hours=3), overlap
    servers = []
    for sub, e in (("site-ps1", ea), ("site-ps2", eb)):
        o = {"server": sub}
        for k in ("verdict", "findingIds", "cycles", "uploadedRecords") + PER_SERVER_KEYS:
            if k in e:
                o[k] = e[k]
        servers.append(o)
    result = {
        "description": "Two service connection points' logs in one folder, one subfolder each, covering the "
                       "same hours: site-ps1 in the simple format (bias +480, en-US), healthy; site-ps2 in "
                       "the real shape (no bias, its own local clock) with one cycle 27 minutes late. "
                       "Merged into one timeline they would double the cycles and run backwards; reviewed "
                       "per server, site-ps1 is healthy and site-ps2 degraded.",
        "args": [],
        "verdict": max((o["verdict"] for o in servers), key=VERDICT_RANK.get),
        "findingIds": sorted(set(f for o in servers for f in o["findingIds"])),
        "cycles": sum(o["cycles"] for o in servers),
        "uploadedRecords": sum(o["uploadedRecords"] for o in servers),
        "servers": servers,
    }
    return Folder([("site-ps1", a), ("site-ps2", b)]), result


# -- issue 12: failures whose cause and fix are written down (documented-knowledge.md)

ADMINSERVICE_LOG = "AdminService.log"
ENDPOINT_LOG = "EndpointConnectivityCheckWorker.log"
PROVIDER = "CMsite.contoso.com"   # the documented example host of the AdminService URL


def msg_exception_of(severity, worker, etype, hresult, text, stack=""):
    """An exception block with another type and HRESULT than the WebException ones."""
    return "Exception details:\n[%s][%s][0][%s][%s]\n%s%s" % (severity, worker, etype, hresult, text, stack)


CERT_STACK = ("\n   at Microsoft.ConfigurationManager.ManagedBase.CertificateUtility.ServiceCertificateUtility."
              "VerifyCertificate(X509Certificate2 certificate)"
              "\n   at Microsoft.ConfigurationManager.ServiceConnector.AccountOnboardingWorker."
              "<RefreshServiceSigningCertificateIfNotExistsAsync>d__19.MoveNext()")


def scenario_known_notification():
    """The notification worker's documented failures: the certificate subject mismatch block of
    Microsoft's support article, the stale SQL connection, and the TLS receive failure."""
    sc = Scenario("known-notification-worker", 131, "cmtrace", "en-US", 480)
    rng = sc.rng
    lf = sc.log(UPLOAD_LOG)
    t0 = D(2022, 8, 2, 9, 3, 12, 250000)
    t = sc.preamble(lf, t0)
    end, nxt = sc.run_cycles(lf, t, 6)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    nf = sc.log(NOTIFY_LOG)
    tid = sc.notify_thread
    marks = [t0 + _dt.timedelta(minutes=m, seconds=rng.int(0, 59)) for m in (14, 31, 52, 71)]
    last = t0
    for i, tm in enumerate(marks):
        notify_polls(sc, nf, last, tm - _dt.timedelta(seconds=200))
        tt = tm
        if i < 2:
            nid = rng.guid()
            nf.add(tt, SCP_COMPONENT, tid, 3, "Error occured when process notification with notification Id %s. "
                   "Ignore the notification." % nid)
            tt += rng.ms(0, 3)
            nf.add(tt, SCP_COMPONENT, tid, 2, msg_exception_of(
                "Warning", "CMGatewayNotificationWorker", "System.IO.InvalidDataException", "0x80131501",
                "Failed to check and load service signing certificate. System.ArgumentException: "
                "Mismatch certificate subject name", CERT_STACK))
            sc.events.add("signing-certificate-mismatch")
        elif i == 2:
            nf.add(tt, SCP_COMPONENT, tid, 3, msg_exception_of(
                "Critical", "CMGatewayNotificationWorker", "System.InvalidOperationException", HRESULT,
                "ExecuteReader requires an open and available Connection. The connection's current state is closed."))
            sc.events.add("sql-connection-closed")
        else:
            nf.add(tt, SCP_COMPONENT, tid, 1, msg_request(TAG_NOTIFY, NOTIFICATION, rng.guid(), "GET"))
            tt += rng.ms(80, 600)
            nf.add(tt, SCP_COMPONENT, tid, 3, "Web exception when getting new notification")
            tt += rng.ms(0, 3)
            nf.add(tt, SCP_COMPONENT, tid, 2, msg_exception(
                "Warning", "CMGatewayNotificationWorker",
                "The underlying connection was closed: An unexpected error occurred on a receive."))
            sc.events.add("tls-failure")
        last = tt
    notify_polls(sc, nf, last, end)
    return sc, sc.expected(
        "CMGatewayNotificationWorker.log with the failures Microsoft documents with their cause and fix: twice "
        "the 'Mismatch certificate subject name' block of the support article (after 'Error occured when "
        "process notification … Ignore the notification.'), the stale SQL connection ('ExecuteReader requires "
        "an open and available Connection', 2103 and earlier), and a poll that fails with 'The underlying "
        "connection was closed: An unexpected error occurred on a receive.' (TLS 1.2); uploads stay healthy.",
        "failing", ["signing-certificate-mismatch", "sql-connection-closed", "tls-failure"])


def scenario_known_adminservice():
    """An SMS Provider's AdminService.log (read from the folder beside the tenant attach logs)
    with the documented normal pair, the SecurityException, the timeout block and 403 answers;
    the notification worker's 'Sending AdminService request with URL' lines name the provider."""
    sc = Scenario("known-adminservice", 132, "cmtrace", "en-US", 300)
    rng = sc.rng
    nf = sc.log(NOTIFY_LOG)
    asl = sc.log(ADMINSERVICE_LOG)
    t0 = D(2022, 5, 18, 8, 30, 5, 120000)
    t = t0
    user = "CONTOSO\\jqadmin"
    plan = ["ok", "ok", "security", "ok", "timeout", "ok", "forbidden", "forbidden", "ok"]
    for step in plan:
        t += _dt.timedelta(seconds=rng.int(200, 420))
        notify_polls(sc, nf, t - _dt.timedelta(seconds=150), t - _dt.timedelta(seconds=10))
        res = "Device(16777%03d)" % rng.int(200, 999)
        url = "https://%s/AdminService/v1.0/%s" % (PROVIDER, res)
        nf.add(t, SCP_COMPONENT, sc.notify_thread, 1, "Sending AdminService request with URL: %s" % url)
        ta = t + rng.ms(20, 120)
        asl.add(ta, "AdminService", 23, 1, "Processing incoming request for resource [https://%s/adminservice/v1.0/%s], "
                "method: [GET], User - [%s]" % (PROVIDER.lower(), res, user))
        ta += rng.ms(40, 900)
        if step == "ok":
            asl.add(ta, "AdminService", 23, 1, "Completing request with response code [200] reason [OK]")
        elif step == "security":
            asl.add(ta, "AdminService", 23, 3, "System.Security.SecurityException: The user name or password is incorrect.")
            sc.events.add("adminservice-upn-mismatch")
            ta += rng.ms(1, 5)
            asl.add(ta, "AdminService", 23, 1, "Completing request with response code [500] reason [Internal Server Error]")
        elif step == "timeout":
            ta += _dt.timedelta(seconds=30)
            asl.add(ta, "AdminService", 23, 3,
                    "System.Data.Entity.Core.EntityCommandExecutionException: An error occurred while executing the "
                    "command definition. See the inner exception for details.\n"
                    "System.Data.SqlClient.SqlException: Execution Timeout Expired.  The timeout period elapsed prior "
                    "to completion of the operation or the server is not responding.\n"
                    "System.ComponentModel.Win32Exception: The wait operation timed out")
            sc.events.add("adminservice-sql-timeout")
            ta += rng.ms(1, 5)
            asl.add(ta, "AdminService", 23, 1, "Completing request with response code [500] reason [Internal Server Error]")
        else:
            asl.add(ta, "AdminService", 23, 2, "Completing request with response code [403] reason [Forbidden]")
            sc.events.add("provider-forbidden")
        t = max(t, ta)
    return sc, sc.expected(
        "An SMS Provider's AdminService.log, read from the folder with the tenant attach logs, "
        "beside the notification worker whose 'Sending AdminService request with URL' lines name it: "
        "documented request/response pairs, a System.Security.SecurityException (UPN suffix), the Execution "
        "Timeout Expired block (KB4576782) and two requests answered [403] (multi-factor authentication on the "
        "SMS Provider; the 403 in that line is assumed).",
        "failing", ["adminservice-upn-mismatch", "adminservice-sql-timeout", "provider-forbidden"])


def scenario_known_endpoint_check():
    """EndpointConnectivityCheckWorker.log (read from the folder). Microsoft documents what it records, not
    its wording: these lines are synthetic, naming the documented statuses and status messages."""
    sc = Scenario("known-endpoint-check", 133, "cmtrace", "en-US", 480)
    rng = sc.rng
    nf = sc.log(NOTIFY_LOG)
    ec = sc.log(ENDPOINT_LOG)
    t0 = D(2023, 3, 7, 6, 0, 0, 410000)
    notify_polls(sc, nf, t0, t0 + _dt.timedelta(minutes=40))
    t = t0 + rng.ms(2000, 9000)
    checks = [("https://aka.ms/configmgrgateway", "ok"), ("https://us.gateway.configmgr.manage.microsoft.com", "407"),
              ("https://dc.services.visualstudio.com", "ok"), ("https://login.microsoftonline.com", "timeout"),
              ("https://manage.microsoft.com", "502")]
    for url, result in checks:
        t += rng.ms(200, 3000)
        if result == "ok":
            ec.add(t, SCP_COMPONENT, 41, 1, "Endpoint %s is reachable." % url)
        elif result == "timeout":
            ec.add(t, SCP_COMPONENT, 41, 3, "Endpoint %s check failed: the connection timed out." % url)
        else:
            ec.add(t, SCP_COMPONENT, 41, 3, "Endpoint %s check failed with HTTP status code %s." % (url, result))
    t += rng.ms(50, 300)
    ec.add(t, SCP_COMPONENT, 41, 3, "Raised status message 11412: one or more critical endpoints are unreachable.")
    sc.events.add("endpoint-check-failed")
    return sc, sc.expected(
        "EndpointConnectivityCheckWorker.log, read from the folder, whose checks fail with HTTP 407 and 502 and a "
        "connection timeout, and that raises status message 11412. Microsoft documents what the log records, "
        "not its wording, so these lines (and the rules that read them) are synthetic.",
        "failing", ["endpoint-check-failed"])


def msg_push_finished(push_id, task_id, clients):
    return "Finished sending push task (PushID: %d TaskID: %d) to %d clients" % (push_id, task_id, clients)


def msg_push_report(push_id, reported, failed, t):
    return ("Generated BGB task status report c:\\ConfigMgr\\inboxes\\bgb.box\\Bgb%s.BTS at %s. "
            "(PushID: %d ReportedClients: %d FailedClients: %d)"
            % ("%06x" % (push_id * 7919 % 0xFFFFFF), t.strftime("%m/%d/%Y %H:%M:%S"), push_id, reported, failed))


def scenario_push_partially_failed():
    """A device action pushed to two clients, one of which fails (the status report's FailedClients),
    and a CMPivot-or-script push (TaskType 15) the admin center started through the AdminService; the
    client answers 'successfuly', as Microsoft's CMPivot example spells it."""
    sc = Scenario("push-partially-failed", 134, "cmtrace", "en-US", 480)
    rng = sc.rng
    sc.actions = []
    lf = sc.log(UPLOAD_LOG)
    t0 = D(2021, 6, 14, 10, 5, 33, 90000)
    t = sc.preamble(lf, t0)
    end, nxt = sc.run_cycles(lf, t, 6)
    sc.idle(lf, end, end + _dt.timedelta(minutes=2), 1, 1)
    nf = sc.log(NOTIFY_LOG)
    bgb = sc.log(BGB_LOG)
    cl = sc.log(CLIENT_LOG)
    user = rng.guid()
    ta = t0 + _dt.timedelta(minutes=21, seconds=rng.int(0, 59))
    notify_polls(sc, nf, t0, ta - _dt.timedelta(seconds=200))
    sc.poll(nf, ta - rng.ms(700, 1200))
    task = rng.guid()
    records, last = action_records(sc, ta, sc.notify_thread, user, task)
    for r in records:
        nf.add(r[0], SCP_COMPONENT, r[1], r[2], r[3])
    tb = last + rng.ms(800, 4000)
    bgb.add(tb, BGB_COMPONENT, 3712, 1, MSG_PUSH_FETCHED)
    tb += rng.ms(5, 60)
    bgb.add(tb, BGB_COMPONENT, 3712, 1, msg_push(21, 22, task, clients=2))
    tb += rng.ms(20, 200)
    bgb.add(tb, BGB_COMPONENT, 3712, 1, msg_push_finished(21, 22, 2))
    tc = tb + rng.ms(300, 2000)
    cl.add(tc, CLIENT_COMPONENT, 5520, 1, msg_client_receive(21, 22, task))
    tc += rng.ms(1000, 4000)
    cl.add(tc, CLIENT_COMPONENT, 5520, 1,
           msg_client_response(iso_utc(tc, sc.bias), 21, 22).replace("successfully.", "successfuly."))
    tb = tc + _dt.timedelta(seconds=rng.int(40, 90))
    bgb.add(tb, BGB_COMPONENT, 3712, 1, msg_push_report(21, 2, 1, tb))
    sc.events.add("push-partially-failed")
    sc.actions.append({"taskGuid": task, "outcome": "completed"})
    notify_polls(sc, nf, last, end)
    return sc, sc.expected(
        "A device action pushed to two clients; one answers (CcmNotificationAgent.log), and BgbServer.log's "
        "'Finished sending push task' and 'Generated BGB task status report … FailedClients: 1' lines show the "
        "other failed.",
        "degraded", ["push-partially-failed"])


SCENARIOS = [
    ("healthy-simple", scenario_healthy_simple, "simple", "en-US, +480"),
    ("healthy-cmtrace-nl", scenario_healthy_nl, "cmtrace", "nl-NL, -060"),
    ("stalled", scenario_stalled, "simple", "de-DE, -060"),
    ("late-cycles", scenario_late, "cmtrace", "en-GB, +000"),
    ("upload-401", scenario_upload_401, "simple", "en-US, +300"),
    ("onboarding-400", scenario_onboarding_400, "simple", "en-US, +360"),
    ("notification-401", scenario_notification_401, "cmtrace", "en-US, +480"),
    ("action-unauthorized", scenario_action_unauthorized, "simple (+ cmtrace BGB/client)", "en-US, +420"),
    ("action-completed", scenario_action_completed, "cmtrace", "en-US, +480 (BGB +300, client +360)"),
    ("action-not-pushed", scenario_action_not_pushed, "cmtrace", "nl-NL, -060"),
    ("action-interleaved", scenario_action_interleaved, "cmtrace", "en-US, +240"),
    ("dp-shared-certificate", scenario_dp_shared, "cmtrace + inventory/cloud CSV", "en-US, +480"),
    ("dp-certificate-contradiction", scenario_dp_contradiction, "simple + inventory/cloud CSV", "nl-NL, -060"),
    ("network-failure", scenario_network, "cmtrace", "de-DE, -120"),
    ("rotated", scenario_rotated, "simple", "en-US, +480"),
    ("utf16le", scenario_utf16, "cmtrace, UTF-16 LE + BOM", "en-US, +480"),
    ("crlf", scenario_eol, "simple, CRLF", "en-US, +480"),
    ("lf", None, "simple, LF", "en-US, +480"),
    ("real-upload-late", scenario_real_late, "cmtrace, real SCP shape", "en-US, no bias (local clock)"),
    ("real-upload-stalled", scenario_real_stalled, "cmtrace, real SCP shape", "en-US, no bias (local clock)"),
    ("real-notification", scenario_real_notification, "cmtrace, real SCP shape", "en-US, no bias (local clock)"),
    ("client-history", scenario_client_history, "cmtrace; client: real BgbAgent shape, stamped history",
     "no upload log; -060, client `-60`"),
    ("two-servers", scenario_two_servers, "per server: simple (`site-ps1`), cmtrace real SCP shape (`site-ps2`)",
     "en-US; `site-ps1` +480, `site-ps2` no bias"),
    ("known-notification-worker", scenario_known_notification, "cmtrace", "en-US, +480"),
    ("known-adminservice", scenario_known_adminservice, "cmtrace (+ AdminService.log)", "en-US, +300"),
    ("known-endpoint-check", scenario_known_endpoint_check, "cmtrace (+ EndpointConnectivityCheckWorker.log)",
     "en-US, +480"),
    ("push-partially-failed", scenario_push_partially_failed, "cmtrace", "en-US, +480"),
]


def dump_json(obj):
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    with open(path, "wb") as f:
        f.write(data)
    return True


def samples(args):
    root = args.output
    os.makedirs(root, exist_ok=True)
    rows = []
    for name, fn, fmt_desc, cult in SCENARIOS:
        if name == "lf":
            continue
        sc, exp = fn()
        files = {n: lf.data() for n, lf in sc.files.items()}
        files.update(sc.extra_files)
        outputs = [(name, files, exp)]
        if name == "crlf":
            lf_files = {}
            for n, f in sc.files.items():
                lf_files[n] = f.text(eol="\n").encode("utf-8")
            exp_lf = dict(exp)
            exp_lf["description"] = ("A healthy simple-format log with LF line endings "
                                     "(same records as the crlf sample).")
            outputs.append(("lf", lf_files, exp_lf))
        for dname, files, e in outputs:
            d = os.path.join(root, dname)
            os.makedirs(d, exist_ok=True)
            keep = set(files) | {"expected.json"}
            for old in os.listdir(d):
                if old not in keep and (old.endswith((".log", ".lo_")) or old == "expected.json"):
                    os.remove(os.path.join(d, old))
            sizes = []
            for n in sorted(files):
                os.makedirs(os.path.dirname(os.path.join(d, n)), exist_ok=True)   # per-server subfolders
                write_if_changed(os.path.join(d, n), files[n])
                sizes.append("%s (%d B)" % (n, len(files[n])))
            write_if_changed(os.path.join(d, "expected.json"), dump_json(e))
            rows.append((dname, e, sizes))
            print("%-20s %-8s %-28s cycles=%-3d uploaded=%-5d %s" % (
                dname, e["verdict"], ",".join(e["findingIds"]) or "-", e["cycles"],
                e["uploadedRecords"], ", ".join(sizes)))
    write_if_changed(os.path.join(root, "README.md"), readme(rows).encode("utf-8"))


def readme(rows):
    fmt_of = {n: (f, c) for n, _, f, c in SCENARIOS}
    out = []
    w = out.append
    w("# Sample logs\n")
    w("These logs are **synthetic**. They were written by `scripts/genlogs.py` "
      "(`python3 scripts/genlogs.py samples -o SampleLogs`), which is deterministic: "
      "running it again gives the same bytes. Do not edit them by hand; change the "
      "generator and regenerate (this README is generated too). "
      "`python3 scripts/genlogs.py verify SampleLogs` re-reads every file with a small "
      "independent reader and checks it against its `expected.json`.\n")
    w("They are shaped on the log lines that Microsoft documents for Configuration "
      "Manager tenant attach (see `shared/reference/tenant-attach-logs.md`): those message "
      "texts are copied verbatim, with GUIDs, counts and times varied. They come from no real "
      "server. The trailers (time, bias, component) of the older samples follow Microsoft's "
      "illustrative examples; the `real-*` samples, `client-history`'s client log and "
      "`two-servers/site-ps2` follow instead the few real lines that are public (section \"What real "
      "service connection point logs look like\" of the reference, and below).\n")
    w("## Scenarios\n")
    w("| folder | format | culture, bias | verdict | findings | cycles | uploaded | what it shows |")
    w("|---|---|---|---|---|---|---|---|")
    for dname, e, _ in rows:
        f, c = fmt_of[dname]
        w("| `%s` | %s | %s | %s | %s | %d | %d | %s |" % (
            dname, f, c, e["verdict"], ", ".join("`%s`" % x for x in e["findingIds"]) or "none",
            e["cycles"], e["uploadedRecords"], e["description"]))
    w("")
    w("Each folder holds the input logs, named as on the server, and `expected.json`:\n")
    w("- `description`, `args` (extra review arguments, with file names relative to the folder; "
      "empty except for the two `dp-*` samples, whose arguments name their inventory, cloud export "
      "and rule files; the evaluation time defaults to the last record's time), `verdict`, "
      "`findingIds` (sorted), `cycles` "
      "(upload cycles in the timeline), `uploadedRecords` (sum of every `Batching N records`, "
      "including batches whose upload then failed). These are computed by the generator from "
      "what it wrote.")
    w("- `actions` (the `action-completed`, `action-not-pushed`, `action-interleaved`, "
      "`real-notification` and `client-history` scenarios): each device action as `{\"taskGuid\", \"outcome\"}` in the report's order "
      "(by the time the service connection point received it); `taskGuid` is null for an action "
      "never forwarded. Outcomes are documented in docs/actions.md.")
    w("- `devices` (the `dp-*` scenarios): each device of the report's `devices` array as "
      "`{\"name\", \"state\", \"droppedAt\"}`, computed by the generator from the cycles it wrote "
      "and the last change times it put in `inventory.csv` (states: docs/devices.md). Those folders "
      "also hold `inventory.csv` (the `--inventory` CSV), `cloud.csv` (the admin center export, "
      "`--cloud`) and, in `dp-certificate-contradiction`, `device-rules.json`: an example user rule "
      "file for device lines, which Microsoft does not document.")
    w("- two extra keys for tests of date and bias handling: `lastNextRunUtc` (the last "
      "announced next run, converted to UTC) and `lastRecordUtc` (the last record's time over "
      "all files of the folder, in UTC, truncated to the second). UTC = local time + bias. "
      "`lastNextRunUtc` is null when the folder holds no upload cycle (`client-history`).")
    w("- `clock` (only in the scenarios added with the real shapes; every older one is `\"utc\"` "
      "without saying so): `\"utc\"` when every line of the folder carries a bias, `\"local\"` "
      "when none does, as in real service connection point logs. The file then does not say which "
      "time zone its times are in, so a `\"local\"` folder is judged on its own wall clock: "
      "`lastNextRunLocal` and `lastRecordLocal` replace the two UTC keys (ISO 8601 local time "
      "without an offset, e.g. `2022-11-29T14:15:02`, truncated to the second), lateness compares "
      "local times, and `sync-stalled` is judged at the last record's local time. No folder mixes "
      "lines with and without a bias.")
    w("- `servers` (`two-servers`): the folder holds no log itself but one subfolder per service "
      "connection point, each its own clock and its own upload worker, never merged into one "
      "timeline. One object per subfolder, in name order: `{\"server\", \"verdict\", "
      "\"findingIds\", \"cycles\", \"uploadedRecords\"}` as if that subfolder were reviewed alone, "
      "followed by its `clock` and its two last-time keys (UTC or local). The top-level `verdict` "
      "is the worst of the servers' (failing, degraded, healthy, no-data), `findingIds` their "
      "union, `cycles` and `uploadedRecords` their sums; there is no top-level `clock` or "
      "last-time key, the two servers being on different clocks.\n")
    w("## What is documented and what is a synthetic stand-in\n")
    w("Copied from Microsoft's documentation (GUIDs, numbers and times varied):\n")
    w("- `Batching N records`, `Next run time will be at approximately: <date>` (the date in "
      "the server's culture: en-US `02/28/2020 16:35:31`, nl-NL `28-2-2020 16:35:31`, de-DE "
      "`28.02.2020 16:35:31`, en-GB `28/02/2020 16:35:31`).")
    w("- The `[UploadDelta_HelpdeskUpload] Response from .../DevicePost is: 401 (Unauthorized)` "
      "block, the `[OnboardScenario]` AccountOnboardingInfo 400 block (with the documented "
      "Activity IDs), the `[GetNotifications]` Notification 401 block, the device action lines "
      "(`Received new notification...`, `Validating device action message content...`, "
      "`Authorized/Unauthorized to perform client action...`, `Forwarded BGB remote task...`), "
      "the two BgbServer.log lines and the two CcmNotificationAgent.log lines.")
    w("- The two on-disk formats (CMTrace and simple), the `+480`/`-060` bias (UTC = local + "
      "bias), and `.lo_` rotation.\n")
    w("Taken from the few real lines that are public (not from Microsoft's examples):\n")
    w("- The real service connection point shape of the `real-*` samples and "
      "`two-servers/site-ps2`: CMTrace with seven fractional digits and no bias at all "
      "(`time=\"13:59:35.6721099\"`, the server's local wall-clock time), `date=\"11-29-2022\"`, "
      "a component naming the worker (`SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker`, "
      "`SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker`), `context=\"\"`, `file=\"\"`, small "
      "thread ids (.NET managed ids). `real-upload-late` starts on 29 November 2022 at 13:59:35.67, "
      "the date and time of the real log's first line.")
    w("- The worker lifecycle lines, real lines of a sibling worker's log (GenericDownloadWorker.log): "
      "`Successfully subscribed listener to registry key.`, `Waiting for CommonWorker to be "
      "ready...`, `GenericWorkerConfig initializing...` (one stamp, one thread), then `Starting worker "
      "X_ANY...`, `Worker X_ANY was triggered by timer.` and `Triggered X_ANY::ExecuteAsync()` (one "
      "stamp, the worker's thread). Nothing public shows them in CMGatewaySyncUploadWorker.log or "
      "CMGatewayNotificationWorker.log: writing them there is the generator's assumption (next "
      "section).")
    w("- The real client shape of `client-history`'s CcmNotificationAgent files: component "
      "`BgbAgent`, bias `-60` written unpadded, `file=\"bgbconnector.cpp:386\"`. Its times keep three "
      "fractional digits, as the other samples' client logs: the reference does not say how many the "
      "real line has.")
    w("- History files with a date and time stamp in the name (documented in \"About log files\" "
      "for LogMaxHistory above 1), named as a real client Logs folder names them: "
      "`CcmNotificationAgent-YYYYMMDD-HHMMSS.log`; a folder holds, oldest first, the stamped files "
      "(by their stamp), `X.lo_`, `X.log`.\n")
    w("Synthetic stand-ins (not documented publicly):\n")
    w("- Where the lifecycle lines go: a log that starts with the service (`real-upload-late`, both "
      "logs of `real-notification`) opens with the three set-up lines and `Starting worker X_ANY...`; "
      "every run (each upload cycle, and in the notification worker each poll) begins with `Worker "
      "X_ANY was triggered by timer.` and `Triggered X_ANY::ExecuteAsync()`, 15 to 400 ms before "
      "its first `Batching` line or poll request. `real-upload-stalled` and `two-servers/site-ps2` "
      "start mid-stream, with no service start. The notification worker's trigger lines must not "
      "count as upload cycles: the component (and the file) names the worker.")
    w("- The four sub-millisecond digits of the seven-digit times: the generator keeps "
      "milliseconds and derives the last four digits from the time (so records written at one "
      "moment share one stamp, as in the real log); only the first three digits carry meaning.")
    w("- The client's neutral lines in `client-history` (keep-alive, connection and channel "
      "notices), every client line's `file=\"bgbconnector.cpp:386\"` (the one value seen; a real "
      "client writes other places' lines with other values), the client's thread ids, and that the "
      "history stamp is the client's local time at which the file was closed (which clock "
      "ConfigMgr uses for the stamp is not documented). The first rotation falls between the first "
      "action's receipt and its answer.")
    w("- The `[UploadFull_HelpdeskUpload]` tag on the first (full) sync cycle; Microsoft documents "
      "that the first sync is a full one but not how it is tagged.")
    w("- `Creating web request to: .../DevicePost Method: POST ...` and `Response from "
      ".../DevicePost is: 200 (OK)` in upload cycles, and the `[GetNotifications]` `Method: GET` "
      "request and `200 (OK)` response lines of notification polls: modelled on the documented "
      "`[OnboardScenario]` request line and the documented error responses.")
    w("- In the sync upload worker's own log the exception header names "
      "`[Warning][CMGatewaySyncUploadWorker][0]...` (the documented block, logged in "
      "GenericUploadWorker.log, names GenericUploadWorker).")
    w("- The network failures in `network-failure`: the documented WebException block shape "
      "with the standard .NET WebException messages (`The remote name could not be resolved: "
      "'...'`, `Unable to connect to the remote server`, `The operation has timed out`, `The "
      "proxy name could not be resolved: '...'`) and no `Response from` line.")
    w("- Every other line (schedules, SQL, tokens, payload sizes, settings, idle notices, "
      "multi-line query and payload dumps): neutral filler. Filler never contains the words "
      "Batching, Next run, Response, exception, error, fail, warn, authorized, critical, "
      "timeout, resolve, unable, proxy.")
    w("- Everything about devices in the `dp-*` samples: the inventory and cloud export files "
      "(their columns, names, resource IDs, thumbprints and times), and the device lines "
      "`Device NLDP-01 (ResourceID 16800101) excluded from delta set` and `... included in full set` "
      "of `dp-certificate-contradiction`. Microsoft documents the shared-certificate known issue, not "
      "any log line that names a device; the filler's `... included in delta set` lines are invented "
      "too.")
    w("- Which physical lines form one record: `Exception details:`, the "
      "`[Severity][Worker][0][Type][HRESULT]` header and the message line are one record spanning "
      "three lines; every other documented line is its own record (including `Response in the "
      "web exception: ...`).")
    w("- CMTrace `type` values: 1 for ordinary lines; 3 for non-2xx responses, `Response status "
      "code`, `[WebException]: Failed...`, `Unexpected exception...`, `Web exception when...`, "
      "`Response in the web exception...` and `Unauthorized to perform client action...`; the "
      "`Exception details` record is 2 under a `[Warning]` header and 3 under `[Critical]`.")
    w("- The component names `BgbServer` and `CcmNotificationAgent` (the service connection "
      "point logs of the older samples use `SMS_SERVICE_CONNECTOR`, as Microsoft's examples do), "
      "thread ids, batch sizes (full sync in batches of 250) and the timings.")
    w("- The BgbResponseMessage `TimeStamp` is the UTC time of its own record, and PushID/TaskID "
      "match the BgbServer.log push (the documented example shows different numbers), except for "
      "the second action of `action-completed`, whose response carries both one higher, as the "
      "documented example does.")
    w("- Every device action uses `TemplateID: RequestMachinePolicy` in the authorization line "
      "(the only template name the documentation shows) and `TemplateID: 1` in the forwarded line. "
      "How the notification worker spreads actions over threads is not documented: "
      "`action-interleaved` writes three actions on three threads, their lines interleaved; the "
      "other scenarios write each action on the notification thread. The pushes in "
      "`action-not-pushed` are for TaskGuids the notification worker never forwarded.\n")
    w("## Timing model\n")
    w("A cycle starts with its first `Batching` line and ends with its `Next run time` line. "
      "The announced next run is the local time of the `Next run time` line plus 15 minutes, "
      "truncated to the second; the next cycle starts 0.04 to 2.5 seconds after it (late cycles "
      "excepted; in the real shape the run's trigger lines come first, 0.04 to 2.5 seconds after "
      "it). Every log of a folder shares one bias, except in `action-completed`, where the "
      "management point (BgbServer.log, +300) and the client (CcmNotificationAgent.log, +360) are "
      "in other time zones than the service connection point (+480); the `real-*` folders have no "
      "bias at all (local clock), and `two-servers` has one clock per subfolder (`site-ps1` +480, "
      "`site-ps2` none), the two covering the same hours of local time. Except in `stalled` and "
      "`real-upload-stalled`, no file of a folder has a record later than a few minutes after the "
      "last `Next run time` line (`client-history` has no upload log).")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# verify: an independent reader of the written files (reference for the parser)

# the bias is optional: real service connection point lines have none (time="13:59:35.6721099")
CM_RE = re.compile(
    r'<!\[LOG\[(.*?)\]LOG\]!><time="(\d{1,2}):(\d{2}):(\d{2})\.(\d+)([+-]\d+)?" '
    r'date="(\d{1,2})-(\d{1,2})-(\d{4})" component="([^"]*)" context="[^"]*" '
    r'type="(\d)" thread="(\d+)" file="[^"]*">', re.S)
SIMPLE_RE = re.compile(
    r"^(.*?)  \$\$<([^>]*)><(\d{1,2})-(\d{1,2})-(\d{4}) (\d{1,2}):(\d{2}):(\d{2})\.(\d+)"
    r"([+-]\d+)><thread=(\d+) \(0x([0-9A-Fa-f]+)\)>$")


def decode(data):
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _mk(y, mo, d, h, mi, s, frac, bias):
    """(local, utc); utc is None when the line has no bias (its time is on the log's own clock).
    Seven fractional digits (100 ns ticks) are cut to microseconds."""
    t = _dt.datetime(y, mo, d, h, mi, s, int((frac + "000000")[:6]))
    return t, None if bias is None else t + _dt.timedelta(minutes=bias)


def read_records(data):
    """-> list of dicts with msg (lines joined by \\n), local, utc (None without a bias), bias
    (None without one), t (utc, or local when there is no bias), thread, type, component"""
    text = decode(data)
    recs = []
    if "<![LOG[" in text:
        pos = 0
        for m in CM_RE.finditer(text):
            if text[pos:m.start()].strip():
                raise AssertionError("junk between CMTrace records: %r" % text[pos:m.start()][:80])
            pos = m.end()
            g = m.groups()
            bias = None if g[5] is None else int(g[5])
            local, utc = _mk(int(g[8]), int(g[6]), int(g[7]), int(g[1]), int(g[2]), int(g[3]), g[4], bias)
            msg = g[0].replace("\r\n", "\n")
            recs.append(dict(msg=msg, local=local, utc=utc, bias=bias, t=local if utc is None else utc,
                             thread=int(g[11]), type=int(g[10]), component=g[9]))
        if text[pos:].strip():
            raise AssertionError("junk after the last CMTrace record")
        return recs
    pending = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        line = line[:-1] if line.endswith("\r") else line
        m = SIMPLE_RE.match(line)
        if not m:
            pending.append(line)
            continue
        g = m.groups()
        if int(g[10]) != int(g[11], 16):
            raise AssertionError("thread hex does not match: " + line)
        bias = int(g[9])
        local, utc = _mk(int(g[4]), int(g[2]), int(g[3]), int(g[5]), int(g[6]), int(g[7]), g[8], bias)
        msg = "\n".join(pending + [g[0]])
        pending = []
        recs.append(dict(msg=msg, local=local, utc=utc, bias=bias, t=utc, thread=int(g[10]), type=None,
                         component=g[1]))
    if pending:
        raise AssertionError("continuation lines without a trailer at the end")
    return recs


NEXT_RE = re.compile(r"^Next run time will be at approximately: (.+)$")
DATE_RE = re.compile(r"^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4}) (\d{1,2}):(\d{2}):(\d{2})(?: ([AP]M))?$")


def parse_next_run(text, line_local):
    """Culture-independent: try every day/month order, keep the one ~15 min after the line."""
    m = DATE_RE.match(text.strip())
    if not m:
        return None
    a, sep, b, c, hh, mi, ss, ampm = m.groups()
    hh = int(hh)
    if ampm:
        hh = hh % 12 + (12 if ampm == "PM" else 0)
    cands = []
    if len(a) == 4:
        orders = [(int(a), int(b), int(c))]
    else:
        orders = [(int(c), int(a), int(b)), (int(c), int(b), int(a))]  # M/D, D/M
    for y, mo, d in orders:
        try:
            cands.append(_dt.datetime(y, mo, d, hh, int(mi), int(ss)))
        except ValueError:
            pass
    want = line_local + INTERVAL
    cands = [x for x in cands if abs(x - want) <= _dt.timedelta(hours=2)]
    return min(cands, key=lambda x: abs(x - want)) if cands else None


LOG_NAME_RE = re.compile(r"^(.+?)(?:-(\d{8}-\d{6}))?\.(log|lo_)$", re.I)


def history_order(names):
    """{base: [file names, oldest first]}: a log's stamped history files X-YYYYMMDD-HHMMSS.log by
    their stamp, then X.lo_, then X.log."""
    by_base = {}
    for n in names:
        m = LOG_NAME_RE.match(n)
        if m:
            by_base.setdefault(m.group(1), []).append((m.group(2) or "", m.group(3).lower(), n))
    rank = lambda x: (0, x[0]) if x[0] else ((1, "") if x[1] == "lo_" else (2, ""))
    return {base: [n for *_, n in sorted(v, key=rank)] for base, v in by_base.items()}


def read_stream(folder, base, names):
    """One log's records over its history files, with checks of the history itself."""
    recs, prev_last = [], None
    for n in names:
        with open(os.path.join(folder, n), "rb") as f:
            part = read_records(f.read())
        if not part:
            raise AssertionError("%s: no records" % n)
        stamp = LOG_NAME_RE.match(n).group(2)
        if stamp:
            # a history file is stamped when it was closed: at or after its own last record (to the
            # second), on the writing machine's local clock; the next file starts at that second
            closed = _dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S")
            if trunc_sec(part[-1]["local"]) > closed:
                raise AssertionError("%s: records after the stamp" % n)
        if prev_last is not None and trunc_sec(part[0]["local"]) < prev_last:
            raise AssertionError("%s: starts before the file it follows was closed" % n)
        prev_last = closed if stamp else None
        recs += part
    for r in recs:
        # SMS_SERVICE_CONNECTOR_<Worker> names the worker that wrote the record
        c = r["component"]
        if c.startswith(SCP_COMPONENT + "_") and c[len(SCP_COMPONENT) + 1:] != base:
            raise AssertionError("%s: a record of component %s" % (base, c))
    for r0, r1 in zip(recs, recs[1:]):
        if r1["t"] < r0["t"]:
            raise AssertionError("%s: time goes back" % base)
    return recs


def server_folders(folder):
    """The subfolders that hold logs, when the folder itself holds none (logs of several servers)."""
    names = os.listdir(folder)
    if any(LOG_NAME_RE.match(n) and os.path.isfile(os.path.join(folder, n)) for n in names):
        return None
    subs = sorted(n for n in names if os.path.isdir(os.path.join(folder, n))
                  and any(LOG_NAME_RE.match(x) for x in os.listdir(os.path.join(folder, n))))
    return subs or None


def analyse(folder):
    subs = server_folders(folder)
    if subs:
        # one server per subfolder: separate clocks and separate upload workers, never one timeline
        servers = []
        for sub in subs:
            got = analyse(os.path.join(folder, sub))
            if got.get("actions") is None:
                got.pop("actions", None)
            servers.append(dict([("server", sub)] + list(got.items())))
        return {
            "verdict": max((x["verdict"] for x in servers), key=VERDICT_RANK.get),
            "findingIds": sorted(set(f for x in servers for f in x["findingIds"])),
            "cycles": sum(x["cycles"] for x in servers),
            "uploadedRecords": sum(x["uploadedRecords"] for x in servers),
            "servers": servers,
        }
    names = sorted(n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n)))
    streams = {base: read_stream(folder, base, ns) for base, ns in history_order(names).items()}
    all_recs = [r for rs in streams.values() for r in rs]
    # one clock per folder: UTC when every line has a bias, the local clock when none has
    biased = {r["bias"] is not None for r in all_recs}
    if len(biased) > 1:
        raise AssertionError("lines with and without a bias in one folder")
    clock = "local" if biased == {False} else "utc"
    findings = set()
    cycles = []           # [start_utc, announced_utc or None]
    uploaded = 0
    up = streams.get("CMGatewaySyncUploadWorker")
    in_cycle = False
    for r in up or []:
        msg = r["msg"]
        m = re.match(r"^Batching (\d+) records$", msg)
        if m:
            uploaded += int(m.group(1))
            if not in_cycle:
                cycles.append([r["t"], None])
                in_cycle = True
            continue
        m = NEXT_RE.match(msg)
        if m:
            nr = parse_next_run(m.group(1), r["local"])
            if nr is None:
                raise AssertionError("cannot place next run %r" % m.group(1))
            if not in_cycle:
                cycles.append([r["t"], None])
            cycles[-1][1] = nr + _dt.timedelta(minutes=r["bias"] or 0)
            in_cycle = False
    for rs in streams.values():
        for r in rs:
            msg = r["msg"]
            if re.search(r"Response from \S+/DevicePost is: 401", msg):
                findings.add("upload-unauthorized")
            elif re.search(r"Response from \S+/AccountOnboardingInfo is: 400", msg):
                findings.add("onboarding-rejected")
            elif re.search(r"Response from \S+/Notification is: 401", msg):
                findings.add("notification-unauthorized")
            elif msg.startswith("Unauthorized to perform client action."):
                findings.add("action-unauthorized")
            elif msg.startswith("Exception details:"):
                if re.search(r"could not be resolved|Unable to connect|timed out", msg):
                    findings.add("service-unreachable")
                elif not re.search(r"returned an error: \((401|400)\)", msg):
                    findings.add("upload-exception")
    if up is not None and not cycles:
        findings.add("no-sync-activity")
    for (s0, n0), (s1, _) in zip(cycles, cycles[1:]):
        if n0 is not None and s1 - n0 > LATE_GRACE:
            findings.add("sync-late")
    at = max(r["t"] for r in all_recs) if all_recs else None
    actions = analyse_actions(streams, at)
    for a in actions or []:
        if a["outcome"] in ("not-forwarded", "not-delivered"):
            findings.add("action-" + a["outcome"])
    if cycles and cycles[-1][1] is not None and cycles[-1][1] + STALL_GRACE < at:
        findings.add("sync-stalled")
    if findings & ERROR_FINDINGS:
        verdict = "failing"
    elif findings & WARNING_FINDINGS:
        verdict = "degraded"
    elif cycles or actions:
        verdict = "healthy"
    else:
        verdict = "no-data"
    out = {"verdict": verdict, "findingIds": sorted(findings), "cycles": len(cycles),
           "uploadedRecords": uploaded, "clock": clock}
    stamp = "%Y-%m-%dT%H:%M:%S" + ("Z" if clock == "utc" else "")
    suffix = "Utc" if clock == "utc" else "Local"
    out["lastNextRun" + suffix] = cycles[-1][1].strftime(stamp) if cycles else None
    out["lastRecord" + suffix] = at.strftime(stamp) if at else None
    out["actions"] = actions
    return out


ACTION_GRACE = _dt.timedelta(minutes=10)


def analyse_actions(streams, at):
    """Device actions as [{"taskGuid", "outcome"}], read independently of the Swift tracker and
    simpler than it: lines of one action share a thread (true of every sample), pushes and client
    receipts join by TaskGuid, a client response by PushID+TaskID, else the latest open receipt."""
    nf = streams.get("CMGatewayNotificationWorker")
    if nf is None:
        return None
    actions, by_thread = [], {}
    for r in sorted(nf, key=lambda r: r["t"]):
        msg, th = r["msg"], r["thread"]
        if msg.startswith("Received new notification."):
            by_thread[th] = a = {"received": r["t"], "guid": None, "auth": None, "fwd": None}
            actions.append(a)
        elif th in by_thread and msg.startswith(("Authorized to perform", "Unauthorized to perform")):
            by_thread[th]["auth"] = msg.startswith("Authorized")
        elif th in by_thread and msg.startswith("Forwarded BGB remote task."):
            by_thread[th]["guid"] = re.search(r"TaskGuid: (\S+)", msg).group(1)
            by_thread[th]["fwd"] = r["t"]
    bgb = streams.get("BgbServer")
    pushed = {m.group(1).lower() for r in bgb or []
              for m in [re.search(r"Starting to send push task .*TaskGUID: (\S+)", r["msg"])] if m}
    bgb_end = max((r["t"] for r in bgb), default=None) if bgb else None
    received, answered, open_receipts = set(), set(), []
    for r in sorted(streams.get("CcmNotificationAgent") or [], key=lambda r: r["t"]):
        m = re.search(r"pushid=(\d+), taskid=(\d+), taskguid=(\S+),", r["msg"])
        if m:
            open_receipts.append((m.group(1), m.group(2), m.group(3).lower()))
            received.add(m.group(3).lower())
            continue
        m = re.search(r"<PushID>(\d+)</PushID><TaskID>(\d+)</TaskID>", r["msg"])
        if m and open_receipts:
            same = [x for x in open_receipts if x[:2] == m.groups()]
            hit = same[-1] if same else open_receipts[-1]
            open_receipts.remove(hit)
            answered.add(hit[2])
    out = []
    for a in actions:
        guid = (a["guid"] or "").lower()
        if a["auth"] is False:
            outcome = "unauthorized"
        elif a["guid"] is None:
            outcome = "not-forwarded" if at - a["received"] >= ACTION_GRACE else "pending"
        elif guid in answered:
            outcome = "completed"
        elif guid in pushed or guid in received:
            outcome = "pushed"
        elif bgb is not None and bgb_end >= a["fwd"] + ACTION_GRACE and at >= a["fwd"] + ACTION_GRACE:
            outcome = "not-delivered"
        else:
            outcome = "forwarded"
        out.append({"taskGuid": a["guid"], "outcome": outcome})
    return out


def verify(args):
    bad = 0
    for name in sorted(os.listdir(args.dir)):
        d = os.path.join(args.dir, name)
        ej = os.path.join(d, "expected.json")
        if not os.path.isfile(ej):
            continue
        with open(ej, encoding="utf-8") as f:
            exp = json.load(f)
        if exp.get("args"):
            print("%-20s skipped (has args)" % name)
            continue
        try:
            got = analyse(d)
        except AssertionError as e:
            print("%-20s UNREADABLE: %s" % (name, e))
            bad += 1
            continue
        if "actions" not in exp:
            got.pop("actions", None)   # older scenarios do not list their actions
        if "clock" not in exp and got.get("clock") == "utc":
            got.pop("clock")           # older scenarios are on UTC without saying so
        diffs = [k for k in got if exp.get(k) != got[k]]
        # and nothing expected that the reader did not find (a lastNextRunUtc on a local log, say)
        diffs += [k for k in exp if k not in got and k not in ("description", "args")]
        print("%-20s %s%s" % (name, "ok" if not diffs else "MISMATCH ",
                              "" if not diffs else {k: (exp.get(k), got.get(k)) for k in diffs}))
        bad += bool(diffs)
    return 1 if bad else 0


# --------------------------------------------------------------------------


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="one large upload (or notification) worker log for speed tests")
    b.add_argument("--format", choices=BENCH_FORMATS, default="cmtrace",
                   help="cmtrace, simple, or scp: CMTrace as real service connection points write it "
                        "(seven fractional digits, no bias, the worker in the component)")
    b.add_argument("--density", choices=("dense", "sparse"), default="dense",
                   help="dense (default): a cycle every 15 minutes with its handful of lines, as real "
                        "logs; sparse: the first bench file, a cycle per ~0.5 MB of neutral lines")
    b.add_argument("--log", choices=("upload", "notification"), default="upload",
                   help="dense only: CMGatewaySyncUploadWorker (default) or CMGatewayNotificationWorker")
    b.add_argument("--size", type=parse_size, default=parse_size("100M"),
                   help="stop right after crossing this size; K/M/G suffixes are powers of 1024")
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--bias", type=parse_bias, default=480, help="e.g. +480 (default), -060")
    b.add_argument("--culture", choices=CULTURES, default="en-US",
                   help="date format of the Next run time lines")
    b.add_argument("--start", default="2020-02-28T08:00:00", help="local start time")
    b.add_argument("--eol", choices=("crlf", "lf"), default="crlf")
    b.add_argument("-o", "--output", required=True, help="file to write, - for stdout")
    s = sub.add_parser("samples", help="(re)write every sample scenario")
    s.add_argument("-o", "--output", default="SampleLogs")
    v = sub.add_parser("verify", help="re-read the samples and check their expected.json")
    v.add_argument("dir", nargs="?", default="SampleLogs")
    a = p.parse_args(argv)
    if a.cmd == "bench":
        bench(a)
        return 0
    if a.cmd == "samples":
        samples(a)
        return 0
    return verify(a)


if __name__ == "__main__":
    sys.exit(main())
