"""Run by scripts/benchmark.py inside `manage.py shell`: prints, as JSON after the word RESULT,
the pages to load in groups (one group for each kind of visitor, each with its session cookie)
and a few facts about the database.

Session cookies for the signed-in pages are made directly, as a browser holds them after signing
in. Pages whose data is missing are left out.
"""

import json
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string

from assessments.models import OutcomeCount, Rating, SelfAssessment
from careerpath.middleware import REFRESHED_AT, SIGNED_IN_AT
from insights.permissions import reports_for
from people.models import Person
from roles.forms import role_value
from roles.selectors import latest_frameworks


def session_for(email):
    """The Cookie header a browser sends once signed in: the session, with the sign-in's times
    as careerpath.middleware records them, and the CSRF cookie its first page set."""
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNED_IN_AT] = store[REFRESHED_AT] = int(time.time())
    store.create()
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"


pages = [
    ("Home page (a template, no queries)", "/", None),
    ("Health check (one query)", "/healthz", None),
    ("Profession list", "/professions/", None),
]
frameworks = latest_frameworks()
if frameworks:
    fw = max(frameworks, key=lambda f: len(f.levels))
    first, second = fw.levels[0], fw.levels[1] if len(fw.levels) > 1 else fw.levels[0]
    skill = first.expectations[0].skill.slug if first.expectations else None
    pages += [
        ("Pathway", f"/professions/{fw.profession_slug}/", None),
        ("Level", f"/professions/{fw.profession_slug}/levels/{second.slug}/", None),
        (
            "Compare levels",
            f"/professions/{fw.profession_slug}/compare/?from={first.slug}&to={second.slug}",
            None,
        ),
        ("Framework JSON", f"/professions/{fw.profession_slug}/framework.json", None),
        ("Change log", f"/professions/{fw.profession_slug}/changes/", None),
        ("Search", "/search/?q=data", None),
    ]
    others = [f for f in frameworks if f.profession_slug != fw.profession_slug and f.levels]
    if others:
        there = others[0]
        pages.append(
            (
                "Compare roles",
                f"/compare-roles/?from={role_value(fw, first)}"
                f"&to={role_value(there, there.levels[0])}",
                None,
            )
        )
    if skill:
        pages.append(("Skill", f"/skills/{skill}/", None))
staff = session_for("staff@example.gov.uk")
manager = session_for("manager@example.gov.uk")
own = (
    SelfAssessment.objects.filter(
        person__email="staff@example.gov.uk", status__in=["draft", "returned"]
    )
    .order_by("-pk")
    .first()
)
staff_person = Person.objects.filter(email="staff@example.gov.uk").first()
if own is None and staff_person is not None and staff_person.role_level_id:
    from assessments.services import assessment_start

    own, _created = assessment_start(
        person=staff_person,
        profession_slug=staff_person.profession.slug,
        level_slug=staff_person.role_level.slug,
    )
waiting = (
    SelfAssessment.objects.filter(
        person__line_manager__email="manager@example.gov.uk",
        status__in=["submitted", "in_review"],
    )
    .order_by("pk")
    .first()
)
if staff:
    pages.append(("Your assessments (signed in)", "/assessments/", staff))
    if own:
        pages.append(("Assessment task list (signed in)", f"/assessments/{own.pk}/", staff))
if manager:
    pages.append(("Review queue (signed in)", "/reviews/", manager))
    if waiting:
        pages.append(("Review page (signed in)", f"/reviews/{waiting.pk}/", manager))
HEAD = "head.operations@example.gov.uk"
head = session_for(HEAD)
if head:
    headed = reports_for(get_user_model().objects.get(email=HEAD))
    for profession, whose in headed[:1]:
        report = f"/professions/{profession.slug}/capability/"
        pages.append((f"Capability report, {profession.name} (head of profession)", report, head))
        if whose == "whole":
            pages.append(
                (
                    f"Capability report, {profession.name} in DWP (head of profession)",
                    report + "?department=DWP",
                    head,
                )
            )

# None last: a missing sign-in (None) must not rename the anonymous visitor.
VISITORS = {staff: "member of staff", manager: "line manager", head: "head of profession"}
VISITORS[None] = "public (anonymous)"
groups = []
for label, path, cookie in pages:
    if not groups or groups[-1]["cookie"] != cookie:
        groups.append({"visitor": VISITORS[cookie], "cookie": cookie, "pages": []})
    groups[-1]["pages"].append((label, path))
with connection.cursor() as cursor:
    cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
    database = cursor.fetchone()[0]
facts = {
    "database": " ".join(str(database).split()[:2]) if connection.vendor == "postgresql" else "",
    "people": Person.objects.count(),
    "ratings": Rating.objects.count(),
    "summary_cells": OutcomeCount.objects.count(),
}
print("RESULT" + json.dumps({"groups": groups, "facts": facts}))
