#!/usr/bin/env bash
# Gateway vs nginx vs direct, same upstream, same wrk settings, in two variants:
#   plain: HTTP on every listener;
#   tls:   TLS (1.3, one ECDSA P-256 certificate the script makes with openssl) on the client-facing listener of
#          each target: the gateway's proxy.tls listener, nginx's `listen ... ssl`, and, for the floor, the
#          upstream nginx's own ssl listener. Behind the proxies the upstream is plain HTTP in both variants.
#
#   ops/bench/gateway-vs-nginx.sh            (from the repository root; needs wrk, nginx, redis-server, openssl)
#   ops/bench/gateway-vs-nginx.sh --dpop     the same with DPoP (RFC 9449): the tokens are DPoP-bound (cnf.jkt) and
#                                            every request carries its own fresh proof (see "DPoP mode" below)
#
# Env: DURATION (10s), WARMUP (45s before each measured run: C2 needs that long to finish compiling the
# gateway's hot path; with 15s its JIT threads still took ~6 us per request of the measured run), CONNECTIONS (64), THREADS (2),
# TOKENS (1000), GATEWAY_XMX (512m; the gateway JVM also gets dist's JVM options, DIST_OPTS), SKIP_BUILD (1 = do not compile, only resolve the classpath), HARNESS_OPTS,
# VARIANTS ("plain tls"), ONLY_GATEWAY (1 = measure the gateway alone, first variant only), FLOOR (1 = also measure
# the floor, the same proxy with its pipeline off; on by default, not in DPoP mode), JFR (1 = record the gateway's
# measured run with ops/bench/gateway-run.jfc: bytes allocated per request, GC count and longest pause, top frames;
# off by default: a recording started at the measured run deoptimises the JVM's compiled code and the JIT
# recompiles during the run, so with JFR=1 the floor's and the gateway's requests/s and CPU come out 2-4x worse;
# take throughput from a JFR=0 run, allocation and GC from a JFR=1 run).
# The upstream is an nginx answering a fixed small JSON body (so the upstream is never the bottleneck);
# "nginx" is a plain nginx reverse proxy with upstream keep-alive in front of it, with `worker_processes auto`
# as a packaged nginx runs; "gateway" is one Tollgate
# gateway node doing full validation (signature or verified-token cache hit), token state (local cache),
# the Redis rate-limit script (one round trip per call) and identity headers, with 1,000 distinct valid
# tokens rotated by wrk. Kafka and Redis come from the test fixtures (GatewayBenchHarness), started anew for
# each variant. "floor" is the same proxy (entrance, route match, outbound side, upstream pool) with its pipeline
# off: no check, metric or event; only the harness builds it (-Dbench.floor=true), no configuration can.
# Besides requests/s and latency it prints the CPU time each target's processes spent per request, and the memory
# (VmRSS, and its peak VmHWM) of each service, the target's and the upstream's, at the end of each measured run.
#
# DPoP mode (--dpop): the harness also makes DPoP-bound twins of the tokens, bound to one P-256 key. Before each
# measured run (and before a DPoP warm-up) DpopProofFiles (gateway test code, Nimbus ES256 over Bouncy Castle's ECDSA) writes fresh proofs
# (unique jti, iat = now, ath of the token, htu = the gateway's URL), one file per wrk thread, and
# ops/bench/dpop-proofs.lua sends each line once as "Authorization: DPoP <token>" + "DPoP: <proof>". Every target
# (direct, nginx, gateway) gets the same headers; only the gateway checks them (signature, claims, and the jti
# replay cache in Redis: one more round trip per call). Warm-up: WARMUP with the bearer tokens (the proxy path),
# then DPOP_WARMUP (15s) with proofs (the DPoP step). Env: DPOP_RATE (30000): proofs made per second of
# DURATION (and DPOP_WARMUP), the rate no target may exceed, else its threads run out and resend proofs, which
# the gateway refuses as replays (the script says so). Proofs must be at most 60 s old when used, so the
# generation (about 1 KB and one ES256 signature per proof) plus DURATION must stay under a minute: 30 s x 30k/s
# (900k proofs, ~1 GB in wrk) is too many for this; keep DURATION at 10-20s.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TOKENS=${TOKENS:-1000}
GATEWAY_XMX=${GATEWAY_XMX:-512m}
WORK=$(mktemp -d /tmp/tollgate-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
UP_PORT=$(free_port); NGX_PORT=$(free_port); GW_PORT=$(free_port); UPS_PORT=$(free_port); NGXS_PORT=$(free_port)
FL_PORT=$(free_port)
VARIANTS=${VARIANTS:-plain tls}
DPOP=0
for arg in "$@"; do
  case "$arg" in --dpop) DPOP=1 ;; *) echo "usage: $0 [--dpop]"; exit 2 ;; esac
