"""``python -m citex`` runs the command line."""
from citex.cli import main

main()
