#!/usr/bin/env bash
# Token endpoint benchmark: Tollgate token-api vs Keycloak on the same directory, same 1,000 users, same machine,
# same run. Measures password-grant and refresh-grant answers that carry tokens per second, p50 and p99 (wrk), the
# CPU each system spends per answer (/proc), and the floor of a grant on this machine (GrantFloor: one LDAP bind,
# one signature, one Redis round trip), and prints the ratios.
#
# Starts what it needs: the Tollgate local stack with 1,000 bench users in its embedded LDAP directory, then
# Keycloak (server distribution from Maven Central, on the JDK 25 it requires) with two realms:
#   - bench-ldap:   LDAP user federation (read-only, imported) to the stack's directory, the comparison that counts;
#   - bench-pbkdf2: the same 1,000 users as Keycloak's own users (PBKDF2-SHA512 password hashes).
# Before measuring it checks that bench-ldap really asks the directory: a user that exists only there (alice)
# logs in, a wrong password is refused, and the imported users carry the federation link.
#
# Everything is measured RUNS times (default 2) on the same started systems, each run with its own warm-up, fresh
# refresh tokens and its own table. Each run also prints the memory of both systems (VmRSS and its peak VmHWM of each
# service at the end of its measured password-grant run, ops/bench/proc-cpu.py mem) and of the refresh families in
# the stack's Redis after Tollgate's password-grant run (FamilyMemory, ops' test code: live families, bytes per live
# family, every key kind's keys and bytes, and the used_memory growth per family the run added).
#
#   ops/bench/token-vs-keycloak.sh            # 30 s per measurement
#   DURATION=20s MVN_OPTS=-o BENCH_LOCK=/tmp/bench.lock ops/bench/token-vs-keycloak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-16}
USERS=${USERS:-1000}
FLOOR_SECONDS=${FLOOR_SECONDS:-20}
RUNS=${RUNS:-2}
PBKDF2=${PBKDF2:-1} # 0: no bench-pbkdf2 realm (its import hashes 1,000 passwords, minutes on a busy machine)
KC_VERSION=${KC_VERSION:-26.4.7}
KC_PORT=${KC_PORT:-8180}
KC_JAVA_HOME=${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MVN_OPTS=${MVN_OPTS:-}
LDAP_URL=ldap://127.0.0.1:10389
BASE_DN=dc=tollgate,dc=test
WORK=$ROOT/.stack/bench
mkdir -p "$WORK"
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
CPU="python3 ops/bench/proc-cpu.py"
HZ=$($CPU hz)

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the floor's harness (ops' test classes) and its class path; ops/tollgate-stack builds stale jars ----
mvn -B -q $MVN_OPTS -pl ops -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null

# --- Tollgate (its directory is the one Keycloak's bench-ldap realm federates to) ----------------------
echo "starting the Tollgate stack with $USERS bench users"
# Its own Redis on a free port: brute-force counters or families left in another Redis by earlier runs
# (all of this load comes from one address, 127.0.0.1) must not colour the measurement.
REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
rm -rf "$WORK/stack-data"
TOLLGATE_REDIS_PORT=$REDIS_PORT TOLLGATE_DATA_DIR="$WORK/stack-data" TOLLGATE_BENCH_USERS=$USERS \
  ops/tollgate-stack > "$WORK/stack.log" 2>&1 &
STACK_PID=$!
pids+=($STACK_PID)
# Bench client: the demo public client; the plan's device limit only revokes old families asynchronously.
TG_CLIENT_ID=demo-mobile

# --- Keycloak -----------------------------------------------------------------------------------------
KC_HOME=$WORK/keycloak-$KC_VERSION
if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  echo "fetching Keycloak $KC_VERSION from Maven Central"
  mvn -q -B $MVN_OPTS dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip \
    -DoutputDirectory="$WORK"
  (cd "$WORK" && unzip -q -o keycloak-quarkus-dist-$KC_VERSION.zip)
