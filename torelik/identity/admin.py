from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from torelik.identity.models import Organisation, Person, User


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["iin", "surname", "given_name", "patronymic", "phone", "preferred_language"]
    search_fields = ["iin", "surname", "given_name"]
    list_filter = ["preferred_language"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["bin", "name", "phone"]
    search_fields = ["bin", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    list_display = ["username", "person", "kind", "is_staff", "is_active"]
    list_filter = ["kind", "is_staff", "is_superuser", "is_active"]
    raw_id_fields = ["person"]
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), (_("Torelik"), {"fields": ("person", "kind")}))
