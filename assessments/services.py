"""Every write to self-assessments: the author's and the line manager's, each in one transaction.

Starting an assessment creates it; everything after that goes through assessments.lifecycle,
which checks who is asking, the status and the optimistic lock, moves the status, records the
timeline and sends emails after the commit. The functions here add each write's own rules.
Forms check the shape of what people type (lengths, choices); the database's constraints hold
the invariants behind both. Error messages are module constants that tests assert on.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404

from people.models import Person
from roles.models import RoleLevel, Skill
from roles.selectors import latest_framework_or_404

from . import lifecycle
from .lifecycle import Action, Who
from .models import AssessmentEvent, AssessmentStatus, EventKind, Rating, SelfAssessment

NO_PUBLISHED_FRAMEWORK = "There is no published framework for this profession yet"
NO_SUCH_LEVEL = "There is no such level in the published framework of this profession"
LEVEL_HAS_NO_SKILLS = "This level has no skills to assess yourself against yet"
NO_SUCH_RATING = "That skill is not part of this assessment"
DECLARATION_REQUIRED = "Confirm that your ratings and evidence are accurate"
SKILLS_NOT_RATED = "Rate every skill before you submit: {count} not rated yet"
NO_LINE_MANAGER = (
    "You have no line manager on record, so nobody can review your assessment yet. Ask your HR "
    "team to add your line manager; you can carry on with your assessment meanwhile and submit "
    "it once they have"
)
COPIED_NOT_CONFIRMED = (
    "Check every skill copied from your last assessment before you submit: {count} still to check"
)
NO_EARLIER_ASSESSMENT = "You have no signed-off assessment to start from"
RATING_NOT_IN_ASSESSMENT = "A rating you sent does not belong to this assessment"
NOT_ALL_AGREED = "Agree a proficiency for every skill before you sign off the assessment"
NOTHING_LEFT_TO_AGREE = "Every skill already has an agreed proficiency"


def has_reviewer(person: Person) -> bool:
    """Whether someone can review `person`'s assessment: an active line manager on record."""
    if person.line_manager_id is None:
        return False
    return Person.objects.filter(pk=person.line_manager_id, is_active=True).exists()


def _open_assessment(person: Person, role_level: RoleLevel) -> SelfAssessment | None:
    return SelfAssessment.objects.open().filter(person=person, role_level=role_level).first()


def latest_signed_off(person: Person) -> SelfAssessment | None:
    """The person's most recently signed-off assessment, if any."""
    return (
        SelfAssessment.objects.filter(person=person, status=AssessmentStatus.SIGNED_OFF)
        .order_by("-signed_off_at", "-pk")
        .first()
    )


def assessment_start(
    *, person: Person, profession_slug: str, level_slug: str, from_last: bool = False
) -> tuple[SelfAssessment, bool]:
    """Start assessing `person` against a level of the latest published framework.

    Returns (assessment, created). When an open assessment for that level exists already, it is
    returned with created=False instead of starting a second one. The assessment pins the
    version and stores the level's slug and name and each skill's expectation as published.
    With `from_last`, each skill also assessed in the person's last signed-off assessment
    starts with the rating and evidence they gave then, marked `copied` for them to confirm.
    """
    try:
        framework = latest_framework_or_404(profession_slug)
    except Http404:
        raise ValidationError(NO_PUBLISHED_FRAMEWORK) from None
    level_view = next((lv for lv in framework.levels if lv.slug == level_slug), None)
    role_level = RoleLevel.objects.filter(profession__slug=profession_slug, slug=level_slug).first()
    if level_view is None or role_level is None:
        raise ValidationError(NO_SUCH_LEVEL)
    if not level_view.expectations:
        raise ValidationError(LEVEL_HAS_NO_SKILLS)

    existing = _open_assessment(person, role_level)
    if existing is not None:
        return existing, False
    earlier: dict[int, Rating] = {}
    if from_last:
        last = latest_signed_off(person)
        if last is None:
            raise ValidationError(NO_EARLIER_ASSESSMENT)
        earlier = {rating.skill_id: rating for rating in last.ratings.all()}

    skill_ids = dict(
        Skill.objects.filter(slug__in=[e.skill.slug for e in level_view.expectations]).values_list(
            "slug", "pk"
        )
    )
    if any(e.skill.slug not in skill_ids for e in level_view.expectations):
        raise ValidationError(NO_SUCH_LEVEL)
    try:
        with transaction.atomic():
            assessment = SelfAssessment.objects.create(
                person=person,
                framework_version_id=framework.version_id,
                role_level=role_level,
                level_slug=level_view.slug,
                level_name=level_view.name,
                status=AssessmentStatus.DRAFT,
            )
            ratings = []
            for position, expectation in enumerate(level_view.expectations, start=1):
                skill_id = skill_ids[expectation.skill.slug]
                before = earlier.get(skill_id)
                ratings.append(
                    Rating(
                        assessment=assessment,
                        skill_id=skill_id,
                        skill_name=expectation.skill.name,
                        position=position,
                        expected_proficiency=expectation.proficiency,
                        self_proficiency=before.self_proficiency if before else "",
                        evidence=before.evidence if before else "",
                        copied=before is not None,
                    )
                )
            Rating.objects.bulk_create(ratings)
            AssessmentEvent.objects.create(
                assessment=assessment, kind=EventKind.STARTED, at=assessment.created_at, by=person
            )
    except IntegrityError:
        # Someone (another tab) started the same level a moment ago: use theirs.
        existing = _open_assessment(person, role_level)
        if existing is None:
            raise
        return existing, False
    return assessment, True


