#!/usr/bin/env python3
"""What a fresh process's first OT step costs beyond the later ones of its kind: two
`snnipred` binaries in turn (the order alternating per repeat), each network run with the
same engine options, and per run and party the thread CPU of the first ReLU or max-pool
step, the median of the later steps of that kind, and the setup and online wall time from
the trace. Prints one JSON line per run and then a table of medians. Usage:

  bench/first_step.py --binary old=/path/to/snnipred --binary new=build/snnipred \\
                      [--repeats 4] [--net lan] NETWORK.json ...

The engine options are those of the unseen-links campaign: --he cheetah --truncation
approximate --ot ferret.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

PARTIES = ("client", "server")
OT_STEPS = ("relu", "relu6", "maxpool")
COLUMNS = [f"{party}_{what}" for party in PARTIES for what in ("first_ms", "later_ms")] + [
    f"{party}_{phase}_wall_ms" for party in PARTIES for phase in ("setup", "online")]


def measure(binary, network, link, trace):
    subprocess.run([binary, "run", network, "--he", "cheetah", "--truncation", "approximate", "--ot", "ferret",
                    "--net", link, "--quiet", "--trace", trace], check=True, stdout=subprocess.DEVNULL)
    with open(trace) as f:
        spans = json.load(f)["spans"]
    row = {}
    for party in PARTIES:
        mine = [s for s in spans if s["party"] == party]
        steps = [s for s in mine if s["phase"] == "online" and s["step"] in OT_STEPS and s["layer"]]
        if len(steps) < 2 or not any(s["step"] == steps[0]["step"] for s in steps[1:]):
            sys.exit(f"{network}: needs two OT steps of the kind of its first (relu, relu6 or maxpool)")
        row[f"{party}_first_ms"] = steps[0]["cpu_s"] * 1e3
        row[f"{party}_later_ms"] = statistics.median(
            s["cpu_s"] for s in steps[1:] if s["step"] == steps[0]["step"]) * 1e3
        for phase in ("setup", "online"):
            row[f"{party}_{phase}_wall_ms"] = sum(s["wall_s"] for s in mine if s["phase"] == phase) * 1e3
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", action="append", required=True, metavar="NAME=PATH")
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--net", default="lan")
    parser.add_argument("networks", nargs="+")
    args = parser.parse_args()
    binaries = []
    for spec in args.binary:
        name, _, path = spec.partition("=")
        if not path or not os.access(path, os.X_OK):
            sys.exit(f"--binary {spec}: expected NAME=PATH of an executable")
        binaries.append((name, path))
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        trace = os.path.join(scratch, "trace.json")
        total = args.repeats * len(binaries) * len(args.networks)
        for repeat in range(args.repeats):
            order = binaries if repeat % 2 == 0 else binaries[::-1]
            for name, path in order:
                for network in args.networks:
                    row = {"binary": name, "network": os.path.basename(network), "repeat": repeat}
                    row.update(measure(path, network, args.net, trace))
                    rows.append(row)
                    print(json.dumps(row), flush=True)
                    print(f"{len(rows)}/{total} runs", file=sys.stderr, flush=True)
    print("| network | binary | " + " | ".join(COLUMNS) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in COLUMNS) + " |")
    for network in dict.fromkeys(r["network"] for r in rows):
        for name, _ in binaries:
            mine = [r for r in rows if r["network"] == network and r["binary"] == name]
            print(f"| {network} | {name} | " + " | ".join(f"{statistics.median(r[c] for r in mine):.1f}" for c in COLUMNS) + " |")


if __name__ == "__main__":
    main()
