"""Generate a realistic organisation for demos and benchmarks (manage.py seed_demo).

Six departments, each a line-management tree (span 6 to 10, about 7 levels deep for 280,000
people), staff in both professions with levels and grades that fit their place in the tree,
and self-assessments in every status with their ratings (from the pinned version's snapshot)
and timeline events. Deterministic for a given --seed. Everything is written with bulk inserts
in batches, with primary keys reserved first so that paths and foreign keys are computed in
Python; no per-row queries.
"""

import csv
import io
import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone

from roles.models import GRADE_ORDER, FrameworkVersion, RoleLevel, Skill

from .importer import HEADER as IMPORT_HEADER
from .models import (
    AssessmentEvent,
    AssessmentStatus,
    Department,
    EventKind,
    Person,
    Rating,
    SelfAssessment,
)
from .records import allocate_ids, paths_for, planner_statistics_refresh

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

STATUS_WEIGHTS = [
    (AssessmentStatus.DRAFT, 25),
    (AssessmentStatus.SUBMITTED, 20),
    (AssessmentStatus.IN_REVIEW, 10),
    (AssessmentStatus.RETURNED, 10),
    (AssessmentStatus.SIGNED_OFF, 35),
]
RETURN_REASONS = [
    "Please add an example from this year for the skills where you rated yourself highest.",
    "We agreed to talk about the leadership evidence first; please expand it and resubmit.",
    "Some of the evidence describes the team's work rather than yours. Say what you did.",
]
EVIDENCE = [
    "Led the weekly planning session and changed the order of work after user research.",
    "Wrote the case for the new service and presented it to the board, which approved it.",
    "Coached two new colleagues through their first quarter; both now run work alone.",
    "Cut the backlog of cases by a third by changing how the team triaged them.",
    "Worked with finance to bring the project back within its budget after a delay.",
]
COMMENTS = [
    "Agreed: good, specific evidence.",
    "I would put this one level lower for now; we will look at it at mid-year.",
    "Strong example; share it with the wider team.",
]
BATCH = 5000
PROFICIENCIES = ["awareness", "working", "practitioner", "expert"]


@dataclass
class SeedResult:
    people: int = 0
    assessments: int = 0
    ratings: int = 0
    events: int = 0
    statuses: dict = None


def departments_ensure():
    result = []
    for name, acronym, share in DEPARTMENTS:
        department = Department.objects.filter(acronym=acronym).first()
        if department is None:
            department = Department.objects.create(name=name, acronym=acronym)
        result.append((department, share))
    return result


def load_frameworks():
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
    from careerpath.management.commands.load_demo import DEMO_PASSWORD
    from roles import demo as roles_demo

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


