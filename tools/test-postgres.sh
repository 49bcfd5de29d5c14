#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for the cluster tests, from Debian's
# postgresql package: its own data directory, a free port, a password.
#
#   eval "$(bash tools/test-postgres.sh start)"   # starts it (or finds it running), exports
#                                                 # DOCRAY_TEST_DATABASE_URL and DOCRAY_TEST_POSTGRES
#   bash tools/test-postgres.sh restart           # what the tests do to it mid-run
#   bash tools/test-postgres.sh stop
#
# Only the export lines go to stdout; everything else goes to stderr.
set -euo pipefail

action=${1:-start}
dir=${DOCRAY_TEST_PG_DIR:-/tmp/docray-test-postgres}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
    echo "test-postgres: PostgreSQL is not installed (run packaging/install-deps.sh)" >&2
    exit 1
fi

# The server outlives this script: it must not keep descriptors the caller
# left open (a build lock held by `flock`, a pipe a test waits on).
for fd in $(ls /proc/$$/fd); do
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
done

# PostgreSQL refuses to run as root: as root, run it as the postgres user.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

exports() {
    echo "export DOCRAY_TEST_DATABASE_URL=postgresql://docray:docray@127.0.0.1:$(cat "$dir/port")/docray_test"
    echo "export DOCRAY_TEST_POSTGRES=$dir"
}

running() {
    [ -f "$dir/port" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

case "$action" in
start)
    if running; then
        exports
        exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "$port" >"$dir/port"
    echo docray >"$dir/password"
    as_owner "$bin/initdb" -D "$dir/data" -U docray --pwfile="$dir/password" -A scram-sha-256 \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync off: a test database need not survive a power cut, and it is faster.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    PGPASSWORD=docray "$bin/createdb" -h 127.0.0.1 -p "$port" -U docray docray_test >&2
    exports
    ;;
restart)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -m fast restart >&2
    ;;
stop)
    ! running || as_owner "$bin/pg_ctl" -D "$dir/data" -w -m fast stop >&2
    ;;
*)
    echo "usage: $0 start|restart|stop" >&2
    exit 2
    ;;
esac
