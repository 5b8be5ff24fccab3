#!/usr/bin/env bash
# Token endpoint benchmark: Tollgate token-api vs Keycloak, same 1,000 users, same machine, same run.
# Measures password-grant and refresh-grant answers that carry tokens per second, p50 and p99, with wrk,
# and prints the ratios. Starts what it needs: Keycloak (server distribution from Maven Central, on the
# JDK 25 it requires) and the Tollgate local stack with 1,000 bench users in its embedded LDAP.
#
#   ops/bench/token-vs-keycloak.sh            # 30 s per measurement
#   DURATION=10s ops/bench/token-vs-keycloak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-16}
USERS=${USERS:-1000}
KC_VERSION=${KC_VERSION:-26.4.7}
KC_PORT=${KC_PORT:-8180}
KC_JAVA_HOME=${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
WORK=$ROOT/.stack/bench
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# --- Keycloak -----------------------------------------------------------------------------------------
KC_HOME=$WORK/keycloak-$KC_VERSION
if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  echo "fetching Keycloak $KC_VERSION from Maven Central"
  mvn -q -B dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip -DoutputDirectory="$WORK"
  (cd "$WORK" && unzip -q -o keycloak-quarkus-dist-$KC_VERSION.zip)
fi
rm -rf "$KC_HOME/data"
echo "starting Keycloak on :$KC_PORT"
JAVA_HOME=$KC_JAVA_HOME JAVA_OPTS_KC_HEAP="-Xms256m -Xmx1g" \
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin-bench \
  "$KC_HOME/bin/kc.sh" start --http-enabled=true --http-host=127.0.0.1 --http-port=$KC_PORT \
  --hostname-strict=false --db=dev-file > "$WORK/keycloak.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do
  curl -sf -o /dev/null http://127.0.0.1:$KC_PORT/realms/master && break
  sleep 1
done
ADMIN_TOKEN=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin-bench \
  http://127.0.0.1:$KC_PORT/realms/master/protocol/openid-connect/token | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
python3 - "$USERS" > "$WORK/realm.json" <<'PY'
import json, sys
n = int(sys.argv[1])
users = [{"username": "user%04d" % i, "enabled": True, "email": "user%04d@example.test" % i, "firstName": "Bench",
          "lastName": "%04d" % i, "emailVerified": True,
          "credentials": [{"type": "password", "value": "pw-%04d" % i, "temporary": False}]} for i in range(1, n + 1)]
print(json.dumps({"realm": "tollgate-bench", "enabled": True, "accessTokenLifespan": 300,
                  "clients": [{"clientId": "bench-mobile", "publicClient": True, "directAccessGrantsEnabled": True,
                               "standardFlowEnabled": False}], "users": users}))
PY
echo "importing realm with $USERS users into Keycloak (it hashes every password; takes a minute)"
curl -sf -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" \
  --data @"$WORK/realm.json" http://127.0.0.1:$KC_PORT/admin/realms
KC_TOKEN_PATH=/realms/tollgate-bench/protocol/openid-connect/token

# --- Tollgate -----------------------------------------------------------------------------------------
echo "starting the Tollgate stack with $USERS bench users"
# Its own Redis on a free port: brute-force counters or families left in another Redis by earlier runs
# (all of this load comes from one address, 127.0.0.1) must not colour the measurement.
REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
TOLLGATE_REDIS_PORT=$REDIS_PORT TOLLGATE_DATA_DIR="$WORK/stack-data" TOLLGATE_BENCH_USERS=$USERS \
  ops/tollgate-stack > "$WORK/stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  grep -q "^READY:" "$WORK/stack.log" 2>/dev/null && break
  sleep 1
done
grep -q "^READY:" "$WORK/stack.log" || { echo "stack did not start; see $WORK/stack.log" >&2; exit 1; }
# Bench client: the demo public client; the plan's device limit only revokes old families asynchronously.
TG_CLIENT_ID=demo-mobile

# --- helpers ------------------------------------------------------------------------------------------
refresh_tokens() { # url path client file: one fresh refresh token per bench user, one per line
  # One process writes the file (parallel writers on one pipe once glued tokens together on a line).
  python3 - "$1$2" "$3" "$USERS" "$4" <<'PY'
import json, sys, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor
url, client, users, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def login(i):
    body = urllib.parse.urlencode({"grant_type": "password", "client_id": client,
                                   "username": "user%04d" % i, "password": "pw-%04d" % i}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as r:
            return json.load(r).get("refresh_token")
    except Exception:
        return None
with ThreadPoolExecutor(8) as pool:
    tokens = [t for t in pool.map(login, range(1, users + 1)) if t]
with open(out, "w") as f:
    f.write("".join(t + "\n" for t in tokens))
print("collected %d of %d refresh tokens" % (len(tokens), users), file=sys.stderr)
PY
}
measure() { # name url path client script [tokens]
  local name=$1 url=$2 path=$3 client=$4 script=$5 tokens=${6:-}
  TG_PATH=$path TG_CLIENT=$client TG_TOKENS=$tokens TG_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "ops/bench/$script" "$url" > "$WORK/$name.out" 2>&1 || true
  if ! grep -q '^RESULT ok=[1-9]' "$WORK/$name.out"; then
    echo "$name: no answer carried tokens; wrk said:" >&2; cat "$WORK/$name.out" >&2
  fi
  grep '^RESULT' "$WORK/$name.out" | sed "s/^RESULT/$name/"
}
warm() { # url path client
  TG_PATH=$2 TG_CLIENT=$3 wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s ops/bench/password-grant.lua "$1" > /dev/null
}

echo "warming up"
warm http://127.0.0.1:$KC_PORT $KC_TOKEN_PATH bench-mobile
warm http://127.0.0.1:8080 /oauth2/token $TG_CLIENT_ID

echo "measuring password grants ($DURATION each)"
KC_PW=$(measure keycloak-password http://127.0.0.1:$KC_PORT $KC_TOKEN_PATH bench-mobile password-grant.lua)
TG_PW=$(measure tollgate-password http://127.0.0.1:8080 /oauth2/token $TG_CLIENT_ID password-grant.lua)
echo "collecting $USERS refresh tokens from each"
refresh_tokens http://127.0.0.1:$KC_PORT $KC_TOKEN_PATH bench-mobile "$WORK/kc-refresh.txt"
refresh_tokens http://127.0.0.1:8080 /oauth2/token $TG_CLIENT_ID "$WORK/tg-refresh.txt"
echo "measuring refresh grants ($DURATION each)"
KC_RT=$(measure keycloak-refresh http://127.0.0.1:$KC_PORT $KC_TOKEN_PATH bench-mobile refresh-grant.lua "$WORK/kc-refresh.txt")
TG_RT=$(measure tollgate-refresh http://127.0.0.1:8080 /oauth2/token $TG_CLIENT_ID refresh-grant.lua "$WORK/tg-refresh.txt")

field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
ratio() { python3 -c "a=float('$1');b=float('$2');print('%.1fx' % (a/b) if b>0 else 'n/a')"; }
echo
echo "| grant | system | token answers/s | p50 ms | p99 ms | ratio vs Keycloak |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for pair in "password:$KC_PW:$TG_PW" "refresh:$KC_RT:$TG_RT"; do
  IFS=: read -r grant kc tg <<< "$pair"
  echo "| $grant | Keycloak $KC_VERSION | $(field "$kc" ok_per_s) | $(field "$kc" p50_ms) | $(field "$kc" p99_ms) | 1.0x |"
  echo "| $grant | Tollgate token-api | $(field "$tg" ok_per_s) | $(field "$tg" p50_ms) | $(field "$tg" p99_ms) | $(ratio "$(field "$tg" ok_per_s)" "$(field "$kc" ok_per_s)") |"
done
