#!/usr/bin/env python3
"""Scores the physical method on these runs, per whole network and per ReLU/max-pool step
grouped by whether the plan puts a Ferret refill in the step. Usage, from the repository:

  data/snnipred-2026-12-07-rounding/refill-validation/score_steps.py BINARY MACHINE.json
"""
import collections, json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OPTS = ("--he cheetah --truncation approximate --ot ferret --fold-batchnorm --fold-preactivation "
        "--conv-packing dense --relu-after-pool").split()
binary, machine = sys.argv[1], sys.argv[2]
groups = collections.defaultdict(list)
for bw, rtt in [(200, 20), (100, 50), (1000, 2)]:
    for net in ["squeezenet1_0", "resnet18"]:
        base = os.path.join(HERE, f"{net}-{bw}-{rtt}")
        out = subprocess.run([binary, "predict", f"zoo:{net}", *OPTS, "--method", "physical", "--machine", machine,
                              "--bandwidth", str(bw), "--rtt", str(rtt), "--json"], capture_output=True, text=True,
                             check=True).stdout
        plan = json.loads(out)
        run = json.load(open(base + ".run.json"))
        measured = run["parties"]["client"]["online"]["wall_s"]
        predicted = plan["totals"]["physical"]["client"]["online_ms"] / 1e3
        print(f"{net} {bw}/{rtt}: client online {measured:.1f} s measured, {predicted:.1f} s predicted "
              f"({100 * (predicted / measured - 1):+.1f} %)")
        steps = {(s["layer"], s["kind"]): s for s in plan["steps"] if s["phase"] == "online"}
        for span in json.load(open(base + ".trace.json"))["spans"]:
            key = (span["layer"], span["step"])
            if span["party"] != "client" or span["phase"] != "online" or key[1] not in ("relu", "maxpool"):
                continue
            step = steps[key]
            refills = step["raw"].get("cot_refills", 0) > 0
            error = step["predictions"]["physical"]["client_ms"] / 1e3 / span["wall_s"] - 1
            groups[(f"{bw}/{rtt}", refills)].append(100 * error)
for (link, refills), errors in sorted(groups.items()):
    print(f"{link} {'with refills' if refills else 'no refill':12s} {len(errors):3d} steps, "
          f"median error {statistics.median(errors):+.1f} %")
