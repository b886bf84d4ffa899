#!/usr/bin/env bash
# Throughput and latency of GET through the API proxy against the same upstream called directly
# with the token, in one run (issue 34). The upstream is a small Node.js HTTP server that checks
# the bearer token and answers a JSON document of about 300 bytes, at once or after a delay (a
# platform's API answers in tens of milliseconds). Builds the jar in a scratch copy, starts it,
# imports a grant that carries the upstream's token. Needs: wrk, curl, node.
# Usage: bench/proxy.sh [seconds] [connections]
#   BENCH_DB=postgres ...        the jar as shipped, on a PostgreSQL server the script starts
#   BENCH_LATENCY_MS=20 ...      the upstream answers each call after that many milliseconds
#   BROKER_AUDIT_ISSUED_TOKENS=summary ...   the other audit mode
#   BENCH_NGINX=1 ...            also through nginx (needs it installed) as a reverse proxy that
#                                only adds the token: what the cheapest proxy reaches on the same
#                                cores, the reference for the proxy/direct ratio
#   BENCH_BARE=1 ...             also through bench/bare-proxy (the same JVM and Vert.x, nothing
#                                but the token added): the floor of a proxy on the broker's stack
set -euo pipefail
seconds=${1:-30}
connections=${2:-32}
db=${BENCH_DB:-h2}
latency=${BENCH_LATENCY_MS:-0}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
pid=; upstream=; bare=
# shellcheck source=bench/lib/postgres.sh
. "$root/bench/lib/postgres.sh"
trap 'kill $pid $upstream $bare 2>/dev/null || true; wait $pid $upstream $bare 2>/dev/null || true; stop_postgres; rm -rf "$work"' EXIT

mkdir -p "$work/src" && tar -C "$root" --exclude=./target --exclude=./data -cf - . | tar -C "$work/src" -xf -
package_for "$db" "$work/src"

api_port=18100
cat > "$work/upstream.js" <<'JS'
const http = require('http');
const body = JSON.stringify({ result: Array.from({ length: 8 }, (_, i) => ({ id: 'a-' + i, badge: 'b' })) });
const latency = Number(process.argv[3]);
http.createServer((req, res) => {
  if (req.headers.authorization !== 'Bearer at-bench') { res.writeHead(401); res.end(); return; }
  const answer = () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (latency > 0) { setTimeout(answer, latency); } else { answer(); }
}).listen(Number(process.argv[2]), '127.0.0.1');
JS
node "$work/upstream.js" $api_port "$latency" & upstream=$!

admin=bench-admin-key-0123456789abcdefghijklmnop
port=18080
management=18090
BROKER_ADMIN_API_KEY=$admin BROKER_EMBEDDED_DEFAULTS=true BROKER_DATA_DIR="$work/data" \
QUARKUS_DATASOURCE_JDBC_URL="$jdbc" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management \
QUARKUS_LOG_CONSOLE_LEVEL=WARN BROKER_RATE_LIMIT_ENABLED=false BROKER_OUTBOUND_ALLOWED_HOSTS=127.0.0.1 \
  java ${JAVA_OPTS:-} -jar "$work/src/target/quarkus-app/quarkus-run.jar" > "$work/broker.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "localhost:$management/q/health/ready" > /dev/null && break; sleep 0.5; done

api() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
api $admin -X PUT "localhost:$port/v1/providers/bench" -d '{"grant_type": "authorization_code",
  "authorization_url": "https://idp.example.test/authorize", "token_url": "https://idp.example.test/token",
  "client_id": "bench", "client_secret": "bench-secret", "api_base_url": "http://127.0.0.1:'$api_port'"}' > /dev/null
api $admin -X POST "localhost:$port/v1/providers/bench/grants" -d '{"subject": "user-1",
  "refresh_token": "rt", "scopes": ["read"], "access_token": "at-bench", "expires_in": 86400}' > /dev/null
key=$(api $admin -X POST "localhost:$port/v1/callers" -d '{"name": "bench", "role": "consumer",
  "allow": [{"provider_id": "bench", "subjects": ["*"], "scopes": ["*"], "methods": ["GET"],
             "paths": ["/v2/backpack/**"]}]}' | sed -E 's/.*"api_key":"([^"]+)".*/\1/')

