#!/usr/bin/env python3
"""Measures a campaign's networks again, each run in fresh processes (`snnipred run`: the
client a new process, the server its child), and writes them in the format of `snnipred
export --networks`, so that bench/link_validation.py scores a method against them. A
profiling campaign runs every client in its one long-lived process; this tells how much
that changes the online time. Usage:

  bench/fresh_runs.py --campaign campaigns/unseen-links.json --networks networks.jsonl \\
                      --out fresh.jsonl [--setting 1G-2ms ...] [--binary build/snnipred]

or, for networks no campaign has run, every setting of each file `snnipred generate` wrote:

  bench/fresh_runs.py --campaign C --generated DIR --out fresh.jsonl

Runs one at a time (the two parties take both cores of the development machine).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from link_validation import link_of, load_samples


def online_ms(trace_path, party):
    with open(trace_path) as f:
        spans = json.load(f)["spans"]
    return sum(s["wall_s"] for s in spans if s["party"] == party and s["phase"] == "online") * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--campaign", required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--networks", help="snnipred export --networks output")
    source.add_argument("--generated", help="directory of snnipred generate")
    parser.add_argument("--out", required=True)
    parser.add_argument("--setting", action="append", help="only these settings (default: all)")
    parser.add_argument("--binary", default="build/snnipred")
    args = parser.parse_args()
    with open(args.campaign) as f:
        campaign = json.load(f)
    engine = campaign["engine"]
    links = link_of(campaign, args.campaign)
    if args.generated:
        samples = []
        for name in sorted(os.listdir(args.generated)):
            if name.endswith(".json"):
                with open(os.path.join(args.generated, name)) as f:
                    network = json.load(f)
                samples += [{"name": network["name"], "network": network, "setting": setting} for setting in links]
    else:
        samples = load_samples(args.networks)
    samples = [s for s in samples if s["setting"] in links and (not args.setting or s["setting"] in args.setting)]
    if not samples:
        sys.exit(f"{args.networks or args.generated}: no samples of the chosen settings")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch, open(args.out, "w") as out:
        network_path, trace_path = os.path.join(scratch, "network.json"), os.path.join(scratch, "trace.json")
        for done, sample in enumerate(samples, 1):
            with open(network_path, "w") as f:
                json.dump(sample["network"], f)
            bandwidth, rtt = links[sample["setting"]]
            cmd = [args.binary, "run", network_path, "--he", engine["he"], "--truncation", engine["truncation"],
                   "--ot", engine.get("ot", "iknp"), "--bandwidth", str(bandwidth), "--rtt", str(rtt), "--quiet",
                   "--trace", trace_path]
            result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if result.returncode != 0:
                sys.exit(f"{sample['name']} {sample['setting']}: {result.stderr.strip()}")
            fresh = dict(sample, run="fresh", client_ms=online_ms(trace_path, "client"),
                         server_ms=online_ms(trace_path, "server"))
            out.write(json.dumps(fresh) + "\n")
            rate = done / (time.monotonic() - started)
            print(f"\r{done}/{len(samples)} runs, {rate:.2f}/s, ETA {(len(samples) - done) / rate:.0f} s",
                  end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
