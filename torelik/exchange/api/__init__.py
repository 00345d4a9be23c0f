"""The exchange's JSON API, one router per topic (`inbound`: partners' messages and their schemas)."""

from ninja import Router

from torelik.exchange.api.inbound import router as inbound_router

router = Router()
router.add_router("", inbound_router)

__all__ = ["router"]
