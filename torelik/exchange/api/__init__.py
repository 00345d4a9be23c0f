"""The exchange's JSON API, one router per topic (`outbound`: the published schemas of the events sent to
partners, first, so that its routes match before the inbound topics' catch-all; `inbound`: partners'
messages and their schemas)."""

from ninja import Router

from torelik.exchange.api.inbound import router as inbound_router
from torelik.exchange.api.outbound import router as outbound_router

router = Router()
router.add_router("", outbound_router)
router.add_router("", inbound_router)

__all__ = ["router"]
