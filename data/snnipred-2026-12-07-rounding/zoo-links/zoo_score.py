#!/usr/bin/env python3
"""Issue 17's check: the physical method against the fresh runs of zoo_links.sh.
Usage: zoo_score.py DIR BINARY MACHINE.json  -> one table row per network and link."""
import json, os, subprocess, sys
D, B, M = sys.argv[1:4]
OPTS = ("--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation "
        "--conv-packing dense --relu-after-pool").split()
for net in ["squeezenet1_1", "resnet50", "densenet121"]:
    for bw, rtt in [(1000, 2), (200, 20), (100, 50), (50, 100)]:
        f = os.path.join(D, f"{net}-{bw}-{rtt}.run.json")
        if not os.path.exists(f) or os.path.getsize(f) == 0:
            continue
        r = json.load(open(f))
        p = json.loads(subprocess.run([B, "predict", f"zoo:{net}", *OPTS, "--method", "physical", "--machine", M,
                                       "--bandwidth", str(bw), "--rtt", str(rtt), "--json"],
                                      capture_output=True, text=True, check=True, cwd=os.getcwd()).stdout)
        t = p["totals"]["physical"]
        on = {q: r["parties"][q]["online"] for q in ("client", "server")}
        e = {q: 100 * (t[q]["online_ms"] / 1e3 / on[q]["wall_s"] - 1) for q in on}
        c = {q: 100 * (t[q]["online_cpu_ms"] / 1e3 / on[q]["cpu_s"] - 1) for q in on}
        print(f"| {net} | {bw} Mbit/s, {rtt} ms | {on['client']['wall_s']:.1f} / {on['server']['wall_s']:.1f} | "
              f"{t['client']['online_ms']/1e3:.1f} / {t['server']['online_ms']/1e3:.1f} | "
              f"{e['client']:+.1f} / {e['server']:+.1f} % | {on['client']['cpu_s']:.1f} / {on['server']['cpu_s']:.1f} | "
              f"{t['client']['online_cpu_ms']/1e3:.1f} / {t['server']['online_cpu_ms']/1e3:.1f} | "
              f"{c['client']:+.1f} / {c['server']:+.1f} % | {r['parties']['client']['plan_mismatches'] + r['parties']['server']['plan_mismatches']} |")
