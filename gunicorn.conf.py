"""How gunicorn serves careerpath in production, the benchmarks and the two-instance test.

gunicorn reads this file from the directory it starts in (the project root); the bind address
and anything else may still be given on the command line. Each figure was chosen by measuring
the pages against the bare Django view (docs/performance.md, "Serving"); the environment can
change them without editing this file.
"""

import gc
import os

# Worker processes and their kind: one sync worker a core. Measured on 2 cores against 3 and 4
# sync workers and 2 gthread workers of 4 threads, it served public and signed-in pages best:
# the pages are CPU-bound, and more processes or threads only take turns on the same cores
# (docs/performance.md, "Serving").
workers = int(os.environ.get("GUNICORN_WORKERS") or os.cpu_count() or 2)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# Load the application once, in the master, before forking the workers: they share its memory,
# and the garbage collector of each need not look at it (below).
preload_app = True


def when_ready(server):
    """Everything loaded at start-up (Django, the URL conf, templates compiled on first use
    are not) lives as long as the process: move it out of the collector's sight, so that a
    collection during a request only walks what the request made. And collect the youngest
    generation less often: a page allocates tens of thousands of objects, nearly all freed by
    reference counting, and collecting every 700 allocations cost a signed-in page about a
    sixth of its time."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def post_fork(server, worker):
    # Nothing should have opened a database connection in the master; never share one.
    from django.db import connections

    connections.close_all()


GC_THRESHOLDS = (
    int(os.environ.get("GUNICORN_GC_THRESHOLD", "10000")),
    10,
    10,
)
