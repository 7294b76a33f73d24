"""Test data of the cases app shared with other apps' tests."""

from __future__ import annotations

import datetime

# The terms of sharing a case with a State (cases/sharing.py): the family
# consented on a date in the past.
SHARE = {"purpose": "resettlement", "consent": "given", "consent_date": datetime.date(2025, 1, 6)}
# The same for a JSON payload.
SHARE_JSON = {**SHARE, "consent_date": "2025-01-06"}
