#!/usr/bin/env python3
"""Writes N tenant documents made from examples/tenants/acme-music.yaml
(slug t00000-music ... , fresh ids, every per-tenant name renamed) into DIR.

Usage: generate.py N DIR
"""
import os
import sys
import uuid

n, out = int(sys.argv[1]), sys.argv[2]
root = os.path.join(os.path.dirname(__file__), "..", "..")
with open(os.path.join(root, "examples", "tenants", "acme-music.yaml"), encoding="utf-8") as f:
    source = f.read()
os.makedirs(out, exist_ok=True)
for i in range(n):
    slug = f"t{i:05d}-music"
    text = source.replace("0b7c6f1e-3a52-4f0e-9d43-5f0f6a2d8c11", str(uuid.UUID(int=i + 1, version=4)))
    text = text.replace("acme-music", slug).replace("acme_music", slug.replace("-", "_"))
    with open(os.path.join(out, slug + ".yaml"), "w", encoding="utf-8") as f:
        f.write(text)
