"""baseline: the schema of govaudit when migrations began

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_url", sa.String(length=2048), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=True),
        sa.Column("config_fingerprint", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=True),
        sa.Column("owner_host", sa.String(length=255), nullable=True),
        sa.Column("owner_pid", sa.Integer(), nullable=True),
        sa.Column("unjudged_rules", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_run_quarter"), ["quarter"], unique=False)

    op.create_table(
        "register_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=512), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "quarter"),
    )
    with op.batch_alter_table("register_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_import_quarter"), ["quarter"], unique=False)

    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("unit", sa.String(length=255), nullable=False),
        sa.Column("site_id", sa.String(length=32), nullable=True),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    )
    op.create_table(
        "certificate_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("certificate_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_check_run_id"), ["run_id"], unique=False)

    op.create_table(
        "column_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("via", sa.String(length=2048), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "column", "url", "role"),
    )
    with op.batch_alter_table("column_page", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_column_page_run_id"), ["run_id"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("column", sa.String(length=32), nullable=True),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=32), nullable=True),
        sa.Column("units", sa.JSON(), nullable=True),
        sa.Column("unit_source", sa.String(length=16), nullable=True),
        sa.Column("indicator", sa.String(length=32), nullable=True),
        sa.Column("membership", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_run_id"), ["run_id"], unique=False)

    op.create_table(
        "hidden_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("page_url", sa.String(length=2048), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("how", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hidden_link", schema=None) as batch_op:
        batch_op.create_index("ix_hidden_link_run", ["run_id", "page_url"], unique=False)

    op.create_table(
        "hotline_ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.String(length=128), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("unit", sa.String(length=255), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("closed", sa.Date(), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["register_import.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hotline_ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hotline_ticket_import_id"), ["import_id"], unique=False)

    op.create_table(
        "link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("from_url", sa.String(length=2048), nullable=False),
        sa.Column("to_url", sa.String(length=2048), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tag", sa.String(length=16), nullable=False),
        sa.Column("on_site", sa.Boolean(), nullable=False),
        sa.Column("is_click", sa.Boolean(), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.create_index("ix_link_run_from", ["run_id", "from_url"], unique=False)
        batch_op.create_index("ix_link_run_to", ["run_id", "to_url"], unique=False)

    op.create_table(
        "link_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("final_url", sa.String(length=2048), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "url"),
    )
    with op.batch_alter_table("link_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_check_run_id"), ["run_id"], unique=False)

    op.create_table(
        "list_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("page_url", sa.String(length=2048), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("main_list", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_source", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("list_item", schema=None) as batch_op:
        batch_op.create_index("ix_list_item_run_page", ["run_id", "page_url"], unique=False)

    op.create_table(
        "list_read",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("declared_records", sa.Integer(), nullable=True),
        sa.Column("declared_pages", sa.Integer(), nullable=True),
        sa.Column("items_read", sa.Integer(), nullable=False),
        sa.Column("pages_read", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("shortfall", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "column", "url"),
    )
    with op.batch_alter_table("list_read", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_read_run_id"), ["run_id"], unique=False)

    op.create_table(
        "media_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=255), nullable=False),
        sa.Column("filed", sa.Boolean(), nullable=False),
        sa.Column("opened", sa.Date(), nullable=True),
        sa.Column("closed", sa.Date(), nullable=True),
        sa.Column("last_post", sa.Date(), nullable=True),
        sa.Column("posts", sa.Integer(), nullable=True),
        sa.Column("interaction", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["register_import.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("media_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_account_import_id"), ["import_id"], unique=False)

    op.create_table(
        "page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("final_url", sa.String(length=2048), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(length=128), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("cms", sa.String(length=32), nullable=True),
        sa.Column("encoding", sa.String(length=32), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("publish_date", sa.Date(), nullable=True),
        sa.Column("publish_date_source", sa.String(length=16), nullable=True),
        sa.Column("written_date", sa.Date(), nullable=True),
        sa.Column("doc_number", sa.String(length=256), nullable=True),
        sa.Column("publisher", sa.String(length=256), nullable=True),
        sa.Column("index_number", sa.String(length=256), nullable=True),
        sa.Column("topic", sa.String(length=256), nullable=True),
        sa.Column("validity", sa.String(length=64), nullable=True),
        sa.Column("disclosure_mode", sa.String(length=64), nullable=True),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("is_list", sa.Boolean(), nullable=False),
        sa.Column("empty_notice", sa.Boolean(), nullable=False),
        sa.Column("total_pages", sa.Integer(), nullable=True),
        sa.Column("total_records", sa.Integer(), nullable=True),
        sa.Column("redirect_to", sa.String(length=2048), nullable=True),
        sa.Column("more_requests", sa.JSON(), nullable=True),
        sa.Column("meta_tags", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("truncated", sa.Boolean(), nullable=False),
        sa.Column("unread", sa.String(length=32), nullable=True),
        sa.Column("breadcrumb", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "url"),
    )
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_run_id"), ["run_id"], unique=False)

    op.create_table(
        "public_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("unit", sa.String(length=255), nullable=False),
        sa.Column("forwarded", sa.Date(), nullable=True),
        sa.Column("answered", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["register_import.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("public_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_message_import_id"), ["import_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("public_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_message_import_id"))

    op.drop_table("public_message")
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_run_id"))

    op.drop_table("page")
    with op.batch_alter_table("media_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_account_import_id"))

    op.drop_table("media_account")
    with op.batch_alter_table("list_read", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_read_run_id"))

    op.drop_table("list_read")
    with op.batch_alter_table("list_item", schema=None) as batch_op:
        batch_op.drop_index("ix_list_item_run_page")

    op.drop_table("list_item")
    with op.batch_alter_table("link_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_check_run_id"))

    op.drop_table("link_check")
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_index("ix_link_run_to")
        batch_op.drop_index("ix_link_run_from")

    op.drop_table("link")
    with op.batch_alter_table("hotline_ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hotline_ticket_import_id"))

    op.drop_table("hotline_ticket")
    with op.batch_alter_table("hidden_link", schema=None) as batch_op:
        batch_op.drop_index("ix_hidden_link_run")

    op.drop_table("hidden_link")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_run_id"))
        batch_op.drop_index(batch_op.f("ix_finding_fingerprint"))

    op.drop_table("finding")
    with op.batch_alter_table("column_page", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_column_page_run_id"))

    op.drop_table("column_page")
    with op.batch_alter_table("certificate_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_check_run_id"))

    op.drop_table("certificate_check")
    op.drop_table("site")
    with op.batch_alter_table("register_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_import_quarter"))

    op.drop_table("register_import")
    with op.batch_alter_table("audit_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_run_quarter"))

    op.drop_table("audit_run")