fi
if [ ! -f "$KC_HOME/built-for-dev-file" ]; then # the build step, once: then every start is --optimized
  JAVA_HOME=$KC_JAVA_HOME "$KC_HOME/bin/kc.sh" build --db=dev-file > "$WORK/keycloak-build.log" 2>&1
  touch "$KC_HOME/built-for-dev-file"
fi
rm -rf "$KC_HOME/data"
echo "starting Keycloak on :$KC_PORT"
JAVA_HOME=$KC_JAVA_HOME JAVA_OPTS_KC_HEAP="-Xms256m -Xmx1g" \
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin-bench \
  "$KC_HOME/bin/kc.sh" start --optimized --http-enabled=true --http-host=127.0.0.1 --http-port=$KC_PORT \
  --hostname-strict=false > "$WORK/keycloak.log" 2>&1 &
KC_PID=$!
pids+=($KC_PID)
# Both start at once; on a busy machine either can take minutes.
for _ in $(seq 1 900); do
  grep -q "^READY:" "$WORK/stack.log" 2>/dev/null && break
  sleep 1
done
grep -q "^READY:" "$WORK/stack.log" || { echo "stack did not start; see $WORK/stack.log" >&2; exit 1; }
for _ in $(seq 1 900); do
  curl -sf -o /dev/null http://127.0.0.1:$KC_PORT/realms/master && break
  sleep 1
done
KC=http://127.0.0.1:$KC_PORT
curl -sf -o /dev/null $KC/realms/master || { echo "Keycloak did not start; see $WORK/keycloak.log" >&2; exit 1; }
admin() { # method path [json file]; a fresh admin token each time (they live 60 s, a sync can take longer)
  local token
  token=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin-bench \
    $KC/realms/master/protocol/openid-connect/token | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
  curl -sSf -X "$1" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    ${3:+--data @"$3"} "$KC/admin$2"
}
python3 - "$USERS" "$LDAP_URL" "$BASE_DN" "$WORK" <<'PY'
import json, sys
n, ldap_url, base, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
client = {"clientId": "bench-mobile", "publicClient": True, "directAccessGrantsEnabled": True,
          "standardFlowEnabled": False}
def attribute_mapper(name, ldap, model, mandatory="false"):
    return {"name": name, "providerId": "user-attribute-ldap-mapper",
            "config": {"ldap.attribute": [ldap], "user.model.attribute": [model], "read.only": ["true"],
                       "always.read.value.from.ldap": ["false"], "is.mandatory.in.ldap": [mandatory]}}
ldap = {"name": "tollgate-directory", "providerId": "ldap",
        "config": {"enabled": ["true"], "priority": ["0"], "vendor": ["other"], "connectionUrl": [ldap_url],
                   "authType": ["simple"], "bindDn": ["cn=admin," + base], "bindCredential": ["admin-secret"],
                   "usersDn": ["ou=people," + base], "searchScope": ["1"], "userObjectClasses": ["inetOrgPerson"],
                   "usernameLDAPAttribute": ["uid"], "rdnLDAPAttribute": ["uid"], "uuidLDAPAttribute": ["entryUUID"],
                   "editMode": ["READ_ONLY"], "importEnabled": ["true"], "syncRegistrations": ["false"],
                   "pagination": ["false"], "connectionPooling": ["true"], "useTruststoreSpi": ["never"],
                   "cachePolicy": ["DEFAULT"], "trustEmail": ["false"], "validatePasswordPolicy": ["false"],
                   "allowKerberosAuthentication": ["false"], "useKerberosForPasswordAuthentication": ["false"],
                   "batchSizeForSync": ["1000"], "fullSyncPeriod": ["-1"], "changedSyncPeriod": ["-1"]},
        "subComponents": {"org.keycloak.storage.ldap.mappers.LDAPStorageMapper": [
            attribute_mapper("username", "uid", "username", "true"),
            attribute_mapper("email", "mail", "email"),
            attribute_mapper("first name", "cn", "firstName", "true"),
            attribute_mapper("last name", "sn", "lastName", "true"),
            {"name": "groups", "providerId": "group-ldap-mapper",
             "config": {"groups.dn": ["ou=groups," + base], "group.name.ldap.attribute": ["cn"],
                        "group.object.classes": ["groupOfNames"], "preserve.group.inheritance": ["false"],
                        "ignore.missing.groups": ["false"], "membership.ldap.attribute": ["member"],
                        "membership.attribute.type": ["DN"], "membership.user.ldap.attribute": ["uid"],
                        "mode": ["READ_ONLY"],
                        # as Tollgate's local stack (groupsFrom: memberOf): a user's groups from its entry's memberOf
                        "user.roles.retrieve.strategy": ["GET_GROUPS_FROM_USER_MEMBEROF_ATTRIBUTE"],
                        "memberof.ldap.attribute": ["memberOf"], "drop.non.existing.groups.during.sync": ["false"]}}]}}
