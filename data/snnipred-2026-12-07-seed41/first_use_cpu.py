#!/usr/bin/env python3
"""Measured online CPU per step of a store's runs against the physical model's, split into
each run's first HE step (conv, fc, bn), its first comparison (ReLU, max pool) and the later
ones. A truncation span is added to the product before it, as the lowering fuses them.
A campaign store's runs, not fresh ones: bench/first_step.py measures the first OT step of
fresh `snnipred run` processes, bench/physical_validation.py their steps against the model.
Usage: first_use_cpu.py BINARY STORE MACHINE.json NETWORKS.jsonl SETTING BANDWIDTH_MBIT RTT_MS"""
import collections, json, os, sqlite3, statistics, subprocess, sys, tempfile
binary, store, machine, networks, setting, bandwidth, rtt = sys.argv[1:8]
db = sqlite3.connect(store)
nets = {}
for line in open(networks):
    sample = json.loads(line)
    nets[sample["name"]] = sample["network"]
first, later = collections.defaultdict(list), collections.defaultdict(list)
work = tempfile.mkdtemp()
for run_id, name in db.execute("select id, network from runs where setting=? order by id", (setting,)).fetchall():
    path = os.path.join(work, name + ".json")
    json.dump(nets[name], open(path, "w"))
    out = json.loads(subprocess.run([binary, "predict", path, "--method", "physical", "--machine", machine,
                                     "--bandwidth", bandwidth, "--rtt", rtt, "--json"],
                                    check=True, capture_output=True, text=True).stdout)
    steps = [s for s in out["steps"] if s["phase"] == "online" and "physical" in s.get("predictions", {})]
    for party in ("client", "server"):
        merged = []
        for step, cpu in db.execute("select step, cpu_s from spans where run=? and party=? and phase='online' "
                                    "and step not in ('local', 'reveal') order by ord", (run_id, party)):
            if step == "trunc" and merged and merged[-1][0] != "trunc": merged[-1][1] += cpu
            else: merged.append([step, cpu])
        if len(merged) != len(steps): sys.exit(f"{name} {party}: {len(merged)} spans, {len(steps)} predicted steps")
        seen = set()
        for step, (_, cpu) in zip(steps, merged):
            group = {"relu": "comparison", "maxpool": "comparison", "conv": "HE", "fc": "HE", "bn": "HE"}.get(step["kind"])
            if group is None: continue
            measured, predicted = 1e3 * cpu, step["predictions"]["physical"][party + "_cpu_ms"]
            if group not in seen:
                seen.add(group); first[(group, party)].append(measured - predicted)
            elif predicted > 2: later[(group, party)].append(measured / predicted)
q = lambda v, f: sorted(v)[int(f * (len(v) - 1))]
for key, v in sorted(first.items()):
    print(f"first {key[0]:<10} {key[1]:<6} measured - predicted CPU ms: median {statistics.median(v):.1f} (10th-90th {q(v, .1):.1f} .. {q(v, .9):.1f}), {len(v)} runs")
for key, v in sorted(later.items()):
    print(f"later {key[0]:<10} {key[1]:<6} measured / predicted CPU: median {statistics.median(v):.2f} (10th-90th {q(v, .1):.2f} .. {q(v, .9):.2f}), {len(v)} steps over 2 ms")
