"""Every write to the framework goes through these functions, each in one transaction."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Model
from django.utils import timezone

from accounts.models import User

from .models import (
    Expectation,
    FrameworkVersion,
    Profession,
    Qualification,
    RoleLevel,
    Skill,
    SkillDescriptor,
)
from .permissions import can_edit_profession
from .signals import version_published
from .snapshot import build_snapshot

CHANGE_NOTE_REQUIRED = "Enter a change note saying what changed in this version"
CHANGE_NOTE_TOO_LONG = "The change note must be 2000 characters or fewer"
NOT_HEAD_OF_PROFESSION = "Only a head of this profession can publish its framework"
NOTHING_TO_PUBLISH = "The framework has no levels yet, so there is nothing to publish"


def framework_publish(
    *, profession: Profession, by: User | None, change_note: str | None
) -> FrameworkVersion:
    """Freeze the profession's working copy as its next numbered version.

    `by` must head the profession (roles.permissions). None is a publish made by code rather
    than by a person: no one is named as the publisher and there is no one to check."""
    change_note = (change_note or "").strip()
    if not change_note:
        raise ValidationError({"change_note": CHANGE_NOTE_REQUIRED})
    if len(change_note) > 2000:
        raise ValidationError({"change_note": CHANGE_NOTE_TOO_LONG})
    if by is not None and not can_edit_profession(by, profession):
        raise PermissionDenied(NOT_HEAD_OF_PROFESSION)
    with transaction.atomic():
        # Lock the profession so two publishes cannot take the same number.
        profession = Profession.objects.select_for_update().get(pk=profession.pk)
        content = build_snapshot(profession)
        if not content["levels"]:
            raise ValidationError(NOTHING_TO_PUBLISH)
        latest = profession.versions.aggregate(latest=Max("number"))["latest"] or 0
        version = FrameworkVersion(
            profession=profession,
            number=latest + 1,
            published_at=timezone.now(),
            published_by=by,
            change_note=change_note,
            content=content,
        )
        version.full_clean()
        version.save()
        version_published.send(sender=FrameworkVersion, version=version)
    return version


HEADS_GROUP = "Heads of profession"
# What a head of profession may do in the admin; the admin itself narrows every one of these
# to the professions the person heads (roles/admin.py).
HEAD_PERMISSIONS = {
    "profession": ["view", "change"],
    "rolelevel": ["view", "add", "change", "delete"],
    "skill": ["view", "add", "change"],
    "skilldescriptor": ["view", "add", "change", "delete"],
    "expectation": ["view", "add", "change", "delete"],
    "qualification": ["view", "add", "change", "delete"],
    "learningresource": ["view", "add", "change", "delete"],
    "priorityskill": ["view", "add", "change", "delete"],
    "frameworkversion": ["view"],
}


def heads_group_ensure() -> Group:
    """The 'Heads of profession' group with exactly the permissions above."""
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=HEADS_GROUP)
        codenames = [
            f"{action}_{model}" for model, actions in HEAD_PERMISSIONS.items() for action in actions
        ]
        permissions = Permission.objects.filter(
            content_type__app_label="roles", codename__in=codenames
        )
        group.permissions.set(permissions)
    return group


def head_of_profession_appoint(*, user: User, profession: Profession) -> User:
    """Make a user a head of a profession: admin access for that profession's framework only."""
    with transaction.atomic():
        group = heads_group_ensure()
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
        profession.heads.add(user)
    return user


LEVEL_CHANGED_BY_SOMEONE_ELSE = (
    "{name} was changed by someone else since you opened it. "
    "Copy any changes you want to keep, then reload the page"
)


def role_level_is_current(*, role_level_id: int, loaded_version: int) -> bool:
    """Whether a level still has the lock version an editor loaded. Inside a transaction this
    locks the row (on databases that support it) until the transaction ends."""
    with transaction.atomic():
        current = (
            RoleLevel.objects.select_for_update()
            .filter(pk=role_level_id)
            .values_list("lock_version", flat=True)
            .first()
        )
    return current is not None and current == loaded_version


def role_level_save(
    *, role_level: RoleLevel, loaded_version: int | None = None, by: User | None = None
) -> RoleLevel:
    """Save a level (new or changed). A changed level is saved only if nobody else saved it
    since the editor loaded `loaded_version`; its lock version then goes up by one."""
    with transaction.atomic():
        if by is not None:
            role_level._history_user = by
        if role_level.pk is None or role_level._state.adding:
            role_level.lock_version = 1
        else:
            claimed = RoleLevel.objects.filter(
                pk=role_level.pk, lock_version=loaded_version
            ).update(lock_version=F("lock_version") + 1)
            if not claimed:
                raise ValidationError(LEVEL_CHANGED_BY_SOMEONE_ELSE.format(name=role_level.name))
            role_level.lock_version = loaded_version + 1
        role_level.full_clean()
        role_level.save()
    return role_level


RESTORE_CONFLICT = (
    "This earlier state cannot be restored because it clashes with the framework as it is now: "
    "{problem}"
)
RESTORE_PARENT_GONE = "This cannot be restored because the {parent} it belonged to has been deleted"


def framework_part_restore(
    *, record: Model, by: User | None = None
) -> Expectation | Qualification | SkillDescriptor:
    """Put an expectation, a qualification or a skill descriptor back as a history record saw it.

    `record` is a django-simple-history record of an Expectation, a Qualification or a
    SkillDescriptor: the state after a change, or, for a deletion, the state just before it, so
    a deleted row comes back. Raises ValidationError, changing nothing, when the state no longer
    fits (its level or skill is gone, or another row now holds its place). A level whose
    expectations or qualifications change has its lock version raised, so an editor with the
    level open cannot save over the restore.
    """
    instance = record.instance
    if isinstance(instance, Expectation | Qualification):
        parent_name, parent_model, parent_id = "level", RoleLevel, instance.role_level_id
    else:
        parent_name, parent_model, parent_id = "skill", Skill, instance.skill_id
    with transaction.atomic():
        if not parent_model.objects.filter(pk=parent_id).exists():
            raise ValidationError(RESTORE_PARENT_GONE.format(parent=parent_name))
        instance._state.adding = not type(instance).objects.filter(pk=instance.pk).exists()
        try:
            instance.full_clean()
        except ValidationError as error:
            raise ValidationError(
                RESTORE_CONFLICT.format(problem=" ".join(error.messages))
            ) from error
        if by is not None:
            instance._history_user = by
        instance.save()
        if parent_name == "level":
            RoleLevel.objects.filter(pk=parent_id).update(lock_version=F("lock_version") + 1)
    return instance
