"""Entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`."""

import gc
import sys

from app import create_app
from config import ConfigError

# The exit status when the configuration is refused. 3 is also gunicorn's "worker failed to boot":
# its master then stops, instead of starting the worker again and again.
CONFIG_REFUSED = 3

try:
    app = create_app()
except ConfigError as error:
    print(f"error: {error}", file=sys.stderr)
    raise SystemExit(CONFIG_REFUSED) from None

# What the started application holds (modules, the parsed process files, the templates) lives as long as the
# process: out of the collector's reach, a page that builds many objects (the ledger of a 5,000-worker plan)
# no longer traces all of it again on each full collection (a third of that page's time, bench/execution.py).
gc.freeze()
