"""The allocation benchmark: generated instances, baselines, and `resettle bench allocation`.

Pure Python like the engine (no Django import), so it runs from the CLI, from
the tests, and in the worker processes that measure peak memory.
"""
