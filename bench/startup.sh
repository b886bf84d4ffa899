#!/usr/bin/env bash
# Start to ready and RSS of the packaged jar on PostgreSQL (StartupBenchmark through failsafe).
# Usage: bench/startup.sh [JVM options, quoted as one argument] [-Dbench.restarts=5 ...]
#   bench/startup.sh "$(cat deploy/jvm-options)"   # the recommended flags
#   BENCH_CACHE=appcds bench/startup.sh ...         # restarts use an AppCDS archive of the first
#   BENCH_JAVA=/path/to/jdk25/bin/java BENCH_CACHE=aot bench/startup.sh ...  # or its AOT cache
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=StartupBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.jvm="${1:-}" -Dbench.java="${BENCH_JAVA:-}" -Dbench.cache="${BENCH_CACHE:-none}" -Dspotless.check.skip=true "${@:2}" 2>&1 | grep -E '^BENCH|ERROR|FAIL' || true
