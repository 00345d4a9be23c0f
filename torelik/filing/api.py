"""JSON API of the filing context."""

from ninja import Router

router = Router(tags=["filing"])
