#!/bin/sh
# Runs the timing harness for every tenant count, one process each (so that
# resident memory is measured per run). Cedar and casbin stop at 1 000
# tenants: see README.md.
set -e
cargo build --release
for t in 1 10 100 1000; do
  ./target/release/tenant-kit-bench "$t"
done
./target/release/tenant-kit-bench 10000 tenant-kit
