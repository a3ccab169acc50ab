"""Development plans: every write, each a keyword-only function in one transaction.

A person's plan is a list of actions, each for one skill of a published framework (usually a
gap their assessment found), optionally with a learning resource or a qualification chosen
from the framework, a target date and a status. Only the person changes their actions; only
their line manager comments (assessments.plan_permissions says who may read).

Forms check the shape of what is typed (required, lengths, a real date) and the functions here
check the rules: the skill is in the latest published framework of a profession, the resource
or qualification is one the framework offers for it, the target date is neither past nor
absurdly far ahead, who is asking, and the optimistic lock. The database's constraints hold
the invariants (valid status, lengths, a done action has its completion time), so a value
forged past a form is refused there with nothing written. Error messages are module constants
that tests assert on.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from people.models import Person
from people.permissions import is_line_manager_of
from roles.models import ResourceKind, Skill
from roles.selectors import Framework, LevelView, SkillView, latest_frameworks

from .models import PlanAction, PlanComment, PlanStatus

TARGET_YEARS_AHEAD = 5

SKILL_NOT_PUBLISHED = "Choose a skill from a published framework"
NO_SUCH_LEVEL = "There is no such level in the published framework of this profession"
RESOURCE_NOT_OFFERED = "Choose a learning resource or qualification from the list"
TARGET_DATE_IN_PAST = "Target date must be today or in the future"
TARGET_DATE_TOO_FAR = f"Target date must be no more than {TARGET_YEARS_AHEAD} years from today"
NOT_YOUR_PLAN = "You can only change your own development plan"
NOT_ACTIVE = "Your staff record is not active, so you cannot change a development plan"
ONLY_LINE_MANAGER_COMMENTS = "Only their line manager can comment on this development plan"
ACTION_GONE = "This action is no longer in the development plan"
STALE_PLAN_EDIT = (
    "This action changed since you opened it, for example in another tab. "
    "Nothing was saved: check the latest details, then save again"
)

# ValidationError codes, which the views use to put a message beside its field.
SKILL = "skill"
LEVEL = "level"
RESOURCE = "resource"
TARGET_DATE = "target_date"


class StalePlanEdit(ValidationError):
    """A change made on a page drawn from an older lock_version than the one stored."""

    def __init__(self) -> None:
        super().__init__(STALE_PLAN_EDIT, code="stale")


# --- what the published frameworks offer ----------------------------------------------------
@dataclass(frozen=True)
class ResourceOption:
    """A learning resource or qualification that may be chosen for an action. `key` names it
    by its title and address, so it stays the same when the framework is published again."""

    key: str
    title: str
    url: str
    hint: str


def resource_key(title: str, url: str) -> str:
    return hashlib.sha256(f"{title}\n{url}".encode()).hexdigest()[:16]


def _option(title: str, url: str, hint: str) -> ResourceOption:
    return ResourceOption(key=resource_key(title, url), title=title, url=url, hint=hint)


def _published_at(framework: Framework) -> float:
    return framework.published_at.timestamp() if framework.published_at else 0.0


def published_skill(skill_slug: str) -> SkillView | None:
    """A skill as the latest published frameworks have it, or None when none has it. A skill
    shared by several professions is read from the most recently published of them, which
    holds the freshest copy of its resources."""
    holding = [f for f in latest_frameworks() if skill_slug in f.skills]
    if not holding:
        return None
    return max(holding, key=_published_at).skills[skill_slug]


def published_level(level_ref: str) -> tuple[Framework, LevelView] | None:
    """(framework, level) for a "profession-slug/level-slug" reference into the latest
    published frameworks, or None."""
    profession_slug, _, level_slug = (level_ref or "").partition("/")
    for framework in latest_frameworks():
        if framework.profession_slug == profession_slug:
            level = framework.find_level(level_slug)
            return None if level is None else (framework, level)
    return None


def published_skills() -> list[tuple[str, str]]:
    """(slug, name) of every skill in a latest published framework, by name."""
    names = {slug: skill.name for f in latest_frameworks() for slug, skill in f.skills.items()}
    return sorted(names.items(), key=lambda item: (item[1].lower(), item[0]))


def resource_options(
    skill: SkillView | None, level: LevelView | None = None
) -> list[ResourceOption]:
    """The skill's learning resources, then the level's qualifications (when the level has
    any), without repeats."""
    options = []
    for resource in skill.resources if skill else ():
        kind = resource.get("kind") or ""
        label = ResourceKind(kind).label if kind in ResourceKind.values else ""
        hint = ", ".join(part for part in [label, resource.get("provider") or ""] if part)
        options.append(_option(resource.get("title") or "", resource.get("url") or "", hint))
    for qualification in getattr(level, "qualifications", ()) or ():
        body = qualification.get("awarding_body") or ""
        hint = f"Qualification awarded by {body}" if body else "Qualification"
        options.append(
            _option(qualification.get("title") or "", qualification.get("url") or "", hint)
        )
    unique = {}
    for option in options:
        if option.title:
            unique.setdefault(option.key, option)
    return list(unique.values())


# --- the rules ----------------------------------------------------------------------------
def latest_target_date(today: date) -> date:
    """The furthest target date allowed: the same day TARGET_YEARS_AHEAD years on."""
    try:
        return today.replace(year=today.year + TARGET_YEARS_AHEAD)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year + TARGET_YEARS_AHEAD, day=28)


def _target_date_errors(target_date: date, today: date) -> list[ValidationError]:
    if target_date < today:
        return [ValidationError(TARGET_DATE_IN_PAST, code=TARGET_DATE)]
    if target_date > latest_target_date(today):
        return [ValidationError(TARGET_DATE_TOO_FAR, code=TARGET_DATE)]
    return []


def _chosen(resource: str, options: list[ResourceOption]) -> ResourceOption | None:
    """The option the key names; raises when a key is given that is not offered."""
    if not resource:
        return None
    for option in options:
        if option.key == resource:
            return option
    raise ValidationError(RESOURCE_NOT_OFFERED, code=RESOURCE)


def _owner(by: Person | None, action: PlanAction) -> None:
    if by is None or action.person_id != by.pk:
        raise PermissionDenied(NOT_YOUR_PLAN)
    if not by.is_active:
        raise PermissionDenied(NOT_ACTIVE)


def _check_lock(stored: PlanAction, lock_version: object) -> None:
    try:
        given = int(lock_version)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise StalePlanEdit from None
    if given != stored.lock_version:
        raise StalePlanEdit


def _locked(action: PlanAction) -> PlanAction:
    """The action's row, locked for the rest of the transaction."""
    stored = PlanAction.objects.select_for_update().filter(pk=action.pk).first()
    if stored is None:
        raise ValidationError(ACTION_GONE, code="gone")
    return stored


