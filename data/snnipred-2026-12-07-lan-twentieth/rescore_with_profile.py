#!/usr/bin/env python3
"""Copies a store and replaces its campaign's machine profile: with one profile, by that
profile; with two, by the geometric mean of their unit costs (the first's other fields).
Then score_runs.py can score the runs under it.
Usage: rescore_with_profile.py STORE OUT_STORE PROFILE [PROFILE2]"""
import json, math, shutil, sqlite3, sys

def geometric_mean(x, y):
    if isinstance(x, dict): return {k: geometric_mean(v, y[k]) if k in y else v for k, v in x.items()}
    if isinstance(x, float) and isinstance(y, float) and x > 0 and y > 0: return math.sqrt(x * y)
    return x

store, out, first = sys.argv[1:4]
profile = json.load(open(first))
if len(sys.argv) > 4:
    profile["unit_costs"] = geometric_mean(profile["unit_costs"], json.load(open(sys.argv[4]))["unit_costs"])
shutil.copy(store, out)
db = sqlite3.connect(out)
db.execute("update machines set profile_json=?", (json.dumps(profile),))
db.commit()
