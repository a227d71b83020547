"""Entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`."""

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
