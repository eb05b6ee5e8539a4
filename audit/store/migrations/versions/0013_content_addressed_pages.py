"""page_content and page_version: each distinct body and reading stored once (by digest), a run's
page rows referring to them; the rows of link, list_item, hidden_link and page_body move into them

Revision ID: 0013
Revises: 0012
"""

import hashlib
import zlib
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from audit.store.versions import encode_version, list_row_date, unpack, unpack_text

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The page columns a version takes over (as 0001–0005 made them), in the version's order.
_READ = (
    "cms",
    "encoding",
    "title",
    "publish_date",
    "publish_date_source",
    "written_date",
    "doc_number",
    "publisher",
    "index_number",
    "topic",
    "validity",
    "disclosure_mode",
    "labels",
    "is_list",
    "empty_notice",
    "total_pages",
    "total_records",
    "redirect_to",
    "more_requests",
    "lists",
    "breadcrumb",
)
_MOVED = (*_READ, "meta_tags", "text")
_PAGES_PER_STEP = 500


def upgrade() -> None:
    op.create_table(
        "page_content",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_table(
        "page_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=True),
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
        sa.Column("lists", sa.JSON(), nullable=True),
        sa.Column("text", sa.LargeBinary(), nullable=True),
        sa.Column("meta_tags", sa.LargeBinary(), nullable=True),
        sa.Column("breadcrumb", sa.JSON(), nullable=True),
        sa.Column("links", sa.LargeBinary(), nullable=True),
        sa.Column("list_rows", sa.LargeBinary(), nullable=True),
        sa.Column("hidden_links", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_page_version_id"), ["version_id"], unique=False)
        batch_op.create_foreign_key("fk_page_version_id_page_version", "page_version", ["version_id"], ["id"])
    _move_rows(op.get_bind())
    # A page's final URL is stored only when another URL answered.
    op.execute("UPDATE page SET final_url = NULL WHERE final_url = url")
    for table, index in (
        ("link", "ix_link_run_from"),
        ("link", "ix_link_run_to"),
        ("list_item", "ix_list_item_run_page"),
        ("hidden_link", "ix_hidden_link_run"),
        ("page_body", "ix_page_body_run_id"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("link", "list_item", "hidden_link", "page_body"):
        op.drop_table(table)
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_index("ix_page_run_id")
        for name in _MOVED:
            batch_op.drop_column(name)


def downgrade() -> None:
    """Back to a copy of everything per run: each page row gets its version's reading again, and its
    links, list rows, hidden links and body as rows of their own."""
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.create_index("ix_page_run_id", ["run_id"], unique=False)
        for name in _MOVED:
            batch_op.add_column(sa.Column(name, _OLD_TYPES.get(name, sa.String(256)), nullable=True))
    op.create_table(
        "page_body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("audit_run.id"), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "url"),
    )
    op.create_index("ix_page_body_run_id", "page_body", ["run_id"])
    op.create_table(
        "link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("audit_run.id"), nullable=False),
        sa.Column("from_url", sa.String(length=2048), nullable=False),
        sa.Column("to_url", sa.String(length=2048), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tag", sa.String(length=16), nullable=False),
        sa.Column("on_site", sa.Boolean(), nullable=False),
        sa.Column("is_click", sa.Boolean(), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_link_run_from", "link", ["run_id", "from_url"])
    op.create_index("ix_link_run_to", "link", ["run_id", "to_url"])
    op.create_table(
        "list_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("audit_run.id"), nullable=False),
        sa.Column("page_url", sa.String(length=2048), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("main_list", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_source", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_list_item_run_page", "list_item", ["run_id", "page_url"])
    op.create_table(
        "hidden_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("audit_run.id"), nullable=False),
        sa.Column("page_url", sa.String(length=2048), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("how", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_hidden_link_run", "hidden_link", ["run_id", "page_url"])
    _copy_back(op.get_bind())
    op.execute("UPDATE page SET final_url = url WHERE final_url IS NULL AND status IS NOT NULL")
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_constraint("fk_page_version_id_page_version", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_page_version_id"))
        batch_op.drop_column("version_id")
        for name in ("labels", "is_list", "empty_notice", "meta_tags"):
            batch_op.alter_column(name, existing_type=_OLD_TYPES[name], nullable=False)
    op.drop_table("page_version")
    op.drop_table("page_content")


# The moved columns' types before 0013 (the others are strings of 256 or less).
_OLD_TYPES = {
    "cms": sa.String(32),
    "encoding": sa.String(32),
    "title": sa.Text(),
    "publish_date": sa.Date(),
    "publish_date_source": sa.String(16),
    "written_date": sa.Date(),
    "validity": sa.String(64),
    "disclosure_mode": sa.String(64),
    "labels": sa.JSON(),
    "is_list": sa.Boolean(),
    "empty_notice": sa.Boolean(),
    "total_pages": sa.Integer(),
    "total_records": sa.Integer(),
    "redirect_to": sa.String(2048),
    "more_requests": sa.JSON(),
    "lists": sa.JSON(),
    "breadcrumb": sa.JSON(),
    "meta_tags": sa.JSON(),
    "text": sa.Text(),
}


def _copy_back(connection) -> None:
    meta = sa.MetaData()
    page, link, list_item, hidden_link, page_body, content, version = (
        sa.Table(name, meta, autoload_with=connection)
        for name in ("page", "link", "list_item", "hidden_link", "page_body", "page_content", "page_version")
    )
    for name in ("labels", "more_requests", "lists", "breadcrumb", "meta_tags"):
        page.c[name].type = sa.JSON()
    connection.execute(
        page.update()
        .where(page.c.version_id.is_(None))
        .values(labels=[], is_list=False, empty_notice=False, meta_tags={})
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                page.c.id,
                page.c.run_id,
                page.c.url,
                *(column for column in version.c if column.name != "id"),
                content.c.body.label("kept_body"),
            )
            .join(version, version.c.id == page.c.version_id)
            .outerjoin(content, content.c.digest == version.c.digest)
            .where(page.c.id > last)
            .order_by(page.c.id)
            .limit(_PAGES_PER_STEP)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        updates, links, items, hidden, bodies = [], [], [], [], []
        for row in rows:
            at = {"run_id": row.run_id}
            updates.append(
                {
                    "page_id": row.id,
                    **{f"set_{name}": getattr(row, name) for name in _READ},
                    "set_labels": row.labels or [],
                    "set_meta_tags": unpack(row.meta_tags, {}),
                    "set_text": unpack_text(row.text, row.kept_body, row.encoding),
                }
            )
            links += [
                dict(
                    at,
                    from_url=row.url,
                    to_url=to_url,
                    text=text,
                    tag=tag,
                    on_site=on_site,
                    is_click=is_click,
                    region=region,
                )
                for to_url, text, tag, on_site, is_click, region in unpack(row.links)
            ]
            positions = {True: 0, False: 0}
            for main_list, title, url, day, source in unpack(row.list_rows):
                items.append(
                    dict(
                        at,
                        page_url=row.url,
                        position=positions[main_list],
                        main_list=main_list,
                        title=title,
                        url=url,
                        date=list_row_date(day),
                        date_source=source,
                    )
                )
                positions[main_list] += 1
            hidden += [
                dict(at, page_url=row.url, url=url, text=text, how=how) for url, text, how in unpack(row.hidden_links)
            ]
            if row.kept_body is not None:
                bodies.append(dict(at, url=row.url, body=row.kept_body))
        connection.execute(
            page.update()
            .where(page.c.id == sa.bindparam("page_id"))
            .values({name: sa.bindparam(f"set_{name}") for name in _MOVED}),
            updates,
        )
        for table, values in ((link, links), (list_item, items), (hidden_link, hidden), (page_body, bodies)):
            if values:
                connection.execute(table.insert(), values)


def _move_rows(connection) -> None:
    """Every page row's reading, links, list rows, hidden links and body into versions and contents,
    a few hundred pages at a time; equal readings and bodies are stored once."""
    meta = sa.MetaData()
    page, link, list_item, hidden_link, page_body, content, version = (
        sa.Table(name, meta, autoload_with=connection)
        for name in ("page", "link", "list_item", "hidden_link", "page_body", "page_content", "page_version")
    )
    last = 0
    while True:
        pages = connection.execute(
            sa.select(page.c.id, page.c.run_id, page.c.url, page.c.error, *(page.c[name] for name in _MOVED))
            .where(page.c.id > last)
            .order_by(page.c.id)
            .limit(_PAGES_PER_STEP)
        ).all()
        if not pages:
            return
        last = pages[-1].id
        by_run: dict[int, list[str]] = defaultdict(list)
        for row in pages:
            by_run[row.run_id].append(row.url)
        links, rows, hidden, bodies = defaultdict(list), defaultdict(list), defaultdict(list), {}
        for run_id, urls in by_run.items():
            for found in connection.execute(
                sa.select(link).where(link.c.run_id == run_id, link.c.from_url.in_(urls)).order_by(link.c.id)
            ):
                links[(run_id, found.from_url)].append(
                    [found.to_url, found.text, found.tag, bool(found.on_site), bool(found.is_click), found.region]
                )
            for found in connection.execute(
                sa.select(list_item)
                .where(list_item.c.run_id == run_id, list_item.c.page_url.in_(urls))
                .order_by(list_item.c.page_url, list_item.c.main_list.desc(), list_item.c.position)
            ):
                rows[(run_id, found.page_url)].append(
                    [bool(found.main_list), found.title, found.url, found.date, found.date_source]
                )
            for found in connection.execute(
                sa.select(hidden_link)
                .where(hidden_link.c.run_id == run_id, hidden_link.c.page_url.in_(urls))
                .order_by(hidden_link.c.id)
            ):
                hidden[(run_id, found.page_url)].append([found.url, found.text, found.how])
            for url, body in connection.execute(
                sa.select(page_body.c.url, page_body.c.body).where(
                    page_body.c.run_id == run_id, page_body.c.url.in_(urls)
                )
            ):
                bodies[(run_id, url)] = body
        contents, versions, version_of_page = {}, {}, {}
        for row in pages:
            at = (row.run_id, row.url)
            body = bodies.get(at)
            received = zlib.decompress(body) if body is not None else None
            digest = hashlib.sha256(received).hexdigest() if received is not None else None
            if body is not None:
                contents.setdefault(digest, {"digest": digest, "body": body})
            read = {name: getattr(row, name) for name in _READ}
            read_anything = any(value not in (None, False, [], {}) for value in read.values())
            if row.error is not None or not (read_anything or digest or row.text is not None or at in links):
                continue
            read.update(
                labels=read["labels"] or [], is_list=bool(read["is_list"]), empty_notice=bool(read["empty_notice"])
            )
            encoded = encode_version(
                dict(digest=digest, **read), row.text, row.meta_tags or {}, links[at], rows[at], hidden[at], received
            )
            versions.setdefault(encoded["key"], encoded)
            version_of_page[row.id] = encoded["key"]
        _insert_new(connection, content, content.c.digest, contents)
        ids = _insert_new(connection, version, version.c.key, versions, version.c.id)
        if version_of_page:
            connection.execute(
                page.update().where(page.c.id == sa.bindparam("page_id")).values(version_id=sa.bindparam("vid")),
                [{"page_id": page_id, "vid": ids[key]} for page_id, key in version_of_page.items()],
            )


def _insert_new(connection, table, key, rows: dict, row_id=None) -> dict:
    keys = list(rows)
    found = {}
    for start in range(0, len(keys), _PAGES_PER_STEP):
        chunk = keys[start : start + _PAGES_PER_STEP]
        stored = dict(
            connection.execute(sa.select(key, row_id if row_id is not None else key).where(key.in_(chunk))).all()
        )
        new = [rows[name] for name in chunk if name not in stored]
        if new:
            connection.execute(table.insert(), new)
            stored.update(
                connection.execute(sa.select(key, row_id if row_id is not None else key).where(key.in_(chunk))).all()
            )
        found.update(stored)
    return found