def _text(value: str) -> str:
    return value.replace("\r\n", "\n")


def _copy_to(action: PlanAction, stored: PlanAction) -> PlanAction:
    """Bring the caller's instance up to date with what was saved."""
    for field in PlanAction._meta.concrete_fields:
        setattr(action, field.attname, getattr(stored, field.attname))
    return stored


# --- the person ---------------------------------------------------------------------------
def plan_action_add(
    *,
    person: Person,
    skill_slug: str,
    title: str,
    details: str,
    resource: str,
    target_date: date,
    today: date,
    level: str = "",
) -> PlanAction:
    """Add an action to `person`'s own plan for a skill of a latest published framework.

    `resource` is the key of one of `resource_options` for that skill (and for `level`, a
    "profession/level" reference whose qualifications may be chosen too), or "" for none; its
    title and address are copied onto the action, as is the skill's name.
    """
    if not person.is_active:
        raise PermissionDenied(NOT_ACTIVE)
    skill_view = published_skill(skill_slug)
    skill_pk = Skill.objects.filter(slug=skill_slug).values_list("pk", flat=True).first()
    if skill_view is None or skill_pk is None:
        raise ValidationError(SKILL_NOT_PUBLISHED, code=SKILL)
    level_view = None
    if level:
        found = published_level(level)
        if found is None:
            raise ValidationError(NO_SUCH_LEVEL, code=LEVEL)
        level_view = found[1]
    errors = _target_date_errors(target_date, today)
    chosen = None
    try:
        chosen = _chosen(resource, resource_options(skill_view, level_view))
    except ValidationError as error:
        errors.append(error)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return PlanAction.objects.create(
            person=person,
            skill_id=skill_pk,
            skill_name=skill_view.name,
            title=title,
            details=_text(details),
            resource_title=chosen.title if chosen else "",
            resource_url=chosen.url if chosen else "",
            target_date=target_date,
            status=PlanStatus.NOT_STARTED,
        )


