#!/usr/bin/env python3
"""The Python package's cost over the C++ path, predict_many's throughput, and whether
two Python threads predicting at once are slowed by the GIL.

    python3 bench/python_predict_bench.py [--repeats 7] [--candidates 1000]

1. ResNet-50, analytical: the C++ t_pred (`snnipred predict zoo:resnet50 --method
   analytical --json`, best of 5 lowerings + predictions) against one
   Predictor.predict(network) call from Python on a loaded network (lowering, prediction,
   binding and result object), median of many calls; repeated, medians quoted.
2. predict_many over N generated candidates (`snnipred generate` of a campaign drawing
   every family), 1 and 2 threads, candidates per second.
3. Two Python threads each predicting the same list with predict() against one thread
   predicting it twice: a ratio below 1 means the GIL is released.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import snnipred


def cli(*args):
    out = subprocess.run([snnipred._build_info.CLI, *args], capture_output=True, text=True, check=True).stdout
    return out


def python_call_us(predictor, network, calls=200):
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        predictor.predict(network, method="analytical").totals["analytical"]
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def generated_candidates(count, directory):
    campaign = {"name": "bench", "seed": 7, "engine": {"he": "cheetah", "truncation": "approximate"},
                "settings": [{"name": "LAN", "net": "lan"}], "repeats": 1, "timeout_s": 600,
                "generator": {"families": {"conv": count // 7, "conv_maxpool": count // 7, "conv_avgpool": count // 7,
                                           "fc": count // 7, "bn": count // 7, "residual": count // 7,
                                           "concat": count - 6 * (count // 7)},
                              "input_sizes": [32, 56, 64], "max_blocks": 4,
                              "cost": {"relu_s": 1.8e-5, "trunc_s": 2e-7, "mac_s": 1e-8, "cap_s": 2.0}},
                "sweeps": {}}
    path = os.path.join(directory, "campaign.json")
    with open(path, "w") as file:
        json.dump(campaign, file)
    cli("generate", "--campaign", path, "--out", directory)
    files = sorted(f for f in os.listdir(directory) if f.endswith(".json") and f != "campaign.json")
    return [snnipred.to_network(os.path.join(directory, f)) for f in files]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--candidates", type=int, default=1000)
    args = parser.parse_args()
    predictor = snnipred.load_predictor()
    resnet = snnipred.to_network("zoo:resnet50")

    ratios, cpp, python = [], [], []
    for _ in range(args.repeats):
        c = json.loads(cli("predict", "zoo:resnet50", "--method", "analytical", "--json"))["totals"]["analytical"]["t_pred_us"]
        p = python_call_us(predictor, resnet)
        cpp.append(c), python.append(p), ratios.append(p / c)
    print(f"ResNet-50 analytical: C++ t_pred median {statistics.median(cpp):.1f} us, Python predict() median "
          f"{statistics.median(python):.1f} us, ratio median {statistics.median(ratios):.2f} "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f}, {args.repeats} repeats)")

    with tempfile.TemporaryDirectory() as directory:
        networks = generated_candidates(args.candidates, directory)
    for threads in (1, 2):
        rates = []
        for _ in range(3):
            start = time.perf_counter()
            predictor.predict_many(networks, threads=threads)
            rates.append(len(networks) / (time.perf_counter() - start))
        print(f"predict_many, {len(networks)} generated candidates, all methods, {threads} thread(s): "
              f"median {statistics.median(rates):.0f} candidates/s (of 3)")

    subset = networks[:200]
    serial, parallel = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(2):
            for network in subset:
                predictor.predict(network)
        serial.append(time.perf_counter() - start)
        workers = [threading.Thread(target=lambda: [predictor.predict(n) for n in subset]) for _ in range(2)]
        start = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        parallel.append(time.perf_counter() - start)
    print(f"two threads x {len(subset)} predict() calls: {statistics.median(parallel):.2f} s vs serial "
          f"{statistics.median(serial):.2f} s, ratio {statistics.median(parallel) / statistics.median(serial):.2f} "
          f"(medians of {args.repeats}; < 1: the GIL is released), {os.cpu_count()} cores")


if __name__ == "__main__":
    sys.exit(main())
