"""`python -m report_qa …` is `report-qa …`."""

import sys

from report_qa.cli import main

sys.exit(main())
