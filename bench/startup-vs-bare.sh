#!/usr/bin/env bash
# P4 (issue 31): start to ready of the packaged broker, beside a bare Quarkus REST application
# (bench/bare-app: the same Quarkus, one endpoint) started with the same JDK, flags and cache, in
# alternating restarts of one run. The broker runs on a PostgreSQL server that the script starts
# (bench/lib/postgres.sh), migrated by a first start. Ready: the first 200 of the broker's
# /q/health/ready, of the bare application's /hello, polled every 10 ms from the launch.
# Usage: bench/startup-vs-bare.sh [restarts]
#   BENCH_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java   the launcher (default: java)
#   BENCH_CACHE=none|appcds|aot   a dynamic AppCDS archive (JDK 13+) or a JEP 483/514/515 AOT
#                                 cache (JDK 25) recorded by one training start of each application
#   BENCH_CACHE=quarkus-aot       the AOT cache Quarkus builds with the jar (JDK 25; no database
#                                 needed: quarkus.package.jar.appcds.enabled and .use-aot), as
#                                 deploy/Dockerfile builds it
#   BENCH_JVM="..."               JVM flags (default: deploy/jvm-options and -XX:MaxRAM=768m, the
#                                 pod's memory limit in deploy/kubernetes)
#   BENCH_SERVICE_LINKS=N         both applications start with the 8 variables Kubernetes gives a
#                                 pod for each of N Services of its namespace (SVC<i>_SERVICE_HOST,
#                                 SVC<i>_PORT_80_TCP, ...), as without enableServiceLinks: false
#   BENCH_BROKER_ENV="A=1 B=2"   environment of the broker's timed starts, not of its first
#                                 (migrating) start: e.g. QUARKUS_FLYWAY_ACTIVE=false, as a pod
#                                 whose schema a migration job has applied
#   BENCH_EXTENSIONS=1            a third application in the same rounds: bench/extensions-app, the
#                                 broker's extensions with one table, one migration and one
#                                 endpoint, on a database of its own on the same server (what the
#                                 extensions cost without the broker's code)
set -euo pipefail
restarts=${1:-5}
java=${BENCH_JAVA:-java}
cache=${BENCH_CACHE:-none}
root=$(cd "$(dirname "$0")/.." && pwd)
flags=${BENCH_JVM-"$(cat "$root/deploy/jvm-options") -XX:MaxRAM=768m"}
work=$(mktemp -d)
for i in $(seq 1 "${BENCH_SERVICE_LINKS:-0}"); do
  export "SVC${i}_SERVICE_HOST=10.0.0.$i" "SVC${i}_SERVICE_PORT=80" "SVC${i}_SERVICE_PORT_HTTP=80" \
    "SVC${i}_PORT=tcp://10.0.0.$i:80" "SVC${i}_PORT_80_TCP=tcp://10.0.0.$i:80" \
    "SVC${i}_PORT_80_TCP_PROTO=tcp" "SVC${i}_PORT_80_TCP_PORT=80" "SVC${i}_PORT_80_TCP_ADDR=10.0.0.$i"
done
pid=
# shellcheck source=bench/lib/postgres.sh
. "$root/bench/lib/postgres.sh"
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; stop_postgres; rm -rf "$work"' EXIT

build=(-B -q package -DskipTests -Dspotless.check.skip)
if [ "$cache" = quarkus-aot ]; then
  build+=(-Dquarkus.package.jar.appcds.enabled=true -Dquarkus.package.jar.appcds.use-aot=true)
  export JAVA_HOME
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")
fi
(cd "$root" && ./mvnw "${build[@]}")
(cd "$root" && ./mvnw -f bench/bare-app/pom.xml "${build[@]}")
apps=(bare broker)
if [ "${BENCH_EXTENSIONS:-0}" = 1 ]; then
  (cd "$root" && ./mvnw -f bench/extensions-app/pom.xml "${build[@]}")
  apps+=(extensions)
fi
start_postgres
[ "${BENCH_EXTENSIONS:-0}" != 1 ] || psql_value "create database extensions" > /dev/null

key=$(head -c 32 /dev/urandom | base64)
port=18180
management=18190
broker_jar="$root/target/quarkus-app/quarkus-run.jar"
bare_jar="$root/bench/bare-app/target/quarkus-app/quarkus-run.jar"
extensions_jar="$root/bench/extensions-app/target/quarkus-app/quarkus-run.jar"

# from the jar's directory, where a cache built with the jar expects to be used
run_from() { cd "$(dirname "$1")" && exec "$java" $flags $2 -jar quarkus-run.jar; }

