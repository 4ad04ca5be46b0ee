"""User interfaces: the ``blinddrill`` command line, charts, reports and the console.

Nothing here computes a score; it only presents what ``engine`` and ``evaluators`` produce.
"""
