"""register_import.site and .fields: a register belongs to a portal (county), not only to a
quarter, so in a database of several counties one county's 12345 export is not judged for another;
and the import keeps which of its kind's fields the file had a column for, so a rule that needs a
missing optional column is 未检查, not "fixed". Imports stored before keep site NULL (they belong
to whichever portal the database audits) and fields NULL (every field, as they were read).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# 0001 left the (kind, quarter) unique constraint unnamed: its name as each database gives it.
_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_SQLITE_NAME = "uq_register_import_kind"
_POSTGRES_NAME = "register_import_kind_quarter_key"


def _unique_name() -> str:
    return _SQLITE_NAME if op.get_bind().dialect.name == "sqlite" else _POSTGRES_NAME


def upgrade() -> None:
    with op.batch_alter_table("register_import", schema=None, naming_convention=_NAMES) as batch_op:
        batch_op.drop_constraint(_unique_name(), type_="unique")
        batch_op.add_column(sa.Column("site", sa.String(length=512), nullable=True))
        batch_op.add_column(sa.Column("fields", sa.JSON(), nullable=True))
        batch_op.create_index("ix_register_import_kind_quarter_site", ["kind", "quarter", "site"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("register_import", schema=None, naming_convention=_NAMES) as batch_op:
        batch_op.drop_index("ix_register_import_kind_quarter_site")
        batch_op.drop_column("fields")
        batch_op.drop_column("site")
        batch_op.create_unique_constraint(_unique_name(), ["kind", "quarter"])
