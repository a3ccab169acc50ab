"""Admin for self-assessments: service administrators only, and read only."""

from django.contrib import admin

from careerpath.admin import ReadOnlyAdminMixin
from people.admin import SuperuserOnlyMixin

from .models import SelfAssessment
from .permissions import VISIBLE_TO_MANAGERS


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdminMixin, SuperuserOnlyMixin, admin.ModelAdmin):
    """Read only: assessments change through the service's own pages, never here."""

    list_display = ["person", "level_name", "status", "submitted_at", "signed_off_at"]
    list_filter = ["status"]
    list_select_related = ["person"]
    search_fields = ["person__name", "person__email", "person__staff_number"]
    show_full_result_count = False

    def get_queryset(self, request):
        # Drafts and returned assessments are private to their author, administrators included.
        return super().get_queryset(request).filter(status__in=VISIBLE_TO_MANAGERS)