launch() { # app, extra JVM flags, timed (a start after the first)
  local app=$1 extra=$2
  if [ "$app" = broker ]; then
    (
      # shellcheck disable=SC2086
      [ -z "${3:-}" ] || [ -z "${BENCH_BROKER_ENV:-}" ] || export ${BENCH_BROKER_ENV}
      QUARKUS_DATASOURCE_JDBC_URL=$jdbc QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
      BROKER_ADMIN_API_KEY=bench-admin-key-0123456789abcdefghijklmnop BROKER_CRYPTO_LOCAL_KEYS="1:$key" \
      BROKER_DATA_DIR="$work/data" QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management \
        run_from "$broker_jar" "$extra"
    ) > "$work/$app.log" 2>&1 &
  elif [ "$app" = extensions ]; then
    QUARKUS_DATASOURCE_JDBC_URL=${jdbc%/postgres}/extensions QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_DATASOURCE_PASSWORD=postgres QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$management \
      run_from "$extensions_jar" "$extra" > "$work/$app.log" 2>&1 &
  else
    QUARKUS_HTTP_PORT=$port run_from "$bare_jar" "$extra" > "$work/$app.log" 2>&1 &
  fi
  pid=$!
}

ready_url() { if [ "$1" = bare ]; then echo "localhost:$port/hello"; else echo "localhost:$management/q/health/ready"; fi; }

await_ready() { # app; prints ms from launch
  local url started now
  url=$(ready_url "$1"); started=$2
  for _ in $(seq 1 6000); do
    if curl -sf -o /dev/null "$url"; then
      now=$(date +%s%N); echo $(( (now - started) / 1000000 )); return
    fi
    kill -0 "$pid" 2>/dev/null || { echo "$1 exited; see its log:" >&2; tail -20 "$work/$1.log" >&2; exit 1; }
    sleep 0.01
  done
  echo "$1 not ready in 60 s" >&2; exit 1
}

stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

rss() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$pid/status"; }

cache_flags() { # app, training|run
  case "$cache" in
    appcds) [ "$2" = training ] && echo "-XX:ArchiveClassesAtExit=$work/$1.jsa" || echo "-XX:SharedArchiveFile=$work/$1.jsa" ;;
    aot) [ "$2" = training ] && echo "-XX:AOTCacheOutput=$work/$1.aot" || echo "-XX:AOTCache=$work/$1.aot" ;;
    quarkus-aot) [ "$2" = training ] && echo "" || echo "-XX:AOTCache=app.aot" ;;
    *) echo "" ;;
  esac
}

echo "== $("$java" -version 2>&1 | head -1); cache: $cache; flags: $flags; $(env | wc -l) environment variables"
# the first broker start migrates the database; each application's first start is the training
# start of its cache (written when it exits)
for app in "${apps[@]}"; do
  launch "$app" "$(cache_flags "$app" training)"
  await_ready "$app" "$(date +%s%N)" > /dev/null
  case "$app" in
    broker) curl -sf -o /dev/null "localhost:$port/v1/providers" -H "Authorization: Bearer bench-admin-key-0123456789abcdefghijklmnop" ;;
    extensions) curl -sf -o /dev/null "localhost:$port/items" ;;
    *) curl -sf -o /dev/null "localhost:$port/hello" ;;
  esac
  stop
done

declare -A times
for i in $(seq 1 "$restarts"); do
  for app in "${apps[@]}"; do
    started=$(date +%s%N)
    launch "$app" "$(cache_flags "$app" run)" timed
    ms=$(await_ready "$app" "$started")
    times[$app]="${times[$app]:-} $ms"
    if [ "$i" = "$restarts" ]; then
      ready_rss=$(rss); sleep 10; echo "== $app RSS: $ready_rss MiB at ready, $(rss) MiB 10 s later"
    fi
    stop
  done
done

median() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bare=$(median "${times[bare]}")
broker=$(median "${times[broker]}")
echo "== start to ready, ms, $restarts restarts: bare${times[bare]}; broker${times[broker]}"
echo "== median: bare $bare ms, broker $broker ms, ratio $(awk -v a="$broker" -v b="$bare" 'BEGIN {printf "%.2f", a / b}')"
if [ "${BENCH_EXTENSIONS:-0}" = 1 ]; then
  extensions=$(median "${times[extensions]}")
  echo "== extensions${times[extensions]}; median $extensions ms: $(awk -v a="$extensions" -v b="$bare" 'BEGIN {printf "%.2f", a / b}') x bare; the broker $(awk -v a="$broker" -v b="$extensions" 'BEGIN {printf "%.2f", a / b}') x the extensions"
fi