with open(work + "/realm-ldap.json", "w") as f:
    json.dump({"realm": "bench-ldap", "enabled": True, "accessTokenLifespan": 300, "clients": [client],
               "components": {"org.keycloak.storage.UserStorageProvider": [ldap]}}, f)
users = [{"username": "user%04d" % i, "enabled": True, "email": "user%04d@example.test" % i, "firstName": "Bench",
          "lastName": "user%04d" % i, "emailVerified": True,
          "credentials": [{"type": "password", "value": "pw-%04d" % i, "temporary": False}]} for i in range(1, n + 1)]
with open(work + "/realm-pbkdf2.json", "w") as f:
    json.dump({"realm": "bench-pbkdf2", "enabled": True, "accessTokenLifespan": 300, "clients": [client],
               "groups": [{"name": "mobile-users"}], "users": [dict(u, groups=["/mobile-users"]) for u in users]}, f)
PY
echo "creating realm bench-ldap (LDAP federation to $LDAP_URL) and importing its users and groups"
admin POST /realms "$WORK/realm-ldap.json" > /dev/null
LDAP_ID=$(admin GET "/realms/bench-ldap/components?type=org.keycloak.storage.UserStorageProvider" \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)[0]["id"])')
admin POST "/realms/bench-ldap/user-storage/$LDAP_ID/sync?action=triggerFullSync" | sed 's/^/  users: /'; echo
GROUPS_MAPPER=$(admin GET "/realms/bench-ldap/components?parent=$LDAP_ID&type=org.keycloak.storage.ldap.mappers.LDAPStorageMapper" \
  | python3 -c 'import sys,json;print([m["id"] for m in json.load(sys.stdin) if m["providerId"]=="group-ldap-mapper"][0])')
admin POST "/realms/bench-ldap/user-storage/$LDAP_ID/mappers/$GROUPS_MAPPER/sync?direction=fedToKeycloak" \
  | sed 's/^/  groups: /'; echo
if [ "$PBKDF2" = 1 ]; then
  echo "creating realm bench-pbkdf2 with $USERS own users (Keycloak hashes every password; takes a minute)"
  admin POST /realms "$WORK/realm-pbkdf2.json" > /dev/null
fi

# --- is bench-ldap really federated? ------------------------------------------------------------------
kc_login() { # realm username password -> HTTP status
  curl -s -o /dev/null -w '%{http_code}' -d grant_type=password -d client_id=bench-mobile -d username="$2" \
    -d password="$3" "$KC/realms/$1/protocol/openid-connect/token"
}
check() { # what expected actual
  if [ "$2" != "$3" ]; then echo "federation check failed: $1: expected $2, got $3" >&2; exit 1; fi
  echo "  ok: $1 ($3)"
}
echo "checking that bench-ldap asks the directory"
check "bench-ldap: user0001 with its directory password" 200 "$(kc_login bench-ldap user0001 pw-0001)"
check "bench-ldap: user0001 with a wrong password" 401 "$(kc_login bench-ldap user0001 wrong-password)"
check "bench-ldap: alice, who is only in the directory" 200 "$(kc_login bench-ldap alice alice-secret)"
[ "$PBKDF2" = 1 ] && check "bench-pbkdf2: alice is not one of its users" 401 "$(kc_login bench-pbkdf2 alice alice-secret)"
LINK=$(admin GET "/realms/bench-ldap/users?username=user0001&exact=true" \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)[0].get("federationLink",""))')
check "bench-ldap: user0001's federation link is the LDAP provider" "$LDAP_ID" "$LINK"
MEMBERS=$(admin GET "/realms/bench-ldap/groups?search=mobile-users&briefRepresentation=true" \
  | python3 -c 'import sys,json;g=json.load(sys.stdin);print(g[0]["name"] if g else "")')