def update_options(action: PlanAction) -> list[ResourceOption]:
    """What may be chosen when the action is changed: the resource it has now (kept as it was
    copied, even if the framework no longer lists it) and the skill's published resources."""
    options = []
    if action.resource_title:
        options.append(_option(action.resource_title, action.resource_url, "Your current choice"))
    kept = {option.key for option in options}
    skill = published_skill(action.skill.slug)
    options.extend(option for option in resource_options(skill) if option.key not in kept)
    return options


def plan_action_update(
    *,
    action: PlanAction,
    by: Person | None,
    title: str,
    details: str,
    resource: str,
    target_date: date,
    lock_version: object,
    today: date,
) -> PlanAction:
    """Change the title, details, resource and target date of one of `by`'s own actions.

    A target date left as it was is kept even once it has passed (the action is overdue); a new
    one must be today or later. The skill stays the action's skill.
    """
    with transaction.atomic():
        stored = _locked(action)
        _owner(by, stored)
        _check_lock(stored, lock_version)
        errors = []
        if target_date != stored.target_date:
            errors.extend(_target_date_errors(target_date, today))
        chosen = None
        try:
            chosen = _chosen(resource, update_options(stored))
        except ValidationError as error:
            errors.append(error)
        if errors:
            raise ValidationError(errors)
        stored.title = title
        stored.details = _text(details)
        stored.resource_title = chosen.title if chosen else ""
        stored.resource_url = chosen.url if chosen else ""
        stored.target_date = target_date
        stored.lock_version += 1
        stored.save()
    return _copy_to(action, stored)


def plan_action_set_status(
    *, action: PlanAction, by: Person | None, status: str, lock_version: object
) -> PlanAction:
    """Move one of `by`'s own actions to not started, in progress or done. Done records when it
    was finished; moving it back from done clears that."""
    with transaction.atomic():
        stored = _locked(action)
        _owner(by, stored)
        _check_lock(stored, lock_version)
        if status == PlanStatus.DONE:
            if stored.status != PlanStatus.DONE:
                stored.completed_at = timezone.now()
        else:
            stored.completed_at = None
        stored.status = status
        stored.lock_version += 1
        stored.save()
    return _copy_to(action, stored)


def plan_action_delete(*, action: PlanAction, by: Person | None, lock_version: object) -> None:
    """Delete one of `by`'s own actions, with its comments."""
    with transaction.atomic():
        stored = _locked(action)
        _owner(by, stored)
        _check_lock(stored, lock_version)
        stored.delete()


# --- the line manager ---------------------------------------------------------------------
def plan_comment_add(*, action: PlanAction, by: Person | None, text: str) -> PlanComment:
    """The person's (active) line manager comments on one action of their plan."""
    with transaction.atomic():
        stored = (
            PlanAction.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(pk=action.pk)
            .first()
        )
        if stored is None:
            raise ValidationError(ACTION_GONE, code="gone")
        if by is None or not by.is_active or not is_line_manager_of(by, stored.person):
            raise PermissionDenied(ONLY_LINE_MANAGER_COMMENTS)
        return PlanComment.objects.create(action=stored, author=by, text=_text(text))