def _rating_id(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


# --- the author ---------------------------------------------------------------------------
def rating_save(
    *,
    assessment: SelfAssessment,
    rating_id: object,
    self_proficiency: str,
    evidence: str,
    lock_version: object,
    by: Person | None,
) -> Rating:
    """Save the author's own proficiency and evidence for one skill of a draft or returned
    assessment. A blank proficiency is kept as "not rated yet" (save and come back later); the
    view decides when one is required."""
    saved: list[Rating] = []

    def write(stored: SelfAssessment) -> None:
        rating = Rating.objects.filter(pk=_rating_id(rating_id), assessment=stored).first()
        if rating is None:
            raise ValidationError(NO_SUCH_RATING)
        rating.self_proficiency = self_proficiency
        rating.evidence = evidence.replace("\r\n", "\n")
        rating.copied = False  # saving the page is the author's confirmation
        rating.save(update_fields=["self_proficiency", "evidence", "copied"])
        saved.append(rating)

    lifecycle.change(
        assessment=assessment, by=by, who=Who.AUTHOR, lock_version=lock_version, write=write
    )
    return saved[0]


def assessment_submit(
    *,
    assessment: SelfAssessment,
    by: Person | None,
    declaration: bool,
    lock_version: object,
    base_url: str = "",
) -> SelfAssessment:
    """Send a draft (or a returned and changed) assessment to the line manager, who is emailed
    a link to the review. Refused while the author has no active line manager on record:
    nobody could review it."""

    def check(stored: SelfAssessment) -> None:
        errors = []
        if not has_reviewer(stored.person):
            errors.append(ValidationError(NO_LINE_MANAGER, code="no_line_manager"))
        if not declaration:
            errors.append(ValidationError(DECLARATION_REQUIRED, code="declaration"))
        unrated = stored.ratings.filter(self_proficiency="").count()
        if unrated:
            errors.append(ValidationError(SKILLS_NOT_RATED.format(count=unrated), code="unrated"))
        copied = stored.ratings.filter(copied=True).exclude(self_proficiency="").count()
        if copied:
            errors.append(ValidationError(COPIED_NOT_CONFIRMED.format(count=copied), code="copied"))
        if errors:
            raise ValidationError(errors)

    return lifecycle.change(
        assessment=assessment,
        by=by,
        who=Who.AUTHOR,
        action=Action.SUBMIT,
        lock_version=lock_version,
        write=check,
        base_url=base_url,
    )


def assessment_withdraw(
    *, assessment: SelfAssessment, by: Person | None, lock_version: object
) -> SelfAssessment:
    """Take a submitted assessment back to draft, while the manager has not started the review."""
    return lifecycle.change(
        assessment=assessment,
        by=by,
        who=Who.AUTHOR,
        action=Action.WITHDRAW,
        lock_version=lock_version,
    )


def assessment_delete(
    *, assessment: SelfAssessment, by: Person | None, lock_version: object
) -> None:
    """Delete a draft its author no longer wants, with its ratings and timeline."""
    lifecycle.change(
        assessment=assessment,
        by=by,
        who=Who.AUTHOR,
        action=Action.DELETE,
        lock_version=lock_version,
    )


# --- the line manager ---------------------------------------------------------------------
def review_save(
    *,
    assessment: SelfAssessment,
    by: Person | None,
    ratings: dict[object, tuple[str, str]],
    summary: str | None = None,
    lock_version: object,
) -> SelfAssessment:
    """Save the manager's agreed proficiency and comment for some skills (one step of the
    review), and the overall summary when given; the first save starts the review, after which
    the author can no longer withdraw.

    `ratings` maps a rating id to (manager_proficiency, manager_comment); skills not in it are
    left as they are, and `summary=None` leaves the summary. An id that is not one of this
    assessment's ratings, or a page opened before the last save: nothing is written.
    """

    def write(stored: SelfAssessment) -> None:
        own = {rating.pk: rating for rating in stored.ratings.all()}
        wanted = {_rating_id(rating_id): values for rating_id, values in ratings.items()}
        if any(rating_id not in own for rating_id in wanted):
            raise ValidationError(RATING_NOT_IN_ASSESSMENT, code="forged")
        changed = []
        for rating_id, (proficiency, comment) in wanted.items():
            rating = own[rating_id]
            if (rating.manager_proficiency, rating.manager_comment) != (proficiency, comment):
                rating.manager_proficiency, rating.manager_comment = proficiency, comment
                changed.append(rating)
        Rating.objects.bulk_update(changed, ["manager_proficiency", "manager_comment"])
        if summary is not None:
            stored.manager_summary = summary

    return lifecycle.change(
        assessment=assessment,
        by=by,
        who=Who.LINE_MANAGER,
        lock_version=lock_version,
        write=write,
    )


def review_agree_remaining(
    *, assessment: SelfAssessment, by: Person | None, lock_version: object
) -> int:
    """Agree with the member of staff's own rating for every skill the manager has not agreed
    or adjusted yet (one explicit action for all of them). Returns how many were agreed."""
    agreed: list[int] = []

    def write(stored: SelfAssessment) -> None:
        remaining = stored.ratings.filter(manager_proficiency="").exclude(self_proficiency="")
        count = remaining.update(manager_proficiency=F("self_proficiency"))
        if not count:
            raise ValidationError(NOTHING_LEFT_TO_AGREE, code="nothing_left")
        agreed.append(count)

    lifecycle.change(
        assessment=assessment,
        by=by,
        who=Who.LINE_MANAGER,
        lock_version=lock_version,
        write=write,
    )
    return agreed[0]


def review_sign_off(
    *, assessment: SelfAssessment, by: Person | None, lock_version: object, base_url: str = ""
) -> SelfAssessment:
    """Sign off: every skill has an agreed proficiency. The member of staff gets an email."""

    def check(stored: SelfAssessment) -> None:
        ratings = stored.ratings.all()
        if not ratings.exists() or ratings.filter(manager_proficiency="").exists():
            raise ValidationError(NOT_ALL_AGREED, code="not_all_agreed")

    return lifecycle.change(
        assessment=assessment,
        by=by,
        who=Who.LINE_MANAGER,
        action=Action.SIGN_OFF,
        lock_version=lock_version,
        write=check,
        base_url=base_url,
    )


def review_return(
    *,
    assessment: SelfAssessment,
    by: Person | None,
    reason: str,
    lock_version: object,
    base_url: str = "",
) -> SelfAssessment:
    """Return the assessment to its author with a reason. The member of staff gets an email."""
    return lifecycle.change(
        assessment=assessment,
        by=by,
        who=Who.LINE_MANAGER,
        action=Action.RETURN,
        lock_version=lock_version,
        note=reason,
        base_url=base_url,
    )
