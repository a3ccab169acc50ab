"""Every page reflows at 320 CSS pixels (WCAG 2.2, 1.4.10): nothing scrolls sideways.

The list of pages is built from the URL configuration: every named URL is either a page here,
with the ids it needs taken from the demo data (`manage.py load_demo`, the data people first
meet), or in NOT_PAGES with the reason it is not a page to lay out. A view added later fails
`test_every_named_url_is_a_page_here_or_excluded_by_decision` until someone decides which.
Each page is opened as each role, one browser context per role (one sign-in), and signed out
(the public pages, and one private page to see the sign-in page it sends people to).

Django's admin is opened as the two roles that work in it, a head of profession and the service
administrator: its pages come from the admin site's registry (`admin_pages`), each model's
pages that the role may open, with the ids of objects that role may change.
"""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from playwright.sync_api import expect
from simple_history.admin import SimpleHistoryAdmin

from accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_framework, rate_all, start_assessment, submit_assessment
from tests.test_url_access import ADMIN_PUBLIC, PUBLIC, walk

WIDTH = 320

# Named URLs that are not pages to lay out, and why.
NOT_PAGES = {
    "healthz": "plain text for the load balancer",
    "logout": "POST only: the sign-out button in the header, which every page here shows",
    "roles:framework_json": "a JSON download",
    "roles:framework_csv": "a CSV download",
    "insights:capability_csv": "a CSV download",
    "assessments:assessment_submit": "POST only: the check-answers page's button",
    "assessments:plan_action_status": "POST only: the plan page's buttons",
    "assessments:review_agree_remaining": "POST only: the review task list's button",
    "accounts:sso_start": "a redirect to the department's identity provider",
    "accounts:sso_callback": "the identity provider's return: a redirect",
    "accounts:two_factor": "a service administrator's step at admin sign-in, off in these tests; "
    "tests/browser/test_two_factor.py opens it at 320 px",
    "admin:logout": "POST only: the admin's sign-out button",
    "admin:jsi18n": "JavaScript: the admin widgets' translations",
    "admin:autocomplete": "JSON for the admin's autocomplete widgets",
    "admin:view_on_site": "a redirect to the object's public page",
    "admin:people_person_subject_access": "a JSON download (a person's subject access request)",
    "admin:otp_totp_totpdevice_qrcode": "an image: the QR code an authenticator app scans",
    "admin:roles_rolelevel_restore_part": "POST only: the buttons of a level's history page",
    "admin:roles_skill_restore_part": "POST only: the buttons of a skill's history page",
    # Read-only models: nobody, not even a service administrator, may add or delete one (403).
    "admin:roles_frameworkversion_add": "published versions are read only: publishing makes them",
    "admin:roles_frameworkversion_delete": "published versions are read only",
    "admin:assessments_selfassessment_add": "assessments are read only in the admin",
    "admin:assessments_selfassessment_delete": "assessments are read only in the admin",
    "admin:proposals_proposal_add": "proposals are made on the public pages, not in the admin",
    "admin:proposals_proposal_delete": "proposals are decided, never deleted",
    "admin:axes_accessattempt_add": "sign-in attempts are recorded, never added (django-axes)",
    "admin:axes_accesslog_add": "sign-ins are recorded, never added (django-axes)",
    "admin:axes_accessfailurelog_add": "failed sign-ins are recorded, never added (django-axes)",
}

ROLES = {
    "signed out": None,
    "staff": "staff@example.gov.uk",
    "line manager": "manager@example.gov.uk",
    "head of profession": "head.operations@example.gov.uk",
    "departmental head": "head.operations.dwp@example.gov.uk",
    "service administrator": "admin@example.gov.uk",
}

# Pages each role must actually reach (200 and not redirected away): the check is worth little
# if a role only ever sees the sign-in or "page not found" page.
REACHES = {
    "signed out": {"roles:compare_levels", "roles:compare_roles", "roles:skill", "login"},
    "staff": {
        "assessments:assessment_task_list",
        "assessments:assessment_check",
        "assessments:assessment_detail",
        "assessments:plan",
        "careers:profile",
        "careers:readiness",
        "careers:moves",
    },
    "line manager": {
        "assessments:review_queue",
        "assessments:review",
        "assessments:review_decision",
        "assessments:team_plan",
    },
    "head of profession": {"insights:capability_report"},
    "departmental head": {"insights:capability_report"},
    "service administrator": {"insights:capability_report", "assessments:team_assessment"},
}

