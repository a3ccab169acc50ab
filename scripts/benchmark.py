#!/usr/bin/env python3
"""Throughput of careerpath's pages as ratios to a bare Django view, served as in production.

One command: makes (or reuses) a PostgreSQL database, migrates it, loads the demo data, seeds a
generated organisation if asked, serves the app with gunicorn (gunicorn.conf.py, DEBUG off, Redis
as the cache, collected static files), and measures the pages with ../shared/bench/bench-pages.sh,
which starts a bare Django view (a project whose only view returns "ok") served the same way and
measures it first and last in each run. The ratio of a page to that bare view is the figure to
quote: the machines are shared and absolute figures drift with the load.

The pages, found by scripts/benchmark_urls.py, are measured in one run per kind of visitor
(bench-pages.sh takes one cookie a run): the public pages, anonymous; a member of staff's
assessments; a line manager's review queue and review page; a head of profession's capability
report, for the whole profession and for one department. The results, with the date, the
machine and the load average, are written to docs/performance.md between the benchmark
markers.

    .venv/bin/python scripts/benchmark.py --people 280000          # seeds once, then reuses
    .venv/bin/python scripts/benchmark.py --people 280000 --fresh  # a new database first

Needs: `make python-deps frontend`, a PostgreSQL server on 127.0.0.1:5432 that the postgres user
can reach without a password, createdb/dropdb, and wrk (bench-pages.sh installs it from Debian's
packages when run as root).
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import runpy
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
BENCH_PAGES = ROOT.parent / "shared" / "bench" / "bench-pages.sh"
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def run(args, env, **kwargs):
    print("+", " ".join(str(a) for a in args[:5]), "..." if len(args) > 5 else "", flush=True)
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


def manage_shell(code, env):
    """Run Python in `manage.py shell` and return what it printed after the word RESULT."""
    out = run([PY, "manage.py", "shell", "-c", code], env, capture_output=True, text=True)
    return json.loads(out.stdout.split("RESULT", 1)[1])


def ensure_database(url, fresh):
    name = url.rsplit("/", 1)[1]
    postgres = ["-h", "127.0.0.1", "-U", "postgres"]
    if fresh:
        subprocess.run(["dropdb", *postgres, "--if-exists", name], check=True)  # noqa: S603,S607
    made = subprocess.run(  # noqa: S603
        ["createdb", *postgres, name],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0 and "already exists" not in made.stderr:
        sys.exit(f"Could not create the benchmark database {name}: {made.stderr.strip()}")


def machine():
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else model
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s+(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f", {int(found.group(1)) / 1024 / 1024:.0f} GB of memory" if found else ""
    return f"{os.cpu_count()} cores of {model} ({platform.machine()}){memory}"


def load_average():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def check_pages(pages, cookie, base):
    """Every page must answer 200 with this cookie: wrk counts redirects (to the sign-in page,
    when a session has gone) as successes, and would measure them instead."""
    for label, path in pages:
        connection = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]))
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        status = connection.getresponse().status
        connection.close()
        if status != 200:
            sys.exit(f"{label} ({path}) answered {status}, not 200: not measured")


def bench_pages(pages, cookie, options, base, env):
    """One run of bench-pages.sh over `pages` [(label, path)]: returns the bare view's figures,
    each page's, and the load average it printed."""
    check_pages(pages, cookie, base)
    names = {f"page-{index:02d}": label for index, (label, _path) in enumerate(pages)}
    command = [str(BENCH_PAGES), "-c", str(options.connections), "-d", str(options.seconds)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command += [f"{name}={base}{path}" for name, (_label, path) in zip(names, pages, strict=True)]
    print(f"+ bench-pages.sh: {len(pages)} pages", flush=True)
    out = subprocess.run(  # noqa: S603
        command, env=env, cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    print(out, flush=True)
    load = re.search(r"^load average: ([\d. ]+);", out, re.MULTILINE)
    rows = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 6 and (fields[0] in names or fields[0].startswith("bare-view")):
            name, rps, p50, p99, bad, ratio = fields
            rows[name] = {
                "rps": float(rps),
                "p50": p50,
                "p99": p99,
                "errors": int(bad),
                "ratio": float(ratio),
            }
    if "bare-view-first" not in rows or len(rows) != len(pages) + 2:
        sys.exit(f"bench-pages.sh did not measure every page:\n{out}")
    bare = (rows["bare-view-first"]["rps"], rows["bare-view-last"]["rps"])
    results = [
        (label, path, rows[name])
        for name, (label, path) in zip(names, pages, strict=True)
        if name in rows
    ]
    return {"bare": bare, "load": load.group(1).strip() if load else "?", "pages": results}


def serving(env):
    """How gunicorn serves the app, in words: what gunicorn.conf.py works out in `env` (its
    GUNICORN_* overrides included), read from the file itself."""
    with mock.patch.dict(os.environ, env):
        conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    workers, kind, threads = conf["workers"], conf["worker_class"], conf["threads"]
    return f"{workers} {kind} workers" + (f" of {threads} threads" if threads > 1 else "")


@contextlib.contextmanager
def serve(env, port):
    """gunicorn as in production (gunicorn.conf.py, no access log) on 127.0.0.1:port, answering
    /healthz, for the length of the with-block. scripts/loadtest.py uses it too."""
    server = subprocess.Popen(  # noqa: S603
        [
            PY,
            "-m",
            "gunicorn",
            "careerpath.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def replace_block(output, start, end, block, heading):
    """Put `block` between the markers in `output`, or under a new heading at its end."""
    text = output.read_text() if output.exists() else "# Performance\n"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n" + block + "\n"
    output.write_text(text)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def median_run(repeats):
    """The runs of one group, repeated: each page's median ratio (and the figures of the run
    that gave it), so one disturbed run does not make the result."""
    pages = []
    for index, (label, path, _page) in enumerate(repeats[0]["pages"]):
        measured = sorted((run["pages"][index][2] for run in repeats), key=lambda p: p["ratio"])
        middle = measured[len(measured) // 2]
        ratios = ", ".join(f"{page['ratio']:.3f}" for page in measured)
        pages.append((label, path, {**middle, "ratios": ratios}))
    return {
        "bare": tuple(statistics.median(run["bare"][end] for run in repeats) for end in range(2)),
        "load": repeats[-1]["load"],
        "pages": pages,
    }


def write_results(runs, facts, options, loads, output):
    seeded = f"{facts['people']:,} people, {facts['ratings']:,} ratings, " + (
        f"{facts['summary_cells']:,} capability summary cells"
    )
    lines = [
        START,
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} by `scripts/benchmark.py` on "
        f"{machine()}; Python {platform.python_version()}, {facts['database']} on 127.0.0.1; "
        f"Redis as the cache and session store; gunicorn (gunicorn.conf.py) with "
        f"{options.serving}, DEBUG off, against a bare view with 2 sync workers; "
        f"`../shared/bench/bench-pages.sh` (wrk, "
        f"2 threads, {options.connections} connections, {options.seconds} s a page, on the "
        f"same machine), each kind of visitor measured {options.repeat} times in turn and "
        f"the median ratio kept. Database: {seeded}. Load average (1, 5, 15 minutes) before: "
        f"{loads[0]}; after: {loads[1]}.",
        "",
        "The ratio is the page's requests per second over the bare Django view's, measured "
        "first and last in the same run (one run for each kind of visitor); it is the figure "
        "to quote. Requests per second and latencies are as measured, on a shared machine.",
        "",
        "| Page | Ratio to bare view (median) | Ratios of the runs | Requests/s | p50 | p99 "
        "| non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in runs:
        for label, path, page in result["pages"]:
            lines.append(
                f"| {label} `{path}` | {page['ratio']:.3f} | {page['ratios']} "
                f"| {page['rps']:.0f} "
                f"| {page['p50']} | {page['p99']} | {page['errors']} |"
            )
    lines += [
        "",
        "| Run | Bare view, first and last (requests/s, median) | Load average at its end |",
    ]
    lines.append("| --- | ---: | ---: |")
    for result in runs:
        first, last = result["bare"]
        lines.append(f"| {result['visitor']} | {first:.0f}, {last:.0f} | {result['load']} |")
    lines.append(END)
    replace_block(output, START, END, "\n".join(lines), "Page throughput")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/careerpath_bench"
    )
    parser.add_argument(
        "--people",
        type=int,
        default=0,
        help="seed_demo --people N first, unless the database already holds N people",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--seconds", type=int, default=10, help="per page (bench-pages.sh -d)")
    parser.add_argument("--connections", type=int, default=16, help="bench-pages.sh -c")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each kind of visitor; the median is kept"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--cache-url", default="redis://127.0.0.1:6379/2", help="the shared cache (Redis)"
    )
    parser.add_argument("--workers", help="instead of gunicorn.conf.py's (GUNICORN_WORKERS)")
    parser.add_argument("--worker-class", help="instead of gunicorn.conf.py's: sync, gthread")
    parser.add_argument("--threads", help="threads of each gthread worker (GUNICORN_THREADS)")
    parser.add_argument("--only", help="measure only the kinds of visitor whose name contains this")
    options = parser.parse_args()
    if not BENCH_PAGES.exists():
        sys.exit(f"Needs {BENCH_PAGES}")

    options.port = options.port or free_port()
    ensure_database(options.database_url, options.fresh)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": options.database_url,
        "CACHE_URL": options.cache_url,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ALLOW_DEMO_DATA": "true",
        "LOG_LEVEL": "WARNING",
        "PYTHON": PY,
        # bench-pages.sh serves its bare view on BARE_PORT (8199 unless set): a free one, so
        # that two benchmarks on one machine do not measure each other's server.
        "BARE_PORT": str(free_port()),
    }
    for option, variable in (
        ("workers", "GUNICORN_WORKERS"),
        ("worker_class", "GUNICORN_WORKER_CLASS"),
        ("threads", "GUNICORN_THREADS"),
    ):
        if getattr(options, option):
            env[variable] = getattr(options, option)
    options.serving = serving(env)
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    run([PY, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    if options.people:
        held = manage_shell(
            "from people.models import Person; print('RESULT', Person.objects.count())", env
        )
        if held >= options.people:
            print(
                f"The database holds {held:,} people already: not seeding (--fresh to start again)"
            )
        else:
            started = time.monotonic()
            run([PY, "manage.py", "seed_demo", "--people", str(options.people)], env)
            print(f"Seeded in {time.monotonic() - started:.0f} s", flush=True)
    run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    discovered = manage_shell((ROOT / "scripts" / "benchmark_urls.py").read_text(), env)

    with serve(env, options.port) as base:
        before = load_average()
        runs = []
        for group in discovered["groups"]:
            if options.only and options.only not in group["visitor"]:
                continue
            pages = [tuple(page) for page in group["pages"]]
            repeats = [
                bench_pages(pages, group["cookie"], options, base, env)
                for _ in range(options.repeat)
            ]
            runs.append({"visitor": group["visitor"], **median_run(repeats)})
        after = load_average()
    write_results(runs, discovered["facts"], options, (before, after), options.output)
    print(f"Results written to {options.output}")


if __name__ == "__main__":
    main()
