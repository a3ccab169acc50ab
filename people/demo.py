"""Demo staff: a product manager, their line manager and director, and an operations team
leader. Idempotent; runs after roles.demo (INSTALLED_APPS order), whose published frameworks it
needs. assessments.demo adds generated colleagues with assessments."""

from accounts.demo import ensure_user
from roles.models import Profession, RoleLevel

from .models import Department, DepartmentalHead, Person
from .seed import departments_ensure
from .services import person_link_account, person_set_line_manager

MANAGER_EMAIL = "manager@example.gov.uk"
DWP_OPERATIONS_HEAD = "head.operations.dwp@example.gov.uk"

DEMO_PEOPLE = [
    # email, staff number, first, last, department, profession hints, level slugs, grade, manager
    (
        "director@example.gov.uk",
        "DEMO0003",
        "Dana",
        "Okoro",
        "MoJ",
        "product",
        ["head-of-product"],
        "G6",
        None,
        "director (head of product; manager of the line manager)",
    ),
    (
        MANAGER_EMAIL,
        "DEMO0002",
        "Morgan",
        "Hale",
        "MoJ",
        "product",
        ["lead-product-manager", "senior-product-manager"],
        "G7",
        "director@example.gov.uk",
        "line manager (lead product manager)",
    ),
    (
        "staff@example.gov.uk",
        "DEMO0001",
        "Sam",
        "Patel",
        "MoJ",
        "product",
        ["product-manager"],
        "SEO",
        MANAGER_EMAIL,
        "member of staff (product manager)",
    ),
    (
        "ops.staff@example.gov.uk",
        "DEMO0004",
        "Olu",
        "Bennett",
        "DWP",
        "operations",
        ["team-leader", "operations-team-leader"],
        "EO",
        None,
        "member of staff (operations team leader)",
    ),
]


def _profession(hint):
    return (
        Profession.objects.filter(slug__icontains=hint).order_by("pk").first()
        or Profession.objects.filter(name__icontains=hint).order_by("pk").first()
    )


def _level(profession, slugs, fallback_rank):
    if profession is None:
        return None
    levels = {level.slug: level for level in RoleLevel.objects.filter(profession=profession)}
    for slug in slugs:
        if slug in levels:
            return levels[slug]
    ranked = sorted(levels.values(), key=lambda level: level.rank)
    if not ranked:
        return None
    return ranked[min(fallback_rank, len(ranked)) - 1]


def load(*, password, stdout):
    departments_ensure()
    by_acronym = {d.acronym: d for d in Department.objects.all()}
    sign_ins = []
    people = {}
    fallback_ranks = {"DEMO0001": 2, "DEMO0002": 4, "DEMO0003": 5, "DEMO0004": 2}
    for entry in DEMO_PEOPLE:
        email, number, first, last, dept, hint, slugs, grade, manager_email, role = entry
        user = ensure_user(email, password, first_name=first, last_name=last)
        profession = _profession(hint)
        level = _level(profession, slugs, fallback_ranks[number])
        person, _ = Person.objects.update_or_create(
            staff_number=number,
            defaults={
                "name": f"{first} {last}",
                "email": email,
                "department": by_acronym[dept],
                "profession": profession,
                "role_level": level,
                "grade": grade,
                "is_active": True,
            },
        )
        person_link_account(person=person, user=user)
        person_set_line_manager(person=person, manager=people.get(manager_email))
        people[email] = person
        sign_ins.append((email, role))

    # The head of Operations in DWP, under the head of the whole profession (roles.demo).
    operations = _profession("operations")
    if operations is not None:
        user = ensure_user(DWP_OPERATIONS_HEAD, password, first_name="Rhiannon", last_name="Price")
        DepartmentalHead.objects.get_or_create(
            user=user, profession=operations, department=by_acronym["DWP"]
        )
        sign_ins.append((DWP_OPERATIONS_HEAD, "departmental head of profession, Operations in DWP"))
    return sign_ins
