#!/usr/bin/env python3
"""Times `tenantctl validate` against the pydantic baseline on generated
tenant documents and prints a Markdown table. Called by run.sh.

usage: compare.py TENANTCTL VENV_PYTHON MODELS_DIR WORK_DIR [N ...]
"""

import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROUNDS = 3


def wall(argv):
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return took, done.stderr


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    tenantctl, python, models, work = sys.argv[1:5]
    sizes = [int(n) for n in sys.argv[5:]] or [1000, 10000]
    rows = []
    for n in sizes:
        docs = os.path.join(work, f"docs-{n}")
        if not os.path.isdir(docs) or len(os.listdir(docs)) != n:
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), docs], check=True)
        size = sum(os.path.getsize(os.path.join(docs, f)) for f in os.listdir(docs))
        # One untimed run of each fills the page cache.
        wall([tenantctl, "validate", docs])
        wall([python, os.path.join(HERE, "pydantic_validate.py"), models, docs])
        ours = [wall([tenantctl, "validate", docs])[0] for _ in range(ROUNDS)]
        theirs, loops = [], []
        for _ in range(ROUNDS):
            took, err = wall([python, os.path.join(HERE, "pydantic_validate.py"), models, docs])
            theirs.append(took)
            loops.append(float(err.split("loop ")[1].split(" s")[0]))
        rows.append((n, size, statistics.median(ours), statistics.median(theirs), statistics.median(loops), min(ours), max(ours)))
    print("| documents | MB | tenantctl validate s (min–max) | pydantic v2 process s | pydantic loop only s | speed-up (process) | speed-up (loop only) |")
    print("|---|---|---|---|---|---|---|")
    for n, size, ours, theirs, loop, lo, hi in rows:
        print(f"| {n:,} | {size / 1e6:.1f} | {ours:.3f} ({lo:.3f}–{hi:.3f}) | {theirs:.3f} | {loop:.3f} | {theirs / ours:.1f}× | {loop / ours:.1f}× |".replace(",", " "))
    if len(rows) >= 2:
        (n0, _, t0, p0, *_), (n1, _, t1, p1, *_) = rows[0], rows[-1]
        print(f"\ngrowth from {n0} to {n1} documents ({n1 / n0:.0f}×): tenantctl {t1 / t0:.1f}×, pydantic {p1 / p0:.1f}×")


if __name__ == "__main__":
    main()
