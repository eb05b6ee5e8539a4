"""One run lifecycle (audit.run.lifecycle.Audit) whoever starts the audit: under `scrapy crawl portal` a
Scrapy extension starts and concludes the run (the item pipeline only stores items); under govaudit the
command does, and the extension stays off."""

from datetime import date

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from audit.config import load_settings
from audit.run.extension import RunLifecycle
from audit.run.lifecycle import Audit, QuarterTaken
from audit.run.pipeline import StorePipeline, run_started
from audit.store import RunStatus, Store
from audit.store.models import AuditRun


def test_the_extension_runs_the_lifecycle_only_without_a_govaudit_run(tmp_path):
    with pytest.raises(NotConfigured):
        RunLifecycle.from_crawler(get_crawler(settings_dict={"GOVAUDIT_RUN_ID": 7}))
    assert isinstance(RunLifecycle.from_crawler(get_crawler(settings_dict={"GOVAUDIT_RUN_ID": None})), RunLifecycle)


def test_the_pipeline_learns_the_run_the_extension_started(tmp_path):
    crawler = get_crawler(settings_dict={"GOVAUDIT_DB": f"sqlite:///{tmp_path / 'a.db'}"})
    pipeline = StorePipeline.from_crawler(crawler)
    assert pipeline.run_id is None
    crawler.signals.send_catch_log(run_started, run_id=5)
    assert pipeline.run_id == 5


def test_a_quarterly_audit_stands_down_for_a_finished_one_and_resumes_an_interrupted_one(tmp_path):
    store, settings = Store(f"sqlite:///{tmp_path / 'a.db'}"), load_settings()
    first = Audit(store, settings, "http://127.0.0.1:9/", date(2022, 10, 15), once_per_quarter=True)
    run_id = first.start()
    store.finish_run(run_id, RunStatus.DONE)
    with pytest.raises(QuarterTaken) as taken:
        Audit(store, settings, "http://127.0.0.1:9/", date(2022, 10, 16), once_per_quarter=True).start()
    assert taken.value.run_id == run_id
    # Another quarter is not taken; an interrupted run of the same audit (its process gone) is resumed.
    other = Audit(store, settings, "http://127.0.0.1:9/", date(2023, 1, 15))
    other_id = other.start()
    assert other_id != run_id and not other.resumed
    store.finish_run(other_id, RunStatus.INTERRUPTED)
    with store.unit_of_work() as session:
        session.get(AuditRun, other_id).owner_pid = None
    again = Audit(store, settings, "http://127.0.0.1:9/", date(2023, 1, 15))
    assert again.start() == other_id and again.resumed
    # `scrapy crawl portal` never resumes (its spider has no replay of the stored run).
    store.finish_run(other_id, RunStatus.INTERRUPTED)
    with store.unit_of_work() as session:
        session.get(AuditRun, other_id).owner_pid = None
    fresh = Audit(store, settings, "http://127.0.0.1:9/", date(2023, 1, 15))
    assert fresh.start(resume=False) != other_id
