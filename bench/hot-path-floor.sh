#!/usr/bin/env bash
# The floor under P1's ratio (issue 31): bench/floor-app serves POST /v1/tokens with the broker's
# request and answer records, constraints and JSON settings through Quarkus REST, Jackson and
# Hibernate Validator, and answers a constant token (no authentication, cache, audit or metrics),
# beside the health endpoint on the management port. Same wrk settings as bench/hot-path.sh, so
# its ratio is the most a JAX-RS token endpoint reaches here before any of the broker's own work.
# Prints the CPU time of the application (all threads, from /proc) per request served, for each.
# Needs: wrk, curl.
# Usage: bench/hot-path-floor.sh [seconds] [connections]
#   FLOOR_METRICS=1 ...   with the broker's HTTP server metrics (Micrometer, its settings) on both
set -euo pipefail
seconds=${1:-20}
connections=${2:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

profile=()
[ "${FLOOR_METRICS:-0}" != 1 ] || profile=(-Pmetrics)
(cd "$root" && ./mvnw -B -q -f bench/floor-app/pom.xml clean package -DskipTests ${MAVEN_OFFLINE:+-o} "${profile[@]}")
port=18080
management=18090
QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management \
  java ${JAVA_OPTS:-} -jar "$root/bench/floor-app/target/quarkus-app/quarkus-run.jar" > "$work/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "localhost:$management/q/health/live" > /dev/null && break; sleep 0.5; done

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"provider_id": "bench", "subject": "user-1", "min_validity_seconds": 60}'
LUA
tokens="http://localhost:$port/v1/tokens"
health="http://localhost:$management/q/health/live"
curl -sf -H 'Content-Type: application/json' -d '{"provider_id": "bench", "subject": "user-1"}' "$tokens"
echo
wrk -t2 -c"$connections" -d10s -s "$work/post.lua" "$tokens" > /dev/null   # warm-up
wrk -t2 -c"$connections" -d5s "$health" > /dev/null                         # warm-up
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
per_request() {
  echo "$1 $2 $(rps "$3") $seconds $(getconf CLK_TCK)" | awk '{printf "%.0f", ($2 - $1) / $5 * 1e6 / ($3 * $4)}'
}
echo "== GET /q/health/live (management port), ${connections} connections, ${seconds} s"
c0=$(cpu_ticks)
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$health" | tee "$work/health.txt"
echo "== CPU per health request: $(per_request "$c0" "$(cpu_ticks)" "$work/health.txt") µs"
echo "== POST /v1/tokens (constant answer), ${connections} connections, ${seconds} s"
c0=$(cpu_ticks)
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "$tokens" | tee "$work/tokens.txt"
echo "== CPU per token request: $(per_request "$c0" "$(cpu_ticks)" "$work/tokens.txt") µs"
echo "== floor ratio tokens / health: $(echo "$(rps "$work/tokens.txt") $(rps "$work/health.txt")" | awk '{printf "%.2f", $1 / $2}')"
