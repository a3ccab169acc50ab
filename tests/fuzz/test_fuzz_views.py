"""Property-based fuzzing (hypothesis) of every form and every query parameter.

Every view that accepts POST is posted arbitrary text in each of its form's fields, as the role
that may use it; every view is requested with arbitrary values of every query parameter the
app reads (and a stray one). The property: never a 5xx, and when the answer is not a redirect
(a valid form redirects; an invalid one is shown again with its errors) nothing was written.

The list of views comes from the URL configuration: `test_every_post_view_is_fuzzed` fails when
a view that accepts POST is neither in POST_TARGETS nor in NOT_FUZZED with a reason, and
`test_every_query_parameter_is_fuzzed` when the code reads a query parameter not in PARAMS.
Reproducible: derandomize=True, so CI tries the same examples every run (docs/security.md,
"Fuzzing").
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import PlanAction
from tests.factories import (
    PersonFactory,
    UserFactory,
    level_slug,
    make_framework,
    make_head_of_profession,
    make_person_at_level,
    rate_all,
    start_assessment,
    submit_assessment,
)

pytestmark = pytest.mark.django_db

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts",
    "roles",
    "people",
    "proposals",
    "assessments",
    "insights",
    "careers",
    "careerpath",
]

# Awkward values: NUL, unicode digits ("²".isdigit() is true), numbers as text, huge numbers,
# signs, whitespace only, markup, SQL, a very long string.
SPECIAL = [
    "\x00",
    "a\x00b",
    "²",
    "١٢",
    "0",
    "-1",
    "1e9",
    "99999999999999999999999",
    "1.5",
    "NaN",
    " ",
    "\t\n",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\u202e",
    "\ufeff",
    "x" * 20000,
    "😀" * 300,
]
text_values = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=5),
)
# Raw query-string values: any bytes, percent-encoded (so invalid UTF-8 and encoded surrogates
# such as %ED%A0%80 reach the server as a browser could send them).
raw_query_values = st.one_of(
    text_values.map(lambda value: quote(value.encode("utf-8", "surrogatepass"), safe="")),
    st.binary(max_size=12).map(lambda value: quote(value, safe="")),
    st.sampled_from(["%ED%A0%80", "%C2%B2", "%00", "%FF%FE", "%"]),
)


# --- the world: one of each thing a form or page can be about ------------------------------
@pytest.fixture
def world(db):
    profession, version = make_framework(levels=2, skills=2)
    manager = PersonFactory(name="Mo Manager")
    author = make_person_at_level(profession, rank=1, name="Sam Staff", line_manager=manager)
    draft = start_assessment(author, version)
    report = make_person_at_level(profession, rank=1, name="Rae Report", line_manager=manager)
    submitted = start_assessment(report, version)
    rate_all(submitted)
    submit_assessment(submitted)
    skill = draft.ratings.order_by("position").first().skill
    action = PlanAction.objects.create(
        person=author,
        skill=skill,
        skill_name=skill.name,
        title="Read a book",
        target_date="2030-01-01",
    )
    users = {
        "anonymous": None,
        "staff": author.user,
        "line manager": manager.user,
        "head of profession": make_head_of_profession(profession),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    kwargs = {
        "profession": profession.slug,
        "level": level_slug(version, 1),
        "skill": skill.slug,
        "proficiency": "working",
        "number": version.number,
        "uidb64": "MQ",
        "token": "set-up-token",
        "person_pk": author.pk,
        "step": 1,
    }
    pks = {
        "assessments:assessment": draft.pk,
        "assessments:review": submitted.pk,
        "assessments:team": submitted.pk,
        "assessments:plan": action.pk,
    }
    return {
        "users": users,
        "kwargs": kwargs,
        "pks": pks,
        "rating_pk": draft.ratings.order_by("position").first().pk,
    }


def url_for(world, name, route):
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    values = {}
    for arg in names:
        if arg == "pk":
            values[arg] = next(v for k, v in world["pks"].items() if name.startswith(k))
        elif arg == "rating_pk":
            values[arg] = world["rating_pk"]
        else:
            values[arg] = world["kwargs"][arg]
    return reverse(name, kwargs=values)


# --- the views, from the URL configuration -----------------------------------------------------
def routes(patterns=None, prefix="", namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}{entry.name}"
            if not name.startswith("admin:"):
                yield name, prefix + str(entry.pattern), entry.callback


def accepts_post(callback) -> bool:
    """Whether a view reads a POST: a class-based view with post(), or a function (or one it
    wraps) whose code handles POST."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    function = callback
    while function is not None:
        if "POST" in inspect.getsource(function):
            return True
        function = getattr(function, "__wrapped__", None)
    return False


