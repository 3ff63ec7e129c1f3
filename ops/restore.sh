#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into the (empty or existing) database at TARGET_URL.
#   ops/restore.sh BACKUP.dump TARGET_URL [MEDIA_DIR]
# Existing objects in the target are dropped first. Afterwards the script compares the restored
# database's fingerprint with the one saved beside the dump and exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
dump=${1:?backup .dump file}
target=${2:?target database URL}
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --dbname "$target" "$dump"
media_archive=${dump%.dump}-media.tar.gz
if [ -n "${3:-}" ] && [ -f "$media_archive" ]; then mkdir -p "$3" && tar -xzf "$media_archive" -C "$3"; fi
expected=${dump%.dump}.fingerprint.json
if [ -f "$expected" ]; then
  DATABASE_URL="$target" "${PYTHON:-.venv/bin/python}" manage.py db_fingerprint --compare "$expected"
fi
