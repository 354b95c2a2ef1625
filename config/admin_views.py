from django.contrib import admin


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rows changed only through the product's services (or written as a log): the admin views
    them, and acts on them through actions with permissions of their own."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
