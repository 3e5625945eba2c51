#!/usr/bin/env python3
"""An evolutionary search for SNNI-friendly CNNs on CIFAR-sized inputs with snnipred.

Each candidate is a torch.nn.Module from a small MobileNet/ResNet-style space (per stage:
block type, depth, width, kernel, activation; the stem's pooling). snnipred predicts its
secure-inference time on the chosen link in microseconds, without running any crypto;
candidates over the latency budget are dropped, and the search keeps the ones with the
most capacity (MACs as a training-free proxy) per unit of predicted latency. Nothing is
trained.

It ends with a PNG of predicted latency against ReLU count and against MACs, the Pareto
front marked, and prints how often ReLU count alone orders two candidates wrongly: ReLU
count is the cost most SNNI architecture searches minimise, but HE-heavy layers (wide
convolutions, large kernels) and OT-heavy ones (max pooling, ReLU6) cost very differently
per ReLU.

    python3 examples/nas_search.py --generations 15 --population 32 --budget-s 20 \
        --setting WAN --out docs/nas_search.png
"""

import argparse
import itertools
import json
import random
import sys
import time

import torch

import snnipred

STAGES = 3
WIDTHS = (16, 24, 32, 48, 64, 96, 128)
DEPTHS = (1, 2, 3)
KERNELS = (3, 5)
BLOCKS = ("basic", "inverted")
ACTIVATIONS = ("relu", "relu6")
STEM_POOLS = ("none", "max", "avg")
INPUT_SHAPE = (3, 32, 32)


def random_genome(rng):
    return {"stem_width": rng.choice(WIDTHS[:4]), "stem_pool": rng.choice(STEM_POOLS),
            "stages": [{"block": rng.choice(BLOCKS), "depth": rng.choice(DEPTHS), "width": rng.choice(WIDTHS),
                        "kernel": rng.choice(KERNELS), "activation": rng.choice(ACTIVATIONS)}
                       for _ in range(STAGES)]}


def mutate(genome, rng):
    child = json.loads(json.dumps(genome))
    stage = rng.choice(child["stages"])
    key = rng.choice(["block", "depth", "width", "kernel", "activation", "stem"])
    if key == "stem":
        child["stem_pool"] = rng.choice(STEM_POOLS)
    else:
        stage[key] = rng.choice({"block": BLOCKS, "depth": DEPTHS, "width": WIDTHS, "kernel": KERNELS,
                                 "activation": ACTIVATIONS}[key])
    return child


def activation(name):
    return torch.nn.ReLU6() if name == "relu6" else torch.nn.ReLU()


class Block(torch.nn.Module):
    """A ResNet basic block or a MobileNetV2 inverted residual (expansion 4)."""

    def __init__(self, kind, c_in, c_out, kernel, stride, act):
        super().__init__()
        pad = kernel // 2
        if kind == "basic":
            self.body = torch.nn.Sequential(
                torch.nn.Conv2d(c_in, c_out, kernel, stride, pad, bias=False), torch.nn.BatchNorm2d(c_out),
                activation(act), torch.nn.Conv2d(c_out, c_out, kernel, 1, pad, bias=False),
                torch.nn.BatchNorm2d(c_out))
        else:
            hidden = 4 * c_in
            self.body = torch.nn.Sequential(
                torch.nn.Conv2d(c_in, hidden, 1, bias=False), torch.nn.BatchNorm2d(hidden), activation(act),
                torch.nn.Conv2d(hidden, hidden, kernel, stride, pad, groups=hidden, bias=False),
                torch.nn.BatchNorm2d(hidden), activation(act), torch.nn.Conv2d(hidden, c_out, 1, bias=False),
                torch.nn.BatchNorm2d(c_out))
        self.residual = stride == 1 and c_in == c_out
        self.out = activation(act) if kind == "basic" else torch.nn.Identity()

    def forward(self, x):
        y = self.body(x)
        return self.out(y + x if self.residual else y)


