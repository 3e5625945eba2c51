#!/usr/bin/env python3
"""Fits how much of a comparison step's compute and traffic the engine overlaps, from the
measured steps of a profile store (the constants kUnhiddenShare and kIdlePartyShare of
src/predict/physical/physical_model.cpp).

For every ReLU, ReLU6 and max pool step of the store's runs (the spans of both parties:
wall, thread CPU, bytes and flights) it takes
  traffic = sum over both parties of (bytes * 8 / bandwidth + flights * one-way latency
            + flights * channel_message + bytes * channel_byte)
  compute = max(CPU) + idle * min(CPU)
and fits   wall = max(traffic, compute) + unhidden * min(traffic, compute)
by a grid search for the lowest median absolute percentage error on the networks of the
fitting half (a seeded split by network); it reports the other half, per setting, beside the
serial sum the physical model used before (traffic + both CPUs). The channel costs are the
median over the store's recorded machine profiles. Usage:

  bench/overlap_fit.py --db profiles.sqlite [--exclude-campaign holdout] [--seed 1]
"""

import argparse
import json
import random
import sqlite3
import statistics
import sys
from collections import defaultdict

COMPARISON_STEPS = ("relu", "relu6", "maxpool")
GRID = [i / 40 for i in range(41)]


def channel_costs(db):
    profiles = [json.loads(text) for (text,) in db.execute("select profile_json from machines")]
    if not profiles:
        sys.exit("overlap_fit: the store records no machine profile (profile with a calibration first)")
    cost = lambda name: statistics.median(p["unit_costs"][name]["seconds"] for p in profiles)
    return cost("channel_message"), cost("channel_byte")


def comparison_steps(db, excluded, message_s, byte_s):
    query = """select r.id, r.network, r.setting, r.bandwidth_bps, r.one_way_latency_ms, s.ord, s.party,
                      s.wall_s, s.cpu_s, s.bytes_sent, s.rounds
               from spans s join runs r on r.id = s.run
               where s.phase = 'online' and s.step in (%s) and r.campaign not in (%s)""" % (
        ",".join("?" * len(COMPARISON_STEPS)), ",".join("?" * len(excluded)) or "''")
    parties = defaultdict(dict)
    for rid, network, setting, bandwidth, latency_ms, order, party, wall, cpu, sent, rounds in db.execute(
            query, COMPARISON_STEPS + tuple(excluded)):
        link = sent * 8 / bandwidth + rounds * latency_ms * 1e-3 if bandwidth > 0 else rounds * latency_ms * 1e-3
        parties[(rid, order)][party] = (network, setting, wall, cpu, link + rounds * message_s + sent * byte_s)
    steps = []
    for both in parties.values():
        if set(both) != {"client", "server"}:
            continue
        (network, setting, wall_c, cpu_c, traffic_c), (_, _, wall_s, cpu_s, traffic_s) = both["client"], both["server"]
        steps.append({"network": network, "setting": setting, "wall": max(wall_c, wall_s),
                      "cpu": (cpu_c, cpu_s), "traffic": traffic_c + traffic_s})
    return steps


def overlapped(step, unhidden, idle):
    compute = max(step["cpu"]) + idle * min(step["cpu"])
    return max(step["traffic"], compute) + unhidden * min(step["traffic"], compute)


def serial(step):
    return step["traffic"] + sum(step["cpu"])


def errors(steps, predict):
    return [predict(s) / s["wall"] - 1 for s in steps]


def summary(errs):
    absolute = [abs(e) for e in errs]
    within = sum(a <= 0.10 for a in absolute) / len(absolute)
    return "MdAPE %5.1f %%  median error %+6.1f %%  within 10 %% %5.1f %%" % (
        100 * statistics.median(absolute), 100 * statistics.median(errs), 100 * within)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--exclude-campaign", action="append", default=["holdout"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    message_s, byte_s = channel_costs(db)
    steps = comparison_steps(db, args.exclude_campaign, message_s, byte_s)
    if not steps:
        sys.exit("overlap_fit: no comparison steps measured by both parties in " + args.db)
    networks = sorted({s["network"] for s in steps})
    random.Random(args.seed).shuffle(networks)
    fitting = set(networks[: len(networks) // 2])
    fit = [s for s in steps if s["network"] in fitting]
    check = [s for s in steps if s["network"] not in fitting]

    score = lambda u, i: statistics.median(abs(e) for e in errors(fit, lambda s: overlapped(s, u, i)))
    unhidden, idle = min(((u, i) for u in GRID for i in GRID), key=lambda p: score(*p))
    print(f"{len(steps)} comparison steps of {len(networks)} networks; fitted on {len(fit)} steps of "
          f"{len(fitting)} networks; channel {message_s * 1e6:.1f} us per flight, {byte_s * 1e9:.3f} ns per byte")
    print(f"fit: unhidden share {unhidden:.3f}, idle party share {idle:.3f}")
    for setting in sorted({s["setting"] for s in check}):
        held = [s for s in check if s["setting"] == setting]
        print(f"{setting} ({len(held)} steps of the other networks)")
        print("  serial (traffic + both CPUs):", summary(errors(held, serial)))
        print("  overlapped:                  ", summary(errors(held, lambda s: overlapped(s, unhidden, idle))))


if __name__ == "__main__":
    main()
