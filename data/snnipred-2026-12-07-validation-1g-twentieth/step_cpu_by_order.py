#!/usr/bin/env python3
"""Measured online thread CPU of HE steps (conv, fc, bn; a truncation joins the step before it)
and comparisons (ReLU, max pool) against the physical model's, by the step's order in its run
(#1, #2, #3 and later) and by its predicted CPU (ms): the median ratio and the median excess.
Usage: step_cpu_by_order.py BINARY STORE MACHINE.json NETWORKS.jsonl SETTING BANDWIDTH_MBIT RTT_MS"""
import collections, json, os, sqlite3, statistics, subprocess, sys, tempfile
binary, store, machine, networks, setting, bandwidth, rtt = sys.argv[1:8]
db = sqlite3.connect(store); nets = {}
for line in open(networks):
    s = json.loads(line); nets[s["name"]] = s["network"]
work = tempfile.mkdtemp(); cache = {}
pts = collections.defaultdict(list)
for run_id, name in db.execute("select id, network from runs where setting=? order by id", (setting,)).fetchall():
    if name not in cache:
        path = os.path.join(work, name + ".json"); json.dump(nets[name], open(path, "w"))
        cache[name] = json.loads(subprocess.run([binary, "predict", path, "--method", "physical", "--machine", machine, "--bandwidth", bandwidth, "--rtt", rtt, "--json"], check=True, capture_output=True, text=True).stdout)
    steps = [s for s in cache[name]["steps"] if s["phase"] == "online" and "physical" in s.get("predictions", {})]
    for party in ("client", "server"):
        merged = []
        for step, cpu, wall in db.execute("select step, cpu_s, wall_s from spans where run=? and party=? and phase='online' order by ord", (run_id, party)):
            if step in ('local', 'reveal'): continue
            if step == "trunc" and merged and merged[-1][0] != "trunc": merged[-1][1] += cpu
            else: merged.append([step, cpu])
        seen=set(); idx=collections.Counter()
        for st, (_, cpu) in zip(steps, merged):
            k = st["kind"]; g = {"relu":"cmp","maxpool":"cmp","conv":"he","fc":"he","bn":"he"}.get(k)
            if not g: continue
            idx[g]+=1
            pc = st["predictions"]["physical"][party+"_cpu_ms"]
            pts[(g, party, min(idx[g],3))].append((pc, cpu*1e3))
for key in sorted(pts):
    v = pts[key]
    for lo, hi in ((0,5),(5,20),(20,60),(60,1e9)):
        sel = [(p,m) for p,m in v if lo<=p<hi]
        if len(sel)<3: continue
        r = [m/p for p,m in sel if p > 0]; d=[m-p for p,m in sel]
        print(f"{key[0]} {key[1]:6} #{key[2]}{'+' if key[2]==3 else ' '} pred {lo:>3}-{hi:<5} n={len(sel):3}  ratio med {statistics.median(r):.2f}  excess med {statistics.median(d):+.1f} ms")
