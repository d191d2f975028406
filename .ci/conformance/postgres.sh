#!/usr/bin/env bash
# PostgreSQL (Debian's `postgresql`, 15 on bookworm) enforces the rendered
# isolation: a throwaway cluster on a free loopback port, the application's
# shared tables, every tenant's script applied twice, then, connected as each
# tenant A with its password: A's own create/read/update/delete work, tenant
# B's rows are invisible or refused, writing a row as B fails, session
# settings gain nothing, and A can neither connect to B's database nor use
# B's schema. Then the offboarding scripts (applied twice) remove B and leave A.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends postgresql >/dev/null; }
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres

source .ci/conformance/isolation.sh.inc
PGDIR="$ISO_TMP/pg"
mkdir -p "$PGDIR"
chown postgres "$PGDIR"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop() {
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$ISO_TMP"
}
trap stop EXIT
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -U tkadmin --auth-local=trust --auth-host=scram-sha-256 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1" start >/dev/null
"$PGBIN/postgres" --version

failures=0
passes=0
pass() { echo "ok: $1"; passes=$((passes + 1)); }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
admin() { local db="$1"; shift; psql -X -q -tA -v ON_ERROR_STOP=1 -h "$PGDIR" -p "$PORT" -U tkadmin -d "$db" "$@"; }
# as ROLE PASSWORD DB SQL: runs SQL as a tenant over TCP with its password.
as() { PGPASSWORD="$2" psql -X -q -tA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$1" -d "$3" -c "$4" 2>&1; }
# expect DESCRIPTION WANTED ROLE PASSWORD DB SQL: output equals WANTED.
expect() {
  local got
  if got="$(as "$3" "$4" "$5" "$6")" && [ "$got" = "$2" ]; then pass "$1"; else fail "$1: wanted [$2], got [$got]"; fi
}
# refused DESCRIPTION PATTERN ROLE PASSWORD DB SQL: fails with PATTERN.
refused() {
  local got
  if got="$(as "$3" "$4" "$5" "$6")"; then fail "$1: succeeded: [$got]";
  elif grep -qiE "$2" <<<"$got"; then pass "$1 ($(head -n 1 <<<"$got" | cut -c1-90))";
  else fail "$1: wrong error [$got]"; fi
}

# The application's database and shared tables (as the application creates them).
admin postgres -c "CREATE ROLE app_owner NOLOGIN" -c "CREATE DATABASE music OWNER app_owner"
admin music -c "CREATE SCHEMA shared AUTHORIZATION app_owner" \
  -c "CREATE TABLE shared.tracks (id text PRIMARY KEY, tenant_id uuid NOT NULL, title text NOT NULL)" \
  -c "ALTER TABLE shared.tracks OWNER TO app_owner"

# A row-mode script stops with a clear message while a shared table is missing.
if out="$(admin music -f "$ISO_OUT/postgres/lofi-labs.sql" 2>&1)"; then
  fail "row script applied although shared.playlists is missing"
elif grep -q 'shared table "shared"."playlists" does not exist' <<<"$out"; then
  pass "row script stops: $(grep -o 'tenant-kit: shared table.*' <<<"$out" | head -n 1)"
else
  fail "row script failed for another reason: $out"
fi
admin music -c "CREATE TABLE shared.playlists (id text PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL)" \
  -c "ALTER TABLE shared.playlists OWNER TO app_owner"

# Every script, twice: idempotent.
declare -A DB=([acme-music]=music [acme-twin]=music [lofi-labs]=music [lofi-twin]=music [beatforge]=postgres [beatforge-twin]=postgres)
for round in 1 2; do
  for slug in acme-music acme-twin beatforge beatforge-twin lofi-labs lofi-twin; do
    if admin "${DB[$slug]}" -f "$ISO_OUT/postgres/$slug.sql" >"$ISO_TMP/apply.log" 2>&1; then
      pass "apply $slug.sql (round $round)"
    else
      fail "apply $slug.sql (round $round): $(cat "$ISO_TMP/apply.log")"
    fi
  done
done
# The second round changed nothing: roles, policies and ACLs are as after the first.
snapshot() { admin music -c "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls, rolconnlimit, rolpassword FROM pg_authid WHERE rolname LIKE '%_app' ORDER BY 1" -c "SELECT polname, polrelid::regclass, pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid) FROM pg_policy ORDER BY 1, 2" -c "SELECT nspname, nspowner::regrole, nspacl FROM pg_namespace ORDER BY 1" -c "SELECT datname, datdba::regrole, datacl, datconnlimit FROM pg_database ORDER BY 1"; }
before="$(snapshot)"
for slug in acme-music beatforge lofi-labs; do admin "${DB[$slug]}" -f "$ISO_OUT/postgres/$slug.sql" >/dev/null 2>&1; done
if [ "$before" = "$(snapshot)" ]; then pass "a third application changes nothing in the catalog"; else fail "re-applying changed the catalog"; fi
if admin music -c "SELECT rolname FROM pg_authid WHERE rolname LIKE '%_app' AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolreplication OR rolinherit)" | grep -q .; then
  fail "a tenant role has SUPERUSER, BYPASSRLS, CREATEROLE, REPLICATION or INHERIT"
else
  pass "no tenant role has SUPERUSER, BYPASSRLS, CREATEROLE, REPLICATION or INHERIT"
fi
if admin music -c "SELECT rolpassword FROM pg_authid WHERE rolname = 'acme_music_app'" | grep -q '^SCRAM-SHA-256\$4096:'; then
  pass "passwords are stored as SCRAM-SHA-256 verifiers"
else
  fail "acme_music_app has no SCRAM verifier"
fi
if grep -q "$ISO_PG_acme_music" "$ISO_OUT/postgres/acme-music.sql"; then fail "the script holds the cleartext password"; else pass "the script holds no cleartext password"; fi
if [ "$(admin music -c "SELECT rolpassword FROM pg_authid WHERE rolname = 'lofi_twin_app'")" = "$ISO_PG_VERIFIER_lofi_twin" ]; then
  pass "a verifier given as the password is stored as it is"
else
  fail "lofi_twin_app does not hold the verifier it was given"
fi
expect "the tenant whose verifier was given logs in with the password behind it" "1" lofi_twin_app "$ISO_PG_lofi_twin" music "SELECT 1"
if python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); sys.exit(0 if all(f["secret"] == (not f["path"].startswith("postgres/offboard/")) for f in m["files"] if f["path"].startswith("postgres/")) else 1)' "$ISO_OUT/MANIFEST.json"; then
  pass "isolation scripts are marked secret in MANIFEST.json, offboarding scripts are not"
