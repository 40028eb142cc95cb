"""The linter: finding codes, pure rules over loaded records, what `adr check` gathers
before judging, the commit-msg guard and native hook installation.
May import publish, records, git and the foundation.
"""
