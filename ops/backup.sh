#!/usr/bin/env bash
# Back up the PostgreSQL database and the uploaded files.
#   ops/backup.sh [DIR]        (DATABASE_URL and DJANGO_MEDIA_ROOT from the environment or .env)
# Writes DIR/codi-YYYYmmdd-HHMMSS.dump (pg_dump custom format) and DIR/codi-YYYYmmdd-HHMMSS-media.tar.gz,
# plus a .fingerprint.json with per-table row counts and checksums to verify a restore against.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
: "${DATABASE_URL:?DATABASE_URL must point at PostgreSQL}"
dir=${1:-backups}
mkdir -p "$dir"
stamp=$(date +%Y%m%d-%H%M%S)
pg_dump --format=custom --no-owner --no-privileges --file "$dir/codi-$stamp.dump" "$DATABASE_URL"
media=${DJANGO_MEDIA_ROOT:-media}
if [ -d "$media" ]; then tar -czf "$dir/codi-$stamp-media.tar.gz" -C "$media" .; fi
"${PYTHON:-.venv/bin/python}" manage.py db_fingerprint > "$dir/codi-$stamp.fingerprint.json"
echo "$dir/codi-$stamp.dump"
