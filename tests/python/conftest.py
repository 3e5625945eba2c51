"""Shared fixtures: the bundled predictor, and the CLI of the same build."""

import json
import os
import subprocess

import pytest

import snnipred


@pytest.fixture(scope="session")
def predictor():
    return snnipred.load_predictor()


def run_cli(*args):
    """`snnipred ARGS --json` of this build, parsed."""
    binary = os.environ.get("SNNIPRED_BINARY") or snnipred._build_info.CLI
    completed = subprocess.run([binary, *args, "--json"], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def without_timing(document):
    """A predict document without t_pred, the one part that differs between two runs."""
    for totals in document["totals"].values():
        totals.pop("t_pred_us")
    return document


def shared_dir():
    return os.environ.get("SNNIPRED_SHARED_DIR", os.path.join(snnipred._build_info.SOURCE_DIR, "..", "shared"))
