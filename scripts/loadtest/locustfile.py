# ruff: noqa: S311 - random choices of pages, not secrets
"""careerpath's load test: the journeys people make, in the mix the service expects.

    browse 70% (anonymous: professions, pathway, level, compare, skill, search)
    self-assess 20% (a member of staff: their assessments, task list, a skill saved, check)
    review 8% (a line manager: the queue and a review)
    admin 2% (a head of profession: their profession in the admin)

Run by scripts/loadtest.py, which prepares the accounts (LOADTEST_ACCOUNTS, a JSON file) and
serves the app; every request is named after its journey, so locust's statistics are per
journey. Loopback only: the host must be 127.0.0.1.
"""

import itertools
import json
import os
import random
import re
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOADTEST_ACCOUNTS"]).read())  # noqa: SIM115
PASSWORD = ACCOUNTS["password"]
_staff = itertools.cycle(ACCOUNTS["staff"])
_managers = itertools.cycle(ACCOUNTS["managers"])
_heads = itertools.cycle(ACCOUNTS["heads"])
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Every response time, by journey, for exact percentiles per journey (locust's own table splits
# a journey by method): written to LOADTEST_RESULTS when the run stops.
_times: dict[str, list[float]] = {}
_failures: dict[str, int] = {}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    _times.setdefault(name, []).append(response_time)
    if exception is not None:
        _failures[name] = _failures.get(name, 0) + 1


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@events.test_stop.add_listener
def _write_results(environment, **kwargs):
    results = {
        name: {
            "requests": len(values),
            "failures": _failures.get(name, 0),
            "p50": _percentile(values, 0.50),
            "p95": _percentile(values, 0.95),
            "p99": _percentile(values, 0.99),
        }
        for name, values in _times.items()
    }
    with open(os.environ["LOADTEST_RESULTS"], "w") as out:
        json.dump(results, out)


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"The load test runs against loopback only, not {host}")


def token_of(response):
    found = TOKEN.search(response.text)
    if found is None:
        response.failure("no CSRF token on the page")
        return ""
    return found.group(1)


class SignedIn(HttpUser):
    abstract = True
    journey = ""
    accounts = None

    def on_start(self):
        self.account = next(self.accounts)
        with self.client.get("/sign-in/", name=self.journey, catch_response=True) as page:
            token = token_of(page)
        with self.client.post(
            "/sign-in/",
            {
                "csrfmiddlewaretoken": token,
                "username": self.account["email"],
                "password": self.account.get("password", PASSWORD),
            },
            name=self.journey,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    def get(self, path):
        with self.client.get(path, name=self.journey, catch_response=True) as response:
            if response.status_code != 200 or "/sign-in/" in response.url:
                response.failure(f"{path} answered {response.status_code} at {response.url}")
            return response


class Browse(HttpUser):
    weight = 70
    wait_time = between(1, 3)

    @task
    def browse(self):
        pages = ACCOUNTS["public_pages"]
        for path in random.sample(pages, k=min(3, len(pages))):
            with self.client.get(path, name="browse", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"{path} answered {response.status_code}")


class SelfAssess(SignedIn):
    weight = 20
    wait_time = between(1, 3)
    journey = "self-assess"
    accounts = _staff

    @task
    def assess(self):
        self.get("/assessments/")
        assessment = self.account["assessment"]
        task_list = self.get(f"/assessments/{assessment}/")
        skills = re.findall(rf'href="(/assessments/{assessment}/skills/\d+/)"', task_list.text)
        if skills:
            path = random.choice(skills)
            page = self.get(path)
            lock = re.search(r'name="lock_version" value="(\d+)"', page.text)
            choices = re.findall(r'name="self_proficiency"[^>]*value="([a-z_]+)"', page.text)
            choices += re.findall(r'value="([a-z_]+)"[^>]*name="self_proficiency"', page.text)
            if lock and choices:
                with self.client.post(
                    path,
                    {
                        "csrfmiddlewaretoken": token_of(page),
                        "lock_version": lock.group(1),
                        "self_proficiency": random.choice(choices),
                        "evidence": "Led the weekly service review and wrote up what changed.",
                    },
                    name=self.journey,
                    allow_redirects=False,
                    catch_response=True,
                ) as saved:
                    # 302: saved; 200 with the page again: someone saved first (a stale
                    # edit, shown to the person), which the service answers correctly.
                    if saved.status_code not in (200, 302):
                        saved.failure(f"saving answered {saved.status_code}")
        self.get(f"/assessments/{assessment}/check/")


class Review(SignedIn):
    weight = 8
    wait_time = between(1, 3)
    journey = "review"
    accounts = _managers

    @task
    def review(self):
        self.get("/reviews/")
        self.get(f"/reviews/{self.account['assessment']}/")


class Admin(SignedIn):
    weight = 2
    wait_time = between(2, 5)
    journey = "admin"
    accounts = _heads

    @task
    def admin(self):
        self.get("/admin/")
        self.get(f"/admin/roles/profession/{self.account['profession']}/change/")
