"""Civil Service grades as people write them: the one synonym table search uses.

A level's published grades are codes (roles.models.Grade: "G7", "SEO", "SCS"), and search
writes those codes into each level's searchable text. People search for "G7", but also for
"grade 7", "senior executive officer" or "SCS2": `grade_codes_in` turns each such name in a
query into its code, so it finds the levels at that grade, and only those (the words "senior",
"executive" and "officer" spread over a level's text do not make it an SEO level).
"""

import re

# Code -> the other ways people write it, lower case. The grades are those of
# /work/shared/domain.md: AA, AO, EO, HEO, SEO, G7, G6, SCS (pay bands SCS1 to SCS4).
GRADE_NAMES: dict[str, tuple[str, ...]] = {
    "AA": ("administrative assistant",),
    "AO": ("administrative officer",),
    "EO": ("executive officer",),
    "HEO": ("higher executive officer",),
    "SEO": ("senior executive officer",),
    "G7": ("grade 7", "grade seven"),
    "G6": ("grade 6", "grade six"),
    "SCS": (
        "senior civil service",
        "senior civil servant",
        *(f"scs{band}" for band in range(1, 5)),
        *(f"scs pay band {band}" for band in range(1, 5)),
    ),
}

_CODE_BY_NAME = {name: code for code, names in GRADE_NAMES.items() for name in names}
# Longest first, so "senior executive officer" is taken whole before "executive officer".
_NAME_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(
        re.escape(name).replace(r"\ ", r"\s+") for name in sorted(_CODE_BY_NAME, key=len)[::-1]
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)


def grade_text(grades) -> str:
    """A level's grades as searchable text: their codes ("HEO SEO")."""
    return " ".join(str(code).upper() for code in grades)


def grade_codes_in(query: str) -> str:
    """The query with every grade name in it replaced by the grade's code."""
    return _NAME_PATTERN.sub(
        lambda match: _CODE_BY_NAME[" ".join(match.group(1).lower().split())], query
    )
