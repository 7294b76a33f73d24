"""The allocation engine: submitted cases to State pledge lines, with a proven bound.

A pure package: no Django import. The web (resettle.allocation) and the CLI
(`resettle allocate`) feed it plain data (see model.py) and read its result.
"""
