"""The admin pages built for heads of profession (GOV.UK components inside the Django admin):

- where a head lands after signing in to the admin (`landing`): their profession's page, or a
  list when they head several;
- the profession page (`profession_page`): what changed in the working copy since the published
  version, Preview, and Publish with its change note as the main action;
- the import page (`import_page`): upload a file, see exactly what it would change, confirm.

ProfessionAdmin (roles/admin.py) routes to these; it decides who may see which profession
(`profession_or_404`, scoped by roles.permissions), so a head of another profession gets 404.
"""

import functools
import hmac

from django import forms
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts.security_log import ACCESS_DENIED, IMPORT, security_event

from .diff import snapshot_diff
from .import_preview import (
    file_digest,
    framework_import_confirm,
    framework_import_preview,
    upload_text,
)
from .importer import ImportProblems
from .permissions import professions_headed_by
from .services import CHANGE_NOTE_REQUIRED, CHANGE_NOTE_TOO_LONG, framework_publish
from .snapshot import build_snapshot, with_keys_added


# --- signing in --------------------------------------------------------------------------
def admin_login_landing(site):
    """The admin's sign-in view, changed so that signing in to the admin without a particular
    page in mind (no `next`, or `next` the admin's index, as when going to /admin/) lands on
    `landing` (below) rather than the index; so does coming back to the sign-in page already
    signed in. Any other `next` is left to Django."""
    login_view = site.login

    @functools.wraps(login_view)  # keeps it open to visitors who are not signed in
    def login(request, extra_context=None):
        wanted = request.GET.get(REDIRECT_FIELD_NAME)
        if wanted in (None, "", reverse("admin:index")):
            landing_url = reverse("admin:roles_profession_landing")
            if request.method == "GET" and site.has_permission(request):
                return HttpResponseRedirect(landing_url)
            extra_context = {**(extra_context or {}), REDIRECT_FIELD_NAME: landing_url}
        return login_view(request, extra_context)

    return login


def landing(model_admin, request):
    """A head of one profession lands on its page; a head of several on a list of them. A
    service administrator (every profession) or a member of staff heading none: the index."""
    if request.user.is_superuser:
        return HttpResponseRedirect(reverse("admin:index"))
    professions = list(professions_headed_by(request.user).order_by("name").only("pk", "name"))
    if not professions:
        return HttpResponseRedirect(reverse("admin:index"))
    if len(professions) == 1:
        return HttpResponseRedirect(
            reverse("admin:roles_profession_page", args=[professions[0].pk])
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Your professions",
        "opts": model_admin.model._meta,
        "professions": professions,
    }
    return TemplateResponse(request, "admin/roles/profession/landing.html", context)


