"""JSON API of the identity context: the EDS login challenge and its answer."""

from ninja import Router

router = Router(tags=["identity"])