done
DPOP_RATE=${DPOP_RATE:-30000}
FLOOR=${FLOOR:-1}; [ "$DPOP" = 1 ] && FLOOR=0
JFR=${JFR:-0}
DPOP_WARMUP=${DPOP_WARMUP:-15s}
seconds() { # wrk duration (10s, 2m) -> seconds
  case "$1" in *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac
}
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for n in upstream proxy; do [ -f "$WORK/$n.pid" ] && kill "$(cat "$WORK/$n.pid")" 2>/dev/null || true; done
  sleep 1; rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk nginx redis-server java jcmd mvn python3 openssl curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk nginx-light redis-server openssl curl)"; exit 1; }
done

# Compiles (test classes hold the harness) and writes the test classpath in one reactor run.
if [ "${SKIP_BUILD:-0}" = 1 ]; then GOALS="dependency:build-classpath"; PROJECTS="gateway"
else GOALS="test-compile dependency:build-classpath"; PROJECTS="gateway -am"; fi
mvn -B -q ${MVN_OPTS:-} -pl $PROJECTS $GOALS -DskipTests \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null
CP="gateway/target/classes:gateway/target/test-classes:shared/target/classes:shared/target/test-classes:$(cat "$WORK/cp.txt")"

# One certificate for every TLS listener: self-signed ECDSA P-256 for 127.0.0.1, key in PKCS#8 (-noenc).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -noenc -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
TLS_CONF="ssl_certificate $WORK/cert.pem; ssl_certificate_key $WORK/key.pem; ssl_protocols TLSv1.2 TLSv1.3;"

# Two nginx instances (two processes): the upstream, and the plain reverse proxy in front of it. With one
# instance, the proxy and the upstream would share a worker and nginx would never pay a process hand-off.
# The proxy runs `worker_processes auto` (one per core), what Debian's packaged nginx.conf says; the upstream
# keeps one worker, the same for every target.
nginx_conf() { # name workers server-block
  mkdir -p "$WORK/$1"
  cat > "$WORK/$1.conf" <<NGINX
worker_processes $2;
pid $WORK/$1.pid;
error_log $WORK/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/$1; proxy_temp_path $WORK/$1; fastcgi_temp_path $WORK/$1;
  uwsgi_temp_path $WORK/$1; scgi_temp_path $WORK/$1;
  keepalive_requests 1000000;
  $3
}
NGINX
  nginx -c "$WORK/$1.conf" -p "$WORK"
}
nginx_conf upstream 1 "server { listen 127.0.0.1:$UP_PORT; listen 127.0.0.1:$UPS_PORT ssl; $TLS_CONF
    location / { default_type application/json; return 200 '{\"ok\":true}'; } }"
