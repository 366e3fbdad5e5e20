"""Log records as one JSON object a line, for production (DJANGO_LOG_FORMAT=json)."""

import json
import logging
from datetime import UTC, datetime

# The attributes every LogRecord has; anything else on a record was passed as `extra`.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            # Django's request logger attaches the request object itself: not for the log.
            if name not in STANDARD_ATTRIBUTES and name != "request" and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
