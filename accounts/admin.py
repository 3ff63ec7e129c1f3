from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "region", "province", "is_active"]
    list_filter = ["role", "region", "is_active", "is_staff"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Role and area"), {"fields": ("role", "region", "province", "tambons", "phone")}),
    )
    autocomplete_fields = ["tambons"]