else
  fail "MANIFEST.json marks the postgres files wrongly"
fi

A=acme_music_app; AP="$ISO_PG_acme_music"; B=acme_twin_app; BP="$ISO_PG_acme_twin"
echo "-- schema mode: A = $A, B = $B"
refused "a wrong password is refused" 'password authentication failed' "$A" wrong-password music "SELECT 1"
expect "B creates its own table" "" "$B" "$BP" music "CREATE TABLE b_items (id int PRIMARY KEY, v text); INSERT INTO b_items VALUES (1, 'b')"
expect "A's search_path is its schema" 'tenant_acme_music' "$A" "$AP" music "SHOW search_path"
expect "A creates, inserts and reads in its schema" "1|a" "$A" "$AP" music "CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items VALUES (1, 'a'); SELECT * FROM items"
expect "A updates its row" "1|a2" "$A" "$AP" music "UPDATE items SET v = 'a2' WHERE id = 1; SELECT * FROM tenant_acme_music.items"
expect "A deletes its row" "0" "$A" "$AP" music "DELETE FROM items WHERE id = 1; SELECT count(*) FROM items"
refused "A cannot read B's schema" 'permission denied for schema' "$A" "$AP" music "SELECT * FROM tenant_acme_twin.b_items"
refused "A cannot write into B's schema" 'permission denied for schema' "$A" "$AP" music "INSERT INTO tenant_acme_twin.b_items VALUES (2, 'x')"
refused "A cannot create in B's schema" 'permission denied for schema' "$A" "$AP" music "CREATE TABLE tenant_acme_twin.evil (x int)"
refused "setting search_path to B's schema gains nothing" 'permission denied|does not exist' "$A" "$AP" music "SET search_path = tenant_acme_twin; SELECT * FROM b_items"
refused "A cannot create in public" 'permission denied for schema public' "$A" "$AP" music "CREATE TABLE public.evil (x int)"
refused "A cannot become B" 'permission denied to set role' "$A" "$AP" music "SET ROLE $B"
refused "A cannot connect to beatforge's database" 'permission denied for database|not have CONNECT' "$A" "$AP" beatforge "SELECT 1"

