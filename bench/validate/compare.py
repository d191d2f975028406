#!/usr/bin/env python3
"""Times `tenantctl validate` against the pydantic baseline on generated
tenant documents (median of three runs each, whole processes, after one
untimed run of each) and prints a Markdown table. Called by run.sh.

usage: compare.py TENANTCTL VENV_PYTHON MODELS_DIR WORK_DIR [N ...]
"""

import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROUNDS = 3


def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(argv):
    """Wall-clock seconds and the process's CPU seconds (user + system): on a
    machine shared with other jobs, CPU time is the steadier of the two."""
    cpu = cpu_of_children()
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    cpu = cpu_of_children() - cpu
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return (took, cpu), done.stderr


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
        theirs = [wall([python, os.path.join(HERE, "pydantic_validate.py"), models, docs])[0] for _ in range(ROUNDS)]
        med = lambda runs, k: statistics.median(r[k] for r in runs)  # noqa: E731
        rows.append((n, size, med(ours, 0), med(ours, 1), med(theirs, 0), med(theirs, 1)))
    print("| documents | MB | tenantctl wall s | tenantctl CPU s | pydantic wall s | pydantic CPU s | faster, wall | faster, CPU |")
    print("|---|---|---|---|---|---|---|---|")
    for n, size, ow, oc, tw, tc in rows:
        print(f"| {n} | {size / 1e6:.1f} | {ow:.2f} | {oc:.2f} | {tw:.2f} | {tc:.2f} | {tw / ow:.1f}× | {tc / oc:.1f}× |")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        print(f"\ngrowth from {a[0]} to {b[0]} documents ({b[0] / a[0]:.0f}×): tenantctl {b[2] / a[2]:.1f}× wall, {b[3] / a[3]:.1f}× CPU; pydantic {b[4] / a[4]:.1f}× wall, {b[5] / a[5]:.1f}× CPU")


if __name__ == "__main__":
    main()
