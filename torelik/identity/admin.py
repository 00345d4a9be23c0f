from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from torelik.identity.models import LoginChallenge, Organisation, OrganisationMember, Person, User


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


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(admin.ModelAdmin[OrganisationMember]):
    list_display = ["person", "organisation", "role", "confirmed_at"]
    search_fields = ["person__iin", "person__surname", "organisation__bin", "organisation__name"]
    raw_id_fields = ["person", "organisation"]


@admin.register(LoginChallenge)
class LoginChallengeAdmin(admin.ModelAdmin[LoginChallenge]):
    list_display = ["created_at", "expires_at", "used_at", "used_by"]
    readonly_fields = ["nonce", "created_at", "expires_at", "used_at", "used_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
