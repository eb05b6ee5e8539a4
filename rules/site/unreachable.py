from collections import defaultdict
from datetime import date, timedelta

from rules.base import Problem, Severity, Subject, rule

# Probes are stored in UTC; the monitoring week and the dates a clerk reads are Beijing's.
BEIJING = timedelta(hours=8)


# 国办秘函〔2019〕19号: a week monitored at 20 probes a day or more in which the probes not open within
# 15 seconds reach 5% vetoes the site. A week probed fewer times is not judged (its probes still
# count in the quarter's figures).
VETO_SHARE = 0.05
WEEK_PROBES = 20 * 7


@rule(
    id="site.unreachable",
    title="站点无法访问",
    severity=Severity.VETO,
    subject=Subject.SITE,
    summary="按 govaudit watch 本季度首页探测判定：一周（每天20次以上）打不开或超过15秒的次数占5%以上为单项否决；无探测记录时首页打不开只提示“未能访问，待复测”",
    clause="国办秘函〔2019〕19号 单项否决·站点无法访问（监测1周，每天间隔性访问20次以上，超过15秒打不开的次数占5%以上）",
)
def check(site, config):
    """Checks the portal's availability the national way from the home-page probes that `govaudit
    watch` stored over the run's period: a monitored week (20 probes a day: 140) in which the
    probes that failed (no answer within 15 s, an error, HTTP ≥ 400) reach 5%
    vetoes the site, and the finding states the quarter's figures (本季度探测N次，不可用M次，可用率x%).
    Without such a week, a home page the audit itself could not open is a hint to check again
    (未能访问，待复测), never a veto: one failed request proves nothing about a quarter.

    Why: a portal that cannot be opened fails the whole inspection (单项否决), and the national
    monitors judge that from a week of probes, not from one visit.

    Fires: 单项否决 when in one week of 168 probes 12 failed (7.1%); 提示 when no probes were stored
    and the home page refuses the connection, times out after --timeout seconds, answers HTTP 404 /
    500 / 503, or answers 200 with only an error text (页面不存在, 网站维护中: at most 400 characters);
    probes were stored, under the veto line, and the audit's own visit failed.

    Quiet: the home page answers 200, also after an HTTP or <meta refresh> redirect to another
    address of the same site; a full home page whose news mentions 网站维护 is not an error page;
    a week with 3 failed probes of 168 (1.8%); failed probes in a week watched fewer than 140 times.
    """
    failure = site.home_failure()
    probes = site.probes
    figures = ""
    if probes:
        failed = sum(1 for probe in probes if not probe.up)
        figures = f"本季度探测{len(probes)}次，不可用{failed}次，可用率{_percent(1 - failed / len(probes))}"
        worst = _worst_week(probes, WEEK_PROBES)
        if worst is not None and worst[2] / worst[1] >= VETO_SHARE:
            monday, count, week_failed = worst
            yield Problem(
                site.site_url,
                f"站点无法访问：{monday.isoformat()}起一周探测{count}次，不可用{week_failed}次"
                f"（{_percent(week_failed / count)}），达到{VETO_SHARE * 100:g}%的单项否决线；{figures}",
                _failures(probes),
                severity=Severity.VETO,
            )
            return
    if failure is not None:
        reason, evidence = failure
        under = (
            f"；{figures}，未达单项否决线" if figures else "；本季度没有首页探测记录（govaudit watch），不作单项否决"
        )
        yield Problem(site.site_url, f"首页未能访问，待复测（{reason}）{under}", evidence, severity=Severity.HINT)


def _worst_week(probes, minimum: int) -> tuple[date, int, int] | None:
    """(Monday, probes, failed) of the week with the largest failed share among the weeks probed at
    least `minimum` times (Beijing calendar weeks); None when no week was probed that often."""
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for probe in probes:
        day = (probe.probed_at + BEIJING).date()
        counts = weeks[day - timedelta(days=day.weekday())]
        counts[0] += 1
        counts[1] += not probe.up
    judged = [(monday, count, failed) for monday, (count, failed) in weeks.items() if count >= minimum]
    return max(judged, key=lambda week: (week[2] / week[1], week[0])) if judged else None


def _failures(probes, shown: int = 5) -> str:
    failed = [probe for probe in probes if not probe.up]
    listed = "；".join(
        f"{(probe.probed_at + BEIJING):%Y-%m-%d %H:%M}（北京时间） {probe.failure or '不可用'}"
        for probe in failed[:shown]
    )
    return f"不可用的探测：{listed}" + (f"等{len(failed)}次" if len(failed) > shown else "")


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"
