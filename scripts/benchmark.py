#!/usr/bin/env python3
"""Throughput and latency of careerpath's pages, served as in production.

Serves the app with gunicorn on PostgreSQL (DEBUG off, collected static files), loads each page
with wrk from a second process on loopback, and writes requests per second and latency
percentiles into docs/performance.md between the benchmark markers. The home page (a template
and the whole middleware stack, no queries) is the trivial view the others are measured against.

    .venv/bin/python scripts/benchmark.py                 # demo data
    .venv/bin/python scripts/benchmark.py --people 280000 # with a seeded organisation

Needs: `make python-deps frontend`, a PostgreSQL server on 127.0.0.1:5432, and wrk (installed
from Debian's packages when missing and running as root).
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def run(args, env, **kwargs):
    print("+", " ".join(args[:4]), "..." if len(args) > 4 else "", flush=True)
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["/usr/bin/apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return
    sys.exit("The benchmark needs wrk: sudo apt-get install wrk")


def ensure_database(url):
    name = url.rsplit("/", 1)[1]
    made = subprocess.run(  # noqa: S603
        ["/usr/bin/createdb", "-h", "127.0.0.1", "-U", "postgres", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0 and "already exists" not in made.stderr:
        sys.exit(f"Could not create the benchmark database {name}: {made.stderr.strip()}")


def wrk(url, seconds, connections, threads, cookie):
    command = ["wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50": percentiles.get("50", "?"),
        "p90": percentiles.get("90", "?"),
        "p99": percentiles.get("99", "?"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def write_results(results, options, output):
    trivial = results[0][2]["rps"]
    lines = [
        START,
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} by `scripts/benchmark.py` on "
        f"{os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}, "
        f"PostgreSQL on 127.0.0.1, gunicorn with {options.workers} sync workers, "
        f"DEBUG off; wrk with {options.threads} threads and {options.connections} connections "
        f"for {options.seconds} s per page, on the same machine."
        + (f" Organisation seeded with {options.people:,} people." if options.people else ""),
        "",
        "| Page | Requests/s | vs trivial | p50 | p90 | p99 | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, path, result in results:
        lines.append(
            f"| {label} `{path}` | {result['rps']:.0f} | {result['rps'] / trivial:.0%} "
            f"| {result['p50']} | {result['p90']} | {result['p99']} | {result['errors']} |"
        )
    lines.append(END)
    block = "\n".join(lines)
    text = output.read_text() if output.exists() else "# Performance\n"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n## Page throughput and latency\n\n" + block + "\n"
    output.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/careerpath_bench"
    )
    parser.add_argument("--people", type=int, default=0, help="seed_demo --people N first")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    options = parser.parse_args()

    ensure_wrk()
    ensure_database(options.database_url)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": options.database_url,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "ALLOW_DEMO_DATA": "true",
        "LOG_LEVEL": "WARNING",
    }
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
    run([PY, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    if options.people:
        run([PY, "manage.py", "seed_demo", "--people", str(options.people)], env)
    run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    discover = (ROOT / "scripts" / "benchmark_urls.py").read_text()
    discovered = run(
        [PY, "manage.py", "shell", "-c", discover], env, capture_output=True, text=True
    )
    pages = json.loads(discovered.stdout.split("DISCOVERED", 1)[1])

    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "careerpath.wsgi",
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            str(options.workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{options.port}"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        results = []
        for label, path, cookie in pages:
            wrk(base + path, 1, options.connections, options.threads, cookie)  # warm up
            result = wrk(base + path, options.seconds, options.connections, options.threads, cookie)
            print(
                f"{label:<55} {result['rps']:8.0f} req/s  p50 {result['p50']:>8}  "
                f"p99 {result['p99']:>8}  non-2xx {result['errors']}",
                flush=True,
            )
            results.append((label, path, result))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    write_results(results, options, options.output)
    print(f"Results written to {options.output}")


if __name__ == "__main__":
    main()
