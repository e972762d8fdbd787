"""Log records as JSON lines on standard output in production (journald keeps them; `jq` reads
them), one object per record so tracebacks stay inside their record."""

import json
import logging
from datetime import UTC, datetime


class JsonLinesFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            line["status"] = status_code
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class QuietHeartbeat(logging.Filter):
    """Drops the worker heartbeat's routine lines (three a minute), keeps its warnings."""

    def filter(self, record):
        return record.levelno > logging.INFO or "worker_heartbeat" not in record.getMessage()