# The roles that work in Django's admin: each opens every admin page it may (admin_pages).
ADMIN_ROLES = ("head of profession", "service administrator")
# Admin pages that send a role on elsewhere by design (the rest must answer 200 where they are).
ADMIN_REDIRECTS = {"admin:roles_profession_landing"}
# Pages that ModelAdmins add to Django's own: URL name -> the model, the permission it needs
# and whether it takes the object's id.
ADMIN_EXTRA_PAGES = {
    "admin:roles_profession_landing": ("roles.Profession", "view", False),
    "admin:roles_profession_page": ("roles.Profession", "view", True),
    "admin:roles_profession_preview": ("roles.Profession", "view", True),
    "admin:roles_profession_import": ("roles.Profession", "change", True),
    "admin:roles_profession_publish": ("roles.Profession", "change", True),
    "admin:people_person_import": ("people.Person", "add", False),
    "admin:otp_totp_totpdevice_config": ("otp_totp.TOTPDevice", "change", True),
    "admin:auth_user_password_change": ("accounts.User", "change", True),
}


# Pages whose tables stack into labelled rows at this width: axe checks them as laid out here,
# once each, as the first role that reaches them.
STACKED = {
    "roles:compare_levels",
    "roles:compare_roles",
    "roles:version",
    "assessments:assessment_list",
    "assessments:review_queue",
    "assessments:review",
    "assessments:review_decision",
    "assessments:team_assessment",
    "careers:profile",
    "insights:capability_report",
}


def named_urls():
    return {name for name, _route in walk(get_resolver().url_patterns) if name}


def is_excluded(name):
    return name in NOT_PAGES


def demo_ids():
    """The ids the pages need, from the demo data; a few things the demo leaves out (a draft
    and a submitted assessment of staff@'s own) are made here through the services."""
    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from assessments.models import AssessmentStatus, PlanAction
    from people.account_set_up import make_token
    from people.models import Person
    from proposals.services import proposal_create_for_level
    from roles.forms import role_value
    from roles.models import FrameworkVersion
    from roles.selectors import latest_framework_or_404

    product = latest_framework_or_404("product-management")
    operations = latest_framework_or_404("operations")
    staff = Person.objects.get(email=ROLES["staff"])
    manager = Person.objects.get(email=ROLES["line manager"])
    version = FrameworkVersion.objects.filter(profession__slug="product-management").latest("pk")
    draft = start_assessment(staff, version, rank=1)
    submitted = start_assessment(staff, version, rank=3)
    # Evidence with a long link, as people paste them: it must wrap, not widen the page.
    rate_all(
        submitted,
        evidence="Led two discoveries: https://service.example.gov.uk/discovery-reports/"
        "2026/make-register-or-end-a-lasting-power-of-attorney-alpha-assessment-report.pdf",
    )
    submit_assessment(submitted)
    signed_off = staff.assessments.filter(status=AssessmentStatus.SIGNED_OFF).latest("pk")
    assert submitted.person.line_manager == manager  # so the review pages open for them
    # The skill with the longest name shows whether long names wrap sensibly.
    longest = max(product.skills.values(), key=lambda skill: len(skill.name))
    # What the admin lists that the demo has none of: a proposal to a head of operations (with
    # the longest level name), a group, an authenticator app not yet
    # confirmed, a failed sign-in (django-axes records the successful ones as the test signs in).
    proposal_create_for_level(
        by=staff.user,
        version_id=operations.version_id,
        level_slug=max(operations.levels, key=lambda level: len(level.name)).slug,
        proposed_text="Leads operational delivery across several sites and services.",
        why="The description no longer says what people at this level do.",
    )
    Group.objects.create(name="Framework editors")
    TOTPDevice.objects.create(user=manager.user, name="Authenticator app", confirmed=False)
    failed = {"username": "someone@example.gov.uk", "ip_address": "192.0.2.1", "path_info": "/"}
    AccessAttempt.objects.create(**failed, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**failed)
    # Someone imported who has not chosen a password yet, as "Set up your account" makes them.
    newcomer = Person.objects.filter(user__isnull=True, is_active=True).order_by("pk").first()
    return SimpleNamespace(
        product=product,
        operations=operations,
        compare_roles=(
            f"?from={role_value(product, product.levels[1])}"
            f"&to={role_value(operations, operations.levels[-1])}"
        ),
        skill=longest.slug,
        version=version.number,
        draft=draft,
        rating=draft.ratings.order_by("position").first(),
        submitted=submitted,
        signed_off=signed_off,
        staff=staff,
        action=PlanAction.objects.filter(person=staff).order_by("pk").first(),
        set_up=(make_token(newcomer.email, None),),
    )


