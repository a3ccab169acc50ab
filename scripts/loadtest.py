#!/usr/bin/env python3
"""The load test: locust, headless and bounded in time, against gunicorn + PostgreSQL + Redis on
this machine (loopback only), with the journeys and mix of scripts/loadtest/locustfile.py.

    .venv/bin/python scripts/loadtest.py                      # the benchmark database
    .venv/bin/python scripts/loadtest.py --users 60 --seconds 120

Uses the database scripts/benchmark.py seeds (280,000 people: run it first, or pass
--database-url), and a Redis server on 127.0.0.1:6379 as the shared cache and session store
(database 3 of it, emptied first). Before the run it gives sign-in accounts to some of the
seeded people: members of staff with a draft assessment and line managers with one waiting for
review. Results (p50, p95, p99 and failures per journey, the load average) are written to
docs/performance.md between the load-test markers; any failed request fails the run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchmark

ROOT = benchmark.ROOT
PY = benchmark.PY
START, END = "<!-- loadtest:start -->", "<!-- loadtest:end -->"
JOURNEYS = ["browse", "self-assess", "review", "admin"]

PREPARE = """
import json, secrets
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from accounts.demo import DEMO_PASSWORD
from assessments.models import AssessmentStatus, SelfAssessment
from people.models import Person
from roles.models import Profession
from roles.selectors import latest_frameworks

User = get_user_model()
password = "loadtest-" + secrets.token_urlsafe(12)
hashed = make_password(password)  # hashed once: the same password for every prepared account
COUNT = {count}

def account(person):
    user = person.user or User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create(email=person.email, password=hashed)
    else:
        User.objects.filter(pk=user.pk).update(password=hashed, is_active=True)
    if person.user_id != user.pk:
        Person.objects.filter(pk=person.pk).update(user=user)
    return person.email

with transaction.atomic():
    drafts = (
        SelfAssessment.objects.filter(status=AssessmentStatus.DRAFT, person__is_active=True)
        .select_related("person", "person__user").order_by("pk")[:COUNT]
    )
    staff = [dict(email=account(a.person), assessment=a.pk) for a in drafts]
    waiting = (
        SelfAssessment.objects.filter(
            status=AssessmentStatus.SUBMITTED, person__is_active=True,
            person__line_manager__is_active=True,
        )
        .select_related("person__line_manager", "person__line_manager__user").order_by("pk")
    )
    managers, seen = [], set()
    for a in waiting:
        manager = a.person.line_manager
        if manager.pk in seen:
            continue
        seen.add(manager.pk)
        managers.append(dict(email=account(manager), assessment=a.pk))
        if len(managers) >= COUNT:
            break
operations = Profession.objects.get(slug="operations")
heads = [dict(email="head.operations@example.gov.uk", profession=operations.pk)]
public = ["/professions/", "/search/?q=leadership"]
for framework in latest_frameworks():
    levels = framework.levels
    public.append(f"/professions/{{framework.profession_slug}}/")
    for level in levels[:3]:
        public.append(f"/professions/{{framework.profession_slug}}/levels/{{level.slug}}/")
    if len(levels) > 1:
        public.append(
            f"/professions/{{framework.profession_slug}}/compare/?from={{levels[0].slug}}"
            f"&to={{levels[1].slug}}"
        )
    for expectation in levels[0].expectations[:3]:
        public.append(f"/skills/{{expectation.skill.slug}}/")
print("RESULT", json.dumps(dict(
    password=password, heads_password=DEMO_PASSWORD, staff=staff, managers=managers,
    heads=heads, public_pages=public,
)))
"""


def write_results(rows, options, loads, output, facts):
    lines = [
        START,
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} by `scripts/loadtest.py` on "
        f"{benchmark.machine()}: locust {options.users} users (started {options.spawn_rate} a "
        f"second), {options.seconds} s, headless on the same machine, against gunicorn "
        f"({benchmark.serving(os.environ)}, gunicorn.conf.py, DEBUG off), PostgreSQL and Redis on "
        f"127.0.0.1. Database: "
        f"{facts}. Load average (1, 5, 15 minutes) before: {loads[0]}; after: {loads[1]}.",
        "",
        "| Journey | Requests | Failures | p50 | p95 | p99 | Requests/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in rows:
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} "
            f"| {row['p50']:.0f} ms | {row['p95']:.0f} ms | {row['p99']:.0f} ms "
            f"| {row['requests'] / options.seconds:.1f} |"
        )
    lines.append(END)
    benchmark.replace_block(output, START, END, "\n".join(lines), "Load test")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/careerpath_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--accounts", type=int, default=60, help="of each kind")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the docs")
    options = parser.parse_args()

    port = benchmark.free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "loadtest-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": options.database_url,
        "CACHE_URL": options.redis_url,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        # Every virtual user signs in from 127.0.0.1: the per-client limit is for the internet.
        "SIGN_IN_RATE_LIMIT": "1000000",
    }
    benchmark.run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    benchmark.run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    benchmark.run(
        [PY, "manage.py", "shell", "-c", "from django.core.cache import cache; cache.clear()"], env
    )
    accounts = benchmark.manage_shell(PREPARE.format(count=options.accounts), env)
    if not accounts["staff"] or not accounts["managers"]:
        sys.exit("The database has no draft assessments or none waiting: seed it first")
    facts = benchmark.manage_shell(
        "import json; from people.models import Person; "
        "print('RESULT', json.dumps(f'{Person.objects.count():,} people'))",
        env,
    )
    for head in accounts["heads"]:
        head["password"] = accounts["heads_password"]
    work = Path(tempfile.mkdtemp(prefix="careerpath-loadtest-"))
    (work / "accounts.json").write_text(json.dumps(accounts))

    with benchmark.serve(env, port) as host:
        before = benchmark.load_average()
        subprocess.run(  # noqa: S603
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(ROOT / "scripts" / "loadtest" / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "-u",
                str(options.users),
                "-r",
                str(options.spawn_rate),
                "-t",
                f"{options.seconds}s",
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            env={
                **env,
                "LOADTEST_ACCOUNTS": str(work / "accounts.json"),
                "LOADTEST_RESULTS": str(work / "results.json"),
            },
            cwd=ROOT,
            check=False,
        )
        after = benchmark.load_average()

    measured = json.loads((work / "results.json").read_text())
    rows = [(name, measured[name]) for name in JOURNEYS if name in measured]
    failures = sum(row["failures"] for _name, row in rows)
    for name, row in rows:
        print(name, row)
    if not options.no_write:
        write_results(rows, options, (before, after), options.output, facts)
        print(f"Results written to {options.output}")
    if failures or len(rows) != len(JOURNEYS):
        sys.exit(f"{failures} failed requests, {len(rows)} of {len(JOURNEYS)} journeys ran")


if __name__ == "__main__":
    main()
