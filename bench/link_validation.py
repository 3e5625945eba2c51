#!/usr/bin/env python3
"""Scores a method on links it never saw: a campaign's measured networks against
`snnipred predict --method M --bandwidth B --rtt R` for each of its link settings.

The physical method (the default) is fitted to nothing: its unit costs come from `snnipred
calibrate` on this machine and its link terms from the plan's bytes and rounds, so every
network and link of the campaign is held out. A bundle's method (--method analytical, nn or
lstm) predicts for the bundle's setting whose RTT is nearest the link's (log scale; LAN
0.5 ms, WAN 10 ms) and is moved from it by the plan's bytes and rounds. Usage:

  snnipred profile --campaign campaigns/unseen-links.json --db links.sqlite
  snnipred export --db links.sqlite --out layers.csv --networks networks.jsonl
  bench/link_validation.py --campaign campaigns/unseen-links.json --networks networks.jsonl
                           [--method physical|analytical|nn|lstm] [--machine FILE]
                           [--binary build/snnipred] [--plot errors.png] [--json] [--jobs J]

Per setting and party it prints the share of networks predicted within +-10 % (nn-Meter's
metric), the median and mean absolute percentage error, and the worst network. Times are
the online phase of one party, as `snnipred run` reports them.
"""

import argparse
import concurrent.futures
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

PARTIES = ("client", "server")
WITHIN = 0.10


def load_samples(path):
    samples = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                samples.append(json.loads(line))
            except json.JSONDecodeError as error:
                sys.exit(f"{path}:{number}: not JSON: {error}")
    if not samples:
        sys.exit(f"{path}: no network samples")
    return samples


def link_of(campaign, path):
    """Setting name -> (bandwidth Mbit/s, RTT ms) of the campaign's explicit link settings."""
    links = {}
    for index, setting in enumerate(campaign["settings"]):
        if "bandwidth_mbit" not in setting or "rtt_ms" not in setting:
            sys.exit(f"{path}: settings[{index}] ('{setting['name']}') names no bandwidth_mbit and rtt_ms; "
                     "this script scores explicit links only")
        links[setting["name"]] = (setting["bandwidth_mbit"], setting["rtt_ms"])
    return links


TRAINED_RTT_MS = {"LAN": 0.5, "WAN": 10.0}


def nearest_setting(rtt_ms):
    return min(TRAINED_RTT_MS, key=lambda name: abs(math.log(rtt_ms / TRAINED_RTT_MS[name])))


def predict(args, engine, network, link):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(network, f)
        network_file = f.name
    try:
        cmd = [args.binary, "predict", network_file, "--method", args.method, "--json",
               "--bandwidth", str(link[0]), "--rtt", str(link[1]),
               "--he", engine.get("he", "cheetah"), "--truncation", engine.get("truncation", "approximate"),
               "--ot", engine.get("ot", "iknp")]  # a campaign without engine.ot ran IKNP
        if args.method != "physical":
            cmd += ["--setting", nearest_setting(link[1])]
        if args.machine:
            cmd += ["--machine", args.machine]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    finally:
        os.unlink(network_file)
    doc = json.loads(out.stdout)
    totals = doc["totals"][args.method]
    note = doc["machine_profile"]["note"] if args.method == "physical" else doc["engine"].get("machine", "")
    return {p: totals[f"{p}_ms"] for p in PARTIES}, note


def summarise(errors):
    absolute = [abs(e) for e in errors]
    return {"networks": len(errors), "within_10pct": sum(a <= WITHIN for a in absolute) / len(errors),
            "mdape": statistics.median(absolute), "mape": statistics.fmean(absolute),
            "mean_signed": statistics.fmean(errors), "worst": max(absolute)}


def plot(path, rows, links, method):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(links), figsize=(4 * len(links), 4), squeeze=False)
    for ax, setting in zip(axes[0], links):
        mine = [r for r in rows if r["setting"] == setting]
        measured = [r["measured_ms"]["client"] / 1e3 for r in mine]
        predicted = [r["predicted_ms"]["client"] / 1e3 for r in mine]
        top = max(measured + predicted) * 1.05
        ax.plot([0, top], [0, top], color="black", linewidth=0.8)
        ax.fill_between([0, top], [0, top * (1 - WITHIN)], [0, top * (1 + WITHIN)], color="grey", alpha=0.2)
        ax.scatter(measured, predicted, s=10)
        ax.set_title(f"{setting} ({links[setting][0]:g} Mbit/s, {links[setting][1]:g} ms)")
        ax.set_xlabel("measured online s (client)")
        ax.set_ylabel(f"{method} s")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--campaign", required=True)
    parser.add_argument("--networks", required=True, help="JSON Lines from `snnipred export --networks`")
    parser.add_argument("--binary", default="build/snnipred")
    parser.add_argument("--method", default="physical", choices=["physical", "analytical", "nn", "lstm"])
    parser.add_argument("--machine")
    parser.add_argument("--plot", help="PNG of predicted against measured, one panel per setting")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="predict processes at once")
    args = parser.parse_args()

    with open(args.campaign) as f:
        campaign = json.load(f)
    links = link_of(campaign, args.campaign)
    engine = campaign.get("engine", {})
    samples = [s for s in load_samples(args.networks) if s["setting"] in links]
    # Each predict is a process whose start dominates; run a few at once.
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(predict, args, engine, s["network"], links[s["setting"]]) for s in samples]
        for done, _ in enumerate(concurrent.futures.as_completed(futures), 1):
            print(f"\r[{done}/{len(samples)}] predicted", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    rows, note = [], ""
    for sample, future in zip(samples, futures):
        predicted, note = future.result()
        rows.append({"name": sample["name"], "setting": sample["setting"],
                     "measured_ms": {p: sample[f"{p}_ms"] for p in PARTIES}, "predicted_ms": predicted})

    report = {}
    for setting in links:
        for p in PARTIES:
            mine = [r for r in rows if r["setting"] == setting]
            if not mine:
                continue
            errors = [(r["predicted_ms"][p] - r["measured_ms"][p]) / r["measured_ms"][p] for r in mine]
            summary = summarise(errors)
            summary["worst_network"] = max(mine, key=lambda r: abs(r["predicted_ms"][p] / r["measured_ms"][p] - 1))["name"]
            report[f"{setting}/{p}"] = summary
    if args.json:
        print(json.dumps({"method": args.method, "engine": engine, "links": links, "machine_note": note, "settings": report,
                          "networks": rows}, indent=2))
    else:
        print(f"method {args.method}; engine {engine}; {note}")
        print(f"{'setting':<12} {'party':<7} {'nets':>5} {'within 10%':>11} {'MdAPE':>7} {'MAPE':>7} "
              f"{'mean err':>9} {'worst':>7}  worst network")
        for key, s in report.items():
            setting, party = key.split("/")
            print(f"{setting:<12} {party:<7} {s['networks']:>5} {s['within_10pct'] * 100:>10.1f}% "
                  f"{s['mdape'] * 100:>6.1f}% {s['mape'] * 100:>6.1f}% {s['mean_signed'] * 100:>+8.1f}% "
                  f"{s['worst'] * 100:>6.1f}%  {s['worst_network']}")
    if args.plot:
        plot(args.plot, rows, links, args.method)
    return 0


if __name__ == "__main__":
    sys.exit(main())
