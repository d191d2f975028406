#!/usr/bin/env bash
# Redis (Debian's `redis-server`, 7 on bookworm) loads the rendered
# redis/users.acl (`aclfile`) on a free loopback port; then, logged in as each
# tenant A with its password: A's own keys and channels work; B's keys and
# channels, admin and dangerous commands, and key-name listing get NOPERM; the
# default user cannot log in; a wrong password is refused.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v redis-server >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends redis-server >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends redis-server >/dev/null; }
fi
source .ci/conformance/isolation.sh.inc
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
redis-server --version
redis-server --port "$PORT" --bind 127.0.0.1 --dir "$ISO_TMP" --save '' --appendonly no --enable-debug-command yes \
  --aclfile "$ISO_OUT/redis/users.acl" --daemonize no >"$ISO_TMP/redis.log" 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; rm -rf "$ISO_TMP"' EXIT

failures=0
passes=0
pass() { echo "ok: $1"; passes=$((passes + 1)); }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
# as USER PASSWORD COMMAND...: the reply (errors included) as redis-cli prints it.
as() { local user="$1" pw="$2"; shift 2; REDISCLI_AUTH="$pw" redis-cli --no-raw -h 127.0.0.1 -p "$PORT" --user "$user" "$@" 2>&1 || true; }
expect() { local what="$1" want="$2"; shift 2; local got; got="$(as "$@")"; if [ "$got" = "$want" ]; then pass "$what"; else fail "$what: wanted [$want], got [$got]"; fi; }
noperm() { local what="$1"; shift; local got; got="$(as "$@")"; if grep -q 'NOPERM' <<<"$got"; then pass "$what ($(head -n 1 <<<"$got" | cut -c1-80))"; else fail "$what: wanted NOPERM, got [$got]"; fi; }

for _ in $(seq 50); do
  if redis-cli -h 127.0.0.1 -p "$PORT" PING 2>&1 | grep -qE 'NOAUTH|PONG'; then break; fi
  sleep 0.1
done
got="$(redis-cli -h 127.0.0.1 -p "$PORT" PING 2>&1 || true)"
if grep -q 'NOAUTH' <<<"$got"; then pass "the default user is off ($got)"; else fail "the default user answered [$got]"; fi
got="$(as acme-music wrong-password PING)"
if grep -q 'WRONGPASS' <<<"$got"; then pass "a wrong password is refused"; else fail "wrong password: [$got]"; fi

