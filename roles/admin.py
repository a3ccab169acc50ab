"""Django admin for heads of profession: edit a profession's working copy, preview and publish it.

A head of profession sees only the professions they head (roles.permissions decides who heads
what) and the framework content that belongs to them; everything else answers 404. Superusers
(service administrators) head every profession, so they see everything. Every framework model
keeps its history (who and when) through django-simple-history, whose history page can revert
an object to an earlier state.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from careerpath.admin import ReadOnlyAdminMixin

from . import admin_views
from .diff import snapshot_diff
from .models import (
    GRADE_ORDER,
    Expectation,
    FrameworkVersion,
    Grade,
    LearningResource,
    PrioritySkill,
    Profession,
    Qualification,
    RoleLevel,
    Skill,
    SkillDescriptor,
    proficiency_order,
)
from .permissions import (
    can_edit_skill,
    headed_profession_ids,
    professions_headed_by,
    skills_editable_by,
    skills_usable_by,
)
from .selectors import framework_from_content
from .services import (
    LEVEL_CHANGED_BY_SOMEONE_ELSE,
    framework_part_restore,
    role_level_is_current,
    role_level_save,
)
from .snapshot import build_snapshot, with_keys_added

admin.site.site_header = "Civil Service career pathways administration"
admin.site.site_title = "Civil Service career pathways administration"
admin.site.index_title = "Career frameworks"
# Heads of profession land on their profession's page after signing in (roles/admin_views.py).
admin.site.login = admin_views.admin_login_landing(admin.site)


# --- scope -------------------------------------------------------------------------------
def headed_ids(request: HttpRequest) -> set[int] | None:
    """roles.permissions.headed_profession_ids for the signed-in user (None: every profession),
    worked out once per request, however often the admin asks during it."""
    if not hasattr(request, "_headed_profession_ids"):
        request._headed_profession_ids = headed_profession_ids(request.user)
    return request._headed_profession_ids


def exists_or_404(queryset: QuerySet, object_id: str, message: str) -> None:
    """404 unless the queryset has an object with this id from the URL (a malformed id has none)."""
    try:
        found = queryset.filter(pk=unquote(object_id)).exists()
    except (ValueError, TypeError, ValidationError):
        found = False
    if not found:
        raise Http404(message)


def skills_in_scope(request, queryset=None):
    """Skills a head may see in the admin: those a profession they head owns (they may change
    them) and those a level of theirs uses (read only unless they own them too)."""
    queryset = Skill.objects.all() if queryset is None else queryset
    ids = headed_ids(request)
    if ids is None:
        return queryset
    used_by_theirs = Exists(
        Expectation.objects.filter(skill=OuterRef("pk"), role_level__profession__in=ids)
    )
    return queryset.filter(Q(owner__in=ids) | used_by_theirs)


def skill_editable(request, skill_id) -> bool:
    """roles.permissions.can_edit_skill for a skill id (None: a skill not yet chosen)."""
    if headed_ids(request) is None or skill_id is None:
        return True
    skill = Skill.objects.filter(pk=skill_id).only("owner").first()
    return skill is not None and can_edit_skill(request.user, skill)


@dataclass(frozen=True)
class PartHistory:
    """An inline part of an object (a level's expectations, a skill's descriptors) whose changes
    the object's history page lists, each with a button that restores it as it was then."""

    key: str  # names the part in the restore address
    model: type[models.Model]
    foreign_key: str  # the history record's field naming the object, such as "role_level_id"
    related: tuple[str, ...]  # related fields to fetch with the records
    heading: str


