#!/usr/bin/env bash
# Time import_staff of a 280,000-row HR extract on a scratch PostgreSQL database.
# Usage: scripts/benchmark_import.sh SOURCE_DB SCRATCH_DB [PEOPLE]
#   SOURCE_DB: a database already seeded with `seed_demo --people PEOPLE` (default 280000);
#   SCRATCH_DB: dropped and recreated here, so never point it at a database you need.
set -euo pipefail
source_db=${1:?source database name}
scratch_db=${2:?scratch database name}
people=${3:-280000}
pg="postgres://postgres@127.0.0.1:5432"
csv=$(mktemp --suffix=.csv)
cd "$(dirname "$0")/.."
export DEBUG=true
DATABASE_URL="$pg/$source_db" .venv/bin/python manage.py seed_demo --export-csv "$csv.all"
# Keep the header and the last PEOPLE rows (the generated organisation).
{ head -n 1 "$csv.all"; tail -n "$people" "$csv.all"; } > "$csv"
dropdb -h 127.0.0.1 -U postgres --if-exists "$scratch_db"
createdb -h 127.0.0.1 -U postgres "$scratch_db"
export DATABASE_URL="$pg/$scratch_db"
.venv/bin/python manage.py migrate -v0
# Departments and published frameworks, and one person who is not in the file.
.venv/bin/python manage.py seed_demo --people 1 --prefix Z > /dev/null
echo "First import (every row new):"
/usr/bin/time -f "%e s elapsed, %M KB max memory" \
  .venv/bin/python manage.py import_staff "$csv" --deactivate-missing
echo "Second import (same file, nothing changes):"
/usr/bin/time -f "%e s elapsed, %M KB max memory" \
  .venv/bin/python manage.py import_staff "$csv"
rm -f "$csv" "$csv.all"