A=beatforge_app; AP="$ISO_PG_beatforge"; B=beatforge_twin_app; BP="$ISO_PG_beatforge_twin"
echo "-- database mode: A = $A, B = $B"
expect "A creates, reads, updates and deletes in its database" "1|a2
0" "$A" "$AP" beatforge "CREATE SCHEMA IF NOT EXISTS app; CREATE TABLE app.items (id int PRIMARY KEY, v text); INSERT INTO app.items VALUES (1, 'a'); UPDATE app.items SET v = 'a2'; SELECT * FROM app.items; DELETE FROM app.items; SELECT count(*) FROM app.items"
refused "A cannot connect to B's database" 'permission denied for database|not have CONNECT' "$A" "$AP" beatforge_twin "SELECT 1"
refused "B cannot connect to A's database" 'permission denied for database|not have CONNECT' "$B" "$BP" beatforge "SELECT 1"
refused "A cannot use acme-music's schema" 'permission denied for schema' "$A" "$AP" music "SELECT * FROM tenant_acme_music.items"
expect "A's database has its connection limit and owner" "beatforge_app|-1" "$A" "$AP" beatforge "SELECT datdba::regrole, datconnlimit FROM pg_database WHERE datname = current_database()"

A=lofi_labs_app; AP="$ISO_PG_lofi_labs"; B=lofi_twin_app; BP="$ISO_PG_lofi_twin"
AID=c3a1f0d2-8b7e-4e21-9f6a-0d5b4c3e2a19; BID=9e4b2c61-0a3d-4b7f-8c5e-1f6a7d8b9c20
grep -q "^id: $AID" examples/tenants/lofi-labs.yaml || { echo "lofi-labs' id changed: update postgres.sh"; exit 1; }
echo "-- row mode: A = $A, B = $B"
admin music -c "INSERT INTO shared.tracks VALUES ('b1', '$BID', 'B one'), ('b2', '$BID', 'B two')"
expect "A inserts and reads its own row" "a1|$AID|A one" "$A" "$AP" music "INSERT INTO tracks VALUES ('a1', '$AID', 'A one'); SELECT * FROM tracks"
expect "A updates its own row" "A uno" "$A" "$AP" music "UPDATE tracks SET title = 'A uno' WHERE id = 'a1'; SELECT title FROM tracks"
expect "B's rows are invisible to A" "1|0" "$A" "$AP" music "SELECT count(*), count(*) FILTER (WHERE tenant_id = '$BID') FROM shared.tracks"
expect "B's rows cannot be found by id" "0" "$A" "$AP" music "SELECT count(*) FROM tracks WHERE id IN ('b1', 'b2')"
refused "A cannot insert a row as B" 'row-level security' "$A" "$AP" music "INSERT INTO tracks VALUES ('x', '$BID', 'forged')"
refused "A cannot move its row to B" 'row-level security' "$A" "$AP" music "UPDATE tracks SET tenant_id = '$BID' WHERE id = 'a1'"
expect "A's update of B's rows touches nothing" "0" "$A" "$AP" music "WITH u AS (UPDATE tracks SET title = 'pwned' WHERE tenant_id = '$BID' RETURNING 1) SELECT count(*) FROM u"
expect "A's delete of B's rows touches nothing" "0" "$A" "$AP" music "WITH d AS (DELETE FROM tracks WHERE id LIKE 'b%' RETURNING 1) SELECT count(*) FROM d"
expect "B's rows are intact" "2|B one,B two" "$B" "$BP" music "SELECT count(*), string_agg(title, ',' ORDER BY id) FROM tracks"
expect "SET app.tenant_id gains nothing" "1" "$A" "$AP" music "SET app.tenant_id = '$BID'; SELECT count(*) FROM tracks"
expect "set_config gains nothing" "t
1" "$A" "$AP" music "SELECT set_config('app.tenant_id', '$BID', false) = set_config('app.current_tenant', '$BID', false); SELECT count(*) FROM tracks"
refused "turning row_security off gains nothing" 'row-level security' "$A" "$AP" music "SET row_security = off; SELECT count(*) FROM tracks"
refused "A cannot become B" 'permission denied to set role' "$A" "$AP" music "SET ROLE $B"
refused "A cannot become the tables' owner" 'permission denied to set role' "$A" "$AP" music "SET ROLE app_owner"
refused "A cannot turn row-level security off" 'must be owner' "$A" "$AP" music "ALTER TABLE tracks DISABLE ROW LEVEL SECURITY"
refused "A cannot drop B's policy" 'must be owner' "$A" "$AP" music "DROP POLICY $B ON tracks"
refused "A cannot read acme-music's schema" 'permission denied for schema' "$A" "$AP" music "SELECT * FROM tenant_acme_music.items"
refused "A cannot create in public" 'permission denied for schema public' "$A" "$AP" music "CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS 'SELECT 1::text'"
refused "A cannot create in the shared schema" 'permission denied for schema shared' "$A" "$AP" music "CREATE TABLE shared.evil (x int)"
expect "A deletes its own row" "0" "$A" "$AP" music "DELETE FROM tracks WHERE id = 'a1'; SELECT count(*) FROM tracks"

