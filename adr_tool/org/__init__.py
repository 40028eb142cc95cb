"""Beyond one repository: the versioned export, and one index and site over many.

May import publish, records, git and the foundation; never cli, site, actions or checks.
"""