class ScopedAdmin(SimpleHistoryAdmin):
    """A ModelAdmin narrowed to the professions the signed-in user heads."""

    # Lookup from this model to its profession's id, and the attribute holding it on an object.
    profession_lookup = "profession"
    profession_attribute = "profession_id"

    def scope(self, request, queryset):
        ids = headed_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.profession_lookup}__in": ids})

    def object_in_scope(self, request, obj):
        """Whether the user may see this object (the list and change pages show what they may)."""
        ids = headed_ids(request)
        if ids is None or obj is None:
            return True
        return getattr(obj, self.profession_attribute) in ids

    def object_editable(self, request, obj):
        """Whether the user may change or delete this object: by default, whatever they see."""
        return self.object_in_scope(request, obj)

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.object_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.object_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.object_editable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("profession", "owner"):
            kwargs["queryset"] = professions_headed_by(request.user)
        elif db_field.name == "role_level":
            ids = headed_ids(request)
            levels = RoleLevel.objects.select_related("profession")
            kwargs["queryset"] = levels if ids is None else levels.filter(profession__in=ids)
        elif db_field.name == "skill":
            kwargs["queryset"] = skills_in_scope(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def require_in_scope(self, request, object_id):
        """404 for anything outside the user's professions, so ids cannot be probed."""
        if headed_ids(request) is not None:
            exists_or_404(self.get_queryset(request), object_id, "Not found")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.require_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self.require_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    # Inline parts whose changes the history page lists too, each restorable. The first is the
    # one a restore address without a part's key names.
    part_histories: tuple[PartHistory, ...] = ()

    def history_view(self, request, object_id, extra_context=None):
        self.require_in_scope(request, object_id)
        if self.part_histories:
            parts = []
            for part in self.part_histories:
                records = (
                    part.model.history.filter(**{part.foreign_key: unquote(object_id)})
                    .select_related("history_user", *part.related)
                    .order_by("-history_date")
                )
                try:
                    part_records = list(records[:200])
                except (ValueError, TypeError, ValidationError):
                    part_records = []
                parts.append({"part": part, "records": part_records})
            extra_context = {**(extra_context or {}), "parts": parts}
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.require_in_scope(request, object_id)
        if request.method == "POST":
            # django-simple-history reverts on a POST with view permission alone.
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        if not self.part_histories:
            return super().get_urls()
        opts = self.model._meta
        view = self.admin_site.admin_view(self.restore_part_view)
        name = f"{opts.app_label}_{opts.model_name}_restore_part"
        restore = [
            # Without a key: the first part (the address from before a level had two parts).
            path("<path:object_id>/history/parts/<int:record_id>/restore/", view, name=name),
            path(
                "<path:object_id>/history/parts/<slug:part>/<int:record_id>/restore/",
                view,
                name=name,
            ),
        ]
        return [*restore, *super().get_urls()]

    def restore_part_view(self, request, object_id, record_id, part=None):
        """Put one inline part (an expectation, a qualification, a descriptor) back as a history
        record saw it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.require_in_scope(request, object_id)
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        parts = {p.key: p for p in self.part_histories}
        chosen = self.part_histories[0] if part is None else parts.get(part)
        if chosen is None:
            raise Http404("No such part")
        # Only a record of a part of this very object: another object's record id is a 404.
        record = chosen.model.history.filter(
            **{chosen.foreign_key: obj.pk}, history_id=record_id
        ).first()
        if record is None:
            raise Http404("No such change")
        try:
            framework_part_restore(record=record, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(request, PART_RESTORED, messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
        )


PART_RESTORED = "Restored as it was at that change. Publish to show it on the public pages"


class ProfessionScopeFilter(admin.SimpleListFilter):
    """Filter by profession, offering only the professions the user heads."""

    title = "profession"
    parameter_name = "profession"

    def lookups(self, request, model_admin):
        return [(str(p.pk), p.name) for p in professions_headed_by(request.user)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit():
            return queryset.filter(profession_id=int(value))
        return queryset


# --- professions -------------------------------------------------------------------------
class SkillChoicesMixin:
    """Every inline row offers the same skills: build the choices once per request rather than
    one query per row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "skill" and field is not None:
            field.choices = [("", field.empty_label or "---------")] + [
                (skill.pk, str(skill)) for skill in field.queryset.order_by("name")
            ]
        return field


class PrioritySkillInline(SkillChoicesMixin, admin.TabularInline):
    """The year's priority skills of a profession, set by its heads (capability report)."""

    model = PrioritySkill
    fields = ["year", "skill"]
    extra = 1
    verbose_name = "priority skill for the year"
    verbose_name_plural = "Priority skills, shown first in the capability report"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "skill":
            kwargs["queryset"] = skills_in_scope(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Profession)
class ProfessionAdmin(ScopedAdmin):
    profession_lookup = "pk"
    profession_attribute = "pk"
    list_display = ["name", "slug", "latest_version"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["heads"]
    inlines = [PrioritySkillInline]
    change_form_template = "admin/roles/profession/change_form.html"

    @admin.display(description="Latest published version")
    def latest_version(self, obj):
        return obj.latest_number or "Not published"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(latest_number=Max("versions__number"))

    def get_fields(self, request, obj=None):
        fields = ["name", "slug", "summary"]
        if request.user.is_superuser:
            fields.append("heads")
        return fields

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_urls(self):
        custom = [
            path(
                "yours/",
                self.admin_site.admin_view(self.landing_view),
                name="roles_profession_landing",
            ),
            path(
                "<path:object_id>/page/",
                self.admin_site.admin_view(self.profession_page_view),
                name="roles_profession_page",
            ),
            path(
                "<path:object_id>/import/",
                self.admin_site.admin_view(self.import_view),
                name="roles_profession_import",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="roles_profession_preview",
            ),
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="roles_profession_publish",
            ),
        ]
        return custom + super().get_urls()

    def profession_or_404(self, request, object_id):
        self.require_in_scope(request, object_id)
        try:
            return self.get_queryset(request).get(pk=unquote(object_id))
        except (Profession.DoesNotExist, ValueError, TypeError, ValidationError):
            raise Http404("No such profession") from None

    def page_context(self, request, profession, title):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "original": profession,
            "profession": profession,
        }

    # The pages built for heads of profession: roles/admin_views.py.
    def landing_view(self, request):
        return admin_views.landing(self, request)

    def profession_page_view(self, request, object_id):
        return admin_views.profession_page(self, request, object_id)

    def import_view(self, request, object_id):
        return admin_views.import_page(self, request, object_id)

    def preview_view(self, request, object_id):
        profession = self.profession_or_404(request, object_id)
        if not self.has_view_permission(request, profession):
            raise PermissionDenied
        content = build_snapshot(profession)
        framework = framework_from_content(None, None, content)
        latest = profession.versions.order_by("-number").only("number", "content").first()
        context = {
            **self.page_context(request, profession, f"Preview: {profession.name}"),
            "framework": framework,
            "latest": latest,
            "same_as_latest": latest is not None and with_keys_added(latest.content) == content,
            "diff": snapshot_diff(with_keys_added(latest.content), content) if latest else None,
            "can_publish": self.has_change_permission(request, profession),
        }
        return TemplateResponse(request, "admin/roles/profession/preview.html", context)

    def publish_view(self, request, object_id):
        profession = self.profession_or_404(request, object_id)
        if not self.has_change_permission(request, profession):
            raise PermissionDenied
        form = admin_views.PublishForm(request.POST or None)
        if request.method == "POST" and admin_views.publish_from_form(request, profession, form):
            return HttpResponseRedirect(
                reverse("admin:roles_profession_change", args=[profession.pk])
            )
        context = {
            **self.page_context(request, profession, f"Publish: {profession.name}"),
            "form": form,
            "latest": profession.versions.order_by("-number").only("number").first(),
        }
        return TemplateResponse(request, "admin/roles/profession/publish.html", context)


