"""``python -m seq2seq`` runs the same command line as the ``seq2seq`` script."""

import sys

from .cli import main

sys.exit(main())
