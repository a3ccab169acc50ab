"""GET forms of the public framework pages: compare levels, compare roles, compare versions
(search: search/)."""

from django import forms

from careerpath.templatetags.govuk_dates import govuk_date

LEVEL_FROM_REQUIRED = "Select the level to compare from"
LEVEL_TO_REQUIRED = "Select the level to compare with"
LEVEL_FROM_UNKNOWN = "Select a level to compare from the list"
LEVEL_TO_UNKNOWN = "Select a level to compare it with from the list"
LEVELS_THE_SAME = "Select two different levels to compare"
ROLE_FROM_REQUIRED = "Select your current role"
ROLE_TO_REQUIRED = "Select the role you are thinking of moving to"
ROLE_FROM_UNKNOWN = "Select your current role from the list"
ROLE_TO_UNKNOWN = "Select the role you are thinking of moving to from the list"
ROLES_THE_SAME = "Select two different roles to compare"
VERSION_FROM_REQUIRED = "Select the version to compare from"
VERSION_TO_REQUIRED = "Select the version to compare with"
VERSION_FROM_UNKNOWN = "Select a version to compare from the list"
VERSION_TO_UNKNOWN = "Select a version to compare it with from the list"
VERSIONS_THE_SAME = "Select two different versions to compare"


class _PairForm(forms.Form):
    """Two selects named `from` and `to` (a Python keyword, so the fields are added by name)."""

    same_message = ""
    # For `from`, then `to`: (label, message when nothing is chosen, message for an unknown one).
    pair: tuple[tuple[str, str, str], tuple[str, str, str]]

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, required, unknown) in zip(("from", "to"), self.pair, strict=True):
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                error_messages={"required": required, "invalid_choice": unknown},
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from") and cleaned.get("from") == cleaned.get("to"):
            self.add_error("to", self.same_message)
        return cleaned


class CompareLevelsForm(_PairForm):
    same_message = LEVELS_THE_SAME
    pair = (
        ("Compare", LEVEL_FROM_REQUIRED, LEVEL_FROM_UNKNOWN),
        ("With", LEVEL_TO_REQUIRED, LEVEL_TO_UNKNOWN),
    )

    def __init__(self, *args, levels, **kwargs):
        choices = [(level.slug, level.name) for level in levels]
        super().__init__(*args, choices=choices, **kwargs)


def role_value(framework, level):
    return f"{framework.profession_slug}/{level.slug}"


class CompareRolesForm(_PairForm):
    same_message = ROLES_THE_SAME
    pair = (
        ("Your current role", ROLE_FROM_REQUIRED, ROLE_FROM_UNKNOWN),
        ("The role you are thinking of moving to", ROLE_TO_REQUIRED, ROLE_TO_UNKNOWN),
    )

    def __init__(self, *args, frameworks, **kwargs):
        choices = [("", "Choose a role")] + [
            (
                framework.profession_name,
                [(role_value(framework, level), level.name) for level in framework.levels],
            )
            for framework in frameworks
        ]
        super().__init__(*args, choices=choices, **kwargs)


class CompareVersionsForm(_PairForm):
    """Two published versions of one profession; cleaned values are version numbers (int)."""

    same_message = VERSIONS_THE_SAME
    pair = (
        ("Compare version", VERSION_FROM_REQUIRED, VERSION_FROM_UNKNOWN),
        ("With version", VERSION_TO_REQUIRED, VERSION_TO_UNKNOWN),
    )

    def __init__(self, *args, versions, **kwargs):
        """versions: (number, published_at) pairs, oldest first."""
        choices = [
            (str(number), f"Version {number}, {govuk_date(published_at)}")
            for number, published_at in versions
        ]
        super().__init__(*args, choices=choices, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for name in ("from", "to"):
            if cleaned.get(name):
                cleaned[name] = int(cleaned[name])
        return cleaned
