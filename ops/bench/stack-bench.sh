#!/usr/bin/env bash
# Whole-stack measurements with several gateway nodes: revocation propagation p50/p99 over SAMPLES
# revocations (two gateway nodes), rate-limit accuracy with three nodes at 2x the limit, revocation-stream's
# throughput on the calls topic. Starts its own stack on free ports; prints Markdown tables. (Memory under load:
# gateway-vs-nginx.sh and token-vs-keycloak.sh.)
#
#   ops/bench/stack-bench.sh                # 1,000 RFC 7009 + 30 operator revocations
#   SAMPLES=200 ops/bench/stack-bench.sh
#   PHASES=streams STREAMS_RATES=1000,5000,10000 ops/bench/stack-bench.sh   # only revocation-stream's throughput
#   (phases: revocation, ratelimit, streams)
set -euo pipefail
cd "$(dirname "$0")/../.."
SAMPLES=${SAMPLES:-1000}
OPERATOR_SAMPLES=${OPERATOR_SAMPLES:-30}
PHASES=${PHASES:-revocation,ratelimit,streams}
STREAMS_RATES=${STREAMS_RATES:-1000,2000,5000,10000,20000}
STREAMS_SECONDS=${STREAMS_SECONDS:-20}
WORK=$(mktemp -d /tmp/tollgate-stack-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Service jars and ops' test classes (the harness), then its test classpath.
mvn -B -q -DskipTests package >/dev/null
mvn -B -q -pl ops -am test-compile dependency:build-classpath -DskipTests -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null
java -Xmx512m -Dsamples="$SAMPLES" -DoperatorSamples="$OPERATOR_SAMPLES" \
  -Dphases="$PHASES" -DstreamsRates="$STREAMS_RATES" -DstreamsSeconds="$STREAMS_SECONDS" \
  -cp "ops/target/test-classes:ops/target/classes:$(cat "$WORK/cp.txt")" io.tollgate.ops.bench.StackBench "$(pwd)"
