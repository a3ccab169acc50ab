"""{% js_enabled_script %}: the page's one inline script, exactly as its CSP hash was made."""

from django import template
from django.utils.safestring import mark_safe

from careerpath.inline_script import JS_ENABLED

register = template.Library()

# A constant of ours, not escaped: escaping its quotes would change the script and its hash.
_TAG = mark_safe(f"<script>{JS_ENABLED}</script>")


@register.simple_tag
def js_enabled_script():
    return _TAG
