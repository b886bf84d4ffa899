#!/usr/bin/env bash
# Proactive refresh throughput of one replica: the packaged jar on PostgreSQL, the simulator in
# the test JVM answering after a latency. Usage:
#   bench/refresh-throughput.sh [stored grants] [due grants] [latency ms] [calls in flight]
# Extra JVM options for the broker: BENCH_JVM="-Xmx256m ...".
set -euo pipefail
cd "$(dirname "$0")/.."
stored=${1:-100000}
due=${2:-$stored}
latency=${3:-50}
concurrency=${4:-64}
./mvnw -B -q -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=RefreshThroughputBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.grants="$stored" -Dbench.due="$due" -Dbench.latency-ms="$latency" \
  -Dbench.concurrency="$concurrency" -Dbench.jvm="${BENCH_JVM:-}" \
  -Dspotless.check.skip=true 2>&1 | grep -E '^BENCH|^  |ERROR|FAIL' || true
