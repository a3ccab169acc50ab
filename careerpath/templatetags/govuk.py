"""Template helpers for GOV.UK form markup (used by templates/forms/)."""

from django import forms, template

register = template.Library()

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def widget_kind(bound_field):
    """One word for the GOV.UK component a field renders as."""
    widget = bound_field.field.widget
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is asked about first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def error_anchor(bound_field):
    """The id the error summary links to: the field, or the first option of a choice field."""
    if isinstance(bound_field.field.widget, CHOICE_WIDGETS):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag
def govuk_widget(bound_field, css_class):
    """Render a field's widget with GOV.UK classes and the aria-describedby it needs."""
    widget = bound_field.field.widget
    base_class = css_class.split()[0]
    classes = [css_class, widget.attrs.get("class", "")]
    if bound_field.errors:
        classes.append(f"{base_class}--error")
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hint")
    if "govuk-js-character-count" in css_class:
        # GOV.UK's character count lets people type past the limit and says by how much,
        # so the browser's hard maxlength stops is left off; the form still validates it.
        widget.attrs.pop("maxlength", None)
        described_by.append(f"{bound_field.auto_id}-info")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def govuk_choices(bound_field):
    """The options of a radio or checkbox field, each with id, checked state and hint.

    A form gives hints for options by setting `choice_hints = {str(value): text}` on the field.
    """
    hints = getattr(bound_field.field, "choice_hints", {}) or {}
    options = []
    for index, sub in enumerate(bound_field.subwidgets):
        data = sub.data
        value = data["value"]
        options.append(
            {
                "id": f"{bound_field.auto_id}_{index}",
                "name": data["name"],
                "value": "" if value is None else value,
                "label": data["label"],
                "checked": data["selected"],
                "hint": hints.get(str(value), ""),
            }
        )
    return options


@register.filter
def in_minutes(duration):
    """A timedelta as GOV.UK writes a duration: "1 minute", "15 minutes"."""
    minutes = max(1, round(duration.total_seconds() / 60)) if duration else 0
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
