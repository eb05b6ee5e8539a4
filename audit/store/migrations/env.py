"""Alembic environment: migrations run on the connection govaudit's store hands over
(audit/store/schema.py), against the models' metadata."""

from alembic import context

# The store module imports every module that defines a table (registers, sites).
import audit.store.store  # noqa: E402,F401
from audit.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=False)
with context.begin_transaction():
    context.run_migrations()
