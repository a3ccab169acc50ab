"""What importing a file would do, worked out without keeping anything: the admin's import page
shows it before the head of profession confirms.

The importer (roles.importer) is only called through its public functions (read_file,
framework_import); the import runs for real inside a transaction that is always rolled back, so
the preview is exactly what a confirmed import would do to the working copy as it is now.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.models import User

from .diff import FrameworkDiff, snapshot_diff
from .importer import ImportProblems, ImportSummary, framework_import, read_file
from .models import Profession
from .snapshot import build_snapshot

FILE_NOT_UTF8 = (
    "The file is not saved as UTF-8 text (the first character it cannot read is on line "
    "{line}): save the file as UTF-8 and upload it again"
)


def upload_text(raw: bytes) -> str:
    """An uploaded file's text. Raises ImportProblems naming the line when it is not UTF-8 (a
    byte order mark at the start is allowed, as spreadsheets write one)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportProblems([f"file: {FILE_NOT_UTF8.format(line=line)}"]) from None


def file_digest(*, kind: str, text: str) -> str:
    """Names a file's exact content and kind: a confirmation must name the file that was checked."""
    return hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()


def _snapshot_digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(repr(content).encode()).hexdigest()


def working_copy_digest(profession: Profession) -> str:
    """Names the working copy as it is now, so a confirmation can tell that it changed since
    the file was checked (and the changes shown are no longer the ones it would make)."""
    return _snapshot_digest(build_snapshot(profession))


@dataclass(frozen=True)
class ImportPreview:
    diff: FrameworkDiff  # from the working copy now to the working copy after the import
    summary: ImportSummary
    working_copy: str  # working_copy_digest before the import

    @property
    def changes_anything(self) -> bool:
        """Whether the import would change the working copy at all: its published content
        (the diff), or any record (the importer's own count, which sees more than content)."""
        counted = (self.summary.created, self.summary.updated, self.summary.removed)
        return not self.diff.is_empty or any(sum(counter.values()) for counter in counted)


class _RollBack(Exception):
    """Leaves the dry run's transaction, undoing everything it wrote."""


def framework_import_preview(
    *, profession: Profession, text: str, kind: str, by: User | None
) -> ImportPreview:
    """What importing this text would change in the profession's working copy; nothing is
    kept. Raises ImportProblems (every problem in the file) as the import itself would."""
    _found, data = read_file(text, profession_slug=profession.slug, kind=kind)
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            before = build_snapshot(profession)
            result["summary"] = framework_import(profession=profession, data=data, by=by)
            result["after"] = build_snapshot(profession)
            raise _RollBack
    except _RollBack:
        pass
    return ImportPreview(
        diff=snapshot_diff(before, result["after"]),
        summary=result["summary"],
        working_copy=_snapshot_digest(before),
    )


WORKING_COPY_CHANGED = (
    "The working copy has changed since you checked this file, so it would no longer make the "
    "changes you were shown: check the file again"
)


def framework_import_confirm(
    *, profession: Profession, text: str, kind: str, working_copy: str, by: User
) -> ImportSummary:
    """Import the text for real, if the working copy is still the one the preview was made
    from (`working_copy`, its digest then); framework_import records every change in history
    under `by`. Raises ImportProblems, changing nothing, otherwise."""
    _found, data = read_file(text, profession_slug=profession.slug, kind=kind)
    with transaction.atomic():
        Profession.objects.select_for_update().filter(pk=profession.pk).first()
        if working_copy_digest(profession) != working_copy:
            raise ImportProblems([f"working copy: {WORKING_COPY_CHANGED}"])
        return framework_import(profession=profession, data=data, by=by)
