"""API of the pscg app."""

from ninja import Router

router = Router(tags=["pscg"])
