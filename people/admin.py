"""Admin for staff records: service administrators (superusers) only.

Heads of profession are staff users too, but must never see individual records here, so every
ModelAdmin below answers "no" to anyone who is not a superuser, whatever their permissions.
A person is saved through people.services.person_save, so that management paths stay right.
"""

import io
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from accounts.security_log import EXPORT, security_event
from roles.models import RoleLevel

from .erasure import NOT_A_LEAVER, person_erase
from .importer import HEADER, ImportFailed, staff_import
from .models import Department, DepartmentalHead, Person
from .services import ACCOUNT_EMAIL_MISMATCH, line_manager_lock_and_check, person_save
from .subject_access import person_subject_access

IMPORT_DONE = "Staff records imported. {summary}."
IMPORT_REFUSED = "Nothing has been changed: fix the problems below and upload the file again."
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ERASE_DONE = "Personal data erased for {count} leaver(s)."


class SuperuserOnlyMixin:
    """Only service administrators see these models; heads of profession never do."""

    @staticmethod
    def _allowed(request):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(Department)
class DepartmentAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "acronym"]
    search_fields = ["name", "acronym"]


@admin.register(DepartmentalHead)
class DepartmentalHeadAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Service administrators appoint the heads of a profession in each department."""

    list_display = ["user", "profession", "department"]
    list_filter = ["profession", "department"]
    list_select_related = ["user", "profession", "department"]
    raw_id_fields = ["user"]
    search_fields = ["user__email"]


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "staff_number",
            "name",
            "email",
            "department",
            "profession",
            "role_level",
            "grade",
            "line_manager",
            "user",
            "is_active",
        ]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        user, email = cleaned.get("user"), cleaned.get("email")
        if user is not None and email and user.email != email:
            self.add_error("user", ACCOUNT_EMAIL_MISMATCH)
        # The service checks again when it saves; checking here shows the problem on the field.
        # It also locks the rows the move touches until the admin's transaction ends, so that
        # an administrator making the opposite move at the same time waits, then sees the loop.
        try:
            line_manager_lock_and_check(person=self.instance, manager=cleaned.get("line_manager"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="HR extract (CSV)",
        help_text=f"Columns: {', '.join(HEADER)}. The whole file is checked first.",
    )
    deactivate_missing = forms.BooleanField(
        required=False,
        label="Mark active staff who are not in the file as inactive (leavers)",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file must be smaller than 200 MB")
        return upload


@admin.register(Person)
class PersonAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    form = PersonAdminForm
    list_display = [
        "name",
        "staff_number",
        "email",
        "department",
        "profession",
        "role_level",
        "grade",
        "line_manager",
        "is_active",
    ]
    list_filter = ["department", "profession", "is_active", "grade"]
    list_select_related = [
        "department",
        "profession",
        "role_level__profession",
        "line_manager",
    ]
    search_fields = ["name", "email", "staff_number"]
    search_help_text = "Search by name, email address or staff number"
    raw_id_fields = ["line_manager", "user"]
    readonly_fields = ["management_path"]
    show_full_result_count = False
    list_per_page = 50
    actions = ["erase_personal_data"]
    fields = [
        "staff_number",
        "name",
        "email",
        "department",
        "profession",
        "role_level",
        "grade",
        "line_manager",
        "management_path",
        "user",
        "is_active",
    ]

    def has_change_permission(self, request, obj=None):
        # An erased record is a placeholder that others' records point at: never edited again.
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description="Erase personal data of selected leavers")
    def erase_personal_data(self, request, queryset):
        """Ask first, listing who would be erased and who cannot be (not a leaver); on "yes",
        erase each leaver through people.erasure.person_erase."""
        if not self._allowed(request):
            raise PermissionDenied
        people = list(queryset.filter(erased_at__isnull=True).order_by("name", "pk"))
        leavers = [person for person in people if not person.is_active]
        if request.POST.get("confirm") == "yes" and leavers:
            erased = 0
            for person in leavers:
                try:
                    person_erase(person_id=person.pk, request=request)
                except ValidationError as refused:  # changed since the list was shown
                    self.message_user(request, f"{person}: {refused.messages[0]}", messages.ERROR)
                else:
                    erased += 1
            self.message_user(request, ERASE_DONE.format(count=erased), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase personal data",
            "opts": self.model._meta,
            "leavers": leavers,
            "refused": [person for person in people if person.is_active],
            "not_a_leaver": NOT_A_LEAVER,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/people/person/erase_confirmation.html", context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "role_level":
            kwargs["queryset"] = RoleLevel.objects.select_related("profession")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        person_save(person=obj, line_manager_changed="line_manager" in form.changed_data)

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="people_person_import",
            ),
            path(
                "<int:person_id>/subject-access/",
                self.admin_site.admin_view(self.subject_access_view),
                name="people_person_subject_access",
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self._allowed(request):
            raise PermissionDenied
        errors = []
        form = StaffImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
                result = staff_import(
                    lines=text,
                    deactivate_missing=form.cleaned_data["deactivate_missing"],
                    by=request.user,
                )
            except ImportFailed as failure:
                errors = failure.errors
            else:
                self.message_user(
                    request, IMPORT_DONE.format(summary=result.summary()), messages.SUCCESS
                )
                return redirect("admin:people_person_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import staff records",
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "refused": IMPORT_REFUSED,
        }
        return TemplateResponse(request, "admin/people/person/import.html", context)

    @staticmethod
    def _json_download(person):
        data = person_subject_access(person)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{person.staff_number}.json"'
        )
        response["Cache-Control"] = "no-store"
        return response

    def subject_access_view(self, request, person_id):
        if not self._allowed(request):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=person_id)
        security_event(EXPORT, request=request, kind="subject_access", person_id=person.pk)
        return self._json_download(person)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and str(object_id).isdigit():
            extra_context["subject_access_url"] = reverse(
                "admin:people_person_subject_access", args=[object_id]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and helpers.ACTION_CHECKBOX_NAME in request.POST:
            # Django's admin turns a forged, non-numeric selected id into a 500: drop such ids,
            # as it drops unknown ones, so that an action applies to real records only.
            post = request.POST.copy()
            post.setlist(
                helpers.ACTION_CHECKBOX_NAME,
                [
                    i
                    for i in post.getlist(helpers.ACTION_CHECKBOX_NAME)
                    if i.isascii() and i.isdigit()
                ],
            )
            request.POST = post
        extra_context = {
            **(extra_context or {}),
            "import_url": reverse("admin:people_person_import"),
        }
        return super().changelist_view(request, extra_context)
