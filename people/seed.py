"""Generate a realistic organisation of staff for demos and benchmarks.

Six departments, each a line-management tree (span 6 to 10, about 7 levels deep for 280,000
people), staff in both professions with levels and grades that fit their place in the tree.
Deterministic for a given seed. Everything is written with bulk inserts in batches, with primary
keys reserved first so that paths and foreign keys are computed in Python; no per-row queries.
assessments.seed adds self-assessments for the people generated here (manage.py seed_demo).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.demo import DEMO_PASSWORD
from careerpath.db import allocate_ids
from roles import demo as roles_demo
from roles.models import GRADE_ORDER, FrameworkVersion, RoleLevel, Skill

from .importer import HEADER as IMPORT_HEADER
from .models import Department, Person
from .services import paths_for

NO_FRAMEWORKS = (
    "No published framework exists. Load the roles demo content first "
    "(manage.py load_demo) or publish a framework in the admin."
)

DEPARTMENTS = [
    # name, acronym, share of staff
    ("Department for Work and Pensions", "DWP", 30),
    ("HM Revenue and Customs", "HMRC", 25),
    ("Ministry of Justice", "MoJ", 16),
    ("Home Office", "HO", 15),
    ("Department for Education", "DfE", 7),
    ("Cabinet Office", "CO", 7),
]

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Eleanor",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Priya",
    "Quentin",
    "Rosa",
    "Samuel",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Xander",
    "Yasmin",
    "Zoe",
    "Aled",
    "Bethan",
    "Callum",
    "Deborah",
    "Ewan",
    "Fatima",
    "George",
    "Hannah",
    "Imran",
    "Joanna",
    "Kwame",
    "Laura",
    "Marek",
    "Nadia",
    "Owen",
    "Patrick",
    "Rhiannon",
    "Sofia",
    "Thomas",
    "Usha",
    "Vikram",
    "William",
    "Aisha",
    "Connor",
]
LAST_NAMES = [
    "Abbott",
    "Begum",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Varma",
    "Walsh",
    "Xu",
    "Young",
    "Zielinski",
    "Ahmed",
    "Brown",
    "Chen",
    "Doherty",
    "Edwards",
    "Fletcher",
    "Green",
    "Hussain",
    "Jenkins",
    "Kaur",
    "Lloyd",
    "Murphy",
    "Nguyen",
    "O'Brien",
    "Price",
    "Reid",
    "Smith",
    "Thomas",
    "Williams",
    "Wright",
    "Yilmaz",
    "Baker",
    "Clarke",
]

BATCH = 5000


@dataclass(frozen=True)
class SeededPerson:
    """A generated person as assessments.seed needs them: no query to read them back.
    `framework` and `level` are the dicts load_frameworks returns."""

    pk: int
    manager_pk: int | None
    framework: dict[str, Any]
    level: dict[str, Any]


def departments_ensure() -> list[tuple[Department, int]]:
    """The six departments (created if missing), each with its share of generated staff."""
    result = []
    for name, acronym, share in DEPARTMENTS:
        department = Department.objects.filter(acronym=acronym).first()
        if department is None:
            department = Department.objects.create(name=name, acronym=acronym)
        result.append((department, share))
    return result


def load_frameworks() -> list[dict[str, Any]]:
    """The latest published version of each profession, as plain data ready for seeding."""
    versions = list(FrameworkVersion.objects.latest_per_profession().order_by("profession_id"))
    if not versions:
        return []
    level_ids = {
        (profession_id, slug): pk
        for pk, profession_id, slug in RoleLevel.objects.values_list("pk", "profession_id", "slug")
    }
    skill_ids = dict(Skill.objects.values_list("slug", "pk"))
    frameworks = []
    for version in versions:
        content = version.content
        skill_names = {s["slug"]: s["name"] for s in content["skills"]}
        levels = []
        for level in sorted(content["levels"], key=lambda level: level["rank"]):
            pk = level_ids.get((version.profession_id, level["slug"]))
            if pk is None:
                continue
            expectations = [
                (position, skill_ids[e["skill"]], skill_names[e["skill"]], e["proficiency"])
                for position, e in enumerate(level["expectations"], start=1)
                if e["skill"] in skill_ids
            ]
            levels.append(
                {
                    "pk": pk,
                    "slug": level["slug"],
                    "name": level["name"],
                    "grades": [g for g in level.get("grades", []) if g in GRADE_ORDER],
                    "expectations": expectations,
                }
            )
        if levels:
            frameworks.append(
                {
                    "version_id": version.pk,
                    "profession_id": version.profession_id,
                    "slug": content["profession"]["slug"],
                    "levels": levels,
                }
            )
    return frameworks


def _ensure_frameworks(stdout):
    frameworks = load_frameworks()
    if frameworks:
        return frameworks
    roles_demo.load(password=DEMO_PASSWORD, stdout=stdout or io.StringIO())
    frameworks = load_frameworks()
    if not frameworks:
        raise LookupError(NO_FRAMEWORKS)
    return frameworks


def _build_tree(rng, count):
    """Parent index (or None) and depth for `count` people, breadth first, span 6 to 10."""
    parents = [None]
    depths = [0]
    next_manager = 0
    while len(parents) < count:
        span = rng.randint(6, 10)
        for _ in range(span):
            if len(parents) >= count:
                break
            parents.append(next_manager)
            depths.append(depths[next_manager] + 1)
        next_manager += 1
    return parents[:count], depths[:count]


def _grade_for(rng, level, depth, max_depth):
    if level["grades"]:
        return rng.choice(level["grades"])
    index = max(0, len(GRADE_ORDER) - 1 - round(depth * (len(GRADE_ORDER) - 1) / max(max_depth, 1)))
    return GRADE_ORDER[index]


def _level_for(levels, depth, max_depth, rng):
    """Higher in the tree means a higher level; a little randomness at the bottom."""
    top = len(levels) - 1
    position = top - round(depth * top / max(max_depth, 1))
    if depth == max_depth and position > 0 and rng.random() < 0.4:
        position -= 1
    return levels[max(0, min(top, position))]


def seed_people(
    *,
    people: int,
    rng: random.Random,
    stdout: io.TextIOBase | None = None,
    prefix: str = "G",
    email_domain: str = "example.gov.uk",
    progress: Callable[[str], None] | None = None,
) -> list[SeededPerson]:
    """Add `people` generated staff in one go (call inside a transaction). Returns who was added,
    in the order they were generated."""
    frameworks = _ensure_frameworks(stdout)
    departments = departments_ensure()
    start_number = Person.objects.filter(staff_number__startswith=prefix).count()

    # Split the people between departments by share.
    total_share = sum(share for _, share in departments)
    counts = [people * share // total_share for _, share in departments]
    counts[0] += people - sum(counts)
    ids = allocate_ids(Person, people)
    # Operations for most; product management for a share (or the only profession there is).
    operations = next((f for f in frameworks if "product" not in f["slug"]), frameworks[-1])
    product = next((f for f in frameworks if "product" in f["slug"]), frameworks[0])

    persons = []
    person_info = []
    offset = 0
    number = start_number
    for (department, _), count in zip(departments, counts, strict=True):
        if count <= 0:
            continue
        parents, depths = _build_tree(rng, count)
        max_depth = max(depths)
        for index in range(count):
            pk = ids[offset + index]
            parent = parents[index]
            manager_pk = ids[offset + parent] if parent is not None else None
            framework = product if rng.random() < 0.25 else operations
            level = _level_for(framework["levels"], depths[index], max_depth, rng)
            number += 1
            first = rng.choice(FIRST_NAMES)
            last = rng.choice(LAST_NAMES)
            staff_number = f"{prefix}{number:07d}"
            local = f"{first}.{last}".lower().replace("'", "")
            persons.append(
                Person(
                    pk=pk,
                    staff_number=staff_number,
                    name=f"{first} {last}",
                    email=f"{local}.{staff_number.lower()}@{email_domain}",
                    department_id=department.pk,
                    profession_id=framework["profession_id"],
                    role_level_id=level["pk"],
                    grade=_grade_for(rng, level, depths[index], max_depth),
                    line_manager_id=manager_pk,
                )
            )
            person_info.append(SeededPerson(pk, manager_pk, framework, level))
        offset += count

    manager_of = {seeded.pk: seeded.manager_pk for seeded in person_info}
    paths, _ = paths_for(manager_of)
    for person in persons:
        person.management_path = paths[person.pk]
    for start in range(0, len(persons), BATCH):
        Person.objects.bulk_create(persons[start : start + BATCH])
        if progress:
            progress(f"People: {min(start + BATCH, len(persons))} of {len(persons)}")
    return person_info


def export_hr_csv(handle: io.TextIOBase) -> int:
    """Write every person as an HR extract (the import_staff format). Returns the row count."""
    writer = csv.writer(handle)
    writer.writerow(IMPORT_HEADER)  # the export is an import file
    count = 0
    rows = Person.objects.order_by("pk").values_list(
        "staff_number",
        "name",
        "email",
        "department__acronym",
        "profession__slug",
        "role_level__slug",
        "grade",
        "line_manager__staff_number",
    )
    for row in rows.iterator(chunk_size=20_000):
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    return count
