from citex.cli import main

main()