nginx_conf proxy auto "upstream backend { server 127.0.0.1:$UP_PORT; keepalive 256; }
  server { listen 127.0.0.1:$NGX_PORT; listen 127.0.0.1:$NGXS_PORT ssl; $TLS_CONF
    location / { proxy_pass http://backend; proxy_http_version 1.1;
    proxy_set_header Connection \"\"; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; } }"

# The gateway JVM runs with the options a distribution gives it (dist's config/jvm.options and
# config/gateway.jvm.options, read as bin/tollgate-service reads them), then -Xmx (GATEWAY_XMX, dist's gateway
# default), then HARNESS_OPTS. To compare another collector, replace them: DIST_OPTS="-XX:+UseZGC" (the JVM
# refuses two collectors on one command line).
DIST_OPTS=${DIST_OPTS-$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' dist/src/main/dist/config/jvm.options \
  dist/src/main/dist/config/gateway.jvm.options | tr '\n' ' ')}
start_gateway() { # variant [floor]: one gateway JVM (and its Redis + Kafka fixtures) per variant; or the floor's
  local opts="" port=$GW_PORT log=$WORK/harness.log
  [ "$1" = tls ] && opts="-Dbench.tlsChain=$WORK/cert.pem -Dbench.tlsKey=$WORK/key.pem"
  [ "$DPOP" = 1 ] && opts="$opts -Dbench.dpopKey=$WORK/dpop-key.json"
  [ "${2:-}" = floor ] && { opts="$opts -Dbench.floor=true"; port=$FL_PORT; log=$WORK/floor.log; }
  : > "$log"
  # shellcheck disable=SC2086
  java $DIST_OPTS -Xmx"$GATEWAY_XMX" ${HARNESS_OPTS:-} $opts -cp "$CP" io.tollgate.gateway.bench.GatewayBenchHarness \
    "http://127.0.0.1:$UP_PORT" "$WORK/tokens.txt" "$TOKENS" "$port" > "$log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  for _ in $(seq 1 600); do
    grep -q '^READY' "$log" 2>/dev/null && break
    grep -q 'NOT-READY' "$log" 2>/dev/null && { cat "$log"; exit 1; }
    sleep 0.5
  done
  grep -q '^READY' "$log" || { echo "gateway did not start"; tail -50 "$log"; exit 1; }
}
stop_gateway() { # SIGTERM: the harness's shutdown hook stops its Redis and Kafka fixtures
  kill "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
}
# JFR over the gateway's measured run (RECORD_PID set): allocation per request, GC pauses, top frames.
jfr_start() { [ "$JFR" = 1 ] && [ -n "${RECORD_PID:-}" ] && jcmd "$RECORD_PID" JFR.start name=measured \
  settings="$PWD/ops/bench/gateway-run.jfc" >/dev/null; return 0; }
jfr_stop() { # name
  [ "$JFR" = 1 ] && [ -n "${RECORD_PID:-}" ] && jcmd "$RECORD_PID" JFR.stop name=measured \
    filename="$WORK/$1.jfr" >/dev/null; return 0; }
jfr_summary() { # name: JfrSummary's lines for the run's recording (nothing without one)
  [ -f "$WORK/$1.jfr" ] || return 0
  java -Xmx512m -cp "$CP" io.tollgate.gateway.bench.JfrSummary "$WORK/$1.jfr" \
    "$(awk '/requests in/ {print $1}' "$WORK/$1.out")" "${FRAMES:-8}"
}

# CPU cost per request: utime+stime (clock ticks, /proc/<pid>/stat) of the given processes over the measured
# run, divided by the requests wrk completed. Far less noisy than requests/s on a shared machine: another
# engineer's build slows every process down but does not make a request cost more CPU.
ticks() { # pids...: utime + stime
  local p
  for p in "$@"; do [ -r "/proc/$p/stat" ] && sed 's/^.*) //' "/proc/$p/stat"; done | awk '{ s += $12 + $13 } END { print s + 0 }'
}
sys_ticks() { # pids...: stime alone, the kernel's share: system calls, and the network stack they run
  local p
  for p in "$@"; do [ -r "/proc/$p/stat" ] && sed 's/^.*) //' "/proc/$p/stat"; done | awk '{ s += $13 } END { print s + 0 }'
}
# The CPU accounting of a measured run, the same for every mode: account_start before wrk, account_end after.
account_start() { # pids...
  ACC_BEFORE=$(ticks "$@"); ACC_SYS_BEFORE=$(sys_ticks "$@")
  ACC_EXTRA_BEFORE=$(ticks ${EXTRA_PIDS:-}); ACC_JIT_BEFORE=$(jit_ticks "${JIT_PID:-0}")
}
account_end() { # name pids...: writes <name>.ticks, .sys, .extra, .jit, then the memory sample
  local name=$1; shift
  echo "$(( $(ticks "$@") - ACC_BEFORE ))" > "$WORK/$name.ticks"
  echo "$(( $(sys_ticks "$@") - ACC_SYS_BEFORE ))" > "$WORK/$name.sys"
  echo "$(( $(ticks ${EXTRA_PIDS:-}) - ACC_EXTRA_BEFORE ))" > "$WORK/$name.extra"
  echo "$(( $(jit_ticks "${JIT_PID:-0}") - ACC_JIT_BEFORE ))" > "$WORK/$name.jit"
  mem_sample "$name" "$@"
}
jit_ticks() { # pid: CPU ticks of the JVM's JIT compiler threads (a warm-up cost, not a per-request one)
  local t
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in C1\ Compiler*|C2\ Compiler*) sed 's/^.*) //' "$t/stat" 2>/dev/null ;; esac
  done | awk '{ s += $12 + $13 } END { print s + 0 }'
}
descendants() { # pid: the pid and every process below it
  local p=$1 c
  echo "$p"
  for c in $(pgrep -P "$p" || true); do descendants "$c"; done
}
HZ=$(getconf CLK_TCK)
proofs() { # count prefix: fresh DPoP proofs for GW_URL, one file per wrk thread (<prefix>.1 ..)
  java -Xmx1g -cp "$CP" io.tollgate.gateway.bench.DpopProofFiles "$WORK/dpop-key.json" "$WORK/tokens.txt.dpop" \
    "$GW_URL" "$1" "$THREADS" "$2" >> "$WORK/generator.log"
}
run() { # name url pids-to-account...
  local name=$1 url=$2; shift 2
  if [ "$DPOP" = 1 ]; then run_dpop "$name" "$url" "$@"; return; fi
  local lua=ops/bench/rotate-tokens.lua
  # Every target gets the same requests (the rotating bearer tokens; nginx and the upstream just ignore the
  # header), so wrk's own cost on these shared cores is the same in each run. Warm-up (JIT, pools,
  # verified-token cache), then the measured run.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-45s}" -s "$lua" "$url" -- "$WORK/tokens.txt" >/dev/null
  jfr_start
  account_start "$@"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$lua" "$url" -- "$WORK/tokens.txt" > "$WORK/$name.out"
  account_end "$name" "$@"
  jfr_stop "$name"
  }
run_dpop() { # name url pids-to-account...: as run, with bound tokens and a fresh proof per request
  local name=$1 url=$2; shift 2
  local lua=ops/bench/dpop-proofs.lua count
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-45s}" -s ops/bench/rotate-tokens.lua "$url" -- "$WORK/tokens.txt" >/dev/null
  proofs $(( DPOP_RATE * $(seconds "$DPOP_WARMUP") )) "$WORK/warm"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DPOP_WARMUP" -s "$lua" "$url" -- "$WORK/warm" >/dev/null
  rm -f "$WORK"/warm.*
  count=$(( DPOP_RATE * $(seconds "$DURATION") ))
  proofs "$count" "$WORK/proofs"
  account_start "$@"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$lua" "$url" -- "$WORK/proofs" > "$WORK/$name.out"
  account_end "$name" "$@"
  rm -f "$WORK"/proofs.*
  local sent; sent=$(awk '/requests in/ {print $1}' "$WORK/$name.out")
  [ "$sent" -le "$count" ] || echo "WARNING $name: $sent requests but $count proofs (DPOP_RATE=$DPOP_RATE): proofs were resent; raise DPOP_RATE or shorten DURATION"
}
to_ms() { # wrk latency like 512.00us / 1.20ms / 2.00s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print v }'
}
per_request() { # ticks requests -> µs of CPU per request
  awk -v t="$1" -v hz="$HZ" -v n="$2" 'BEGIN { t = t < 0 ? 0 : t; printf "%.1f", t / hz * 1e6 / n }'
}
summary() { # name -> requests/s p50 p99 non-2xx cpu-µs/request kernel-µs/request
  local f=$WORK/$1.out
  local rps p50 p99 non2xx reqs cpu sys
  rps=$(awk '/Requests\/sec/ {print $2}' "$f")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$f"); non2xx=${non2xx:-0}
  reqs=$(awk '/requests in/ {print $1}' "$f")
  cpu=$(per_request "$(cat "$WORK/$1.ticks")" "$reqs")
  sys=$(per_request "$(cat "$WORK/$1.sys")" "$reqs")
  echo "$rps $p50 $p99 $non2xx $cpu $sys"
}

# Memory: VmRSS and VmHWM (/proc/<pid>/status) and Pss (/proc/<pid>/smaps_rollup) of the target's processes, and of the upstream nginx behind it, at
# the end of its measured run, by service (ops/bench/proc-cpu.py mem; a JVM's children are its Redis and Kafka fixtures).
mem_sample() { # name pids-of-the-target...
  local name=$1 role=${1%-*} p roots=(); shift
  for p in "$@"; do roots+=("$role=$p"); done
  for p in $UP_PIDS; do roots+=("upstream=$p"); done
  python3 ops/bench/proc-cpu.py mem "${roots[@]}" > "$WORK/$name.mem"
}
mem_report() { # variant: the memory table of the variant's runs
  echo "memory at the end of each measured run (MiB, summed over each service's processes; peak = VmHWM, since start;"
  echo "PSS counts a page shared by several mappings once: compare JVMs by it, ZGC's multi-mapped heap inflates RSS):"
  printf '  %-8s %-16s %5s %9s %9s %9s\n' run service procs RSS peak PSS
  local name
  for name in direct nginx floor gateway; do
    [ -f "$WORK/$name-$1.mem" ] || continue
    awk -v run="$name" '{ printf "  %-8s %-16s %5d %9.1f %9.1f %9.1f\n", run, ($1 == "upstream" ? "upstream " : "") $2,
      $3, $4 / 1024, $5 / 1024, $6 / 1024 }' "$WORK/$name-$1.mem"
  done
}

