"""JSON API of the notifications context."""

from ninja import Router

router = Router(tags=["notifications"])
