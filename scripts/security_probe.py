"""Probe a running careerpath (gunicorn, DEBUG off, demo data) the way the audit did, and print
the figures docs/security.md records.

    .venv/bin/python scripts/security_probe.py http://127.0.0.1:8291 [--samples 30] [--ids 1-400]

Three parts, standard library only:
1. Account set-up timing: `--samples` POSTs each for a known and an unknown address, taken in
   turn, with the time to the answer and whether the answers are the same.
2. Bad and forged input: query parameters and form fields with NUL bytes, odd digits, huge
   numbers and quotes; forged set-up links; POSTs without a CSRF token. Counts answers of 500
   or more, and "leaks" (a traceback, the settings module or a known staff address in a body).
3. Other people's records: signed in as three demo people (a member of staff, another, and the
   first one's line manager), asks for every assessment id in `--ids` on the author's, the
   review and the read-only pages; a page more than one of them may read is a leak.

The server needs generous rate limits for the run (for example SET_UP_RATE_LIMIT=100000,
SIGN_IN_RATE_LIMIT=1000), or the probe measures the 429 page instead.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

KNOWN = "staff@example.gov.uk"
DEMO_PASSWORD = "careerpath-demo"  # noqa: S105 - the published demo password
LEAK_MARKERS = ("Traceback", "careerpath.settings", "SECRET_KEY", KNOWN, "ops.staff@")


class Browser:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, data=None, *, csrf=True):
        body = None
        headers = {"Referer": self.base + "/"}
        if data is not None:
            if csrf:
                data = {**data, "csrfmiddlewaretoken": self.csrf_token()}
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        return status, text, time.perf_counter() - started

    def csrf_token(self):
        token = next((c.value for c in self.jar if c.name == "csrftoken"), None)
        if token is None:
            self.request("/sign-in/")
            token = next(c.value for c in self.jar if c.name == "csrftoken")
        return token

    def sign_in(self, email):
        status, _, _ = self.request("/sign-in/", {"username": email, "password": DEMO_PASSWORD})
        assert status == 302, f"could not sign in as {email}: {status}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def set_up_timing(base, samples, known_addresses):
    """Known addresses are taken in turn from `known_addresses` (a different staff record each
    time, so the resend throttle never hides the work), unknown ones are made up."""
    browser = Browser(base)
    times = {"known": [], "unknown": []}
    answers = {"known": set(), "unknown": set()}
    for n in range(samples):
        known = known_addresses[n % len(known_addresses)]
        for label, email in (
            ("known", known),
            ("unknown", f"nobody.{n}.{time.time_ns()}@x.gov.uk"),
        ):
            status, text, took = browser.request("/account/set-up/", {"email": email})
            times[label].append(took * 1000)
            answers[label].add((status, text))
    for label in ("known", "unknown"):
        values = sorted(times[label])
        print(
            f"set-up {label:7}: median {statistics.median(values):.1f} ms, "
            f"min {values[0]:.1f}, max {values[-1]:.1f}, "
            f"p10 {values[len(values) // 10]:.1f}, p90 {values[len(values) * 9 // 10]:.1f}"
        )
    print(f"set-up answers identical: {answers['known'] == answers['unknown']}")


BAD_VALUES = [
    "\x00",
    "a\x00b",
    "%C2%B2",
    "²",
    "٣",
    "1e309",
    "9" * 40,
    "-1",
    "0",
    "'",
    "' OR '1'='1",
    '"><script>alert(1)</script>',
    "../../etc/passwd",
    b"\xff\xfe",  # not UTF-8
    "\u202e",
    "x" * 5000,
    "{{7*7}}",
    "%",
    "NaN",
    "[]",
]
# A set-up link's token is base64 JSON, a date and a signature: these are forged or broken ones
# (the last names staff@ with a made-up signature).
FORGED_TOKENS = [
    "x",
    "a:b:c",
    "e30:1:abc",
    "." * 300,
    "%00",
    "eyJlIjoic3RhZmZAZXhhbXBsZS5nb3YudWsiLCJmIjoibm9uZSJ9:1vA0aB:c2lnbmF0dXJl",
]


def bad_input_requests():
    """(path, form data or None, send the CSRF token)."""
    gets = [
        "/professions/product-management/framework.json?version={}",
        "/professions/product-management/framework.csv?version={}",
        "/professions/product-management/?version={}",
        "/professions/product-management/compare/?from={}&to={}",
        "/professions/{}/",
        "/professions/?q={}",
        "/assessments/start/?profession={}&level={}",
        "/assessments/{}/",
        "/reviews/{}/read/",
        "/professions/operations/capability/?department={}&quarter={}&grade={}",
        "/professions/operations/capability.csv?department={}&quarter={}",
        "/your-career/moves/?profession={}",
        "/sign-in/?next={}",
    ]
    for template in gets:
        for value in BAD_VALUES:
            quoted = urllib.parse.quote(value, safe="")
            yield template.replace("{}", quoted), None, True
    posts = ["/account/set-up/", "/sign-in/"]
    for path in posts:
        for value in BAD_VALUES:
            fields = {"email": value, "username": value, "password": value}
            yield path, fields, True
            yield path, fields, False  # no CSRF token: must be 403, not 500
    for token in [
        "x",
        "a:b:c",
        "e30:1:abc",
        "." * 300,
        "%00",
        "eyJlIjoic3RhZmZAZXhhbXBsZS5nb3YudWsifQ:1vA:sig",
    ]:
        quoted = urllib.parse.quote(token, safe=":")
        yield f"/account/set-up/choose-password/{quoted}/", None, True
        yield (
            f"/account/set-up/choose-password/{quoted}/",
            {"new_password1": "a-long-password-1", "new_password2": "a-long-password-1"},
            True,
        )


def bad_input(base, signed_in_as):
    tried = errors = leaks = 0
    statuses = Counter()
    for email in (None, signed_in_as):
        browser = Browser(base)
        if email:
            browser.sign_in(email)
        for path, data, csrf in bad_input_requests():
            status, text, _ = browser.request(path, data, csrf=csrf)
            tried += 1
            statuses[status] += 1
            if status >= 500:
                errors += 1
                print(f"  {status} {path}")
            if any(marker in text for marker in LEAK_MARKERS):
                leaks += 1
                print(f"  leak? {status} {path}")
    print(f"bad input: {tried} requests, {errors} answers of 500 or more, {leaks} leaks")
    print("  answers: " + ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items())))
    return tried, errors, leaks


READERS = ("staff@example.gov.uk", "ops.staff@example.gov.uk", "manager@example.gov.uk")


def records(base, ids):
    """Each reader asks for every id; a page more than one of them may read is a leak (in the
    demo, staff@'s assessments are theirs on /assessments/ and their manager's on /reviews/)."""
    readers = {}
    for email in READERS:
        browser = Browser(base)
        browser.sign_in(email)
        readers[email] = browser
    tried = errors = 0
    readable = {email: set() for email in readers}
    for pk in ids:
        for email, browser in readers.items():
            for path in (f"/assessments/{pk}/", f"/reviews/{pk}/read/", f"/reviews/{pk}/"):
                status, _, _ = browser.request(path)
                tried += 1
                errors += status >= 500
                if status == 200:
                    readable[email].add(path)
    shared = Counter(path for paths in readable.values() for path in paths)
    leaks = [path for path, count in shared.items() if count > 1]
    print(
        f"other people's records: {tried} requests, {errors} answers of 500 or more, "
        f"{len(leaks)} pages read by more than one of {len(readers)} people (leaks); each read "
        + ", ".join(f"{email}: {len(paths)}" for email, paths in readable.items())
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--ids", default="1-400", help="assessment ids to ask for: FIRST-LAST")
    parser.add_argument("--only", choices=["timing", "input", "records"])
    parser.add_argument(
        "--known-file",
        help="active staff addresses, one a line (default: the demo's staff@ only)",
    )
    args = parser.parse_args()
    if args.only in (None, "timing"):
        known = [KNOWN]
        if args.known_file:
            with open(args.known_file, encoding="utf-8") as handle:
                known = [line.strip() for line in handle if line.strip()]
        set_up_timing(args.base, args.samples, known)
    if args.only in (None, "input"):
        bad_input(args.base, "manager@example.gov.uk")
    if args.only in (None, "records"):
        first, _, last = args.ids.partition("-")
        records(args.base, range(int(first), int(last or first) + 1))


if __name__ == "__main__":
    main()