@transaction.atomic
def seed_organisation(
    *, people, seed=1, stdout=None, prefix="G", email_domain="example.gov.uk", progress=None
):
    """Add `people` generated staff (and their assessments). Returns a SeedResult."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    frameworks = _ensure_frameworks(stdout)
    departments = departments_ensure()
    now = timezone.now().replace(microsecond=0)
    start_number = Person.objects.filter(staff_number__startswith=prefix).count()
    result = SeedResult(statuses={status: 0 for status, _ in STATUS_WEIGHTS})

    # Split the people between departments by share.
    total_share = sum(share for _, share in departments)
    counts = [people * share // total_share for _, share in departments]
    counts[0] += people - sum(counts)
    ids = allocate_ids(Person, people)
    # Operations for most; product management for a share (or the only profession there is).
    operations = next((f for f in frameworks if "product" not in f["slug"]), frameworks[-1])
    product = next((f for f in frameworks if "product" in f["slug"]), frameworks[0])

    persons = []
    person_info = []  # (pk, manager pk, framework, level, depth)
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
            person_info.append((pk, manager_pk, framework, level, depths[index]))
        offset += count

    manager_of = {pk: manager for pk, manager, *_ in person_info}
    paths, _ = paths_for(manager_of)
    for person in persons:
        person.management_path = paths[person.pk]
    for start in range(0, len(persons), BATCH):
        Person.objects.bulk_create(persons[start : start + BATCH])
        if progress:
            progress(f"People: {min(start + BATCH, len(persons))} of {len(persons)}")
    result.people = len(persons)
    del persons

    _seed_assessments(rng, person_info, now, result, progress)
    planner_statistics_refresh()
    return result


def _pick_status(rng):
    roll = rng.uniform(0, 100)
    for status, weight in STATUS_WEIGHTS:
        roll -= weight
        if roll <= 0:
            return status
    return AssessmentStatus.SIGNED_OFF


def _seed_assessments(rng, person_info, now, result, progress):
    """About a third of staff have a current assessment; some have an older signed-off one."""
    pending = []  # (SelfAssessment, framework level, status, person pk, manager pk, days ago)
    first_id = None
    seen_statuses = set()
    for index, (pk, manager_pk, framework, level, _depth) in enumerate(person_info):
        # Make sure even a small run has every status: the first few with managers cycle them.
        wanted = None
        if manager_pk is not None and len(seen_statuses) < len(STATUS_WEIGHTS):
            wanted = next(s for s, _ in STATUS_WEIGHTS if s not in seen_statuses)
        elif rng.random() > 0.33:
            continue
        status = wanted or _pick_status(rng)
        if manager_pk is None:
            status = AssessmentStatus.DRAFT
        seen_statuses.add(status)
        days_ago = rng.randint(1, 300)
        pending.append((framework, level, status, pk, manager_pk, days_ago))
        levels = framework["levels"]
        position = levels.index(level)
        if manager_pk is not None and position > 0 and rng.random() < 0.2:
            earlier = levels[position - 1]
            pending.append(
                (framework, earlier, AssessmentStatus.SIGNED_OFF, pk, manager_pk, days_ago + 400)
            )
        if len(pending) >= BATCH:
            first_id = _write_batch(rng, pending, now, result, first_id)
            pending = []
            if progress:
                progress(f"Assessments: {result.assessments} for {index + 1} people")
    if pending:
        first_id = _write_batch(rng, pending, now, result, first_id)
    if first_id is not None:
        # created_at/updated_at are set by Django on insert; give them the timeline's times.
        events = AssessmentEvent.objects.filter(assessment=OuterRef("pk")).order_by()
        SelfAssessment.objects.filter(pk__gte=first_id).update(
            created_at=Subquery(
                events.values("assessment").annotate(first=Min("at")).values("first")[:1]
            ),
            updated_at=Subquery(
                events.values("assessment").annotate(last=Max("at")).values("last")[:1]
            ),
        )


def _write_batch(rng, pending, now, result, first_id):
    assessments = []
    for framework, level, status, pk, manager_pk, days_ago in pending:
        started = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
        submitted = started + timedelta(days=rng.randint(1, 20))
        assessment = SelfAssessment(
            person_id=pk,
            framework_version_id=framework["version_id"],
            role_level_id=level["pk"],
            level_name=level["name"],
            status=status,
        )
        if status != AssessmentStatus.DRAFT:
            assessment.submitted_at = submitted
        if status in (AssessmentStatus.IN_REVIEW, AssessmentStatus.RETURNED):
            assessment.review_started_at = submitted + timedelta(days=2)
        if status == AssessmentStatus.RETURNED:
            assessment.returned_at = submitted + timedelta(days=3)
            assessment.return_reason = rng.choice(RETURN_REASONS)
            assessment.reviewer_id = manager_pk
        if status == AssessmentStatus.SIGNED_OFF:
            assessment.review_started_at = submitted + timedelta(days=2)
            assessment.signed_off_at = submitted + timedelta(days=5)
            assessment.reviewer_id = manager_pk
            assessment.manager_summary = "A fair assessment, agreed in our one-to-one."
        assessment._seed = (level, status, started, submitted, pk, manager_pk)
        assessments.append(assessment)
    SelfAssessment.objects.bulk_create(assessments)
    if first_id is None:
        first_id = min(a.pk for a in assessments)

    ratings = []
    events = []
    for assessment in assessments:
        level, status, started, submitted, pk, manager_pk = assessment._seed
        result.statuses[status] += 1
        expectations = level["expectations"]
        filled = len(expectations)
        if status == AssessmentStatus.DRAFT:
            filled = rng.randint(0, len(expectations))
        reviewed = status in (AssessmentStatus.SIGNED_OFF, AssessmentStatus.IN_REVIEW)
        for position, skill_id, skill_name, expected in expectations:
            rating = Rating(
                assessment_id=assessment.pk,
                skill_id=skill_id,
                skill_name=skill_name,
                position=position,
                expected_proficiency=expected,
            )
            if position <= filled:
                rank = PROFICIENCIES.index(expected) + rng.choice((-1, 0, 0, 1))
                rating.self_proficiency = PROFICIENCIES[max(0, min(3, rank))]
                rating.evidence = rng.choice(EVIDENCE)
                if reviewed and (status == AssessmentStatus.SIGNED_OFF or rng.random() < 0.5):
                    rating.manager_proficiency = rng.choice(
                        [rating.self_proficiency, rating.self_proficiency, expected]
                    )
                    rating.manager_comment = rng.choice(COMMENTS)
            ratings.append(rating)
        events.append(
            AssessmentEvent(
                assessment_id=assessment.pk, kind=EventKind.STARTED, at=started, by_id=pk
            )
        )
        if status != AssessmentStatus.DRAFT:
            events.append(
                AssessmentEvent(
                    assessment_id=assessment.pk, kind=EventKind.SUBMITTED, at=submitted, by_id=pk
                )
            )
        if assessment.review_started_at:
            events.append(
                AssessmentEvent(
                    assessment_id=assessment.pk,
                    kind=EventKind.REVIEW_STARTED,
                    at=assessment.review_started_at,
                    by_id=manager_pk,
                )
            )
        if status == AssessmentStatus.RETURNED:
            events.append(
                AssessmentEvent(
                    assessment_id=assessment.pk,
                    kind=EventKind.RETURNED,
                    at=assessment.returned_at,
                    by_id=manager_pk,
                    note=assessment.return_reason,
                )
            )
        if status == AssessmentStatus.SIGNED_OFF:
            events.append(
                AssessmentEvent(
                    assessment_id=assessment.pk,
                    kind=EventKind.SIGNED_OFF,
                    at=assessment.signed_off_at,
                    by_id=manager_pk,
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    AssessmentEvent.objects.bulk_create(events, batch_size=BATCH)
    result.assessments += len(assessments)
    result.ratings += len(ratings)
    result.events += len(events)
    return first_id


def export_hr_csv(handle):
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
