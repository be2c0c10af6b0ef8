"""The demo's notifications link to the server `make run` starts, whatever its
port (demo/tests/test_evaluations_demo.py checks the links the seed writes)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_seeds_the_demo_with_the_address_it_serves():
    environment = {name: value for name, value in os.environ.items() if name not in {"SITE_URL", "HOST", "PORT"}}
    plan = subprocess.run(
        ["make", "-n", "demo", "PORT=8765"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout
    seeding = next(line for line in plan.splitlines() if "seed_demo" in line)
    assert "SITE_URL=http://127.0.0.1:8765" in seeding

