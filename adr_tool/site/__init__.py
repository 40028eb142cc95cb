"""The static decision site: build, page context, the graph layout and Markdown (the
only markdown-it importer).
May import checks, publish, records, git and the foundation.
"""
