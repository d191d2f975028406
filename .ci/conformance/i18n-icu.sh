#!/usr/bin/env bash
# Conformance of tenant-i18n's number and date conventions with ICU, the
# library behind JavaScript's `Intl`, through Node: the same table of cases
# (numbers, percentages, dates in five time zones, every month, the first of
# the month, one o'clock) is formatted by `tenant-i18n/examples/intl_table.rs`
# and by Node's `Intl.NumberFormat` / `Intl.DateTimeFormat`, and every line
# must be the same.
#
# The oracle is CLDR 48 (ICU 78), which `conventions.rs` follows; a Node whose
# ICU carries other CLDR data is refused rather than compared, since CLDR
# changes conventions between versions (Italian `minimumGroupingDigits` is 2
# in CLDR 48). The CI machine image has Node 20 with ICU 78.2 / CLDR 48;
# without `node`, Debian's `nodejs` is installed, and if its CLDR is another
# one the script fails and says so.
#
# Two divergences from CLDR are deliberate and documented in
# `conventions.rs` (French `1er` on the first of the month, Spanish
# `a la 1:05`); ICU's text is rewritten for exactly those two rules before the
# comparison, and the script requires that each rule was met at least once.
#
# Usage (from anywhere):
#   bash .ci/conformance/i18n-icu.sh
set -euo pipefail

REQUIRED_CLDR_MAJOR=48

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! command -v node > /dev/null; then
    echo "node not found; installing Debian's nodejs"
    if ! apt-get install -y --no-install-recommends nodejs > /dev/null; then
        apt-get update > /dev/null
        apt-get install -y --no-install-recommends nodejs > /dev/null
    fi
fi

cldr="$(node -p 'process.versions.cldr || ""')"
icu="$(node -p 'process.versions.icu || ""')"
echo "oracle: Node $(node --version), ICU ${icu:-none}, CLDR ${cldr:-none}"
if [[ "${cldr%%.*}" != "$REQUIRED_CLDR_MAJOR" ]]; then
    echo "FAIL: this Node carries CLDR ${cldr:-none}, not CLDR ${REQUIRED_CLDR_MAJOR}, which conventions.rs follows"
    echo "i18n-icu: 0 passed, 1 failed"
    exit 1
fi

# The oracle must know the CLDR 48 facts this suite exists for; a Node built
# with other locale data (or with English only, `small-icu`) fails here.
node - <<'JS'
const facts = [
    [new Intl.NumberFormat("it").format(1234), "1234"],
    [new Intl.NumberFormat("it").format(12345), "12.345"],
    [new Intl.NumberFormat("it", { style: "percent" }).format(12), "1200%"],
    [new Intl.DateTimeFormat("fr", { dateStyle: "medium", timeZone: "UTC" })
        .format(new Date("2025-04-04T12:00:00Z")), "4 avr. 2025"],
    [new Intl.DateTimeFormat("es", { dateStyle: "medium", timeZone: "UTC" })
        .format(new Date("2025-09-04T12:00:00Z")), "4 sept 2025"],
];
const wrong = facts.filter(([got, want]) => got !== want);
for (const [got, want] of wrong) console.error(`oracle says ${JSON.stringify(got)}, CLDR 48 says ${JSON.stringify(want)}`);
if (wrong.length) { console.log("i18n-icu: 0 passed, 1 failed"); process.exit(1); }
console.log(`self-check: the oracle gives CLDR 48's answer in ${facts.length} known cases`);
JS

# The cases and ICU's answers, from one Node script.
cat > "$work/oracle.js" <<'JS'
"use strict";
const fs = require("fs");
const [mode, path] = process.argv.slice(2);
const TAGS = ["en", "fr", "de", "es", "it"];

function cases() {
    const out = [];
    const numbers = [0, 0.5, 7, 999, 1000, 1234, 1234.5, 9999, 12345, 123456, 1000000,
        1234567.891, -1234.5678, -0.5, 0.001, 0.0005, 2.5, 999.9996];
    const ratios = [0, 0.08, 0.11, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88,
        0.89, 0.8525, 0.125, 0.255, 0.9995, 1, 12, 123.45];
    const zones = ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo", "Asia/Kolkata"];
    const styles = [["full", "short"], ["long", "short"], ["medium", "short"],
        ["short", "short"], ["full", "-"], ["long", "-"], ["medium", "-"], ["short", "-"],
        ["-", "short"], ["-", "medium"], ["long", "medium"]];
    const instants = [];
    for (let month = 1; month <= 12; month++) {
        const mm = String(month).padStart(2, "0");
        // The 1st just after midnight UTC, the 4th in the afternoon, and
        // 00:05 / 06:05 UTC, which are 1:05 in Paris (winter) and New York.
        instants.push(`2025-${mm}-01T00:05:00Z`, `2025-${mm}-04T13:05:09Z`,
            `2025-${mm}-15T23:30:00Z`, `2025-${mm}-04T06:05:00Z`);
    }
    for (const tag of TAGS) {
        for (const n of numbers) out.push(`number ${tag} ${n}`);
        for (const r of ratios) for (const d of [0, 1]) out.push(`percent ${tag} ${r} ${d}`);
        for (const instant of instants)
            for (const zone of zones)
                for (const [date, time] of styles)
                    out.push(`date ${tag} ${instant} ${zone} ${date} ${time}`);
    }
    return out;
}

