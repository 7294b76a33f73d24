"""E-mail notifications: invitations, registration decisions, overdue updates, mandates ending.

Each message is rendered from `<template>_subject.txt` and `<template>.txt` in
the recipient's language, sent through Django's e-mail backend (the console
by default, SMTP when EMAIL_HOST is set; see settings) and recorded as a
`core.Notification`. A `key` makes a reminder idempotent: the same occasion
is never mailed twice to the same address.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from resettle.core.models import Notification


def absolute_url(path: str) -> str:
    """A link for an e-mail: SITE_URL followed by the path."""
    return settings.SITE_URL + path


def already_sent(recipient: str, key: str) -> bool:
    """Whether this occasion was already mailed to this address."""
    return bool(key) and Notification.objects.filter(recipient=recipient, key=key).exists()


def send_notification(
    *,
    to: str,
    kind: str,
    template: str,
    context: Mapping[str, Any],
    language: str = "en",
    key: str = "",
) -> bool:
    """Send one e-mail; False when it was already sent for this key (nothing sent)."""
    if not to or already_sent(to, key):
        return False
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or "en"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}.txt", ctx)
    with transaction.atomic():
        Notification.objects.create(recipient=to, subject=subject[:300], kind=kind, key=key)
        # Sent inside the transaction: if the backend fails, the record goes too,
        # and the next run tries again.
        send_mail(subject, body, None, [to])
    return True
