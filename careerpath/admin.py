"""Admin pieces shared by the apps (no domain code)."""


class ReadOnlyAdminMixin:
    """A ModelAdmin that shows records but never adds, changes or deletes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
