#!/usr/bin/env python3
"""Median over a network's runs of each error in a score_runs.py table (stdin)."""
import re, statistics, sys
rows = {}
for line in sys.stdin:
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells) != 9 or not cells[2][0].isdigit(): continue
    nums = [[float(x) for x in re.findall(r'[-+]?\d+\.\d+', c)] for c in cells[2:]]
    rows.setdefault(cells[0], []).append(nums)
for net, runs in rows.items():
    med = [[statistics.median(r[i][j] for r in runs) for j in range(len(runs[0][i]))] for i in range(len(runs[0]))]
    print(f"| {net} | {len(runs)} | {med[0][0]:.1f} | " + " | ".join(" / ".join(f"{v:+.1f}" for v in m) + " %" for m in med[1:5])
          + f" | {med[5][0]:.1f} / {med[5][1]:.1f} | " + " / ".join(f"{v:+.1f}" for v in med[6]) + " % |")
