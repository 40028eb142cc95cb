"""Rendered output: templates (the only jinja2 importer), the index and its fingerprint,
the digest, the graph, commit traces and the text and JSON views of records.
May import records, git and the foundation.
"""
