"""User journeys in the browser: every role, in English and Arabic, desktop and phone."""
