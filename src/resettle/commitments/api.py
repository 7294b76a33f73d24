"""API of the commitments app."""

from ninja import Router

router = Router(tags=["commitments"])
