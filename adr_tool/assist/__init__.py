"""The decision log as tools for a coding assistant: ``adr mcp``, a Model Context Protocol
server. May import every room below it except ``cli``; only ``server`` imports the SDK.
"""
