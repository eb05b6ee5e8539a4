"""register_row: every register kind's rows in one table (the row's fields as JSON), replacing
media_account, hotline_ticket and public_message, whose rows move over unchanged

Revision ID: 0009
Revises: 0008
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The tables of the three kinds as 0001 made them, and their fields in the rows' order (the order
# rules/registers/<kind>.py declares them in, which the JSON keeps).
_OLD = {
    "media_account": [
        ("name", sa.String(255), False),
        ("platform", sa.String(64), False),
        ("unit", sa.String(255), False),
        ("filed", sa.Boolean(), False),
        ("opened", sa.Date(), True),
        ("closed", sa.Date(), True),
        ("last_post", sa.Date(), True),
        ("posts", sa.Integer(), True),
        ("interaction", sa.Boolean(), True),
    ],
    "hotline_ticket": [
        ("ticket_id", sa.String(128), False),
        ("received", sa.Date(), False),
        ("unit", sa.String(255), False),
        ("deadline", sa.Date(), True),
        ("closed", sa.Date(), True),
        ("satisfied", sa.Boolean(), True),
    ],
    "public_message": [
        ("message_id", sa.String(128), False),
        ("received", sa.Date(), False),
        ("unit", sa.String(255), False),
        ("forwarded", sa.Date(), True),
        ("answered", sa.Date(), True),
        ("title", sa.Text(), False),
    ],
}


def _old_table(name: str) -> sa.Table:
    return sa.table(
        name,
        sa.column("id", sa.Integer()),
        sa.column("import_id", sa.Integer()),
        *(sa.column(field, kind) for field, kind, _ in _OLD[name]),
    )


_ROWS = sa.table(
    "register_row", sa.column("id", sa.Integer()), sa.column("import_id", sa.Integer()), sa.column("data", sa.JSON())
)


def upgrade() -> None:
    op.create_table(
        "register_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["register_import.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("register_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_row_import_id"), ["import_id"], unique=False)
    connection = op.get_bind()
    for name, fields in _OLD.items():
        old = _old_table(name)
        rows = connection.execute(sa.select(old).order_by(old.c.import_id, old.c.id)).mappings().all()
        if rows:
            connection.execute(
                _ROWS.insert(),
                [
                    {"import_id": row["import_id"], "data": {field: _plain(row[field]) for field, _, _ in fields}}
                    for row in rows
                ],
            )
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_import_id"))
        op.drop_table(name)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def downgrade() -> None:
    connection = op.get_bind()
    kinds = dict(connection.execute(sa.text("select id, kind from register_import")).all())
    tables = {"media": "media_account", "hotline": "hotline_ticket", "messages": "public_message"}
    rows = connection.execute(sa.select(_ROWS).order_by(_ROWS.c.id)).mappings().all()
    for name, fields in _OLD.items():
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("import_id", sa.Integer(), nullable=False),
            *(sa.Column(field, kind, nullable=nullable) for field, kind, nullable in fields),
            sa.ForeignKeyConstraint(["import_id"], ["register_import.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{name}_import_id"), ["import_id"], unique=False)
        moved = [
            {
                "import_id": row["import_id"],
                **{
                    field: date.fromisoformat(row["data"][field])
                    if isinstance(kind, sa.Date) and row["data"][field]
                    else row["data"][field]
                    for field, kind, _ in fields
                },
            }
            for row in rows
            if tables.get(kinds.get(row["import_id"])) == name
        ]
        if moved:
            connection.execute(_old_table(name).insert(), moved)
    with op.batch_alter_table("register_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_row_import_id"))
    op.drop_table("register_row")
