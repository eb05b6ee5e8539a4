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
