#!/bin/sh
# Validation throughput: builds a Python venv with datamodel-code-generator
# and pydantic 2 from PyPI, generates pydantic models from
# schemas/tenant_base.json, generates 1 000 and 10 000 tenant documents, and
# times a release `tenantctl validate` against the pydantic models on them.
# WORK (default /tmp/tenant-kit-validate-bench) keeps the venv and documents.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/tenant-kit-validate-bench}
mkdir -p "$WORK"
if [ ! -x "$WORK/venv/bin/datamodel-codegen" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/python" -m pip install --quiet --upgrade pip
  "$WORK/venv/bin/python" -m pip install --quiet datamodel-code-generator 'pydantic[email]>=2,<3'
fi
"$WORK/venv/bin/datamodel-codegen" --input "$ROOT/schemas/tenant_base.json" \
  --input-file-type jsonschema --output-model-type pydantic_v2.BaseModel \
  --output "$WORK/tenant_models.py" 2>/dev/null
(cd "$ROOT" && cargo build --release -p tenant-cli)
"$WORK/venv/bin/python" -c 'import pydantic, datamodel_code_generator as d; print("pydantic", pydantic.VERSION, "| datamodel-code-generator", d.get_version())' 2>/dev/null || true
python3 "$HERE/compare.py" "$ROOT/target/release/tenantctl" "$WORK/venv/bin/python" "$WORK" "$WORK" "$@"
