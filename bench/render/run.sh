#!/bin/sh
# Render throughput: a release `render` (bench/src/bin/render.rs: the
# prometheus, mimir and kubernetes targets of tenant-render) against a
# straightforward Python generator of the same files with PyYAML's C dumper
# (render/pyyaml_render.py), on the same generated tenants, in the same run,
# each pinned to one core. WORK (default /tmp/tenant-kit-render-bench) keeps
# the venv and the tenant dumps. Usage: render/run.sh [N ...] (default 100 1000 10000).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=$(cd "$HERE/.." && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/tenant-kit-render-bench}
mkdir -p "$WORK"
if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/python" -m pip install --quiet --upgrade pip
  "$WORK/venv/bin/python" -m pip install --quiet 'PyYAML>=6,<7'
fi
"$WORK/venv/bin/python" -c 'import yaml; assert yaml.__with_libyaml__; print("PyYAML", yaml.__version__, "with libyaml")'
(cd "$BENCH" && cargo build --quiet --release --bin render)
[ $# -gt 0 ] || set -- 100 1000 10000
for n in "$@"; do
  taskset -c 0 "$BENCH/target/release/render" "$n" --dump "$WORK/tenants-$n.json"
  taskset -c 0 "$WORK/venv/bin/python" "$HERE/pyyaml_render.py" "$WORK/tenants-$n.json"
done