cat > "$work/direct.lua" <<LUA
wrk.headers["Authorization"] = "Bearer at-bench"
LUA
cat > "$work/proxy.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $key"
wrk.headers["Token-Broker-Subject"] = "user-1"
LUA
direct="http://127.0.0.1:$api_port/v2/backpack/assertions"
proxied="http://127.0.0.1:$port/v1/proxy/bench/v2/backpack/assertions"
api "$key" -H "Token-Broker-Subject: user-1" "$proxied" > /dev/null
# warm-up: the proxy's path reaches its compiled speed only after some 20 s of load
wrk -t2 -c"$connections" -d20s -s "$work/proxy.lua" "$proxied" > /dev/null
wrk -t2 -c"$connections" -d5s -s "$work/direct.lua" "$direct" > /dev/null
echo "== upstream latency ${latency} ms, database ${db}, audit ${BROKER_AUDIT_ISSUED_TOKENS:-each}"
echo "== GET upstream directly with the token, ${connections} connections, ${seconds} s"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/direct.lua" "$direct" | tee "$work/direct.txt"
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# the proxy's CPU time (user and system, all threads) over a run, per call answered
cpu_per_call() {
  echo "$1 $2 $(rps "$3") $seconds $(getconf CLK_TCK)" | awk '{printf "%.0f", ($2 - $1) / $5 * 1e6 / ($3 * $4)}'
}
echo "== GET through /v1/proxy, ${connections} connections, ${seconds} s"
c0=$(cpu_ticks $pid)
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/proxy.lua" "$proxied" | tee "$work/proxy.txt"
echo "== the broker's CPU per proxied call: $(cpu_per_call "$c0" "$(cpu_ticks $pid)" "$work/proxy.txt") µs"
echo "== ratio proxy / direct: $(echo "$(rps "$work/proxy.txt") $(rps "$work/direct.txt")" | awk '{printf "%.2f", $1 / $2}')"
if [ "${BENCH_NGINX:-0}" = 1 ]; then
  nginx_port=18110
  mkdir -p "$work/nginx"
  cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  upstream api { server 127.0.0.1:$api_port; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer at-bench";
    }
  }
}
CONF
  nginx -c "$work/nginx/nginx.conf"
  trap 'kill $(cat "$work/nginx/nginx.pid" 2>/dev/null) 2>/dev/null || true; kill $pid $upstream $bare 2>/dev/null || true; wait $pid $upstream $bare 2>/dev/null || true; stop_postgres; rm -rf "$work"' EXIT
  viaNginx="http://127.0.0.1:$nginx_port/v2/backpack/assertions"
  wrk -t2 -c"$connections" -d5s "$viaNginx" > /dev/null
  echo "== GET through nginx adding the token, ${connections} connections, ${seconds} s"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$viaNginx" | tee "$work/nginx.txt"
  echo "== ratio nginx / direct: $(echo "$(rps "$work/nginx.txt") $(rps "$work/direct.txt")" | awk '{printf "%.2f", $1 / $2}')"
fi
if [ "${BENCH_BARE:-0}" = 1 ]; then
  bare_port=18120
  java ${JAVA_OPTS:-} -cp "$work/src/target/quarkus-app/lib/main/*" "$root/bench/bare-proxy/BareProxy.java" \
    $bare_port 127.0.0.1 $api_port at-bench > "$work/bare.log" 2>&1 & bare=$!
  for _ in $(seq 1 60); do grep -q listening "$work/bare.log" && break; sleep 0.5; done
  viaBare="http://127.0.0.1:$bare_port/v2/backpack/assertions"
  wrk -t2 -c"$connections" -d20s "$viaBare" > /dev/null
  echo "== GET through the bare Vert.x proxy adding the token, ${connections} connections, ${seconds} s"
  c0=$(cpu_ticks $bare)
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$viaBare" | tee "$work/bare.txt"
  echo "== the bare proxy's CPU per call: $(cpu_per_call "$c0" "$(cpu_ticks $bare)" "$work/bare.txt") µs"
  echo "== ratio bare Vert.x proxy / direct: $(echo "$(rps "$work/bare.txt") $(rps "$work/direct.txt")" | awk '{printf "%.2f", $1 / $2}')"
fi
echo "== one connection each, ${seconds} s (p50 overhead = proxy p50 - direct p50)"
echo "-- direct"
wrk -t1 -c1 -d"${seconds}s" --latency -s "$work/direct.lua" "$direct" | grep -E "50%|99%|Requests/sec"
echo "-- /v1/proxy"
wrk -t1 -c1 -d"${seconds}s" --latency -s "$work/proxy.lua" "$proxied" | grep -E "50%|99%|Requests/sec"
if [ "${BENCH_NGINX:-0}" = 1 ]; then
  echo "-- nginx"
  wrk -t1 -c1 -d"${seconds}s" --latency "$viaNginx" | grep -E "50%|99%|Requests/sec"
fi
if [ "${BENCH_BARE:-0}" = 1 ]; then
  echo "-- bare Vert.x proxy"
  wrk -t1 -c1 -d"${seconds}s" --latency "$viaBare" | grep -E "50%|99%|Requests/sec"
fi
curl -sf "localhost:$management/q/metrics" | grep -E '^broker_proxy_requests_total'