smoke() { # url: one request through the gateway must be a 200 before anything is measured
  local code
  if [ "$DPOP" = 1 ]; then
    proofs 1 "$WORK/smoke"
    local token proof; read -r token proof < "$WORK/smoke.1"
    code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$WORK/cert.pem" \
      -H "Authorization: DPoP $token" -H "DPoP: $proof" "$1")
  else
    code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$WORK/cert.pem" \
      -H "Authorization: Bearer $(head -1 "$WORK/tokens.txt")" "$1")
  fi
  [ "$code" = 200 ] || { echo "gateway smoke test answered $code"; exit 1; }
}
UP_PIDS=$(descendants "$(cat "$WORK/upstream.pid")")
NGX_PIDS=$(descendants "$(cat "$WORK/proxy.pid")")

measure() { # variant: direct, nginx and gateway runs, then the variant's table
  local v=$1 scheme=http up=$UP_PORT ngx=$NGX_PORT
  [ "$v" = tls ] && { scheme=https; up=$UPS_PORT; ngx=$NGXS_PORT; }
  start_gateway "$v"
  local gw_url="$scheme://127.0.0.1:$GW_PORT/mobile/bench"
  GW_URL=$gw_url
  smoke "$gw_url"
  # The harness JVM is the gateway (plus an idle JWKS endpoint); its children are the Redis and Kafka fixtures.
  local gw_children; gw_children=$(descendants "$GW_PID" | grep -vx "$GW_PID" || true)
  if [ "${ONLY_GATEWAY:-0}" = 1 ]; then
    RECORD_PID=$GW_PID JIT_PID=$GW_PID run "gateway-$v" "$gw_url" "$GW_PID"; summary "gateway-$v"
    jfr_summary "gateway-$v"; mem_report "$v"; stop_gateway; exit 0
  fi
  run "direct-$v" "$scheme://127.0.0.1:$up/mobile/bench" $UP_PIDS
  run "nginx-$v" "$scheme://127.0.0.1:$ngx/mobile/bench" $NGX_PIDS
  if [ "$FLOOR" = 1 ]; then
    local gateway_pid=$GW_PID
    start_gateway "$v" floor
    local floor_url="$scheme://127.0.0.1:$FL_PORT/mobile/bench"
    smoke "$floor_url"
    RECORD_PID=$GW_PID JIT_PID=$GW_PID run "floor-$v" "$floor_url" "$GW_PID"
    stop_gateway
    GW_PID=$gateway_pid
  fi
  EXTRA_PIDS=$gw_children JIT_PID=$GW_PID RECORD_PID=$GW_PID run "gateway-$v" "$gw_url" "$GW_PID"
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  stop_gateway
  report "$v" "$load"
}

