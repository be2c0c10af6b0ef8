"""`make bench`: measurements on city-scale data, one `name: value unit` line each.

Runs against a fresh SQLite file by default, or against BENCH_DATABASE_URL
(an empty PostgreSQL database, for example). Record the figures, the machine
and the date in docs/benchmarks.md; tests never assert times.
"""

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def run(args, env):
    started = time.perf_counter()
    result = subprocess.run(MANAGE + args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started, result.stdout


SWEEP = """
import time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from notifications import reminders
started = time.perf_counter()
with CaptureQueriesContext(connection) as queries:
    claimed = reminders.sweep()
print(f"reminder_sweep_seconds: {time.perf_counter() - started:.2f} s")
print(f"reminder_sweep_queries: {len(queries)} queries")
print(f"reminder_sweep_reminders: {len(claimed)} reminders")
"""


def main():
    with tempfile.TemporaryDirectory() as scratch:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
        print(f"database: {url.split('@')[-1]}")
        run(["migrate", "--no-input"], env)
        seconds, output = run(["seed_scale", "--units", "300", "--tasks", "600", "--weeks", "156"], env)
        counts = dict(re.findall(r"^(\w+): (\d+)$", output, re.MULTILINE))
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"seed_scale_seconds: {seconds:.1f} s")
        print(f"seed_scale_peak_mib: {peak_mib:.0f} MiB")
        for name in ("reports", "task_progress", "indicator_values"):
            if name in counts:
                print(f"seed_scale_{name}: {counts[name]} rows")
        _, output = run(["shell", "-c", SWEEP], {**env, "EMAIL_URL": "dummymail://"})
        print("\n".join(line for line in output.splitlines() if re.match(r"^\w+: ", line)))


if __name__ == "__main__":
    main()
