"""Who heads which profession: the one place that decides it.

A head of profession edits and publishes their profession's framework in the admin and sees its
self-assessments in aggregate (insights). The rules, each stated once, in `_headed_filter`:

- an inactive user (a leaver) or an anonymous visitor heads nothing;
- a superuser (a service administrator) heads every profession;
- anyone else heads the professions that name them in `Profession.heads`.

Every skill has one owning profession (Skill.owner). Only the owner's heads, and service
administrators, change a skill, its descriptors and its learning resources (`can_edit_skill`);
heads of other professions may use it in their levels (`skills_usable_by`) but never change it.

The admin, the publishing service, the insights page and anything else that asks "does this
person head that profession?" call the functions below.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User

from .models import Expectation, Profession, Skill

NO_SUCH_PAGE = "No such page"


def _headed_filter(user: User | AnonymousUser) -> Q | None:
    """The rules as a filter on Profession; None means every profession."""
    if not user.is_active:
        return Q(pk__in=[])  # matches nothing, and Django sends no query for it
    if user.is_superuser:
        return None
    return Q(heads=user)


def professions_headed_by(user: User | AnonymousUser) -> QuerySet[Profession]:
    """The professions this user heads (all of them for a service administrator)."""
    rule = _headed_filter(user)
    professions = Profession.objects.all()
    return professions if rule is None else professions.filter(rule)


def headed_profession_ids(user: User | AnonymousUser) -> set[int] | None:
    """The ids of the professions this user heads, or None for every profession (a service
    administrator). One query for a head; none for a service administrator or an inactive user."""
    rule = _headed_filter(user)
    if rule is None:
        return None
    return set(Profession.objects.filter(rule).values_list("pk", flat=True))


def can_edit_profession(user: User | AnonymousUser, profession: Profession) -> bool:
    """Whether this user heads this profession, so may edit and publish its framework."""
    ids = headed_profession_ids(user)
    return ids is None or profession.pk in ids


def profession_for_head_or_404(user: User | AnonymousUser, slug: str) -> Profession:
    """The profession with this slug when the user heads it; 404 otherwise, so that nobody
    else can tell whether it exists. One query."""
    profession = professions_headed_by(user).filter(slug=slug).first()
    if profession is None:
        raise Http404(NO_SUCH_PAGE)
    return profession


def can_edit_skill(user: User | AnonymousUser, skill: Skill) -> bool:
    """Whether this user may change this skill, its descriptors and its learning resources: a
    head of its owning profession, or a service administrator."""
    ids = headed_profession_ids(user)
    return ids is None or skill.owner_id in ids


def skills_editable_by(user: User | AnonymousUser) -> QuerySet[Skill]:
    """The skills this user may change: those owned by a profession they head."""
    ids = headed_profession_ids(user)
    skills = Skill.objects.all()
    return skills if ids is None else skills.filter(owner__in=ids)


def skills_usable_by(user: User | AnonymousUser) -> QuerySet[Skill]:
    """The skills this user may use in the levels of a profession they head: their own
    professions' skills, and any skill that its owning profession uses in its own framework
    (a skill another profession has made but not yet used is not offered). Nothing for someone
    who heads nothing."""
    ids = headed_profession_ids(user)
    skills = Skill.objects.all()
    if ids is None:
        return skills
    if not ids:
        return skills.none()
    in_owners_framework = Exists(
        Expectation.objects.filter(skill=OuterRef("pk"), role_level__profession=OuterRef("owner"))
    )
    return skills.filter(Q(owner__in=ids) | in_owners_framework)
