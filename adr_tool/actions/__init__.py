"""Changes to the decisions folder: create, lifecycle (status, links, supersession),
renumber, migrate and scaffold (`adr init`).
May import checks, publish, records, git and the foundation.
"""
