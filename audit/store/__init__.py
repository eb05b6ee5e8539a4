"""The database between the crawler and the rules: typed models and the store (run history is judging: audit/judging/history.py)."""

from audit.store.models import FINISHED, UNFINISHED, RunStatus
from audit.store.store import FindingNotes, Store, StoreError, default_db_url

__all__ = ["FINISHED", "UNFINISHED", "FindingNotes", "RunStatus", "Store", "StoreError", "default_db_url"]
