#!/usr/bin/env bash
# P4 (issue 31): what each of the broker's extensions adds to start to ready. Builds
# bench/extensions-app (the broker's extensions, one table, one migration, one endpoint) as it is
# and once without each extension below, each jar with the AOT cache Quarkus builds with it
# (JDK 25, as deploy/Dockerfile), then starts the full set and the variant in turn, on one
# PostgreSQL server. Prints each variant's median start and what leaving that extension out saves.
# Usage: bench/startup-extensions.sh [restarts] [artifactId ...]
#   BENCH_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java (default)
#   BENCH_JVM="..." JVM flags (default: deploy/jvm-options and -XX:MaxRAM=768m)
set -euo pipefail
restarts=${1:-5}
shift || true
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(quarkus-narayana-jta quarkus-flyway quarkus-hibernate-validator
  quarkus-smallrye-openapi quarkus-micrometer-registry-prometheus quarkus-oidc-client quarkus-vault
  quarkus-smallrye-fault-tolerance quarkus-scheduler quarkus-logging-json smallrye-jwt quarkus-caffeine
  quarkus-rest-jackson)
java=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
root=$(cd "$(dirname "$0")/.." && pwd)
flags=${BENCH_JVM-"$(cat "$root/deploy/jvm-options") -XX:MaxRAM=768m"}
work=$(mktemp -d)
pid=
# shellcheck source=bench/lib/postgres.sh
. "$root/bench/lib/postgres.sh"
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; stop_postgres; rm -rf "$work"' EXIT
export JAVA_HOME
JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$java")")")

build() { # directory
  (cd "$1" && "$root/mvnw" -B -q package -DskipTests -Dquarkus.package.jar.appcds.enabled=true \
    -Dquarkus.package.jar.appcds.use-aot=true)
}

# a copy of the application without one extension, and without the code that needs it
variant() { # artifactId
  local dir="$work/without-$1"
  cp -r "$root/bench/extensions-app" "$dir"
  rm -rf "$dir/target"
  grep -v "<artifactId>$1</artifactId>" "$root/bench/extensions-app/pom.xml" > "$dir/pom.xml"
  case "$1" in
    quarkus-narayana-jta) sed -i 's/^  @Transactional$//; /import jakarta.transaction/d' "$dir/src/main/java/bench/extensions/Items.java" ;;
    quarkus-flyway) grep -v "flyway" "$dir/pom.xml" > "$dir/pom.tmp" && mv "$dir/pom.tmp" "$dir/pom.xml"
      sed -i '/flyway/d' "$dir/src/main/resources/application.properties" ;;
    quarkus-hibernate-validator) sed -i 's/@Size(max = 64) //; /import jakarta.validation/d' "$dir/src/main/java/bench/extensions/Items.java" ;;
    quarkus-oidc-client) sed -i '/oidc-client/d' "$dir/src/main/resources/application.properties" ;;
    quarkus-vault) sed -i '/vault/d' "$dir/src/main/resources/application.properties" ;;
    quarkus-logging-json) sed -i '/json/d' "$dir/src/main/resources/application.properties" ;;
  esac
  build "$dir" > "$work/build-$1.log" 2>&1 || { echo "== without $1: does not build; see below" >&2; tail -20 "$work/build-$1.log" >&2; return 1; }
  echo "$dir"
}

launch() { # application directory
  (cd "$1/target/quarkus-app" && QUARKUS_DATASOURCE_JDBC_URL=$jdbc QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_DATASOURCE_PASSWORD=postgres QUARKUS_HTTP_PORT=18180 QUARKUS_MANAGEMENT_PORT=18190 \
    exec "$java" $flags -XX:AOTCache=app.aot -jar quarkus-run.jar > "$work/app.log" 2>&1) &
  pid=$!
}

start_ms() { # application directory; ready: the first 200 of /q/health/ready, polled every 10 ms
  local started now
  started=$(date +%s%N)
  launch "$1"
  for _ in $(seq 1 6000); do
    if curl -sf -o /dev/null localhost:18190/q/health/ready; then
      now=$(date +%s%N); kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
      echo $(( (now - started) / 1000000 )); return
    fi
    kill -0 "$pid" 2>/dev/null || { echo "exited; see its log:" >&2; tail -20 "$work/app.log" >&2; exit 1; }
    sleep 0.01
  done
  echo "not ready in 60 s" >&2; exit 1
}

median() { tr ' ' '\n' <<< "$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

start_postgres
full="$work/full"
cp -r "$root/bench/extensions-app" "$full" && rm -rf "$full/target"
build "$full"
start_ms "$full" > /dev/null
echo "== $("$java" -version 2>&1 | head -1); flags: $flags; $restarts restarts of each, alternating"
for artifact in "${variants[@]}"; do
  dir=$(variant "$artifact") || continue
  all=; without=
  for _ in $(seq 1 "$restarts"); do
    all="$all $(start_ms "$full")"
    without="$without $(start_ms "$dir")"
  done
  a=$(median "$all"); w=$(median "$without")
  echo "== without $artifact:$without (median $w ms); all:$all (median $a ms); saves $((a - w)) ms"
  rm -rf "$dir"
done
