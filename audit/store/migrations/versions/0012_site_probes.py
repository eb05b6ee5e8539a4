"""site_probe: the home-page probes of `govaudit watch` (availability the national way, 暗链 and
defacement between quarters)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_probe",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_url", sa.String(length=2048), nullable=False),
        sa.Column("probed_at", sa.DateTime(), nullable=False),
        sa.Column("up", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("final_url", sa.String(length=2048), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("outbound_hosts", sa.JSON(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("suspicions", sa.JSON(), nullable=True),
        sa.Column("alert", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_site_probe_site_url", "site_probe", ["site_url"])
    op.create_index("ix_site_probe_probed_at", "site_probe", ["probed_at"])


def downgrade() -> None:
    op.drop_index("ix_site_probe_probed_at", table_name="site_probe")
    op.drop_index("ix_site_probe_site_url", table_name="site_probe")
    op.drop_table("site_probe")
