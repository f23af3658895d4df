#!/usr/bin/env python3
"""Writes a large synthetic inventory and cloud export for measuring `review --inventory`
(issue 14, item 7): ROWS devices, one in 1,000 a distribution point (a third of those
sharing one certificate), one in MISSING (default 50) missing from the cloud export, day-first dates
(`28/03/2021 09:00`, as European exports write them), a few malformed rows.

    scripts/gen-device-files.py /tmp/devices 1000000 [MISSING]
    cmlogcheck review SampleLogs/dp-shared-certificate \\
        --inventory /tmp/devices/inventory.csv --cloud /tmp/devices/cloud.csv
"""
import hashlib
import os
import random
import sys

def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/devices"
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    missing = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(14)
    def thumb(seed):
        return hashlib.sha1(str(seed).encode()).hexdigest().upper()
    with open(os.path.join(folder, "inventory.csv"), "w", newline="") as inv, \
         open(os.path.join(folder, "cloud.csv"), "w", newline="") as cloud:
        inv.write("Name,Resource ID,Is Distribution Point,Client Certificate Thumbprint,"
                  "DP Certificate Thumbprint,Last Change,Client\r\n")
        cloud.write("Device name,Managed by,OS\r\n")
        for n in range(rows):
            name = f"DEV-{n:07d}.contoso.com" if n % 7 == 0 else f"DEV-{n:07d}"
            dp = n % 1000 == 0
            client = thumb(n)
            dpprint = (client if n % 3000 == 0 else thumb(-n)) if dp else ""
            day, month = rng.randint(1, 28), rng.randint(1, 3)
            change = f"{day:02d}/{month:02d}/2021 {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
            if n % 100_000 == 99_999:
                inv.write(f"{name},{16_800_000 + n},maybe,{client},,{change},Yes\r\n")   # malformed
            else:
                inv.write(f"{name},{16_800_000 + n},{'Yes' if dp else 'No'},{client},{dpprint},{change},Yes\r\n")
            if n % missing != 0:
                cloud.write(f"{name.split('.')[0] if n % 2 else name},ConfigMgr,Windows\r\n")

if __name__ == "__main__":
    main()
