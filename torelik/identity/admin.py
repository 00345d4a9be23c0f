from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from torelik.identity import actions
from torelik.identity.errors import MESSAGES, LoginErrorCode
from torelik.identity.models import (
    AccountKind,
    LoginChallenge,
    Organisation,
    OrganisationMember,
    Person,
    StaffSignatureBinding,
    User,
)


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


class StaffSignatureBindingForm(forms.ModelForm[StaffSignatureBinding]):
    class Meta:
        model = StaffSignatureBinding
        fields = ["user", "iin", "reason"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        user, iin = cleaned.get("user"), cleaned.get("iin")
        if self.instance._state.adding and user is not None and iin:
            if user.kind != AccountKind.STAFF:
                raise forms.ValidationError(MESSAGES[LoginErrorCode.NOT_STAFF])
            if StaffSignatureBinding.objects.filter(iin=iin, revoked_at__isnull=True).exclude(user=user).exists():
                raise forms.ValidationError(MESSAGES[LoginErrorCode.ALREADY_BOUND])
        return cleaned


@admin.register(StaffSignatureBinding)
class StaffSignatureBindingAdmin(admin.ModelAdmin[StaffSignatureBinding]):
    """The administrator binds a staff account to an IIN here (through `actions`, so it is journaled:
    who bound it and when); a binding is never edited or deleted, only revoked (ADR 0082)."""

    list_display = ["user", "iin", "bound_at", "bound_by", "revoked_at", "revoked_by"]
    list_filter = ["revoked_at"]
    search_fields = ["iin", "user__username", "user__last_name"]
    raw_id_fields = ["user"]
    fields = ["user", "iin", "reason", "bound_at", "bound_by", "revoked_at", "revoked_by"]
    actions = ["revoke"]
    form = StaffSignatureBindingForm

    def get_readonly_fields(self, request: HttpRequest, obj: StaffSignatureBinding | None = None) -> list[str]:
        if obj is None:
            return ["bound_at", "bound_by", "revoked_at", "revoked_by"]
        return ["user", "iin", "reason", "bound_at", "bound_by", "revoked_at", "revoked_by"]

    def save_model(self, request: HttpRequest, obj: StaffSignatureBinding, form: Any, change: bool) -> None:
        if change:
            return
        bound = actions.bind_staff_signature(user=obj.user, iin=obj.iin, actor=request.user, reason=obj.reason)  # type: ignore[arg-type]
        obj.pk = bound.pk

    def has_delete_permission(self, request: HttpRequest, obj: StaffSignatureBinding | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected bindings"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[StaffSignatureBinding]) -> None:
        for binding in queryset.filter(revoked_at__isnull=True).select_related("user"):
            actions.revoke_staff_signature(user=binding.user, actor=request.user)  # type: ignore[arg-type]
