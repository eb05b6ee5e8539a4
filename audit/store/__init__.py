"""The database between the crawler and the rules: typed models, the store, and run history."""
from audit.store.models import FINISHED, UNFINISHED, RunStatus
from audit.store.store import FindingNotes, Store, StoreError, default_db_url

__all__ = ["FINISHED", "UNFINISHED", "FindingNotes", "RunStatus", "Store", "StoreError", "default_db_url"]