report() { # variant load-average
  local v=$1
  local fixture_ticks jit
  fixture_ticks=$(cat "$WORK/gateway-$v.extra")
  jit=$(cat "$WORK/gateway-$v.jit")
  read -r d_rps d_p50 d_p99 d_err d_cpu d_sys <<< "$(summary "direct-$v")"
  read -r n_rps n_p50 n_p99 n_err n_cpu n_sys <<< "$(summary "nginx-$v")"
  read -r g_rps g_p50 g_p99 g_err g_cpu g_sys <<< "$(summary "gateway-$v")"
  g_reqs=$(awk '/requests in/ {print $1}' "$WORK/gateway-$v.out")
  f_cpu=$(per_request "$fixture_ticks" "$g_reqs")
  j_cpu=$(per_request "$jit" "$g_reqs")
  gx_cpu=$(awk -v g="$g_cpu" -v j="$j_cpu" 'BEGIN { printf "%.1f", g - j }')
  local g_jfr; g_jfr=$(jfr_summary "gateway-$v")
  local g_alloc g_gcs g_pause
  g_alloc=$(awk '$1 == "alloc" {print $2}' <<< "$g_jfr"); g_alloc=${g_alloc:--}
  read -r g_gcs g_pause <<< "$(awk '$1 == "gc" {print $2, $3}' <<< "$g_jfr")"; g_gcs=${g_gcs:--}; g_pause=${g_pause:--}
  echo
  if [ "$v" = tls ]; then echo "== tls: TLS 1.3 on the client-facing listener of every target (direct = the upstream nginx's ssl listener)"
  else echo "== plain: HTTP everywhere"; fi
  [ "$DPOP" = 1 ] && echo "   DPoP: bound tokens, a fresh ES256 proof per request (Authorization: DPoP + DPoP headers to every target)"
  printf '%-8s %12s %10s %10s %8s %16s %14s %5s %14s\n' target "requests/s" "p50 ms" "p99 ms" non-2xx "CPU (kernel) us" \
    "alloc B/req" GCs "max pause ms"
  printf '%-8s %12.0f %10.3f %10.3f %8s %16s\n' direct "$d_rps" "$d_p50" "$d_p99" "$d_err" "$d_cpu ($d_sys)"
  printf '%-8s %12.0f %10.3f %10.3f %8s %16s\n' nginx "$n_rps" "$n_p50" "$n_p99" "$n_err" "$n_cpu ($n_sys)"
  local l_rps="" l_jfr=""
  if [ -f "$WORK/floor-$v.out" ]; then
    local l_p50 l_p99 l_err l_cpu l_sys l_alloc l_gcs l_pause
    read -r l_rps l_p50 l_p99 l_err l_cpu l_sys <<< "$(summary "floor-$v")"
    l_jfr=$(jfr_summary "floor-$v")
    l_alloc=$(awk '$1 == "alloc" {print $2}' <<< "$l_jfr"); l_alloc=${l_alloc:--}
    read -r l_gcs l_pause <<< "$(awk '$1 == "gc" {print $2, $3}' <<< "$l_jfr")"; l_gcs=${l_gcs:--}; l_pause=${l_pause:--}
    printf '%-8s %12.0f %10.3f %10.3f %8s %16s %14s %5s %14s\n' floor "$l_rps" "$l_p50" "$l_p99" "$l_err" "$l_cpu ($l_sys)" \
      "$l_alloc" "$l_gcs" "$l_pause"
  fi
  printf '%-8s %12.0f %10.3f %10.3f %8s %16s %14s %5s %14s\n' gateway "$g_rps" "$g_p50" "$g_p99" "$g_err" "$g_cpu ($g_sys)" \
    "$g_alloc" "$g_gcs" "$g_pause"
  printf '%-8s %12s %10s %10s %8s %16s\n' "  no JIT" "" "" "" "" "$gx_cpu"
  echo "(CPU: upstream nginx worker for direct, the proxy nginx's processes for nginx, the JVM for floor and gateway;"
  echo " in brackets its kernel share (stime): the system calls and the loopback network stack they run;"
  echo " floor: the same proxy with its pipeline off (no check, metric or event);"
  echo " 'no JIT': the gateway without its JIT compiler threads, $j_cpu us/request of this run, a warm-up cost;"
  echo " the gateway's Redis + Kafka broker fixtures used another $f_cpu us/request on top;"
  echo " alloc, GCs, max pause: JFR over the measured run, ops/bench/gateway-run.jfc)"
  awk -v g="$g_rps" -v n="$n_rps" -v d="$d_rps" -v l="$l_rps" -v gp="$g_p99" -v np="$n_p99" -v gc="$g_cpu" \
    -v nc="$n_cpu" -v gx="$gx_cpu" -v ga="$g_alloc" -v gpause="$g_pause" 'BEGIN {
    printf "gateway/nginx throughput %.2f (goal >= 0.9)\ngateway/direct throughput %.2f\nnginx/direct throughput %.2f\n", g/n, g/d, n/d;
    if (l != "") printf "floor/nginx throughput %.2f\ngateway/floor throughput %.2f\n", l/n, g/l;
    printf "gateway p99 - nginx p99 = %.3f ms (goal <= 1 ms)\n", gp - np;
    printf "gateway/nginx CPU per request %.2f (without JIT %.2f; nginx/gateway %.2f)\n", gc/nc, gx/nc, nc/gc;
    if (ga != "-") printf "gateway allocation %d B/request (goal <= 1024); longest GC pause %s ms (goal <= 1)\n", ga, gpause }'
  echo "gateway top frames (share of execution samples, then of sampled allocation by the first non-JDK frame):"
  awk '$1 == "cpu" || $1 == "allocsite" { printf "  %-9s %5.1f%%  %s\n", $1, $2, $3 }' <<< "$g_jfr"
  if [ -n "$l_jfr" ]; then
    echo "floor top frames:"
    awk '$1 == "cpu" { printf "  %-9s %5.1f%%  %s\n", $1, $2, $3 }' <<< "$l_jfr"
  fi
  mem_report "$v"
  local proofs_note=""; [ "$DPOP" = 1 ] && proofs_note=", DPoP proofs $DPOP_RATE/s of DURATION per run"
  echo "settings: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $TOKENS tokens$proofs_note, cores=$(nproc), nginx proxy worker_processes auto ($(( $(echo "$NGX_PIDS" | wc -w) - 1 )) workers), gateway JVM ${DIST_OPTS}-Xmx$GATEWAY_XMX ${HARNESS_OPTS:-}, load average at the end of the gateway run $2"
}

for v in $VARIANTS; do measure "$v"; done
