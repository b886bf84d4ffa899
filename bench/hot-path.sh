#!/usr/bin/env bash
# Throughput and latency of POST /v1/tokens when the token is cached (the hot path: memory
# only). Builds the jar in a scratch copy, starts it, imports a grant that carries a valid access
# token, then runs wrk on loopback. Needs: wrk (apt-get install wrk), curl.
# wrk prints a "Non-2xx or 3xx responses" line if any answer was not 200.
# Usage: bench/hot-path.sh [seconds] [connections]
#   BENCH_DB=postgres bench/hot-path.sh ...   # the jar as shipped, on a PostgreSQL server that the
#                                             # script starts from /usr/lib/postgresql/*/bin
#   BROKER_AUDIT_ISSUED_TOKENS=summary ...    # the other audit mode
#   BENCH_WARMUP=30 ...                       # seconds of load on each endpoint before measuring (5)
set -euo pipefail
seconds=${1:-30}
connections=${2:-64}
db=${BENCH_DB:-h2}
warm_up=${BENCH_WARMUP:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
pid=
# shellcheck source=bench/lib/postgres.sh
. "$root/bench/lib/postgres.sh"
# wait for the broker to exit before removing its jar: a JVM that still loads classes while
# stopping hangs on a deleted jar (Quarkus's RunnerClassLoader waits for it forever)
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; stop_postgres; rm -rf "$work"' EXIT

mkdir -p "$work/src" && tar -C "$root" --exclude=./target --exclude=./data -cf - . | tar -C "$work/src" -xf -
package_for "$db" "$work/src"

admin=bench-admin-key-0123456789abcdefghijklmnop
port=18080
management=18090
BROKER_ADMIN_API_KEY=$admin BROKER_EMBEDDED_DEFAULTS=true BROKER_DATA_DIR="$work/data" \
QUARKUS_DATASOURCE_JDBC_URL="$jdbc" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management \
QUARKUS_LOG_CONSOLE_LEVEL=WARN BROKER_RATE_LIMIT_ENABLED=false \
  java ${JAVA_OPTS:-} -jar "$work/src/target/quarkus-app/quarkus-run.jar" > "$work/broker.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "localhost:$management/q/health/ready" > /dev/null && break; sleep 0.5; done

api() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
api $admin -X PUT "localhost:$port/v1/providers/bench" -d '{"grant_type": "authorization_code",
  "authorization_url": "https://idp.example.test/authorize", "token_url": "https://idp.example.test/token",
  "client_id": "bench", "client_secret": "bench-secret"}' > /dev/null
api $admin -X POST "localhost:$port/v1/providers/bench/grants" -d '{"subject": "user-1",
  "refresh_token": "rt", "scopes": ["read"], "access_token": "at-bench", "expires_in": 86400}' > /dev/null
key=$(api $admin -X POST "localhost:$port/v1/callers" -d '{"name": "bench", "role": "consumer",
  "allow": [{"provider_id": "bench", "subjects": ["*"], "scopes": ["*"]}]}' | sed -E 's/.*"api_key":"([^"]+)".*/\1/')

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $key"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"provider_id": "bench", "subject": "user-1", "min_validity_seconds": 60}'
LUA
api "$key" -X POST "localhost:$port/v1/tokens" -d '{"provider_id": "bench", "subject": "user-1"}' > /dev/null
wrk -t2 -c"$connections" -d"${warm_up}s" -s "$work/post.lua" "http://localhost:$port/v1/tokens" > "$work/warm-up.wrk"
wrk -t2 -c"$connections" -d"${warm_up}s" "http://localhost:$management/q/health/live" > /dev/null   # warm-up
echo "== GET /q/health/live on the management port (the ceiling of this application), ${connections} connections, ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://localhost:$management/q/health/live" | tee "$work/health.txt"
echo "== POST /v1/tokens, cached token, ${connections} connections, ${seconds} s (after ${warm_up} s warm-up)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "http://localhost:$port/v1/tokens" | tee "$work/tokens.wrk"
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
echo "== ratio tokens / health: $(echo "$(rps "$work/tokens.wrk") $(rps "$work/health.txt")" | awk '{printf "%.2f", $1 / $2}')"
# Half that load: the same connections, each pausing between its requests (wrk's delay()) so that
# they offer about half the requests per second measured above; p99 at that load is the target.
pause=$(awk -v r="$(rps "$work/tokens.wrk")" -v c="$connections" 'BEGIN {d = int(2000 * c / r); print (d < 1 ? 1 : d)}')
{ cat "$work/post.lua"; echo "function delay() return $pause end"; } > "$work/paced.lua"
echo "== POST /v1/tokens, half the load: ${connections} connections, each pausing ${pause} ms between requests, ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/paced.lua" "http://localhost:$port/v1/tokens" | tee "$work/paced.wrk"
echo "== offered share of the full load: $(echo "$(rps "$work/paced.wrk") $(rps "$work/tokens.wrk")" | awk '{printf "%.2f", $1 / $2}')"
light=$((connections / 8 > 0 ? connections / 8 : 1))
echo "== POST /v1/tokens, lighter load: ${light} connections without pauses (still saturating), ${seconds} s"
wrk -t1 -c"$light" -d"${seconds}s" --latency -s "$work/post.lua" "http://localhost:$port/v1/tokens" | tee "$work/light.wrk"
sleep 3   # let the audit trail catch up
echo "== audit trail after the run (every token request is an audit event)"
curl -sf "localhost:$management/q/metrics" | grep -E '^broker_audit_events_(buffered|dropped_total) '
api $admin "localhost:$port/v1/audit-events?action=token.issued&limit=1" | head -c 300; echo
if [ "$db" = postgres ]; then
  served=$(cat "$work"/*.wrk | awk '/requests in/ {n += $1} END {print n}')
  stored=$(psql_value "select count(*) from audit_event where action = 'token.issued'")
  echo "== token requests answered by wrk (warm-up and the three loads; one more before them): $served; token.issued events stored: $stored"
fi
