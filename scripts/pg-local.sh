#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback for the test suite and prints its DATABASE_URL.
# Installs the Debian package when no server binaries are present. Usage: pg-local.sh DIR [PORT]
set -euo pipefail
dir=${1:?data directory}
port=${2:-54329}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "installing PostgreSQL from Debian packages…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
if [ ! -f "$dir/PG_VERSION" ]; then
  as_pg "$bindir/initdb" -D "$dir" -U tollgate --auth=trust -E UTF8 >/dev/null
fi
as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >&2
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U tollgate tollgate 2>/dev/null || true
echo "postgres://tollgate@127.0.0.1:$port/tollgate"
