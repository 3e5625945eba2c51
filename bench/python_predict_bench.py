#!/usr/bin/env python3
"""The Python package's cost over the C++ path, predict_many's throughput, and whether
two Python threads predicting at once are slowed by the GIL.

    python3 bench/python_predict_bench.py [--repeats 7] [--candidates 1000]

1. ResNet-50, analytical: each Predictor.predict(network) call from Python on a loaded
   network (binding, lowering, prediction, result object) against the C++ path's own time
   inside that call (the report's t_pred: lowering + prediction), call by call in one
   process; medians of 200 calls, repeated. The CLI's t_pred (a fresh process, best of 5)
   is printed beside it.
2. predict_many over N generated candidates (`snnipred generate` of a campaign drawing
   every family), 1 and 2 threads, candidates per second.
3. Two Python threads each predicting the same list with predict() against one thread
   predicting it twice: a ratio below 1 means the GIL is released. On a machine whose
   cores are busy with other work the wall ratio cannot show it, so the process's CPU
   seconds per wall second during the two-thread run are printed too: above 1.0 means the
   two threads predicted at the same time, which a held GIL forbids.
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


def python_and_cpp_us(predictor, network, calls=200):
    """Medians of the Python call's wall time and of the C++ t_pred inside it."""
    python, cpp = [], []
    for _ in range(calls):
        start = time.perf_counter()
        totals = predictor.predict(network, method="analytical").totals["analytical"]
        python.append((time.perf_counter() - start) * 1e6)
        cpp.append(totals.t_pred_us)
    return statistics.median(python), statistics.median(cpp)


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

    ratios, cpp, python, cli_t_pred = [], [], [], []
    for _ in range(args.repeats):
        p, c = python_and_cpp_us(predictor, resnet)
        cpp.append(c), python.append(p), ratios.append(p / c)
        document = json.loads(cli("predict", "zoo:resnet50", "--method", "analytical", "--json"))
        cli_t_pred.append(document["totals"]["analytical"]["t_pred_us"])
    print(f"ResNet-50 analytical: Python predict() median {statistics.median(python):.1f} us, C++ path inside it "
          f"{statistics.median(cpp):.1f} us, ratio median {statistics.median(ratios):.2f} (min {min(ratios):.2f}, "
          f"max {max(ratios):.2f}, {args.repeats} repeats of 200 calls); CLI t_pred median "
          f"{statistics.median(cli_t_pred):.1f} us")

    with tempfile.TemporaryDirectory() as directory:
        networks = generated_candidates(args.candidates, directory)
    for threads in (1, 2):
        rates, cpu = [], []
        for _ in range(3):
            start, start_cpu = time.perf_counter(), time.process_time()
            predictor.predict_many(networks, threads=threads)
            wall = time.perf_counter() - start
            rates.append(len(networks) / wall)
            cpu.append((time.process_time() - start_cpu) / wall)
        print(f"predict_many, {len(networks)} generated candidates, all methods, {threads} thread(s): "
              f"median {statistics.median(rates):.0f} candidates/s, {statistics.median(cpu):.2f} CPU s per wall s "
              f"(of 3)")

    subset = networks[:200]
    serial, parallel, parallel_cpu = [], [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(2):
            for network in subset:
                predictor.predict(network)
        serial.append(time.perf_counter() - start)
        workers = [threading.Thread(target=lambda: [predictor.predict(n) for n in subset]) for _ in range(2)]
        start, start_cpu = time.perf_counter(), time.process_time()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        parallel.append(time.perf_counter() - start)
        parallel_cpu.append((time.process_time() - start_cpu) / parallel[-1])
    print(f"two threads x {len(subset)} predict() calls: {statistics.median(parallel):.2f} s vs serial "
          f"{statistics.median(serial):.2f} s, ratio {statistics.median(parallel) / statistics.median(serial):.2f} "
          f"(medians of {args.repeats}; < 1: the GIL is released), {statistics.median(parallel_cpu):.2f} CPU s per "
          f"wall s while both ran (> 1: both predicted at once), {os.cpu_count()} cores")


if __name__ == "__main__":
    sys.exit(main())
