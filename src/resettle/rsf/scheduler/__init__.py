"""The RSF interview scheduler: a pure package (no Django) fed plain data (model.py).

Entry points: solve.schedule, reschedule.reschedule, check.violations,
greedy.greedy, generator.generate, files (JSON in and out), cli.main, bench.run.
"""