# --- levels ------------------------------------------------------------------------------
class RoleLevelForm(forms.ModelForm):
    grades = forms.MultipleChoiceField(
        choices=Grade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Typical grades at this level.",
    )
    # The lock version the editor loaded; saving is refused if it changed meanwhile.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RoleLevel
        fields = [
            "profession",
            "name",
            "slug",
            "rank",
            "summary",
            "description",
            "grades",
            "time_at_level",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            version = self.instance.lock_version
            if hasattr(self.instance, "_history"):
                # A revert form shows an old state: the editor is working against the current row.
                current = (
                    RoleLevel.objects.filter(pk=self.instance.pk)
                    .values_list("lock_version", flat=True)
                    .first()
                )
                version = current if current is not None else version
            self.fields["loaded_version"].initial = version

    def clean_grades(self):
        chosen = set(self.cleaned_data["grades"])
        return [grade for grade in GRADE_ORDER if grade in chosen]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self.instance._state.adding:
            loaded = cleaned.get("loaded_version")
            if loaded is None or not role_level_is_current(
                role_level_id=self.instance.pk, loaded_version=loaded
            ):
                raise ValidationError(
                    LEVEL_CHANGED_BY_SOMEONE_ELSE.format(name=self.instance.name), code="stale"
                )
        return cleaned


OWN_SKILLS = "Skills of your profession"
OTHER_SKILLS = "Skills of other professions (you can use them but not change them)"


def skill_with_owner(skill: Skill) -> str:
    """A skill named with its owning profession, such as "Stakeholder management (Operations)"."""
    return f"{skill.name} ({skill.owner.name})"


class ExpectationInline(admin.TabularInline):
    """A level's expected skills. The picker offers the head's own skills and, labelled with
    their owner, the other professions' skills they may use (roles.permissions.skills_usable_by):
    a skill id that is not offered is refused like any invalid choice."""

    model = Expectation
    fields = ["skill", "proficiency", "note"]
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "skill":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs["queryset"] = skills_usable_by(request.user).select_related("owner")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        skills = list(field.queryset.order_by("name"))  # one query for every row of the inline
        ids = headed_ids(request)
        empty = [("", field.empty_label or "---------")]
        if ids is None:
            field.choices = [*empty, *((skill.pk, skill_with_owner(skill)) for skill in skills)]
        else:
            own = [(skill.pk, skill.name) for skill in skills if skill.owner_id in ids]
            other = [(s.pk, skill_with_owner(s)) for s in skills if s.owner_id not in ids]
            field.choices = [*empty, (OWN_SKILLS, own), (OTHER_SKILLS, other)]
        return field

    def get_queryset(self, request):
        # Each row's heading names its level and skill: fetch them with the rows.
        return super().get_queryset(request).select_related("skill", "role_level")


QUALIFICATION_TITLE_REPEATED = (
    "The level has another qualification with this title: give each one a different title"
)
QUALIFICATION_TITLE_STILL_IN_USE = (
    "Another row has this title until this form is saved: save the change to that row first, "
    "then give this one its title"
)


class QualificationFormSet(forms.BaseInlineFormSet):
    """Titles are unique per level whatever their case (a database constraint that the admin's
    inline forms do not check). The rows of the form are checked against each other, and
    against any row of the level the form does not show (one added since it was opened).

    The rows are saved one by one, so a row cannot take a title that another row gives up (by
    a new title or by being deleted) in the same save: that is refused with a message rather
    than left to fail in the database."""

    def clean(self):
        super().clean()
        seen = set()
        if self.instance.pk is not None:
            shown = [form.instance.pk for form in self.initial_forms]
            others = Qualification.objects.filter(role_level=self.instance).exclude(pk__in=shown)
            seen = {title.casefold() for title in others.values_list("title", flat=True)}
        given_up = set()  # titles stored now that this save changes or deletes
        for form in self.initial_forms:
            stored = (form.initial.get("title") or "").strip().casefold()
            new = (getattr(form, "cleaned_data", {}).get("title") or "").strip().casefold()
            if self._should_delete_form(form) or new != stored:
                given_up.add(stored)
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            title = (form.cleaned_data.get("title") or "").strip().casefold()
            if not title:
                continue
            stored = (form.initial.get("title") or "").strip().casefold()
            if title in seen:
                form.add_error("title", QUALIFICATION_TITLE_REPEATED)
            elif title in given_up and title != stored:
                form.add_error("title", QUALIFICATION_TITLE_STILL_IN_USE)
            seen.add(title)


class QualificationInline(admin.TabularInline):
    """Accredited qualifications for the level, in the order the public page lists them."""

    model = Qualification
    formset = QualificationFormSet
    fields = ["position", "title", "awarding_body", "url", "summary"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 1
    verbose_name = "accredited qualification"
    verbose_name_plural = "Accredited qualifications at this level"


@admin.register(RoleLevel)
class RoleLevelAdmin(ScopedAdmin):
    form = RoleLevelForm
    inlines = [ExpectationInline, QualificationInline]
    part_histories = (
        PartHistory(
            "expectation",
            Expectation,
            "role_level_id",
            ("skill",),
            "Changes to its expected skills",
        ),
        PartHistory(
            "qualification", Qualification, "role_level_id", (), "Changes to its qualifications"
        ),
    )
    object_history_template = "admin/roles/object_history_with_parts.html"
    list_display = ["name", "profession", "rank", "time_at_level"]
    list_display_links = ["name"]
    list_filter = [ProfessionScopeFilter]
    list_select_related = ["profession"]
    search_fields = ["name"]
    ordering = ["profession__name", "rank"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        role_level_save(
            role_level=obj,
            loaded_version=form.cleaned_data.get("loaded_version") if change else None,
            by=request.user,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # Someone saved between our check and our save: the transaction rolled back.
            return self.refuse_stale_save(request, object_id, error)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as error:
            return self.refuse_stale_save(request, object_id, error)

    def refuse_stale_save(self, request, object_id, error):
        if object_id is None:
            raise error
        for message in error.messages:
            self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(
            reverse("admin:roles_rolelevel_change", args=[unquote(object_id)])
        )


# --- skills and learning resources -------------------------------------------------------
class SkillDescriptorInline(admin.TabularInline):
    """What each proficiency looks like: changed only by those who may change the skill."""

    model = SkillDescriptor
    fields = ["proficiency", "description"]
    extra = 0
    max_num = 4

    def editable(self, request, obj):
        return obj is None or skill_editable(request, obj.pk)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self.editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.editable(request, obj)

    def get_queryset(self, request):
        # Awareness, Working, Practitioner, Expert: the scale's order, never the alphabet's.
        return super().get_queryset(request).order_by(proficiency_order())


SKILL_OWNED_ELSEWHERE = (
    "Owned by {owner}. Only its heads of profession can change this skill; "
    "you can use it in your levels."
)


@admin.register(Skill)
class SkillAdmin(ScopedAdmin):
    """Skills: a head sees the skills their professions own (and may change them) and those
    their levels use, read only and labelled "Owned by ..." when another profession owns them.
    Anything else answers 404."""

    inlines = [SkillDescriptorInline]
    fields = ["name", "slug", "description", "owner"]
    change_form_template = "admin/roles/skill/change_form.html"
    part_histories = (
        PartHistory(
            "descriptor",
            SkillDescriptor,
            "skill_id",
            (),
            "Changes to what each proficiency looks like",
        ),
    )
    object_history_template = "admin/roles/object_history_with_parts.html"
    list_display = ["name", "slug", "owner"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def scope(self, request, queryset):
        return skills_in_scope(request, queryset)

    def object_in_scope(self, request, obj):
        if headed_ids(request) is None or obj is None or obj.pk is None:
            return True
        return skills_in_scope(request).filter(pk=obj.pk).exists()

    def object_editable(self, request, obj):
        if obj is None or obj.pk is None:
            return True
        return can_edit_skill(request.user, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        headed = list(professions_headed_by(request.user).values_list("pk", flat=True)[:2])
        if len(headed) == 1:  # a head of one profession: the new skill is theirs
            initial.setdefault("owner", headed[0])
        return initial

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.require_in_scope(request, object_id)
        skill = self.get_object(request, unquote(object_id))
        if skill is not None and not can_edit_skill(request.user, skill):
            notice = SKILL_OWNED_ELSEWHERE.format(owner=skill.owner.name)
            extra_context = {**(extra_context or {}), "owned_elsewhere": notice}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(LearningResource)
class LearningResourceAdmin(ScopedAdmin):
    list_display = ["title", "skill", "kind", "proficiency", "provider"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind"]
    list_select_related = ["skill"]
    search_fields = ["title", "skill__name"]

    def scope(self, request, queryset):
        if headed_ids(request) is None:
            return queryset
        return queryset.filter(skill__in=skills_in_scope(request))

    def object_in_scope(self, request, obj):
        if headed_ids(request) is None or obj is None or obj.skill_id is None:
            return True
        return skills_in_scope(request).filter(pk=obj.skill_id).exists()

    def object_editable(self, request, obj):
        """Only those who may change the skill change its learning resources."""
        return obj is None or skill_editable(request, obj.skill_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "skill":  # a new resource goes only on a skill they may change
            kwargs["queryset"] = skills_editable_by(request.user)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- published versions (read only) ------------------------------------------------------
@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["profession", "number", "published_at", "published_by", "change_note"]
    list_select_related = ["profession", "published_by"]
    list_filter = [ProfessionScopeFilter]
    fields = ["profession", "number", "published_at", "published_by", "change_note"]
    readonly_fields = fields
    ordering = ["profession__name", "-number"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("content")
        ids = headed_ids(request)
        return queryset if ids is None else queryset.filter(profession__in=ids)

    def has_view_permission(self, request, obj=None):
        ids = headed_ids(request)
        in_scope = ids is None or obj is None or obj.profession_id in ids
        return super().has_view_permission(request, obj) and in_scope

    def change_view(self, request, object_id, form_url="", extra_context=None):
        exists_or_404(self.get_queryset(request), object_id, "No such version")
        return super().change_view(request, object_id, form_url, extra_context)
