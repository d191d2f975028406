#!/usr/bin/env bash
# An independent JSON Schema validator (Python check-jsonschema, from PyPI)
# checks every example document against the checked-in schemas, and checks
# that the schemas themselves are valid draft 2020-12 schemas.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/conformance/python-env.sh.inc
pip_install 'check-jsonschema>=0.29'
cj="$CONFORMANCE_VENV/bin/check-jsonschema"

"$cj" --check-metaschema schemas/*.json
"$cj" --schemafile schemas/tenant_base.json examples/tenants/*.yaml examples/tenants/json/*.json
"$cj" --schemafile schemas/platform.json examples/platform.yaml
"$cj" --schemafile schemas/compliance_rules.json examples/compliance_rules.yaml

# Invalid examples the schema can judge must fail it (the rest need tenantctl).
for doc in examples/invalid/bad-slug.yaml examples/invalid/unknown-field.yaml \
           examples/invalid/slo-objective-over-100.yaml examples/invalid/unsupported-schema-version.yaml \
           examples/invalid/missing-schema-version.yaml examples/invalid/bad-locale.yaml \
           examples/invalid/bad-time-zone.yaml examples/invalid/bad-cidr.yaml; do
  if "$cj" --schemafile schemas/tenant_base.json "$doc" >/dev/null 2>&1; then
    echo "schema accepted the invalid example $doc"
    exit 1
  fi
done
echo "schemas: examples valid, invalid examples rejected"
