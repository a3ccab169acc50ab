#!/usr/bin/env bash
# Time `seed_demo --people N` on a scratch PostgreSQL database (dropped and recreated here).
# Usage: scripts/benchmark_seed.sh SCRATCH_DB [PEOPLE]
set -euo pipefail
scratch_db=${1:?scratch database name}
people=${2:-280000}
cd "$(dirname "$0")/.."
export DEBUG=true DATABASE_URL="postgres://postgres@127.0.0.1:5432/$scratch_db"
dropdb -h 127.0.0.1 -U postgres --if-exists "$scratch_db"
createdb -h 127.0.0.1 -U postgres "$scratch_db"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_demo > /dev/null  # frameworks, demo people, 300 colleagues
/usr/bin/time -f "%e s elapsed, %M KB max memory" \
  .venv/bin/python manage.py seed_demo --people "$people" 2>&1 \
  | while IFS= read -r line; do printf '%s %s\n' "$(date +%T)" "$line"; done
