import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
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


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "roles.Skill"

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")
    description = "What the skill is."


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
    skill = factory.SubFactory(SkillFactory)
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
    """A profession with `levels` ranked levels, each expecting every one of `skills` skills at a
    proficiency that rises with the level, descriptors for every proficiency, one resource per
    skill, published as version 1 unless publish=False. Returns (profession, version or None)."""
    from roles.models import PROFICIENCY_RANK
    from roles.services import framework_publish

    profession = profession or ProfessionFactory()
    proficiencies = list(PROFICIENCY_RANK)
    skill_objects = [SkillFactory() for _ in range(skills)]
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
