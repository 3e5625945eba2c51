#!/usr/bin/env python3
"""Validates the physical method (predict --method physical) against real secure runs.

For each network and link it runs `snnipred run MODEL --json --trace T` (both parties on
this machine) and `snnipred predict MODEL --method physical --json` with the same engine
options and link, then prints per party: the measured and predicted online time, the
whole-network error, and per layer (a product with its truncation is one layer, as
predict reports it) the median absolute error over layers that take at least 1 % of the
run, and the online CPU seconds per party measured and predicted. Usage:

  bench/physical_validation.py [--binary build/snnipred] [--machine FILE] [--repeats R]
                               [--link none,lan] zoo:squeezenet1_1@32 zoo:resnet18@32 ...

The runs of a network repeat R times (default 3), interleaved with the other networks;
the measured figure is the median. Options: --he cheetah --truncation approximate --ot iknp.
--trained analytical,nn,lstm also prints the whole-network error of the bundle's methods
(`predict --machine` moves them to the profile's machine; LAN and WAN links only).
--baseline-binary B [--baseline-machine F] adds the whole-network error of another build's
physical method (e.g. the previous release with its own profile) against the same runs.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict

PARTIES = ("client", "server")


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def measured(args, model, link):
    """Online wall seconds per party and per layer, from one `run --trace`."""
    with tempfile.TemporaryDirectory() as tmp:
        trace_file = os.path.join(tmp, "trace.json")
        cmd = [args.binary, "run", model, "--json", "--net", link, "--he", args.he, "--truncation",
               args.truncation, "--ot", args.ot, "--trace", trace_file]
        doc = run_json(cmd)
        with open(trace_file) as f:
            trace = json.load(f)
    online = {p: doc["parties"][p]["online"]["wall_s"] for p in PARTIES}
    cpu = {p: doc["parties"][p]["online"]["cpu_s"] for p in PARTIES}
    layers = {p: defaultdict(float) for p in PARTIES}
    for span in trace["spans"]:
        if span["phase"] == "online" and span["step"] not in ("local", "reveal"):
            layers[span["party"]][span["layer"]] += span["wall_s"]
    return online, layers, cpu


def predict_cmd(args, model, setting, method, binary=None, machine=None):
    """`snnipred predict` with the script's engine options and machine profile."""
    cmd = [binary or args.binary, "predict", model, "--method", method, "--json", "--setting", setting, "--he",
           args.he, "--truncation", args.truncation, "--ot", args.ot]
    if machine or args.machine:
        cmd += ["--machine", machine or args.machine]
    return cmd


def predicted(args, model, link, binary=None, machine=None):
    cmd = predict_cmd(args, model, link, "physical", binary, machine)
    doc = run_json(cmd)
    totals = doc["totals"]["physical"]
    online = {p: totals[f"{p}_ms"] / 1e3 for p in PARTIES}
    cpu = {p: totals[f"{p}_cpu_ms"] / 1e3 for p in PARTIES}
    layers = {p: defaultdict(float) for p in PARTIES}
    for step in doc["steps"]:
        for p in PARTIES:
            layers[p][step["layer"]] += step["predictions"]["physical"][f"{p}_ms"] / 1e3
    return online, layers, cpu, totals["t_pred_us"], doc["machine_profile"]["note"]


def trained(args, model, link):
    """Online seconds per party of each of args.trained's methods, moved to args.machine."""
    doc = run_json(predict_cmd(args, model, link.upper(), args.trained))
    totals = {name: {p: doc["totals"][name][f"{p}_ms"] / 1e3 for p in PARTIES} for name in args.trained.split(",")}
    return totals, doc["engine"].get("machine", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+")
    parser.add_argument("--binary", default="build/snnipred")
    parser.add_argument("--machine")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--link", default="none,lan")
    parser.add_argument("--he", default="cheetah")
    parser.add_argument("--truncation", default="approximate")
    parser.add_argument("--ot", default="iknp")
    parser.add_argument("--trained", help="bundle methods to score too, e.g. analytical,nn,lstm")
    parser.add_argument("--baseline-binary")
    parser.add_argument("--baseline-machine")
    args = parser.parse_args()

    links = args.link.split(",")
    runs = defaultdict(list)
    for _ in range(args.repeats):
        for link in links:
            for model in args.models:
                runs[(model, link)].append(measured(args, model, link))
    print(f"{'network':<26} {'link':<5} {'party':<7} {'measured s':>11} {'physical s':>11} {'error':>8} "
          f"{'layer MdAPE':>12} {'layers':>7} {'CPU meas s':>11} {'CPU phys s':>11} {'CPU error':>10}")
    for link in links:
        for model in args.models:
            samples = runs[(model, link)]
            pred_online, pred_layers, pred_cpu, t_pred_us, note = predicted(args, model, link)
            for p in PARTIES:
                online = statistics.median(s[0][p] for s in samples)
                layer_names = samples[0][1][p].keys()
                errors = []
                for name in layer_names:
                    meas = statistics.median(s[1][p][name] for s in samples)
                    if meas >= 0.01 * online and name in pred_layers[p]:
                        errors.append(abs(pred_layers[p][name] - meas) / meas)
                mdape = statistics.median(errors) * 100 if errors else float("nan")
                cpu = statistics.median(s[2][p] for s in samples)
                print(f"{model:<26} {link:<5} {p:<7} {online:>11.3f} {pred_online[p]:>11.3f} "
                      f"{(pred_online[p] - online) / online * 100:>+7.1f}% {mdape:>11.1f}% {len(errors):>7} "
                      f"{cpu:>11.3f} {pred_cpu[p]:>11.3f} {(pred_cpu[p] - cpu) / cpu * 100:>+9.1f}%")
            print(f"{'':<26} t_pred {t_pred_us:.0f} us; {note}")
            if args.trained and link.lower() in ("lan", "wan"):
                totals, machine = trained(args, model, link)
                for name, by_party in totals.items():
                    errors = []
                    for p in PARTIES:
                        online = statistics.median(s[0][p] for s in samples)
                        errors.append(f"{p} {by_party[p]:.3f} s ({(by_party[p] - online) / online * 100:+.1f}%)")
                    print(f"{'':<26} {name:<10} " + ", ".join(errors))
                print(f"{'':<26} trained methods' machine: {machine}")
            if args.baseline_binary:
                base_online = predicted(args, model, link, args.baseline_binary, args.baseline_machine)[0]
                for p in PARTIES:
                    online = statistics.median(s[0][p] for s in samples)
                    print(f"{'':<26} baseline {p:<7} physical {base_online[p]:.3f} s, "
                          f"error {(base_online[p] - online) / online * 100:+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