# Control: the checks above can fail. A permissive policy added by hand
# (what the renderer must never write) makes B's rows visible to A.
admin music -c "CREATE POLICY control_leak ON shared.tracks FOR SELECT TO $A USING (true)"
if [ "$(as "$A" "$AP" music "SELECT count(*) FROM tracks WHERE tenant_id = '$BID'")" = 2 ]; then
  pass "control: a hand-written permissive policy is caught by the same query"
else
  fail "control: the leak query did not see the leak"
fi
admin music -c "DROP POLICY control_leak ON shared.tracks"
expect "control removed: B's rows are invisible again" "0" "$A" "$AP" music "SELECT count(*) FROM tracks WHERE tenant_id = '$BID'"

echo "-- offboarding the twins (erasure_on_offboarding: true), twice"
admin music -c "INSERT INTO shared.tracks VALUES ('a9', '$AID', 'A stays')"
for round in 1 2; do
  for slug in acme-twin beatforge-twin lofi-twin; do
    if admin "${DB[$slug]}" -f "$ISO_OUT/postgres/offboard/$slug.sql" >"$ISO_TMP/apply.log" 2>&1; then
      pass "offboard $slug (round $round)"
    else
      fail "offboard $slug (round $round): $(cat "$ISO_TMP/apply.log")"
    fi
  done
done
got="$(admin music -c "SELECT (SELECT count(*) FROM pg_roles WHERE rolname IN ('acme_twin_app', 'beatforge_twin_app', 'lofi_twin_app')), (SELECT count(*) FROM pg_database WHERE datname = 'beatforge_twin'), (SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_acme_twin'), (SELECT count(*) FROM shared.tracks WHERE tenant_id = '$BID'), (SELECT count(*) FROM shared.tracks WHERE tenant_id = '$AID'), (SELECT count(*) FROM pg_policy WHERE polname = 'lofi_twin_app')")"
if [ "$got" = "0|0|0|0|1|0" ]; then pass "offboarded: roles, database, schema, rows and policies gone; A's rows stay"; else fail "offboarding left [$got] (roles|database|schema|B rows|A rows|policies), wanted 0|0|0|0|1|0"; fi
expect "A still works after B left" "1" "$A" "$AP" music "SELECT count(*) FROM tracks"

echo "-- the hostile corpus (display names with quotes, backslashes, dollars, controls) applied twice"
admin music -c "CREATE TABLE public.tenants (id int)"
HOSTILE_0_PG_PASSWORD=h0 HOSTILE_1_PG_PASSWORD=h1 HOSTILE_2_PG_PASSWORD=h2 \
  target/debug/tenantctl render tenant-render/tests/hostile examples/platform.yaml --out "$ISO_TMP/hostile" --only postgres >/dev/null
for round in 1 2; do
  for slug in hostile-acme-music hostile-beatforge hostile-lofi-labs; do
    db=music; [ "$slug" = hostile-beatforge ] && db=postgres
    if admin "$db" -f "$ISO_TMP/hostile/postgres/$slug.sql" >"$ISO_TMP/apply.log" 2>&1; then
      pass "apply $slug.sql (round $round)"
    else
      fail "apply $slug.sql (round $round): $(cat "$ISO_TMP/apply.log")"
    fi
  done
done
got="$(admin music -c "SELECT count(*) FROM pg_shdescription d JOIN pg_roles r ON r.oid = d.objoid WHERE r.rolname LIKE 'hostile_%' AND d.description LIKE 'tenant-kit: tenant hostile-%'")"
if [ "$got" = 3 ]; then pass "hostile display names are stored as comments, whole"; else fail "hostile comments: [$got]"; fi
if admin music -c "SELECT 1 FROM public.tenants" >/dev/null 2>&1; then pass "'; DROP TABLE tenants; -- stayed text"; else fail "public.tenants was dropped"; fi
expect "a hostile tenant logs in with its verifier" "hostile_lofi_labs_app" hostile_lofi_labs_app h2 music "SELECT current_user"

echo "postgres checks: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