def build(genome):
    layers = [torch.nn.Conv2d(3, genome["stem_width"], 3, 1, 1, bias=False),
              torch.nn.BatchNorm2d(genome["stem_width"]), torch.nn.ReLU()]
    if genome["stem_pool"] == "max":
        layers.append(torch.nn.MaxPool2d(2))
    elif genome["stem_pool"] == "avg":
        layers.append(torch.nn.AvgPool2d(2))
    c_in = genome["stem_width"]
    for index, stage in enumerate(genome["stages"]):
        for depth in range(stage["depth"]):
            stride = 2 if depth == 0 and index > 0 else 1
            layers.append(Block(stage["block"], c_in, stage["width"], stage["kernel"], stride, stage["activation"]))
            c_in = stage["width"]
    layers += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(c_in, 10)]
    return torch.nn.Sequential(*layers)


def evaluate(genome, predictor, link):
    """Predicted SNNI time (max of the parties, analytical + nn), ReLUs and MACs of a genome."""
    module = build(genome)
    network = snnipred.to_network(module, INPUT_SHAPE)
    totals = snnipred.describe(network)["totals"]
    prediction = predictor.predict(network, method="nn", **link)
    seconds = max(prediction.totals["nn"].client_ms, prediction.totals["nn"].server_ms) / 1000
    return {"genome": genome, "seconds": seconds, "relus": totals["relus"], "macs": totals["macs"],
            "t_pred_us": prediction.totals["nn"].t_pred_us, "engine": prediction.engine}


def fitness(candidate, budget_s):
    # Capacity per second of SNNI, and nothing over the budget.
    return -1.0 if candidate["seconds"] > budget_s else candidate["macs"] / candidate["seconds"]


def pareto(candidates, cost):
    front, best = [], None
    for c in sorted(candidates, key=lambda c: (c[cost], -c["macs"])):
        if best is None or c["macs"] > best:
            front.append(c)
            best = c["macs"]
    return front


def misordered_pairs(candidates):
    """Share of candidate pairs whose ReLU counts order them opposite to their predicted time."""
    pairs = wrong = 0
    for a, b in itertools.combinations(candidates, 2):
        if a["relus"] == b["relus"] or a["seconds"] == b["seconds"]:
            continue
        pairs += 1
        wrong += (a["relus"] < b["relus"]) != (a["seconds"] < b["seconds"])
    return wrong / max(pairs, 1)


def widest_spread(candidates):
    """The largest ratio of predicted times between two candidates whose ReLU counts are
    within 10 % of each other, and the pair."""
    best = (1.0, None, None)
    for a, b in itertools.combinations(candidates, 2):
        if abs(a["relus"] - b["relus"]) <= 0.1 * min(a["relus"], b["relus"]):
            slow, fast = (a, b) if a["seconds"] > b["seconds"] else (b, a)
            if slow["seconds"] / fast["seconds"] > best[0]:
                best = (slow["seconds"] / fast["seconds"], slow, fast)
    return best


