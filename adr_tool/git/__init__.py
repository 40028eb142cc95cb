"""Git access: the only GitPython importer (repo), the one-pass log reader, first-added,
the working tree and index, and the parser of what git prints (history).
May import the foundation only (errors, model, config).
"""