def pages(ids):
    """URL name -> the URLs to open for it (some pages have a state worth seeing twice)."""
    product, operations = ids.product.profession_slug, ids.operations.profession_slug
    level = ids.product.levels[1].slug
    compare = reverse("roles:compare_levels", args=[product])
    top = ids.product.levels[-1].slug
    review = ids.submitted.pk
    return {
        "home": [reverse("home")],
        "login": [reverse("login")],
        "admin:login": [reverse("admin:login")],
        "accessibility": [reverse("accessibility")],
        "roles:profession_list": [reverse("roles:profession_list")],
        "roles:pathway": [reverse("roles:pathway", args=[p]) for p in (product, operations)],
        "roles:level": [reverse("roles:level", args=[product, level])],
        "roles:compare_levels": [compare, f"{compare}?from={top}"],
        "roles:compare_roles": [
            reverse("roles:compare_roles"),
            reverse("roles:compare_roles") + ids.compare_roles,
        ],
        "roles:skill_list": [reverse("roles:skill_list")],
        "roles:skill": [reverse("roles:skill", args=[ids.skill])],
        "search:search": [reverse("search:search") + "?q=product"],
        "accounts:signed_out": [reverse("accounts:signed_out")],
        "proposals:list": [reverse("proposals:list")],
        "proposals:propose_level": [reverse("proposals:propose_level", args=[product, level])],
        "proposals:propose_descriptor": [
            reverse("proposals:propose_descriptor", args=[ids.skill, "working"])
        ],
        "roles:changelog": [reverse("roles:changelog", args=[product])],
        "roles:version": [reverse("roles:version", args=[product, ids.version])],
        "roles:compare_versions": [reverse("roles:compare_versions", args=[product])],
        "people:set_up": [reverse("people:set_up")],
        "people:set_up_sent": [reverse("people:set_up_sent")],
        "people:set_up_password": [reverse("people:set_up_password", args=ids.set_up)],
        "people:set_up_done": [reverse("people:set_up_done")],
        "assessments:assessment_list": [reverse("assessments:assessment_list")],
        "assessments:assessment_start": [reverse("assessments:assessment_start")],
        "assessments:assessment_task_list": [
            reverse("assessments:assessment_task_list", args=[ids.draft.pk])
        ],
        "assessments:assessment_skill": [
            reverse("assessments:assessment_skill", args=[ids.draft.pk, ids.rating.pk])
        ],
        "assessments:assessment_check": [
            reverse("assessments:assessment_check", args=[ids.draft.pk])
        ],
        "assessments:assessment_confirmation": [
            reverse("assessments:assessment_confirmation", args=[ids.submitted.pk])
        ],
        "assessments:assessment_withdraw": [
            reverse("assessments:assessment_withdraw", args=[ids.submitted.pk])
        ],
        "assessments:assessment_detail": [
            reverse("assessments:assessment_detail", args=[ids.signed_off.pk])
        ],
        "assessments:assessment_delete": [
            reverse("assessments:assessment_delete", args=[ids.draft.pk])
        ],
        "assessments:review_queue": [reverse("assessments:review_queue")],
        "assessments:review": [reverse("assessments:review", args=[review])],
        "assessments:review_history": [reverse("assessments:review_history")],
        "assessments:review_step": [reverse("assessments:review_step", args=[review, 1])],
        "assessments:review_summary": [reverse("assessments:review_summary", args=[review])],
        "assessments:review_decision": [reverse("assessments:review_decision", args=[review])],
        "assessments:review_done": [reverse("assessments:review_done", args=[review])],
        "assessments:team_assessment": [
            reverse("assessments:team_assessment", args=[ids.signed_off.pk])
        ],
        "assessments:plan": [reverse("assessments:plan")],
        "assessments:plan_add": [reverse("assessments:plan_add")],
        "assessments:plan_action_edit": [
            reverse("assessments:plan_action_edit", args=[ids.action.pk])
        ],
        "assessments:plan_action_delete": [
            reverse("assessments:plan_action_delete", args=[ids.action.pk])
        ],
        "assessments:team_plan": [reverse("assessments:team_plan", args=[ids.staff.pk])],
        "insights:capability_report": [
            reverse("insights:capability_report", args=[p]) for p in (operations, product)
        ],
        "careers:home": [reverse("careers:home")],
        "careers:profile": [reverse("careers:profile")],
        "careers:readiness": [
            reverse("careers:readiness"),
            reverse("careers:readiness") + f"?level={product}/{top}",
        ],
        "careers:moves": [reverse("careers:moves")],
        "careers:your_data": [reverse("careers:your_data")],
    }


