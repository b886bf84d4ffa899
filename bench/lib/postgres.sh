# Sourced by the benchmarks: a PostgreSQL server from Debian's packages (/usr/lib/postgresql/*/bin)
# in "$work/pg", started by start_postgres and stopped by stop_postgres; run as the postgres user
# when the script runs as root (PostgreSQL refuses root). Needs $work; sets $jdbc. package_for
# builds a scratch copy's jar for either database.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
pgport=${BENCH_PG_PORT:-18432}

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }

start_postgres() {
  [ -n "$pgbin" ] || { echo "no PostgreSQL server under /usr/lib/postgresql" >&2; exit 1; }
  chmod 755 "$work"
  mkdir "$work/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$work/pg"; }
  as_postgres "$pgbin/initdb -D $work/pg -U postgres -A trust" > /dev/null
  as_postgres "$pgbin/pg_ctl -D $work/pg -o '-p $pgport -k $work/pg' -l $work/pg/server.log -w start" > /dev/null
  jdbc="jdbc:postgresql://127.0.0.1:$pgport/postgres"
}

stop_postgres() {
  [ -d "$work/pg" ] && as_postgres "$pgbin/pg_ctl -D $work/pg -m fast stop" > /dev/null 2>&1 || true
}

psql_value() { as_postgres "$pgbin/psql -h $work/pg -p $pgport -U postgres -Atc \"$1\""; }

# Builds the jar in $2 for database $1: postgres (the kind as shipped, on the server it starts
# here) or h2 (a file database in $work/data). Sets $jdbc.
package_for() {
  if [ "$1" = postgres ]; then
    start_postgres
    (cd "$2" && ./mvnw -B -q package -DskipTests -Dspotless.check.skip)
  else
    (cd "$2" && ./mvnw -B -q package -DskipTests -Dspotless.check.skip '-D%prod.quarkus.datasource.db-kind=h2')
    jdbc="jdbc:h2:file:$work/data/db"
  fi
}
