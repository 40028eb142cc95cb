from adr_tool.cli import main

main()
