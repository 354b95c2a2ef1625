from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User
from integrations.zoom.connection.services import revoke_before_delete

# Who may do what in the admin. Only superusers grant rights.
_PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class RepAdmin(UserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "booking_slug", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name", "booking_slug")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("first_name", "last_name", "booking_slug", "time_zone")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    # Kept by Django, never typed: shown, not offered as Django's unlabelled date and time boxes.
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return (*fields, *_PRIVILEGE_FIELDS)

    def _guards_staff(self, request, obj) -> bool:
        # A staff member with "change rep" must not take over an account with more rights than
        # theirs (a new password, a new email), nor remove one.
        return obj is not None and obj.is_staff and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if self._guards_staff(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._guards_staff(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        revoke_before_delete(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for rep in queryset:
            revoke_before_delete(rep)
        super().delete_queryset(request, queryset)
