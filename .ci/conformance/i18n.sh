#!/usr/bin/env bash
# Conformance of the tenant-i18n catalogs, checked by Mozilla's compare-locales
# (the tool Firefox's localizations are checked with), with `en` as reference.
#
# Passes only when fr, de, es and it each have 0 errors and 0 missing strings.
# Before that, it runs compare-locales on a deliberately broken copy of the
# French catalog and requires it to find the damage, so a silently broken
# oracle cannot make this pass.
#
# Usage (from anywhere; it works from the repository root):
#   bash .ci/conformance/i18n.sh
set -euo pipefail

COMPARE_LOCALES_VERSION="9.0.5"
LOCALES=(fr de es it)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
config="tenant-i18n/l10n.toml"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# compare-locales in a virtual environment of its own, so that nothing is
# installed into the system Python.
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "compare-locales==${COMPARE_LOCALES_VERSION}"
compare_locales="$work/venv/bin/compare-locales"

# Reads compare-locales' JSON report and prints one line per locale:
# "<locale> <errors> <missing> <warnings>".
summarize() {
    "$work/venv/bin/python" - "$1" "${@:2}" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
summary = {}
for tree in report:
    for locale, counts in tree.get("summary", {}).items():
        entry = summary.setdefault(locale, [0, 0, 0])
        entry[0] += counts.get("errors", 0)
        entry[1] += counts.get("missing", 0)
        entry[2] += counts.get("warnings", 0)
for locale in sys.argv[2:]:
    errors, missing, warnings = summary.get(locale, [None, None, None])
    print(locale, errors, missing, warnings)
PY
}

# 1. The oracle must see a broken catalog as broken.
mkdir -p "$work/broken"
cp -r tenant-i18n/locales "$config" "$work/broken/"
broken_fr="$work/broken/locales/fr/tenant-kit.ftl"
grep -v '^slack-button-runbook = ' "$broken_fr" > "$work/fr.ftl"
printf 'slack-button-silence-broken = { unclosed\n' >> "$work/fr.ftl"
mv "$work/fr.ftl" "$broken_fr"
"$compare_locales" --return-zero --json "$work/broken.json" \
    "$work/broken/l10n.toml" "$work/broken/locales" fr > /dev/null
read -r _ broken_errors broken_missing _ < <(summarize "$work/broken.json" fr)
if [[ "$broken_errors" == "None" || "$broken_errors" -lt 1 || "$broken_missing" -lt 1 ]]; then
    echo "compare-locales did not detect a deliberately broken catalog" \
        "(errors ${broken_errors}, missing ${broken_missing})" >&2
    echo "i18n: 0 passed, 1 failed"
    exit 1
fi
echo "self-check: compare-locales finds ${broken_errors} error(s) and ${broken_missing} missing string(s) in a broken copy"

# 2. The shipped catalogs.
echo "compare-locales ${COMPARE_LOCALES_VERSION}, reference en, locales ${LOCALES[*]}:"
"$compare_locales" --return-zero "$config" tenant-i18n/locales "${LOCALES[@]}"
"$compare_locales" --return-zero --json "$work/report.json" \
    "$config" tenant-i18n/locales "${LOCALES[@]}" > /dev/null

passed=0
failed=0
while read -r locale errors missing warnings; do
    if [[ "$errors" == "None" ]]; then
        echo "FAIL ${locale}: not in compare-locales' report"
        failed=$((failed + 1))
    elif (( errors == 0 && missing == 0 )); then
        echo "ok   ${locale}: ${errors} errors, ${missing} missing, ${warnings} warnings"
        passed=$((passed + 1))
    else
        echo "FAIL ${locale}: ${errors} errors, ${missing} missing, ${warnings} warnings"
        failed=$((failed + 1))
    fi
done < <(summarize "$work/report.json" "${LOCALES[@]}")

echo "i18n: ${passed} passed, ${failed} failed"
(( failed == 0 ))
