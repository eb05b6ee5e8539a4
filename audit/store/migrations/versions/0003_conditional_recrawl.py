"""Re-audits by conditional request: page validators, bytes received, the reader version, the page cap

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bytes_received", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("reader_version", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("page_cap", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pages_left", sa.Integer(), nullable=True))
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.add_column(sa.Column("etag", sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column("last_modified", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("not_modified", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_column("not_modified")
        batch_op.drop_column("last_modified")
        batch_op.drop_column("etag")
    with op.batch_alter_table("audit_run", schema=None) as batch_op:
        batch_op.drop_column("pages_left")
        batch_op.drop_column("page_cap")
        batch_op.drop_column("reader_version")
        batch_op.drop_column("bytes_received")
