"""gunicorn.conf.py: what production, the benchmarks and the two-instance test serve with."""

import gc
import os
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def restore_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_sync_worker_a_core_unless_the_environment_says_otherwise(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.delenv("GUNICORN_WORKER_CLASS", raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["workers"] == (os.cpu_count() or 2)
    assert conf["worker_class"] == "sync"
    assert conf["preload_app"] is True

    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_WORKER_CLASS", "gthread")
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["worker_class"]) == (3, "gthread")


def test_what_was_loaded_before_forking_is_out_of_the_collector_s_sight(restore_gc):
    conf = runpy.run_path(str(CONF))
    gc.unfreeze()

    conf["when_ready"](server=None)

    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == conf["GC_THRESHOLDS"]
    assert gc.get_threshold()[0] > 700  # collected less often than Python's default