# --- the profession page -----------------------------------------------------------------
class PublishForm(forms.Form):
    change_note = forms.CharField(
        label="Change note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say what changed in this version. It appears in the profession's change log.",
        error_messages={"required": CHANGE_NOTE_REQUIRED, "max_length": CHANGE_NOTE_TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_note"].label_class = "govuk-label--m"


def publish_from_form(request, profession, form) -> bool:
    """Publish with the form's change note (roles.services.framework_publish); True when
    published, with a message to say so. False when refused, the reason on the form."""
    if not form.is_valid():
        return False
    try:
        version = framework_publish(
            profession=profession, by=request.user, change_note=form.cleaned_data["change_note"]
        )
    except ValidationError as error:
        form.add_error(None, error)  # a change note's error lands on its field
        return False
    messages.success(request, f"Published version {version.number} of {profession.name}.")
    return True


def profession_page(model_admin, request, object_id):
    """The working copy against the latest published version, Preview, and Publish. A POST
    publishes (roles.services.framework_publish) with the change note."""
    profession = model_admin.profession_or_404(request, object_id)
    if not model_admin.has_view_permission(request, profession):
        raise PermissionDenied
    can_publish = model_admin.has_change_permission(request, profession)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied
        if publish_from_form(request, profession, form):
            return HttpResponseRedirect(
                reverse("admin:roles_profession_page", args=[profession.pk])
            )
    latest = profession.versions.select_related("published_by").order_by("-number").first()
    working_copy = build_snapshot(profession)
    diff = snapshot_diff(with_keys_added(latest.content) if latest else None, working_copy)
    context = {
        **model_admin.page_context(request, profession, profession.name),
        "latest": latest,
        "next_number": latest.number + 1 if latest else 1,
        "diff": diff,
        "has_levels": bool(working_copy["levels"]),
        "can_publish": can_publish,
        "form": form,
    }
    return TemplateResponse(request, "admin/roles/profession/page.html", context)


# --- the import page ---------------------------------------------------------------------
MAX_IMPORT_BYTES = 2 * 1024 * 1024
FILE_REQUIRED = "Select a JSON or CSV file to import"
FILE_WRONG_KIND = "The selected file must be a JSON file (.json) or a CSV file (.csv)"
FILE_TOO_BIG = "The selected file must be smaller than 2 MB"
FILE_EMPTY = "The selected file is empty"
IMPORT_NOT_WAITING = (
    "The file you checked is no longer waiting to be imported: upload it again and check "
    "what it would change"
)
IMPORT_REFUSED = (
    "Nothing was imported: put right what the list above says, then upload the file again"
)
IMPORTED = (
    "Imported {name} into the working copy of {profession}. Nothing is published yet: "
    "check the changes below, then publish them."
)
SESSION_KEY = "roles-import-{profession}"  # a pending import per profession, in the session


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            "A JSON export of a framework (.json), a CSV skills matrix or a CSV list of "
            "qualifications (.csv), saved as UTF-8."
        ),
        error_messages={"required": FILE_REQUIRED, "empty": FILE_EMPTY},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label_class = "govuk-label--m"
        self.fields["file"].widget.attrs["accept"] = ".json,.csv,application/json,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        kind = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if kind not in ("json", "csv"):
            raise ValidationError(FILE_WRONG_KIND, code="kind")
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(FILE_TOO_BIG, code="size")
        raw = upload.read()
        try:
            text = upload_text(raw)
        except ImportProblems as problems:
            # "file: The file is not saved as UTF-8 ...": the field says which file.
            raise ValidationError(
                [problem.removeprefix("file: ") for problem in problems.problems], code="utf8"
            ) from None
        self.cleaned_data["kind"] = kind
        self.cleaned_data["text"] = text
        self.cleaned_data["name"] = upload.name[-100:]
        return upload


class ImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _import_context(model_admin, request, profession, **extra):
    return {
        **model_admin.page_context(request, profession, f"Import into {profession.name}"),
        **extra,
    }


def import_page(model_admin, request, object_id):
    """Upload (POST with a file): check it and show what it would change, keeping its text in
    this user's session under its digest. Confirm (POST with the digest): import that text.
    Another user, or another profession's page, never sees the pending file."""
    profession = model_admin.profession_or_404(request, object_id)
    if not model_admin.has_change_permission(request, profession):
        raise PermissionDenied
    key = SESSION_KEY.format(profession=profession.pk)
    template = "admin/roles/profession/import.html"
    if request.method == "POST" and "digest" in request.POST:
        return _import_confirm(model_admin, request, profession, key)

    posted = request.method == "POST"
    upload = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    context = _import_context(model_admin, request, profession, upload=upload, form=upload)
    if not posted or not upload.is_valid():
        return TemplateResponse(request, template, context)
    kind, text = upload.cleaned_data["kind"], upload.cleaned_data["text"]
    try:
        preview = framework_import_preview(
            profession=profession, text=text, kind=kind, by=request.user
        )
    except ValidationError as error:  # ImportProblems, or a check beyond the file's own
        context["problems"] = _problems(error)
        upload.add_error("file", IMPORT_REFUSED)
        return TemplateResponse(request, template, context)
    digest = file_digest(kind=kind, text=text)
    request.session[key] = {
        "digest": digest,
        "kind": kind,
        "name": upload.cleaned_data["name"],
        "text": text,
        "working_copy": preview.working_copy,
    }
    context.update(
        preview=preview,
        file_name=upload.cleaned_data["name"],
        confirm=ImportConfirmForm(initial={"digest": digest}),
    )
    return TemplateResponse(request, template, context)


def _problems(error: ValidationError) -> list[str]:
    return error.problems if isinstance(error, ImportProblems) else error.messages


def _refused(model_admin, request, profession, problems):
    """The upload form again, with why nothing was imported."""
    upload = ImportUploadForm({}, {})
    upload.full_clean()
    upload.errors.clear()
    upload.add_error("file", IMPORT_REFUSED)
    context = _import_context(
        model_admin, request, profession, upload=upload, form=upload, problems=problems
    )
    return TemplateResponse(request, "admin/roles/profession/import.html", context)


def _import_confirm(model_admin, request, profession, key):
    confirm = ImportConfirmForm(request.POST)
    pending = request.session.get(key)
    given = confirm.data.get("digest", "").encode()
    matches = (
        confirm.is_valid()
        and isinstance(pending, dict)
        and hmac.compare_digest(str(pending.get("digest", "")).encode(), given)
        and hmac.compare_digest(
            file_digest(kind=pending.get("kind", ""), text=pending.get("text", "")).encode(),
            given,
        )
    )
    if not matches:
        security_event(
            ACCESS_DENIED, request=request, reason="import_not_waiting", profession_id=profession.pk
        )
        return _refused(model_admin, request, profession, [IMPORT_NOT_WAITING])
    try:
        framework_import_confirm(
            profession=profession,
            text=pending["text"],
            kind=pending["kind"],
            working_copy=pending["working_copy"],
            by=request.user,
        )
    except ValidationError as error:  # ImportProblems, or a check beyond the file's own
        del request.session[key]
        return _refused(model_admin, request, profession, _problems(error))
    del request.session[key]
    security_event(IMPORT, request=request, kind="framework", profession_id=profession.pk)
    messages.success(request, IMPORTED.format(name=pending["name"], profession=profession.name))
    return HttpResponseRedirect(reverse("admin:roles_profession_page", args=[profession.pk]))
