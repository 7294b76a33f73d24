"""API of the registrations app."""

from ninja import Router

router = Router(tags=["registrations"])