check_pair() {
  local a="$1" ap="$2" b="$3" bp="$4" pubsub="$5"
  echo "-- A = $a, B = $b"
  expect "B writes its own key" 'OK' "$b" "$bp" SET "$b:secret" b-data
  expect "A writes its own key" 'OK' "$a" "$ap" SET "$a:k" a-data
  expect "A reads its own key" '"a-data"' "$a" "$ap" GET "$a:k"
  expect "A uses a hash of its own" '(integer) 1' "$a" "$ap" HSET "$a:h" f v
  expect "A deletes its own key" '(integer) 1' "$a" "$ap" DEL "$a:k"
  noperm "A cannot read B's key" "$a" "$ap" GET "$b:secret"
  noperm "A cannot write B's key" "$a" "$ap" SET "$b:secret" forged
  noperm "A cannot delete B's key" "$a" "$ap" DEL "$b:secret"
  noperm "A cannot copy B's key into its own" "$a" "$ap" COPY "$b:secret" "$a:stolen"
  noperm "A cannot read a key outside any prefix" "$a" "$ap" GET "$a"
  noperm "A cannot list keys" "$a" "$ap" KEYS '*'
  noperm "A cannot scan key names" "$a" "$ap" SCAN 0
  noperm "A cannot pick random key names" "$a" "$ap" RANDOMKEY
  noperm "A cannot flush" "$a" "$ap" FLUSHALL
  noperm "A cannot read the config" "$a" "$ap" CONFIG GET '*'
  noperm "A cannot change the ACL" "$a" "$ap" ACL SETUSER "$a" '+@all'
  noperm "A cannot list the ACL" "$a" "$ap" ACL LIST
  noperm "A cannot shut the server down" "$a" "$ap" SHUTDOWN
  noperm "A cannot run DEBUG" "$a" "$ap" DEBUG SLEEP 0
  noperm "A cannot run scripts" "$a" "$ap" EVAL "return redis.call('get', KEYS[1])" 1 "$b:secret"
  noperm "A cannot see other clients" "$a" "$ap" CLIENT LIST
  noperm "A cannot monitor" "$a" "$ap" MONITOR
  if [ "$pubsub" = yes ]; then
    expect "A publishes on its own channel" '(integer) 0' "$a" "$ap" PUBLISH "$a:events" hello
    noperm "A cannot publish on B's channel" "$a" "$ap" PUBLISH "$b:events" forged
    noperm "A cannot subscribe to B's channel" "$a" "$ap" SUBSCRIBE "$b:events"
    noperm "A cannot pattern-subscribe to everything" "$a" "$ap" PSUBSCRIBE '*'
    noperm "A cannot list other tenants' channels" "$a" "$ap" PUBSUB CHANNELS
  else
    noperm "A's tier has no pub/sub" "$a" "$ap" PUBLISH "$a:events" hello
  fi
  expect "B's key is intact" '"b-data"' "$b" "$bp" GET "$b:secret"
}
check_pair acme-music "$ISO_REDIS_acme_music" acme-twin "$ISO_REDIS_acme_twin" yes
check_pair beatforge "$ISO_REDIS_beatforge" beatforge-twin "$ISO_REDIS_beatforge_twin" yes
check_pair lofi-labs "$ISO_REDIS_lofi_labs" lofi-twin "$ISO_REDIS_lofi_twin" no
# A key prefix contains `-` but ends in `:`: acme-music cannot reach acme-musicx:...
noperm "a longer name sharing the prefix text is another tenant's" acme-music "$ISO_REDIS_acme_music" GET "acme-musicx:k"

# Control: the checks can fail. The same file with acme-music's key pattern
# widened by hand to `~*` (what the renderer must never write), loaded into a
# second server, lets acme-music read acme-twin's key.
sed 's/^\(user acme-music .*\) ~acme-music:\* /\1 ~* /' "$ISO_OUT/redis/users.acl" > "$ISO_TMP/widened.acl"
grep -q '^user acme-music .* ~\* ' "$ISO_TMP/widened.acl" || { echo "control: the sed did not widen the pattern"; exit 1; }
CONTROL_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
redis-server --port "$CONTROL_PORT" --bind 127.0.0.1 --dir "$ISO_TMP" --save '' --appendonly no \
  --aclfile "$ISO_TMP/widened.acl" --daemonize no >"$ISO_TMP/control.log" 2>&1 &
CONTROL_PID=$!
trap 'kill "$REDIS_PID" "$CONTROL_PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$ISO_TMP"' EXIT
for _ in $(seq 50); do
  if redis-cli -h 127.0.0.1 -p "$CONTROL_PORT" PING 2>&1 | grep -qE 'NOAUTH|PONG'; then break; fi
  sleep 0.1
done
REDISCLI_AUTH="$ISO_REDIS_acme_twin" redis-cli -h 127.0.0.1 -p "$CONTROL_PORT" --user acme-twin SET acme-twin:secret b-data >/dev/null
got="$(REDISCLI_AUTH="$ISO_REDIS_acme_music" redis-cli --no-raw -h 127.0.0.1 -p "$CONTROL_PORT" --user acme-music GET acme-twin:secret 2>&1 || true)"
if [ "$got" = '"b-data"' ]; then pass "control: a hand-widened pattern is caught by the same GET"; else fail "control: widened pattern gave [$got]"; fi

echo "redis checks: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
