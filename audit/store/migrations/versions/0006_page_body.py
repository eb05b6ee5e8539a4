"""page_body: each HTML page's body as fetched, for the kept copy of a finding's page

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "url"),
    )
    with op.batch_alter_table("page_body", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_body_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("page_body", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_body_run_id"))
    op.drop_table("page_body")
