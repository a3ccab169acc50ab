import factory
from faker import Faker

from accounts.models import User

_faker = Faker("en_GB")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    # Names without apostrophes, so that tests can look for a name in a page as typed
    # (escaping is tested on purpose elsewhere, with evidence text).
    first_name = factory.LazyFunction(lambda: _faker.first_name().replace("'", ""))
    last_name = factory.LazyFunction(lambda: _faker.last_name().replace("'", ""))
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password-123")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- roles -------------------------------------------------------------------------------
class ProfessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.Profession"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Profession {n}")
    slug = factory.Sequence(lambda n: f"profession-{n}")
    summary = "A profession for tests."


class RoleLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.RoleLevel"

    profession = factory.SubFactory(ProfessionFactory)
    name = factory.Sequence(lambda n: f"Level {n}")
    slug = factory.Sequence(lambda n: f"level-{n}")
    rank = factory.Sequence(lambda n: n + 1)
    summary = "What this level does."
    description = "A longer description of the job at this level."
    grades = factory.LazyFunction(lambda: ["HEO", "SEO"])
    time_at_level = "12 to 24 months"


def default_skill_owner():
    """The owner of a skill made without one: the oldest profession, or a new one when there is
    none yet (so that a test that does not care about ownership need not say)."""
    from roles.models import Profession

    return Profession.objects.order_by("pk").first() or ProfessionFactory()


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.Skill"

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")
    description = "What the skill is."
    owner = factory.LazyFunction(default_skill_owner)


class SkillDescriptorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.SkillDescriptor"

    skill = factory.SubFactory(SkillFactory)
    proficiency = "working"
    description = factory.LazyAttribute(lambda o: f"At {o.proficiency} you can do things.")


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.Expectation"

    role_level = factory.SubFactory(RoleLevelFactory)
    # A new skill is owned by the profession of the level that first uses it.
    skill = factory.SubFactory(SkillFactory, owner=factory.SelfAttribute("..role_level.profession"))
    proficiency = "working"


class LearningResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.LearningResource"

    skill = factory.SubFactory(SkillFactory)
    title = factory.Sequence(lambda n: f"Course {n}")
    url = factory.Sequence(lambda n: f"https://learning.example.gov.uk/course-{n}")
    provider = "Civil Service Learning"
    kind = "course"


def make_framework(*, profession=None, levels=3, skills=4, publish=True, by=None):
    """A profession with `levels` ranked levels, each expecting every one of `skills` skills (owned
    by the profession) at a
    proficiency that rises with the level, descriptors for every proficiency, one resource per
    skill, published as version 1 unless publish=False. Returns (profession, version or None)."""
    from roles.models import PROFICIENCY_RANK
    from roles.services import framework_publish

    profession = profession or ProfessionFactory()
    proficiencies = list(PROFICIENCY_RANK)
    skill_objects = [SkillFactory(owner=profession) for _ in range(skills)]
    for skill in skill_objects:
        for proficiency in proficiencies:
            SkillDescriptorFactory(skill=skill, proficiency=proficiency)
        LearningResourceFactory(skill=skill)
    for rank in range(1, levels + 1):
        level = RoleLevelFactory(profession=profession, rank=rank)
        for skill in skill_objects:
            ExpectationFactory(
                role_level=level,
                skill=skill,
                proficiency=proficiencies[min(rank - 1, len(proficiencies) - 1)],
            )
    version = None
    if publish:
        version = framework_publish(profession=profession, by=by, change_note="First version")
    return profession, version