def plot(candidates, budget_s, path, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(1, 2, figsize=(12, 5))
    for ax, key, label in ((axes[0], "relus", "ReLU count"), (axes[1], "macs", "MACs")):
        x = [c[key] for c in candidates]
        y = [c["seconds"] for c in candidates]
        colour = [c["macs"] if key == "relus" else c["relus"] for c in candidates]
        points = ax.scatter(x, y, c=colour, cmap="viridis", s=14, norm=matplotlib.colors.LogNorm())
        figure.colorbar(points, ax=ax, label="MACs" if key == "relus" else "ReLU count")
        front = pareto(candidates, "seconds")
        ax.plot([c[key] for c in front], [c["seconds"] for c in front], "r.-", label="Pareto front (time, MACs)")
        ax.axhline(budget_s, color="grey", linestyle="--", label="latency budget")
        ax.set_xscale("log")
        ax.set_xlabel(label)
        ax.set_ylabel("predicted SNNI time (s)")
        ax.legend(loc="upper left", fontsize=8)
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generations", type=int, default=15)
    parser.add_argument("--population", type=int, default=32)
    parser.add_argument("--budget-s", type=float, default=20.0, help="latency budget, seconds of SNNI")
    parser.add_argument("--setting", help="a link the predictor was trained on (default LAN; with --rtt, the one "
                        "nearest that RTT)")
    parser.add_argument("--bandwidth", type=float, help="Mbit/s of another link")
    parser.add_argument("--rtt", type=float, help="round-trip ms of another link")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="nas_search.png")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    predictor = snnipred.load_predictor()
    link = {"setting": args.setting, "bandwidth_mbit": args.bandwidth, "rtt_ms": args.rtt}
    seen, start, shown = {}, time.monotonic(), [0.0]
    total = args.population * args.generations  # an upper bound: repeated genomes are scored once

    def score(genome):
        key = json.dumps(genome, sort_keys=True)
        if key not in seen:
            seen[key] = evaluate(genome, predictor, link)
            elapsed = time.monotonic() - start
            if elapsed - shown[0] >= 1.0:
                shown[0] = elapsed
                rate = len(seen) / elapsed
                print(f"{len(seen)} candidates scored, {rate:.1f}/s, at most {max(total - len(seen), 0) / rate:.0f} s "
                      "left", file=sys.stderr)
        return seen[key]

    population = [score(random_genome(rng)) for _ in range(args.population)]
    for _ in range(args.generations - 1):
        population.sort(key=lambda c: fitness(c, args.budget_s), reverse=True)
        parents = population[: max(2, args.population // 4)]
        children = [score(mutate(rng.choice(parents)["genome"], rng)) for _ in range(args.population - len(parents))]
        population = parents + children
    candidates = list(seen.values())
    feasible = [c for c in candidates if c["seconds"] <= args.budget_s]
    best = max(feasible, key=lambda c: c["macs"]) if feasible else None
    relu_cap = max((c["relus"] for c in feasible), default=0)
    relu_admitted = [c for c in candidates if c["relus"] <= relu_cap]
    over = sum(c["seconds"] > args.budget_s for c in relu_admitted)
    engine = candidates[0]["engine"]
    print(f"engine: {engine.backend}, HE {engine.he}, truncation {engine.truncation}, link {engine.link}")
    print(f"{len(candidates)} candidates, {len(feasible)} within {args.budget_s:g} s; "
          f"median t_pred {sorted(c['t_pred_us'] for c in candidates)[len(candidates) // 2]:.0f} us")
    print(f"ReLU count orders {100 * misordered_pairs(candidates):.1f} % of candidate pairs opposite to the "
          f"predicted SNNI time")
    print(f"a ReLU budget admitting every feasible candidate ({relu_cap} ReLUs) also admits {over} of "
          f"{len(relu_admitted)} candidates over the latency budget")
    spread, slow, fast = widest_spread(candidates)
    if slow:
        print(f"two candidates with ReLU counts within 10 % ({fast['relus']:,} and {slow['relus']:,}) differ "
              f"{spread:.1f}x in predicted time ({fast['seconds']:.1f} s vs {slow['seconds']:.1f} s; MACs "
              f"{fast['macs']:,} vs {slow['macs']:,})")
    if best:
        print(f"best within budget: {best['seconds']:.2f} s, {best['macs']:,} MACs, {best['relus']:,} ReLUs: "
              f"{json.dumps(best['genome'])}")
    title = (f"{len(candidates)} candidates, predicted on {engine.link} (HE {engine.he}, {engine.truncation} "
             f"truncation); ReLU count misorders {100 * misordered_pairs(candidates):.0f} % of pairs")
    plot(candidates, args.budget_s, args.out, title)
    print(f"plot: {args.out}")


if __name__ == "__main__":
    main()
