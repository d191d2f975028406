#!/usr/bin/env python3
"""Writes N tenant documents: the example enterprise tenant
(examples/tenants/json/acme-music.json) with distinct ids, slugs and
isolation names (schema, PostgreSQL role, Redis key prefix and ACL user,
KMS key), so that the set passes `tenantctl validate`.

usage: generate.py N OUT_DIR
"""

import copy
import json
import os
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "..", "..", "examples", "tenants", "json", "acme-music.json")


def document(template, i):
    d = copy.deepcopy(template)
    name = f"acme-music-{i:05}"
    d["id"] = str(uuid.UUID(int=(0x0B7C6F1E3A524F0E9D435F0F << 32) | i, version=4))
    d["slug"] = name
    iso = d["isolation"]
    iso["database"]["schema"] = f"tenant_acme_music_{i:05}"
    iso["database"]["role"] = f"acme_music_{i:05}_app"
    iso["cache"]["key_prefix"] = f"{name}:"
    iso["cache"]["acl_user"] = name
    if "encryption" in iso and "key_id" in iso["encryption"]:
        iso["encryption"]["key_id"] = iso["encryption"]["key_id"].replace("acme-music", name)
    return d


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    with open(TEMPLATE, encoding="utf-8") as f:
        template = json.load(f)
    os.makedirs(out, exist_ok=True)
    total = 0
    for i in range(n):
        text = json.dumps(document(template, i), indent=2, ensure_ascii=False) + "\n"
        data = text.encode("utf-8")
        total += len(data)
        with open(os.path.join(out, f"{template['slug']}-{i:05}.json"), "wb") as f:
            f.write(data)
    print(f"{n} documents, {total / 1e6:.1f} MB in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
