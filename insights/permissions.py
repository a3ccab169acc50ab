"""Who may read a profession's capability report, and for which departments.

The head of a profession for the whole civil service (and a service administrator) sees every
department; a departmental head of profession (people.DepartmentalHead) sees their own
department only; anyone else gets 404, so the report does not even say the profession exists.
Who heads a profession is roles.permissions' rule; this adds the departmental heads.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from people.models import DepartmentalHead
from roles.models import Profession
from roles.permissions import NO_SUCH_PAGE, professions_headed_by

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class ReportScope:
    """A profession, and the departments a reader may see (None: every department)."""

    profession: Profession
    department_ids: frozenset[int] | None

    @property
    def whole_profession(self) -> bool:
        return self.department_ids is None

    def allows(self, department_id: int) -> bool:
        return self.department_ids is None or department_id in self.department_ids


def report_scope_or_404(user: User, slug: str) -> ReportScope:
    """The reader's scope of a profession's report: one query for a head of the whole
    profession, two for a departmental head; 404 for anyone else."""
    profession = professions_headed_by(user).filter(slug=slug).first()
    if profession is not None:
        return ReportScope(profession=profession, department_ids=None)
    if not (user.is_authenticated and user.is_active):
        raise Http404(NO_SUCH_PAGE)
    headships = list(
        DepartmentalHead.objects.filter(user=user, profession__slug=slug).select_related(
            "profession"
        )
    )
    if not headships:
        raise Http404(NO_SUCH_PAGE)
    return ReportScope(
        profession=headships[0].profession,
        department_ids=frozenset(headship.department_id for headship in headships),
    )


def reports_for(user: User) -> list[tuple[Profession, str]]:
    """Every capability report the user may read, as (profession, whose: "whole" or the
    department's acronym), for links from their home page and the pathway."""
    reports = [(profession, "whole") for profession in professions_headed_by(user)]
    if user.is_authenticated and user.is_active:
        headed = {profession.pk for profession, _ in reports}
        reports += [
            (headship.profession, headship.department.acronym)
            for headship in DepartmentalHead.objects.filter(user=user)
            .exclude(profession__in=headed)
            .select_related("profession", "department")
        ]
    return reports
