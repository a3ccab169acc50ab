"""Who may see, change and comment on a development plan (the access matrix, docs/architecture.md).

|                  | self | line manager  | manager further up | other staff | head of profession | departmental head | admin |
|------------------|------|---------------|--------------------|-------------|--------------------|-------------------|-------|
| development plan | edit | read, comment | read               | 404         | 404                | 404               | 404   |

A plan is a personal record: anyone who may not read it gets 404, never 403, so ids cannot be
probed. Heading a profession (in the whole civil service or in a department) or administering
the service gives nothing here. An inactive person (a leaver) has no powers at all: not over
their own plan, not over their reports' plans. Views, templates and assessments.plans all ask
these functions.
"""  # noqa: E501

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from people.models import Person
from people.permissions import is_above, is_line_manager_of, person_for

from .models import PlanAction

User = AbstractBaseUser | AnonymousUser

NO_SUCH_PLAN = "No such development plan"
NO_SUCH_ACTION = "No such action"


def active_person_for(user: User) -> Person | None:
    """The signed-in user's own staff record, if both the account and the record are active
    (people.permissions.person_for already counts a leaver's record as none)."""
    me = person_for(user)
    return me if me is not None and user.is_active else None


def can_edit_plan(user: User, person: Person) -> bool:
    """Only the person themself changes their plan."""
    me = active_person_for(user)
    return me is not None and me.pk == person.pk


def can_comment_on_plan(user: User, person: Person) -> bool:
    """Only the person's line manager comments."""
    return is_line_manager_of(active_person_for(user), person)


def can_read_plan(user: User, person: Person) -> bool:
    """The person, their line manager and managers further up read it; nobody else."""
    me = active_person_for(user)
    return me is not None and (me.pk == person.pk or is_above(me, person))


def get_own_plan_action(user: User, pk: object) -> PlanAction:
    """One action of the signed-in person's own plan; anyone else's, or none, is 404."""
    me = active_person_for(user)
    try:
        action = PlanAction.objects.get(pk=pk)
    except (PlanAction.DoesNotExist, ValueError, TypeError):
        raise Http404(NO_SUCH_ACTION) from None
    if me is None or action.person_id != me.pk:
        raise Http404(NO_SUCH_ACTION)
    return action


def get_report_for_plan(user: User, person_pk: object) -> Person:
    """A report whose plan the signed-in person may read as a manager (their line manager or
    anyone further up). The person themself gets 404 here (their own plan has its own page),
    and so does everyone else."""
    me = active_person_for(user)
    try:
        person = Person.objects.only("pk", "name", "line_manager_id", "management_path").get(
            pk=person_pk
        )
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404(NO_SUCH_PLAN) from None
    if me is None or me.pk == person.pk or not is_above(me, person):
        raise Http404(NO_SUCH_PLAN)
    return person
