"""Date formats overriding Django's per language (settings.FORMAT_MODULE_PATH).

Only what differs from Django's own formats (django/conf/locale/<lang>/formats.py) is
set here; everything else falls back to them.
"""
