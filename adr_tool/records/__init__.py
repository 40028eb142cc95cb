"""Reading and writing records: front matter (the only ruamel.yaml importer), every
record style, numbering, in-place edits, the folder store (atomic writes, the lock) and
the parse cache. May import the foundation only (errors, model, config, stamp).
"""
