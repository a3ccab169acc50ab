"""`check --deploy` fails when production would run with a per-process cache or email that
never leaves the machine (careerpath/checks.py), and passes with .env.example's settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from careerpath.checks import deploy_problems

ROOT = Path(__file__).resolve().parent.parent
REDIS = "django.core.cache.backends.redis.RedisCache"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_a_per_process_cache_fails_in_production(backend):
    problems = deploy_problems(debug=False, cache_backend=backend, email_backend=SMTP)

    assert [e.id for e in problems] == ["careerpath.E001"]


@pytest.mark.parametrize("backend", ["console", "locmem", "filebased", "dummy"])
def test_email_that_never_leaves_the_machine_fails_in_production(backend):
    email = f"django.core.mail.backends.{backend}.EmailBackend"

    problems = deploy_problems(debug=False, cache_backend=REDIS, email_backend=email)

    assert [e.id for e in problems] == ["careerpath.E002"]


def test_a_shared_cache_and_smtp_pass():
    assert deploy_problems(debug=False, cache_backend=REDIS, email_backend=SMTP) == []


def test_development_with_debug_on_is_not_held_to_it():
    problems = deploy_problems(
        debug=True,
        cache_backend="django.core.cache.backends.locmem.LocMemCache",
        email_backend="django.core.mail.backends.console.EmailBackend",
    )

    assert problems == []


def deploy_check(extra_env):
    """`manage.py check --deploy` as CI runs it: .env.example's values, DEBUG off."""
    example = dict(
        re.findall(r"^([A-Z_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env = {
        **base,
        **example,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_example_settings_pass_the_deploy_check():
    result = deploy_check({})

    assert result.returncode == 0, result.stderr


def test_the_deploy_check_fails_with_the_default_cache_and_console_email():
    result = deploy_check({"CACHE_URL": "locmemcache://", "EMAIL_URL": "consolemail://"})

    assert result.returncode != 0
    assert "careerpath.E001" in result.stderr
    assert "careerpath.E002" in result.stderr
