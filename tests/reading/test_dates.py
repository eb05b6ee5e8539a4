"""Date forms, URL dates and year placement of month-day dates."""

from datetime import date

import pytest

from crawler.vocabulary.dates import date_from_url, parse_date, parse_row_date

REF = date(2022, 9, 30)


@pytest.mark.parametrize(
    "text",
    [
        "2022-08-15",
        "2022/8/15",
        "2022.08.15",
        "2022年8月15日",
        "2022年08月15日 10:30",
        "[2022-08-15]",
        "发布时间：2022-08-15 10:30",
    ],
)
def test_full_date_forms(text):
    assert parse_date(text) == date(2022, 8, 15)


@pytest.mark.parametrize("text", ["2022-02-30", "2022-13-01", "2022年0月1日", "0000-01-01", "20220815", "无"])
def test_impossible_or_absent_dates_are_rejected(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://x.gov.cn/zwgk/202208/t20220815_123456.html", date(2022, 8, 15)),
        ("http://x.gov.cn/art/2022/8/15/art_1_2.html", date(2022, 8, 15)),
        ("http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm", date(2019, 2, 15)),
        ("http://x.gov.cn/zwgk/202213/t20221345_1.html", None),
        ("http://x.gov.cn/news/show-8960.html", None),
    ],
)
def test_url_dates(url, expected):
    assert date_from_url(url) == expected


def test_month_day_takes_year_from_row_url():
    assert parse_row_date("10-19", url="./201710/t20171019_1.html", reference=REF) == date(2017, 10, 19)


def test_month_day_across_new_year_follows_url():
    assert parse_row_date("(12-31)", url="./201801/t20180101_1.html", reference=REF) == date(2017, 12, 31)


def test_month_day_without_context_is_never_in_the_future():
    assert parse_row_date("08-15", url=None, reference=REF) == date(2022, 8, 15)
    assert parse_row_date("10-01", url=None, reference=REF) == date(2021, 10, 1)


def test_row_text_without_a_date():
    assert parse_row_date("5月18-19日停电", url=None, reference=REF) is None