def admin_request(user):
    """A request of `user`'s, to ask the ModelAdmins what they let this user do."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    return request


def admin_ids(request):
    """For each registered model this user may see: (the id of one object of it, changeable by
    them if there is one, the id of one of its history records or None)."""
    ids = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        objects = list(model_admin.get_queryset(request).order_by("pk")[:100])
        chosen = next(
            (obj for obj in objects if model_admin.has_change_permission(request, obj)),
            objects[0] if objects else None,
        )
        if chosen is None:
            continue
        history = getattr(model, "history", None)
        record = history.filter(id=chosen.pk).order_by("-history_id").first() if history else None
        ids[model._meta.label] = (chosen.pk, record.history_id if record else None)
    return ids


def admin_pages(request, ids):
    """Admin URL name -> the URLs to open for it as the user of `request`: from the admin site's
    registry, each model's list, add, change, history and delete pages (and a history record's
    page) that this user may open, for the objects in `ids` (admin_ids); the pages our
    ModelAdmins add (ADMIN_EXTRA_PAGES); the index, each app's index and the password pages."""
    names = ("admin:index", "admin:password_change", "admin:password_change_done")
    urls = {name: [reverse(name)] for name in names}
    app_labels, perms = set(), {}
    for model, model_admin in admin.site._registry.items():
        label, opts = model._meta.label, model._meta
        perms[label] = model_admin.get_model_perms(request)
        if not any(perms[label].values()):
            continue
        app_labels.add(opts.app_label)
        name = f"admin:{opts.app_label}_{opts.model_name}_%s"
        pk, record = ids.get(label, (None, None))
        if perms[label]["view"] or perms[label]["change"]:
            urls[name % "changelist"] = [reverse(name % "changelist")]
            if pk is not None:
                urls[name % "change"] = [reverse(name % "change", args=[pk])]
                urls[name % "history"] = [reverse(name % "history", args=[pk])]
            if record is not None and isinstance(model_admin, SimpleHistoryAdmin):
                urls[name % "simple_history"] = [
                    reverse(name % "simple_history", args=[pk, record])
                ]
        if perms[label]["add"]:
            urls[name % "add"] = [reverse(name % "add")]
        if perms[label]["delete"] and pk is not None:
            urls[name % "delete"] = [reverse(name % "delete", args=[pk])]
    urls["admin:app_list"] = [reverse("admin:app_list", args=[app]) for app in sorted(app_labels)]
    for name, (label, perm, takes_id) in ADMIN_EXTRA_PAGES.items():
        pk = ids.get(label, (None, None))[0]
        if perms.get(label, {}).get(perm) and (pk is not None or not takes_id):
            urls[name] = [reverse(name, args=[pk] if takes_id else [])]
    return urls