check "bench-ldap: group mobile-users from the directory" mobile-users "$MEMBERS"
USER_ID=$(admin GET "/realms/bench-ldap/users?username=user0001&exact=true" \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)[0]["id"])')
USER_GROUPS=$(admin GET "/realms/bench-ldap/users/$USER_ID/groups" \
  | python3 -c 'import sys,json;print(",".join(sorted(g["name"] for g in json.load(sys.stdin))))')
check "bench-ldap: user0001's groups from its memberOf" mobile-users "$USER_GROUPS"
# The algorithm the stack signs with: the alg of a token it issues (the floor signs with the same).
TG_ALG=$(curl -sf -d grant_type=password -d client_id=$TG_CLIENT_ID -d username=user0001 -d password=pw-0001 \
  http://127.0.0.1:8080/oauth2/token | python3 -c 'import sys,json,base64
h=json.load(sys.stdin)["access_token"].split(".")[0]
print(json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))["alg"])')
echo "  tollgate: user0001's access token is signed with $TG_ALG"
check "tollgate: user0001 with a wrong password" 400 "$(curl -s -o /dev/null -w '%{http_code}' -d grant_type=password \
  -d client_id=$TG_CLIENT_ID -d username=user0001 -d password=wrong-password http://127.0.0.1:8080/oauth2/token)"

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
ticks() { $CPU ticks "$KC_PID" "$STACK_PID"; }
cpu_per_answer() { # before after ok labels...: ms of CPU per answer of the listed services, and the breakdown
  local before=$1 after=$2 ok=$3; shift 3
  python3 - "$before" "$after" "$ok" "$HZ" "$@" <<'PY'
import sys
before, after, ok, hz, labels = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
read = lambda s: {l.split()[0]: int(l.split()[1]) for l in s.splitlines() if l.strip()}
b, a = read(before), read(after)
ms = {l: (a.get(l, 0) - b.get(l, 0)) * 1000.0 / hz / max(ok, 1) for l in labels}
print("cpu_ms=%.2f cpu_split=%s" % (sum(ms.values()), ",".join("%s:%.2f" % (l, ms[l]) for l in labels if ms[l] > 0)))
PY
}
TG_LABELS="token-api policy-worker revocation-stream directory broker redis gateway"
KC_LABELS="keycloak directory"
measure() { # name url path client script labels [tokens]
  local name=$1 url=$2 path=$3 client=$4 script=$5 labels=$6 tokens=${7:-} before after ok
  before=$(ticks)
  TG_PATH=$path TG_CLIENT=$client TG_TOKENS=$tokens TG_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "ops/bench/$script" "$url" > "$WORK/$name.out" 2>&1 || true
  after=$(ticks)
  if ! grep -q '^RESULT ok=[1-9]' "$WORK/$name.out"; then
    echo "$name: no answer carried tokens; wrk said:" >&2; cat "$WORK/$name.out" >&2
  fi
  ok=$(sed -nE 's/^RESULT ok=([0-9]+).*/\1/p' "$WORK/$name.out")
  echo "$(grep '^RESULT' "$WORK/$name.out" | sed 's/^RESULT //') $(cpu_per_answer "$before" "$after" "${ok:-0}" $labels)"
}
warm() { # url path client
  TG_PATH=$2 TG_CLIENT=$3 wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s ops/bench/password-grant.lua "$1" > /dev/null
}

