#!/bin/sh
# Runs the realistic harness for every tenant count, one process each.
# Cedar with one shared set and casbin stop at 1 000 tenants: see README.md.
set -e
cargo build --release --bins
for t in 1 10 100 1000; do
  ./target/release/realistic "$t"
done
./target/release/realistic 10000 dram,tenant-kit,cedar-tenant
