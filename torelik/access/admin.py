"""The administrator's side of building access: entrances, security posts and badges are set up here;
the visitor log is not shown in the admin (only the court's security reads it, each reading recorded)."""

from django.contrib import admin

from torelik.access.models import Badge, Ban, Device, Entrance, Guard


@admin.register(Entrance)
class EntranceAdmin(admin.ModelAdmin[Entrance]):
    list_display = ["court", "code", "name_ru", "for_visitors", "is_active"]
    search_fields = ["court__code", "code", "name_ru"]
    raw_id_fields = ["court"]


@admin.register(Guard)
class GuardAdmin(admin.ModelAdmin[Guard]):
    list_display = ["user", "court", "duty", "entrance"]
    list_filter = ["duty"]
    raw_id_fields = ["user", "court", "entrance"]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin[Badge]):
    list_display = ["number", "court", "user", "is_active"]
    search_fields = ["number", "user__username"]
    raw_id_fields = ["court", "user"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin[Ban]):
    list_display = ["court", "full_name", "starts_on", "ends_on", "lifted_at"]
    raw_id_fields = ["court", "created_by", "lifted_by"]


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin[Device]):
    """Devices are registered on the security page (the token shown once); here they are only listed."""

    list_display = ["name", "entrance", "last_seen_at", "revoked_at"]
    readonly_fields = ["token_hash"]
    raw_id_fields = ["entrance"]

    def has_add_permission(self, request: object) -> bool:
        return False
