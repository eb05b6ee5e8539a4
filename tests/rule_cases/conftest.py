"""Each shared rule-test portal is served and audited once per test session."""

from __future__ import annotations

import pytest
from portal_kit import audit_pages
from portals import COLUMN_CONFIG, COLUMN_PORTAL, LABEL_PORTAL


@pytest.fixture(scope="session")
def column_audit(tmp_path_factory):
    work = tmp_path_factory.mktemp("column-portal")
    config = work / "govaudit.yaml"
    config.write_text(COLUMN_CONFIG, encoding="utf-8")
    return audit_pages(work, COLUMN_PORTAL, "--config", str(config))


@pytest.fixture(scope="session")
def label_audit(tmp_path_factory):
    return audit_pages(tmp_path_factory.mktemp("label-portal"), LABEL_PORTAL)


@pytest.fixture(scope="session")
def privacy_audit(tmp_path_factory):
    from portal_kit import audit_folder, write_portal
    from portals_privacy import PRIVACY_PORTAL, write_privacy_attachments

    work = tmp_path_factory.mktemp("privacy-portal")
    root = write_portal(work / "site", PRIVACY_PORTAL)
    write_privacy_attachments(root)
    return audit_folder(root, work)


@pytest.fixture(scope="session")
def content_audit(tmp_path_factory):
    from portal_kit import audit_folder, write_portal
    from portals_content import CONTENT_PORTAL, write_content_files

    work = tmp_path_factory.mktemp("content-portal")
    return audit_folder(write_content_files(write_portal(work / "site", CONTENT_PORTAL)), work)


@pytest.fixture(scope="session")
def content_column_audit(tmp_path_factory):
    """The content portal checked as one column (--column gfxwj)."""
    from portal_kit import audit_folder, write_portal
    from portals_content import CONTENT_PORTAL, write_content_files

    work = tmp_path_factory.mktemp("content-portal-gfxwj")
    return audit_folder(write_content_files(write_portal(work / "site", CONTENT_PORTAL)), work, "--column", "gfxwj")


@pytest.fixture(scope="session")
def content_configured_audit(tmp_path_factory):
    from portal_kit import audit_folder, write_portal
    from portals_content import CONTENT_CONFIG, CONTENT_PORTAL, write_content_files

    work = tmp_path_factory.mktemp("content-portal-configured")
    config = work / "govaudit.yaml"
    config.write_text(CONTENT_CONFIG, encoding="utf-8")
    return audit_folder(write_content_files(write_portal(work / "site", CONTENT_PORTAL)), work, "--config", str(config))


@pytest.fixture(scope="session")
def register_audit(tmp_path_factory):
    """A small portal audited with all three sample registers imported for its quarter."""
    from registers_kit import HOTLINE_CSV, MEDIA_XLSX, MESSAGES_CSV, audit_with_registers

    return audit_with_registers(
        tmp_path_factory.mktemp("registers"),
        ("media", MEDIA_XLSX),
        ("hotline", HOTLINE_CSV),
        ("messages", MESSAGES_CSV),
    )


@pytest.fixture(scope="session")
def unimported_audit(tmp_path_factory):
    """The same portal audited without any register imported."""
    from registers_kit import audit_with_registers

    return audit_with_registers(tmp_path_factory.mktemp("no-registers"))