# --- people ------------------------------------------------------------------------------
class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Department"
        django_get_or_create = ["acronym"]

    name = factory.Sequence(lambda n: f"Department {n}")
    acronym = factory.Sequence(lambda n: f"D{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with a sign-in account; pass line_manager=... to place them in the tree."""

    class Meta:
        model = "people.Person"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    name = factory.LazyAttribute(lambda o: f"{o.user.first_name} {o.user.last_name}")
    staff_number = factory.Sequence(lambda n: f"S{n:07d}")
    department = factory.SubFactory(DepartmentFactory)
    grade = "HEO"
    line_manager = None

    @factory.post_generation
    def _path(obj, create, extracted, **kwargs):
        if create:
            parent = obj.line_manager.management_path if obj.line_manager else "/"
            obj.management_path = f"{parent}{obj.pk}/"
            obj.save(update_fields=["management_path"])


# --- roles admin -------------------------------------------------------------------------
def make_head_of_profession(profession, **fields):
    """A user appointed head of `profession` (staff, in the heads group, in Profession.heads)."""
    from roles.services import head_of_profession_appoint

    user = UserFactory(**fields)
    return head_of_profession_appoint(user=user, profession=profession)


def role_level_admin_data(level, **changes):
    """POST data for a level's admin change form, with its expectations inline, as loaded now."""
    expectations = list(level.expectations.order_by("pk"))
    data = {
        "profession": str(level.profession_id),
        "name": level.name,
        "slug": level.slug,
        "rank": str(level.rank),
        "summary": level.summary,
        "description": level.description,
        "grades": list(level.grades),
        "time_at_level": level.time_at_level,
        "loaded_version": str(level.lock_version),
        "expectations-TOTAL_FORMS": str(len(expectations)),
        "expectations-INITIAL_FORMS": str(len(expectations)),
        "expectations-MIN_NUM_FORMS": "0",
        "expectations-MAX_NUM_FORMS": "1000",
    }
    for index, expectation in enumerate(expectations):
        prefix = f"expectations-{index}-"
        data[prefix + "id"] = str(expectation.pk)
        data[prefix + "role_level"] = str(level.pk)
        data[prefix + "skill"] = str(expectation.skill_id)
        data[prefix + "proficiency"] = expectation.proficiency
        data[prefix + "note"] = expectation.note
    data.update(changes)
    return data


# --- reviews (H6) ------------------------------------------------------------------------
def make_assessment_for_review(
    *,
    person,
    version,
    level_rank=1,
    status="submitted",
    self_proficiency="working",
    evidence="What I did and what came of it.",
    **fields,
):
    """An assessment by `person` against one level of a published `version`, with a rating per
    skill of that level built from the version's snapshot, in `status` (submitted by default),
    made straight through the ORM (no services, no events).

    Unless given, the fields its status needs are filled in: a submission time for any status
    but draft, a return reason for returned, and for signed off a sign-off time and a reviewer
    (the person's line manager, or a new person if they have none)."""
    from django.utils import timezone

    from assessments.models import Rating, SelfAssessment
    from roles.models import RoleLevel, Skill

    level = next(lvl for lvl in version.content["levels"] if lvl["rank"] == level_rank)
    role_level = RoleLevel.objects.get(profession_id=version.profession_id, slug=level["slug"])
    slugs = [e["skill"] for e in level["expectations"]]
    skills = {skill.slug: skill for skill in Skill.objects.filter(slug__in=slugs)}
    names = {s["slug"]: s["name"] for s in version.content["skills"]}
    if status != "draft":
        fields.setdefault("submitted_at", timezone.now())
    if status == "returned":
        fields.setdefault("return_reason", "Add evidence")
    if status == "signed_off":
        fields.setdefault("signed_off_at", timezone.now())
        if "reviewer" not in fields:
            fields["reviewer"] = person.line_manager or PersonFactory()
    assessment = SelfAssessment.objects.create(
        person=person,
        framework_version=version,
        role_level=role_level,
        level_slug=level["slug"],
        level_name=level["name"],
        status=status,
        **fields,
    )
    Rating.objects.bulk_create(
        Rating(
            assessment=assessment,
            skill=skills[expectation["skill"]],
            skill_name=names[expectation["skill"]],
            position=position,
            expected_proficiency=expectation["proficiency"],
            self_proficiency=self_proficiency,
            evidence=evidence,
        )
        for position, expectation in enumerate(level["expectations"], start=1)
    )
    return assessment


# --- self-assessments as their authors make them (tests/assessments, tests/browser) ---------
# Through assessments.services, as the author's pages would: what these make has its events
# and lock versions, unlike make_assessment_for_review above.
def level_slug(version, rank):
    """The slug of the level of this rank in a published framework `version`."""
    return next(level["slug"] for level in version.content["levels"] if level["rank"] == rank)


def make_person_at_level(profession, *, rank=1, **fields):
    """A person whose current job is the level of this rank in `profession` (PersonFactory
    fields, such as line_manager or name, as keywords)."""
    from roles.models import RoleLevel

    level = RoleLevel.objects.get(profession=profession, rank=rank)
    return PersonFactory(profession=profession, role_level=level, **fields)


def start_assessment(person, version, *, rank=1):
    """`person`'s draft against the level of this rank in `version`'s profession, started
    through services.assessment_start (so their open one, if they have one already)."""
    from assessments import services

    assessment, _created = services.assessment_start(
        person=person,
        profession_slug=version.content["profession"]["slug"],
        level_slug=level_slug(version, rank),
    )
    return assessment


def rate_all(assessment, proficiency="working", *, evidence=None):
    """Rate every skill of `assessment` at `proficiency` through services.rating_save, as its
    author, in order; the evidence is "Evidence for <skill name>" unless given."""
    from assessments import services

    for rating in assessment.ratings.order_by("position"):
        services.rating_save(
            assessment=assessment,
            rating_id=rating.pk,
            self_proficiency=proficiency,
            evidence=f"Evidence for {rating.skill_name}" if evidence is None else evidence,
            lock_version=assessment.lock_version,
            by=assessment.person,
        )


def submit_assessment(assessment):
    """Submit `assessment` through services.assessment_submit, as its author, declaration made."""
    from assessments import services

    return services.assessment_submit(
        assessment=assessment,
        by=assessment.person,
        declaration=True,
        lock_version=assessment.lock_version,
    )


# --- qualifications per level (roles.Qualification) ------------------------------------------
class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.Qualification"

    role_level = factory.SubFactory(RoleLevelFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Level {n % 8 + 1} certificate in subject {n}")
    awarding_body = "City & Guilds"
    url = factory.Sequence(lambda n: f"https://awards.example.org/qualification-{n}")
    summary = "What the qualification covers."


def qualifications_admin_data(level):
    """The qualifications inline of a level's admin form, as its rows are now."""
    qualifications = list(level.qualifications.order_by("pk"))
    data = {
        "qualifications-TOTAL_FORMS": str(len(qualifications)),
        "qualifications-INITIAL_FORMS": str(len(qualifications)),
        "qualifications-MIN_NUM_FORMS": "0",
        "qualifications-MAX_NUM_FORMS": "1000",
    }
    for index, qualification in enumerate(qualifications):
        prefix = f"qualifications-{index}-"
        data[prefix + "id"] = str(qualification.pk)
        data[prefix + "role_level"] = str(level.pk)
        for name in ("position", "title", "awarding_body", "url", "summary"):
            data[prefix + name] = str(getattr(qualification, name))
    return data


# The level's admin form has a second inline now: role_level_admin_data (above, unchanged) is
# wrapped so that every caller sends the qualifications' rows too.
_role_level_admin_data_without_qualifications = role_level_admin_data


def role_level_admin_data(level, **changes):
    """POST data for a level's admin change form with both inlines, expectations and
    qualifications, as loaded now."""
    data = _role_level_admin_data_without_qualifications(level)
    data.update(qualifications_admin_data(level))
    data.update(changes)
    return data


def publish_with_qualification(version, *, rank=1, **fields):
    """Give the level of this rank in `version`'s profession a qualification and publish the
    working copy again; returns the qualification as the snapshot holds it."""
    from roles.models import RoleLevel
    from roles.services import framework_publish

    level = RoleLevel.objects.get(profession_id=version.profession_id, rank=rank)
    qualification = QualificationFactory(role_level=level, **fields)
    framework_publish(profession=level.profession, by=None, change_note="A qualification")
    return {
        "title": qualification.title,
        "awarding_body": qualification.awarding_body,
        "url": qualification.url,
        "summary": qualification.summary,
    }


# --- sign-in records (django-axes) --------------------------------------------------------------
def make_sign_in_records(username, *, ip_address="10.0.0.9"):
    """A failed sign-in attempt and a sign-in log line for `username`, as django-axes keeps
    them. Returns (attempt, log)."""
    from axes.models import AccessAttempt, AccessLog

    common = {
        "username": username,
        "ip_address": ip_address,
        "user_agent": "test",
        "http_accept": "*/*",
        "path_info": "/sign-in/",
    }
    attempt = AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=1
    )
    return attempt, AccessLog.objects.create(**common)
