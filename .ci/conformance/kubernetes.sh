#!/usr/bin/env bash
# Every rendered Kubernetes manifest passes `kubernetes-validate` (PyPI) in
# strict mode (unknown fields are errors) against the schemas of a current
# Kubernetes release, which the package ships (no network at validation
# time). Renders the example tenants with their twins and the hostile corpus.
# Custom resources (apiVersion monitoring.coreos.com/*: PrometheusRule,
# AlertmanagerConfig) are not in Kubernetes' own schemas and are skipped here;
# their own checks live with the renderers that write them.
set -euo pipefail
cd "$(dirname "$0")/../.."
KUBERNETES_VERSION=1.37.0
source .ci/conformance/python-env.sh.inc
pip_install 'kubernetes-validate>=1.37'
kv="$CONFORMANCE_VENV/bin/kubernetes-validate"

source .ci/conformance/isolation.sh.inc
trap 'rm -rf "$ISO_TMP"' EXIT
target/debug/tenantctl render tenant-render/tests/hostile examples/platform.yaml --out "$ISO_TMP/hostile" --only kubernetes

files=()
skipped=0
while IFS= read -r -d '' f; do
  if grep -qE '^apiVersion: *"?monitoring\.coreos\.com/' "$f"; then
    skipped=$((skipped + 1))
  else
    files+=("$f")
  fi
done < <(find "$ISO_OUT/kubernetes" "$ISO_TMP/hostile/kubernetes" -name '*.yml' -print0 | sort -z)
[ "${#files[@]}" -gt 0 ] || { echo "no manifests rendered"; exit 1; }
for kind in Namespace ResourceQuota LimitRange NetworkPolicy HorizontalPodAutoscaler; do
  n="$(grep -l "^kind: $kind$" "${files[@]}" | wc -l)"
  [ "$n" -eq 9 ] || { echo "expected 9 manifests of kind $kind (6 tenants + 3 hostile), found $n"; exit 1; }
done
# The validator is strict: a manifest with an unknown field must fail.
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labelz: {a: b}\n' > "$ISO_TMP/unknown-field.yml"
if "$kv" --strict --no-warn --quiet -k "$KUBERNETES_VERSION" "$ISO_TMP/unknown-field.yml" >/dev/null 2>&1; then
  echo "kubernetes-validate accepted an unknown field: not strict"
  exit 1
fi
"$kv" --strict --no-warn --quiet -k "$KUBERNETES_VERSION" "${files[@]}"
echo "kubernetes: ${#files[@]} manifests valid in strict mode for Kubernetes $KUBERNETES_VERSION ($skipped custom resources skipped)"
echo "kubernetes checks: ${#files[@]} passed, 0 failed"
