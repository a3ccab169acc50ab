"""Run by scripts/benchmark.py inside `manage.py shell`: prints the pages to load as JSON.

Session cookies for the signed-in pages are made directly, as a browser holds them after signing
in. Pages whose data is missing are left out.
"""

import json

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore

from assessments.models import SelfAssessment
from people.models import Person
from roles.selectors import latest_frameworks


def session_for(email):
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        return None
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


pages = [
    ("Home page (trivial view: template, no queries)", "/", None),
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
        ("Search", "/search/?q=data", None),
    ]
    if skill:
        pages.append(("Skill", f"/skills/{skill}/", None))
staff = session_for("staff@example.gov.uk")
manager = session_for("manager@example.gov.uk")
own = SelfAssessment.objects.filter(person__email="staff@example.gov.uk").order_by("-pk").first()
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
print("DISCOVERED" + json.dumps(pages))
