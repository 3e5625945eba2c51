#!/usr/bin/env python3
"""Held-out zoo runs against `snnipred predict` (every method) for a bundle and a machine profile.
Usage: score_zoo.py BINARY BUNDLE MACHINE|- HOLDOUT_NETWORKS_JSONL"""
import json, subprocess, sys
binary, bundle, machine, holdout = sys.argv[1:5]
print("| network | link | party | measured s | analytical | nn | lstm | physical |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
worst = {}
for line in open(holdout):
    if not line.strip(): continue
    s = json.loads(line)
    cmd = [binary, "predict", "zoo:" + s["name"], "--setting", s["setting"], "--method", "analytical,nn,lstm,physical",
           "--json", "--predictor", bundle]
    if machine != "-": cmd += ["--machine", machine]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    for party in ("client", "server"):
        measured = s[party + "_ms"]
        cells = []
        for method in ("analytical", "nn", "lstm", "physical"):
            p = out["totals"][method][party + "_ms"]
            e = 100 * (p / measured - 1)
            worst[method] = max(worst.get(method, 0), abs(e))
            cells.append(f"{p/1000:.1f} ({e:+.1f} %)")
        print(f"| {s['name']} | {s['setting']} | {party} | {measured/1000:.1f} | " + " | ".join(cells) + " |")
print("worst |error| per method: " + ", ".join(f"{m} {w:.1f} %" for m, w in worst.items()))
