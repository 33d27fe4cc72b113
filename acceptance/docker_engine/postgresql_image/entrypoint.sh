#!/bin/sh
# Initialise a database cluster whose user POSTGRES_USER signs in with POSTGRES_PASSWORD (scram-sha-256, from any
# address of the container's network), then serve it in the foreground.
set -eu
: "${POSTGRES_USER:?set POSTGRES_USER}" "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/password
initdb --username="$POSTGRES_USER" --pwfile=/tmp/password --auth=scram-sha-256 --encoding=UTF8 >/tmp/initdb.log
rm /tmp/password
echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
exec postgres -c listen_addresses='*'
