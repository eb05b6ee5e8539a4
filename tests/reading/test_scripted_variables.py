"""A list endpoint's parameter held in a script variable (gkmlpt: var SID = "4415"; data: {page: page,
sid: SID}) is sent with the value the page declares; a variable the page does not pin to one
literal is left out rather than guessed."""

import pytest

from crawler.reading import read_page

PAGE = "http://www.x.gov.cn/gkmlpt/gfxwj"
CALL = '$.ajax({url: "/gkmlpt/api/all/2652", type: "GET", data: {page: page, sid: SID}});'


def _sources(script: str) -> list[str]:
    html = (
        f'<html><body><h2>规范性文件</h2><ul class="list" id="gkml-list"></ul><script>{script}</script></body></html>'
    )
    return read_page(html.encode(), PAGE).next_pages


@pytest.mark.parametrize("declaration", ['var SID = "4415";', "const SID = '4415'", "let SID = 4415;"])
def test_a_variable_declared_with_a_literal_is_sent(declaration):
    assert _sources(f"{declaration}\nfunction load(page) {{ {CALL} }} load(1);") == [
        "http://www.x.gov.cn/gkmlpt/api/all/2652?page=1&sid=4415"
    ]


@pytest.mark.parametrize(
    "declaration",
    [
        "var SID = getQuery('sid');",  # computed at run time
        'var SID = "4415"; if (mobile) { SID = "4416"; }',  # reassigned: which one the user gets is unknown
        "",  # never declared
    ],
)
def test_a_variable_not_pinned_to_one_literal_is_left_out(declaration):
    assert _sources(f"{declaration}\nfunction load(page) {{ {CALL} }} load(1);") == [
        "http://www.x.gov.cn/gkmlpt/api/all/2652?page=1"
    ]
