"""JSON API of the summons context."""

from ninja import Router

router = Router(tags=["summons"])
