"""Template tags for the framework admin's own pages."""

from django import template

from roles.selectors import skills_changed_by_owners as changed_by_owners

register = template.Library()


@register.simple_tag
def skills_changed_by_owners(profession):
    """roles.selectors.skills_changed_by_owners, for a template."""
    return changed_by_owners(profession)