OPS_CP="ops/target/test-classes:ops/target/classes:$(cat "$WORK/cp.txt")"
# Refresh families in the stack's Redis: a snapshot ("used_memory families") before Tollgate's measured password-grant
# run, FamilyMemory's census (RESULT and KIND lines) after it.
family_snapshot() {
  java -Xmx256m -cp "$OPS_CP" io.tollgate.ops.bench.FamilyMemory "$REDIS_PORT" \
    | sed -nE 's/^SNAPSHOT used_memory=([0-9]+) families=([0-9]+)$/\1 \2/p'
}
family_census() { # snapshot
  # shellcheck disable=SC2086
  java -Xmx256m -cp "$OPS_CP" io.tollgate.ops.bench.FamilyMemory "$REDIS_PORT" $1
}
memory_tables() { # the run's memory: services of both systems, then the refresh families in Redis
  local result; result=$(grep '^RESULT' <<< "$FAMILIES" | sed 's/^RESULT //')
  echo
  echo "| system | service | processes | RSS MiB | peak RSS MiB | PSS MiB |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  printf '%s\n%s\n' "$KC_MEM" "$TG_MEM" | awk 'NF == 6 { printf "| %s | %s | %d | %.1f | %.1f | %.1f |\n", $1, $2, $3, $4 / 1024, $5 / 1024, $6 / 1024 }'
  echo
  echo "Redis after Tollgate's password-grant run: $(field "$result" live) live refresh families of $(field "$result" families)," \
    "$(field "$result" bytes_per_live_family) bytes per live family (its keys and its share of shared ones)," \
    "$(field "$result" family_keys_per_live_family) bytes of family keys per live family (dead families' included);" \
    "used_memory $(field "$result" used_memory) B, grown $(field "$result" used_memory_per_new_family) B per family the run added" \
    "($(field "$result" new_families) added)"
  echo
  echo "| Redis key kind | keys | bytes | bytes/key |"
  echo "| --- | ---: | ---: | ---: |"
  awk '$1 == "KIND" { printf "| `%s` | %d | %d | %.0f |\n", $2, $3, $4, $4 / $3 }' <<< "$FAMILIES"
}
KC_LDAP=/realms/bench-ldap/protocol/openid-connect/token
KC_PBKDF2=/realms/bench-pbkdf2/protocol/openid-connect/token
DIRECTORY_PID=$($CPU pids "$STACK_PID" | awk '$1=="directory"{p=$2} END{print p}')
REDIS_PID=$($CPU pids "$STACK_PID" | awk '$1=="redis"{p=$2} END{print p}')
field() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
ratio() { python3 -c "a=float('$1');b=float('$2');print('%.2fx' % (a/b) if b>0 else 'n/a')"; }
row() { # grant system result base
  echo "| $1 | $2 | $(field "$3" ok_per_s) | $(field "$3" p50_ms) | $(field "$3" p99_ms) | $(field "$3" cpu_ms) |" \
       "$(field "$3" cpu_split | sed 's/,/, /g') | $(ratio "$(field "$3" ok_per_s)" "$(field "$4" ok_per_s)") |"
}
# BENCH_LOCK: a lock file shared with other benchmarks on this machine, held from here to the end (start-up and
# realm import happen before, outside it).
if [ -n "${BENCH_LOCK:-}" ]; then
  echo "waiting for $BENCH_LOCK"
  exec 9>>"$BENCH_LOCK"
  flock 9
  echo "holding $BENCH_LOCK; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