// The documented divergences of conventions.rs, the same rules as
// `with_our_divergences` in tenant-i18n/tests/i18n/dates.rs.
const met = { fr: 0, es: 0 };
function diverge(tag, text) {
    if (tag === "fr") {
        const words = text.split(" ");
        const out = words.map((w, i) => {
            const next = words[i + 1];
            if (w === "1" && next !== undefined && /^\p{L}/u.test(next)) { met.fr++; return "1er"; }
            return w;
        });
        return out.join(" ");
    }
    if (tag === "es" && text.includes(" a las 1:")) { met.es++; return text.replaceAll(" a las 1:", " a la 1:"); }
    return text;
}

function icu(line) {
    const [kind, tag, ...rest] = line.split(" ");
    if (kind === "number") return new Intl.NumberFormat(tag).format(Number(rest[0]));
    if (kind === "percent")
        return new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: Number(rest[1]) })
            .format(Number(rest[0]));
    const [instant, timeZone, date, time] = rest;
    const options = { timeZone };
    if (date !== "-") options.dateStyle = date;
    if (time !== "-") options.timeStyle = time;
    return diverge(tag, new Intl.DateTimeFormat(tag, options).format(new Date(instant)));
}

if (mode === "cases") {
    fs.writeFileSync(path, cases().join("\n") + "\n");
} else {
    const lines = fs.readFileSync(path, "utf8").split("\n").filter((l) => l !== "");
    process.stdout.write(lines.map(icu).join("\n") + "\n");
    process.stderr.write(`divergences applied: fr 1er ${met.fr}, es a la 1 ${met.es}\n`);
    if (met.fr === 0 || met.es === 0) {
        process.stderr.write("a documented divergence was never exercised\n");
        process.exit(1);
    }
}
JS

node "$work/oracle.js" cases "$work/cases.txt"
if ! node "$work/oracle.js" answers "$work/cases.txt" > "$work/icu.txt" 2> "$work/icu.log"; then
    cat "$work/icu.log"
    echo "i18n-icu: 0 passed, 1 failed"
    exit 1
fi
cat "$work/icu.log"
cargo run -q -p tenant-i18n --example intl_table < "$work/cases.txt" > "$work/ours.txt"

total="$(wc -l < "$work/cases.txt")"
if [[ "$(wc -l < "$work/ours.txt")" != "$total" || "$(wc -l < "$work/icu.txt")" != "$total" ]]; then
    echo "FAIL: expected ${total} answers from each side"
    echo "i18n-icu: 0 passed, 1 failed"
    exit 1
fi

# The comparison must see a difference: one answer changed is one failure.
paste -d '\t' "$work/cases.txt" "$work/icu.txt" "$work/ours.txt" > "$work/joined.tsv"
broken="$(awk -F '\t' 'BEGIN { OFS = "\t" } NR == 1 { $3 = $3 "x" } { print }' "$work/joined.tsv" \
    | awk -F '\t' '$2 != $3 { d++ } END { print d + 0 }')"
if [[ "$broken" != 1 ]]; then
    echo "FAIL: the comparison did not notice a changed answer"
    echo "i18n-icu: 0 passed, 1 failed"
    exit 1
fi

# One line per kind of case: how many agree.
passed=0
failed=0
for kind in number percent date; do
    read -r agree disagree < <(awk -F '\t' -v kind="$kind" '
        index($1, kind " ") == 1 { if ($2 == $3) a++; else d++ }
        END { print a + 0, d + 0 }' "$work/joined.tsv")
    if (( disagree == 0 && agree > 0 )); then
        echo "ok   ${kind}: ${agree} cases agree with ICU ${icu}"
        passed=$((passed + 1))
    else
        echo "FAIL ${kind}: ${disagree} of $((agree + disagree)) cases differ from ICU ${icu}:"
        awk -F '\t' -v kind="$kind" 'index($1, kind " ") == 1 && $2 != $3 {
            printf "  %s\n    icu:  %s\n    ours: %s\n", $1, $2, $3 }' "$work/joined.tsv" | head -60
        failed=$((failed + 1))
    fi
done

echo "i18n-icu: ${passed} passed, ${failed} failed"
(( failed == 0 ))
