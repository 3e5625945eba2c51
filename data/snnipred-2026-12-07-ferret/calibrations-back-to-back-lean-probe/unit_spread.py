#!/usr/bin/env python3
"""Per-unit median and min/max (as multiples of the median) over the machine profiles of one
set of calibrations, against another set. Usage: unit_spread.py OLD_DIR NEW_DIR"""
import glob, json, statistics, sys

def spread(directory):
    profiles = [json.load(open(f))["unit_costs"] for f in sorted(glob.glob(directory + "/cal-*.json"))]
    out = {}
    for unit in profiles[0]:
        for field in ("seconds", "sender_seconds", "receiver_seconds"):
            values = [p[unit][field] for p in profiles if unit in p and field in p[unit]]
            if values and statistics.median(values) > 0:
                m = statistics.median(values)
                out[(unit, field)] = (m, min(values) / m, max(values) / m)
    return out

old, new = spread(sys.argv[1]), spread(sys.argv[2])
print(f"{'unit':24} {'field':17} {'old median':>11} {'old range':>11} {'new median':>11} {'new range':>11}")
for key in sorted(old):
    if key in new:
        o, n = old[key], new[key]
        print(f"{key[0]:24} {key[1]:17} {o[0]:11.3g} {o[1]:5.2f}-{o[2]:<5.2f} {n[0]:11.3g} {n[1]:5.2f}-{n[2]:<5.2f}")
