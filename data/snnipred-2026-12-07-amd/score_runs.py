#!/usr/bin/env python3
"""A campaign's zoo runs in a profile store against `snnipred predict` (every method, the
campaign's own calibration, or with `as-is` none: the bundle's reference machine): online
time and online CPU seconds per party, predicted with the campaign's OT extension.
Usage: score_runs.py BINARY STORE CAMPAIGN [as-is]"""
import json, os, sqlite3, subprocess, sys, tempfile
binary, store, campaign = sys.argv[1:4]
as_is = sys.argv[4:] == ["as-is"]
db = sqlite3.connect(store)
profile = db.execute("select profile_json from machines where campaign=? order by recorded_at limit 1", (campaign,)).fetchone()[0]
machine = os.path.join(tempfile.mkdtemp(), "campaign-machine.json")
open(machine, "w").write(profile)
# The campaign's OT extension as the store records it (IKNP where it names none, the engine's default).
ot = json.loads(db.execute("select definition from campaigns where name=?", (campaign,)).fetchone()[0]).get("ot", "iknp")
methods = ("analytical", "nn", "lstm", "physical")
print("| network | link | measured s, client / server | " + " | ".join(methods) + " | CPU s measured | CPU physical |")
print("| --- | --- | --- | " + " | ".join("---" for _ in methods) + " | --- | --- |")
worst = {}
for run_id, net, setting, bps, one_way, c_ms, s_ms in db.execute(
        "select id, network, setting, bandwidth_bps, one_way_latency_ms, client_online_ms, server_online_ms "
        "from runs where campaign=? order by id", (campaign,)):
    cmd = [binary, "predict", "zoo:" + net, "--method", ",".join(methods), "--ot", ot, "--json"]
    if not as_is: cmd += ["--machine", machine]
    if setting in ("LAN", "WAN"): cmd += ["--setting", setting]
    else: cmd += ["--bandwidth", f"{bps / 1e6:g}", "--rtt", f"{2 * one_way:g}"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    cpu = {p: db.execute("select sum(cpu_s) from spans where run=? and party=? and phase='online'", (run_id, p)).fetchone()[0]
           for p in ("client", "server")}
    cells = []
    for m in methods:
        errs = []
        for p, measured in (("client", c_ms), ("server", s_ms)):
            e = 100 * (out["totals"][m][p + "_ms"] / measured - 1)
            worst[m] = max(worst.get(m, 0), abs(e)); errs.append(e)
        cells.append(f"{errs[0]:+.1f} / {errs[1]:+.1f} %")
    pc = {p: out["totals"]["physical"][p + "_cpu_ms"] / 1000 for p in ("client", "server")}
    ce = [100 * (pc[p] / cpu[p] - 1) for p in ("client", "server")]
    worst["cpu"] = max(worst.get("cpu", 0), *map(abs, ce))
    print(f"| {net} | {setting} | {c_ms/1000:.1f} / {s_ms/1000:.1f} | " + " | ".join(cells)
          + f" | {cpu['client']:.1f} / {cpu['server']:.1f} | {ce[0]:+.1f} / {ce[1]:+.1f} % |")
print("worst |error|: " + ", ".join(f"{m} {w:.1f} %" for m, w in worst.items()))
