"""examples/nas_search.py runs end to end (a tiny search) and writes its plot."""

import os
import subprocess
import sys

import snnipred


def test_nas_example_runs_and_plots(tmp_path):
    script = os.path.join(snnipred._build_info.SOURCE_DIR, "examples", "nas_search.py")
    out = tmp_path / "front.png"
    completed = subprocess.run([sys.executable, script, "--generations", "2", "--population", "6", "--budget-s", "20",
                                "--bandwidth", "200", "--rtt", "20", "--out", str(out)],
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "link 200 Mbit/s, 10 ms one way" in completed.stdout
    assert "ReLU count orders" in completed.stdout
    assert out.read_bytes().startswith(b"\x89PNG")