WIDTH_SCRIPT = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= window.innerWidth) return null;
  // Name the widest elements, to say where to look.
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right
                  <= window.innerWidth + 0.5)
    .slice(0, 4)
    .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
         ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
         + ' (' + Math.round(el.getBoundingClientRect().right) + 'px)');
  return {width: root.scrollWidth, wide};
}"""


# Table cells squeezed to a few letters a line (how compare levels showed skill names when
# columns were allowed to shrink below a word's width).
SQUEEZED_SCRIPT = """() => [...document.querySelectorAll('th, td')].flatMap(cell => {
  const text = cell.textContent.trim();
  if (text.length < 8 || !cell.getClientRects().length) return [];
  // Lines of the cell's text: the tops of its text's own boxes, not of the elements around it
  // (a sortable heading's link and sort buttons are boxes on lines of their own).
  const tops = new Set();
  const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) if (box.width) tops.add(Math.round(box.top));
  }
  return tops.size > 2 && text.length / tops.size < 4 ? [text.slice(0, 40)] : [];
})"""


def test_every_named_url_is_a_page_here_or_excluded_by_decision():
    from accounts.models import User

    ids = SimpleNamespace(
        product=SimpleNamespace(profession_slug="p", levels=[SimpleNamespace(slug="l")] * 2),
        operations=SimpleNamespace(profession_slug="o"),
        compare_roles="",
        skill="s",
        version=1,
        draft=SimpleNamespace(pk=1),
        rating=SimpleNamespace(pk=1),
        submitted=SimpleNamespace(pk=1),
        signed_off=SimpleNamespace(pk=1),
        staff=SimpleNamespace(pk=1),
        action=SimpleNamespace(pk=1),
        set_up=("token",),
    )
    everything = dict.fromkeys((m._meta.label for m in admin.site._registry), (1, 1))
    superuser = User(email="admin@example.gov.uk", is_staff=True, is_superuser=True)
    listed = set(pages(ids)) | set(admin_pages(admin_request(superuser), everything))

    missing = {name for name in named_urls() if not is_excluded(name)} - listed
    stale = (listed | set(NOT_PAGES)) - named_urls()

    assert not missing, f"Pages not opened at {WIDTH}px (add them to pages()): {missing}"
    assert not stale, f"Listed but not in the URL configuration: {stale}"


def admin_role_pages(role, email):
    """The admin pages this role may open, with ids of objects it may change; it must have an
    object to open of every model it may see, so that no change page is skipped unseen."""
    from accounts.models import User

    request = admin_request(User.objects.get(email=email))
    ids = admin_ids(request)
    seen = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_or_change_permission(request)
    }
    assert seen <= set(ids), f"{role} has nothing to open in the admin of {seen - set(ids)}"
    return admin_pages(request, ids)


@pytest.mark.django_db(transaction=True)
def test_every_page_reflows_at_320_pixels_for_everyone(browser, live_server, settings):
    settings.DEBUG = True  # load_demo refuses otherwise; pages are served as in tests
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    urls = pages(demo_ids())
    # Signed out, every other page is the sign-in page it redirects to: open one of them.
    signed_out = {
        name: urls[name] for name in urls if name in PUBLIC | ADMIN_PUBLIC or name == "careers:home"
    }

    too_wide, reached, checked = [], {role: set() for role in ROLES}, set()
    reaches = {role: set(names) for role, names in REACHES.items()}
    for role, email in ROLES.items():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": WIDTH, "height": 640}
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        if email:
            sign_in(page, email, DEMO_PASSWORD)
            expect(page).not_to_have_url(re.compile(r"/sign-in/"))  # signed in
        to_open = urls if email else signed_out
        if role in ADMIN_ROLES:
            to_open = {**to_open, **admin_role_pages(role, email)}
            reaches[role] |= set(to_open) - set(urls) - ADMIN_REDIRECTS
        for name, addresses in to_open.items():
            for address in addresses:
                response = page.goto(address)
                if response.status == 200 and page.url.endswith(address):
                    reached[role].add(name)
                    if name in STACKED and address not in checked:
                        assert_accessible(page)
                        checked.add(address)
                        checked.add(name)
                wide = page.evaluate(WIDTH_SCRIPT)
                if wide:
                    too_wide.append(
                        f"{role}: {address} ({name}, {response.status}) is {wide['width']}px "
                        f"wide: {', '.join(wide['wide'])}"
                    )
                squeezed = page.evaluate(SQUEEZED_SCRIPT)
                if squeezed:
                    too_wide.append(f"{role}: {address} ({name}) squeezes {squeezed}")
        context.close()

    assert not too_wide, f"Pages wider than {WIDTH}px:\n" + "\n".join(too_wide)
    assert checked >= STACKED, f"axe did not check {STACKED - checked}"
    unreached = {role: reaches[role] - reached[role] for role in ROLES}
    assert not any(unreached.values()), f"Pages a role did not reach: {unreached}"


def test_a_stacked_table_is_still_a_table_with_its_headings_at_320_pixels(page, db):
    from roles.models import Skill

    profession, _version = make_framework(levels=2, skills=2)
    skill = Skill.objects.order_by("pk").first()
    page.set_viewport_size({"width": WIDTH, "height": 640})

    page.goto(reverse("roles:compare_levels", args=[profession.slug]))

    table = page.locator("table.app-table--stack")
    cell = table.locator("td").first
    label = cell.get_attribute("data-label")
    assert label  # the column's heading, drawn beside the value on a phone
    assert cell.evaluate("el => getComputedStyle(el, '::before').content").startswith('"')
    assert cell.evaluate("el => getComputedStyle(el).display") == "flow-root"
    snapshot = table.aria_snapshot()
    assert f'columnheader "{label}"' in snapshot
    assert f'rowheader "{skill.name}"' in snapshot
    # The drawn label is decorative: the cell's accessible name is its value alone.
    assert f'- cell "{cell.inner_text().strip()}"' in snapshot
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert_accessible(page)