# POST views and the role that may use each.
POST_TARGETS = {
    "login": "anonymous",
    "people:set_up": "anonymous",
    "people:set_up_password": "anonymous",
    "accounts:sso_start": "anonymous",
    "accounts:two_factor": "admin",
    "proposals:propose_level": "staff",
    "proposals:propose_descriptor": "staff",
    "assessments:assessment_start": "staff",
    "assessments:assessment_skill": "staff",
    "assessments:assessment_submit": "staff",
    "assessments:assessment_withdraw": "staff",
    "assessments:assessment_delete": "staff",
    "assessments:review_decision": "line manager",
    "assessments:review_step": "line manager",
    "assessments:review_summary": "line manager",
    "assessments:review_agree_remaining": "line manager",
    "assessments:plan_add": "staff",
    "assessments:plan_action_edit": "staff",
    "assessments:plan_action_status": "staff",
    "assessments:plan_action_delete": "staff",
    "assessments:team_plan": "line manager",
}
NOT_FUZZED = {"logout": "takes no input: signing out always succeeds"}

# Every query parameter the code reads (request.GET, and the fields of forms bound to it).
PARAMS = {
    "version",
    "table",
    "from",
    "to",
    "q",
    "choice",
    "profession",
    "level",
    "sort",
    "skill",
    "sideways",
    "department",
    "grade",
    "period",
    "error",
    "code",
    "state",
    "next",
    "page",
}
# Form fields some views post that a page does not show (hidden or chosen by a button).
EXTRA_FIELDS = [
    "lock_version",
    "declaration",
    "decision",
    "reason",
    "summary",
    "status",
    "text",
    "username",
    "password",
    "email",
    "token",
    "provider",
    "proposed_text",
    "why",
    "title",
    "details",
    "resource",
    "target_date-day",
    "target_date-month",
    "target_date-year",
    "self_proficiency",
    "evidence",
    "new_password1",
    "new_password2",
    "choice",
    "comment",
]

SKIP_SNAPSHOT = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "axes.accessattemptexpiration",
    "admin.logentry",
}


def snapshot():
    """Every row of every table the service writes (sessions and sign-in records aside:
    a failed sign-in is recorded on purpose)."""
    state = {}
    for model in apps.get_models():
        if model._meta.label_lower in SKIP_SNAPSHOT:
            continue
        state[model._meta.label_lower] = list(model._default_manager.order_by("pk").values_list())
    return state


def fields_on(client, url):
    """The names of the fields in the page's POST forms (and the known extras)."""
    response = client.get(url)
    names = set()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        html = response.content.decode()
        for form in re.findall(r'<form[^>]*method="post".*?</form>', html, re.S | re.I):
            names |= set(re.findall(r'name="([^"]+)"', form))
    names.discard("csrfmiddlewaretoken")
    return sorted(names | set(EXTRA_FIELDS))


def sign_in_as(client, world, role):
    user = world["users"][role]
    client.logout()
    if user is not None:
        client.force_login(user)


def check(response, before):
    assert response.status_code < 500, response.status_code
    if response.status_code not in (301, 302, 303):
        assert snapshot() == before


TRIED = {"post": 0, "get": 0}


@pytest.mark.parametrize("name", sorted(POST_TARGETS))
def test_posting_arbitrary_text_never_fails_or_writes(client, world, name):
    route = next(route for n, route, _ in routes() if n == name)
    sign_in_as(client, world, POST_TARGETS[name])
    url = url_for(world, name, route)
    names = fields_on(client, url)

    @FUZZ
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(names, text_values)))
    def post(data):
        sign_in_as(client, world, POST_TARGETS[name])
        before = snapshot()
        check(client.post(url, data), before)
        TRIED["post"] += 1

    post()


@pytest.mark.parametrize(("name", "route"), [(n, r) for n, r, _ in routes()])
def test_arbitrary_query_parameters_never_fail_or_write(client, world, name, route):
    role = POST_TARGETS.get(name, "staff")
    url = url_for(world, name, route)

    @FUZZ
    @given(
        params=st.dictionaries(
            st.sampled_from(sorted(PARAMS | {"stray"})), raw_query_values, max_size=4
        )
    )
    def get(params):
        sign_in_as(client, world, role)
        before = snapshot()
        query = "&".join(f"{key}={value}" for key, value in params.items())
        check(client.get(f"{url}?{query}"), before)
        TRIED["get"] += 1

    get()


def test_every_post_view_is_fuzzed():
    post_views = {name for name, _route, callback in routes() if accepts_post(callback)}
    assert post_views, "the walk found no POST view"
    missing = post_views - set(POST_TARGETS) - set(NOT_FUZZED)
    assert not missing, f"POST views not fuzzed: {sorted(missing)}"
    assert set(POST_TARGETS) <= post_views | {"login"}


def test_every_query_parameter_is_fuzzed():
    read = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            source = path.read_text()
            read |= set(re.findall(r'request\.GET\.get\(\s*"(\w+)"', source))
            read |= set(re.findall(r'"(\w+)" in request\.GET', source))
    assert "version" in read
    assert not read - PARAMS, f"query parameters not fuzzed: {sorted(read - PARAMS)}"
