"""English for an international platform: short dates day first (31/12/2026), as in
British English, rather than Django's US month first (12/31/2026)."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y P"
