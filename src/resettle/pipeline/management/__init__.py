"""Commands of the case pipeline: subject-export, subject-erase, retention."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def problem(exc: ValidationError) -> CommandError:
    """A service's refusal as one line naming each field."""
    parts = [f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()]
    return CommandError("; ".join(parts) + " (nothing was done)")