for run in $(seq 1 "$RUNS"); do
  echo "warming up"
  warm $KC $KC_LDAP bench-mobile
  [ "$PBKDF2" = 1 ] && warm $KC $KC_PBKDF2 bench-mobile
  warm http://127.0.0.1:8080 /oauth2/token $TG_CLIENT_ID

  echo "measuring password grants ($DURATION each)"
  KC_PW=$(measure kc-ldap-password $KC $KC_LDAP bench-mobile password-grant.lua "$KC_LABELS")
  KC_MEM=$($CPU mem "keycloak=$KC_PID")
  KC2_PW=; [ "$PBKDF2" = 1 ] && KC2_PW=$(measure kc-pbkdf2-password $KC $KC_PBKDF2 bench-mobile password-grant.lua "$KC_LABELS")
  FAMILIES_BEFORE=$(family_snapshot)
  TG_PW=$(measure tollgate-password http://127.0.0.1:8080 /oauth2/token $TG_CLIENT_ID password-grant.lua "$TG_LABELS")
  TG_MEM=$($CPU mem "tollgate=$STACK_PID")
  FAMILIES=$(family_census "$FAMILIES_BEFORE")
  echo "collecting $USERS refresh tokens from each"
  refresh_tokens $KC $KC_LDAP bench-mobile "$WORK/kc-ldap-refresh.txt"
  [ "$PBKDF2" = 1 ] && refresh_tokens $KC $KC_PBKDF2 bench-mobile "$WORK/kc-pbkdf2-refresh.txt"
  refresh_tokens http://127.0.0.1:8080 /oauth2/token $TG_CLIENT_ID "$WORK/tg-refresh.txt"
  echo "measuring refresh grants ($DURATION each)"
  KC_RT=$(measure kc-ldap-refresh $KC $KC_LDAP bench-mobile refresh-grant.lua "$KC_LABELS" "$WORK/kc-ldap-refresh.txt")
  KC2_RT=; [ "$PBKDF2" = 1 ] && KC2_RT=$(measure kc-pbkdf2-refresh $KC $KC_PBKDF2 bench-mobile refresh-grant.lua "$KC_LABELS" "$WORK/kc-pbkdf2-refresh.txt")
  TG_RT=$(measure tollgate-refresh http://127.0.0.1:8080 /oauth2/token $TG_CLIENT_ID refresh-grant.lua "$TG_LABELS" "$WORK/tg-refresh.txt")

  # --- the floor: one LDAP bind + one signature + one Redis round trip, same concurrency -----------------
  echo "measuring the floor of a grant ($FLOOR_SECONDS s, $CONNS threads, $TG_ALG)"
  FLOOR=$(java -Xmx256m -Dldap="$LDAP_URL" -DusersDn="ou=people,$BASE_DN" -Dusers="$USERS" \
    -DredisPort="$REDIS_PORT" -Dalg="$TG_ALG" -Dthreads="$CONNS" -Dseconds="$FLOOR_SECONDS" \
    -Dpids="directory:$DIRECTORY_PID,redis:$REDIS_PID" \
    -cp "$OPS_CP" io.tollgate.ops.bench.GrantFloor \
    | grep '^RESULT' | sed 's/^RESULT //')

  echo
  echo "run $run of $RUNS, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| grant | system | token answers/s | p50 ms | p99 ms | CPU ms/answer | CPU split (ms) | vs Keycloak LDAP |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |"
  for grant in password refresh; do
    if [ $grant = password ]; then kc=$KC_PW; kc2=$KC2_PW; tg=$TG_PW; else kc=$KC_RT; kc2=$KC2_RT; tg=$TG_RT; fi
    row $grant "Keycloak $KC_VERSION, LDAP federation" "$kc" "$kc"
    [ "$PBKDF2" = 1 ] && row $grant "Keycloak $KC_VERSION, own users (PBKDF2)" "$kc2" "$kc"
    row $grant "Tollgate token-api ($TG_ALG)" "$tg" "$kc"
    echo "| $grant | floor: LDAP bind + $TG_ALG signature + Redis round trip | $(field "$FLOOR" ok_per_s) |" \
         "$(field "$FLOOR" p50_ms) | $(field "$FLOOR" p99_ms) | $(field "$FLOOR" cpu_ms) |" \
         "$(field "$FLOOR" cpu_split | sed 's/,/, /g') | $(ratio "$(field "$FLOOR" ok_per_s)" "$(field "$kc" ok_per_s)") |"
  done
  memory_tables
done
