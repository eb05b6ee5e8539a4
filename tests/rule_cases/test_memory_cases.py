"""Every rule over its in-memory cases (tests/rule_cases/cases/<rule id>.yaml): the findings by URL
are exactly the expected ones, with the expected column and words."""

import pytest
from memory import build_site, load_cases, url

from rules import registered_rules

RULES = {spec.id: spec for spec in registered_rules()}
CASES = load_cases()


@pytest.mark.parametrize("rule_id, name, case", CASES, ids=[f"{rule_id}:{name}" for rule_id, name, _ in CASES])
def test_case(rule_id, name, case):
    site = build_site(case)
    spec = RULES[rule_id]
    # As audit.judging.judge.evaluate: a rule whose evidence the run did not read does not run.
    findings = list(spec.findings(site, site.config)) if site.reads(spec.needs) else []
    expected = case.get("expect") or []
    assert sorted(f.url for f in findings) == sorted(url(e["url"]) for e in expected), [
        (f.url, f.message) for f in findings
    ]
    unmatched = list(findings)
    for wanted in expected:
        # Several findings may share a URL: each expectation takes one that shows what it expects.
        at_url = [finding for finding in unmatched if finding.url == url(wanted["url"])]
        matching = [finding for finding in at_url if not _differences(finding, wanted)]
        assert matching, _differences(at_url[0], wanted)
        unmatched.remove(matching[0])


def _differences(finding, wanted: dict) -> list[str]:
    """What the finding lacks of the expectation: its column, words of its message and evidence,
    and (when the case names them) exactly its facts."""
    lacking = []
    if "severity" in wanted and finding.severity.value != wanted["severity"]:
        lacking.append(f"severity {finding.severity.value} is not {wanted['severity']}")
    if "column" in wanted and finding.column != wanted["column"]:
        lacking.append(f"column {finding.column!r} is not {wanted['column']!r}")
    if "facts" in wanted:
        facts = {name: list(values) for name, values in finding.facts.items()}
        if facts != wanted["facts"]:
            lacking.append(f"facts {facts!r} are not {wanted['facts']!r}")
    for part in ("message", "evidence"):
        text = getattr(finding, part)
        words = wanted.get(part, [])
        # YAML reads an unquoted 2022-04-20 as a date: its text is what the message holds.
        lacking += [
            f"{word!r} not in {text!r}"
            for word in map(str, words if isinstance(words, list) else [words])
            if word not in text
        ]
        lacking += [f"{word!r} in {text!r}" for word in map(str, wanted.get(f"not_in_{part}", [])) if word in text]
    return lacking


def test_every_rule_has_cases_that_fire_and_cases_that_stay_quiet():
    for rule_id in RULES:
        cases = [case for found, _, case in CASES if found == rule_id]
        assert any(case.get("expect") for case in cases), f"{rule_id}: no case that fires"
        assert any(not case.get("expect") for case in cases), f"{rule_id}: no trap"
