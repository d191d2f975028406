#!/usr/bin/env python3
"""The pydantic baseline: validates every .json file of a directory with the
`Tenant` model that datamodel-code-generator made from
schemas/tenant_base.json, and prints how long the loop took (reading and
validating, without interpreter start-up and model import) on stderr.

usage: pydantic_validate.py MODELS_DIR DOCS_DIR
"""

import glob
import os
import sys
import time


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    from tenant_models import Tenant  # noqa: E402  (generated at run time)

    files = sorted(glob.glob(os.path.join(sys.argv[2], "*.json")))
    start = time.perf_counter()
    bad = 0
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        try:
            Tenant.model_validate_json(data)
        except Exception as e:  # a validation error is counted, not fatal
            bad += 1
            if bad == 1:
                print(f"{path}: {e}", file=sys.stderr)
    loop = time.perf_counter() - start
    print(f"loop {loop:.3f} s, {len(files)} files, {bad} invalid", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
