"""The TRS WCM and Hanweb sample portals, served over HTTP with their real behaviours and
crawled by the real CLI: every row of their paginated column lists must reach the database
with the date the list shows."""

from __future__ import annotations

import json
import sqlite3

import pytest
from portal_kit import AuditResult, audit_folder, audit_server
from sites.hanweb_jpage import HANWEB_PORTAL, install_dataproxy
from stored_views import readable

from audit.cli.demo.server import PortalServer

TRS_PORTAL = HANWEB_PORTAL.parent / "trs"

TRS_GFXWJ = [  # 规范性文件: index.html, index_1.html, index_2.html (createPageHTML(3, k, "index", "html"))
    (
        "/xxgk/gfxwj/202209/t20220920_3101.html",
        "青岚县人民政府关于印发青岚县城乡居民最低生活保障实施办法的通知",
        "2022-09-20",
    ),
    (
        "/xxgk/gfxwj/202209/t20220902_3102.html",
        "青岚县人民政府办公室关于进一步规范城区占道经营管理的通知",
        "2022-09-02",
    ),
    (
        "/xxgk/gfxwj/202208/t20220815_3103.html",
        "青岚县人民政府关于印发青岚县农村集体经济组织财务管理办法的通知",
        "2022-08-15",
    ),
    (
        "/xxgk/gfxwj/202207/t20220729_3104.html",
        "青岚县人民政府办公室关于印发青岚县政府投资项目审计监督办法的通知",
        "2022-07-29",
    ),
    (
        "/xxgk/gfxwj/202207/t20220708_3105.html",
        "青岚县人民政府关于调整青岚县城区土地级别与基准地价的通知",
        "2022-07-08",
    ),
    (
        "/xxgk/gfxwj/202206/t20220621_3106.html",
        "青岚县人民政府办公室关于印发青岚县政府信息公开工作规范的通知",
        "2022-06-21",
    ),
    ("/xxgk/gfxwj/202205/t20220530_3107.html", "青岚县人民政府关于印发青岚县县城建筑垃圾管理办法的通知", "2022-05-30"),
    ("/xxgk/gfxwj/202205/t20220506_3108.html", "青岚县人民政府办公室关于加强县级储备粮管理的通知", "2022-05-06"),
    ("/xxgk/gfxwj/202204/t20220412_3109.html", "青岚县人民政府关于印发青岚县森林防火管理规定的通知", "2022-04-12"),
    (
        "/xxgk/gfxwj/202203/t20220318_3110.html",
        "青岚县人民政府办公室关于印发青岚县公共资源交易管理办法的通知",
        "2022-03-18",
    ),
    ("/xxgk/gfxwj/202202/t20220225_3111.html", "青岚县人民政府关于印发青岚县城区养犬管理规定的通知", "2022-02-25"),
    (
        "/xxgk/gfxwj/202112/t20211220_3112.html",
        "青岚县人民政府关于印发青岚县农村村民住宅建设管理办法的通知",
        "2021-12-20",
    ),
    (
        "/xxgk/gfxwj/202111/t20211110_3113.html",
        "青岚县人民政府办公室关于印发青岚县城区停车场管理办法的通知",
        "2021-11-10",
    ),
]
TRS_XZXK = [  # 行政许可事项清单: index.shtml, index_2.shtml (6-argument createPageHTML counting from 1), "(07-01)" dates
    ("/xxgk/xzxk/202207/t20220701_3201.htm", "青岚县行政许可事项清单（2022年版）", "2022-07-01"),
    ("/xxgk/xzxk/202206/t20220620_3202.htm", "青岚县县级行政许可事项实施规范（第一批）", "2022-06-20"),
    ("/xxgk/xzxk/202206/t20220608_3203.htm", "青岚县交通运输局行政许可事项办事指南", "2022-06-08"),
    ("/xxgk/xzxk/202205/t20220526_3204.htm", "青岚县自然资源局行政许可事项办事指南", "2022-05-26"),
    ("/xxgk/xzxk/202205/t20220512_3205.htm", "青岚县市场监督管理局行政许可事项办事指南", "2022-05-12"),
    ("/xxgk/xzxk/202201/t20220105_3206.htm", "青岚县行政许可事项清单调整情况说明", "2022-01-05"),
    ("/xxgk/xzxk/202112/t20211228_3207.htm", "青岚县行政许可事项清单（2021年版）", "2021-12-28"),
]
TRS_LQHM = [  # 利企惠民政策专区 (image banner link): countPage/currentPage pager, 2022年9月28日 dates
    ("/zt/lqhm/202209/t20220928_3301.html", "青岚县支持中小微企业纾困发展的若干措施", "2022-09-28"),
    ("/zt/lqhm/202209/t20220909_3302.html", "青岚县稳住经济一揽子政策措施实施细则", "2022-09-09"),
    ("/zt/lqhm/202208/t20220822_3303.html", "青岚县2022年农业生产社会化服务项目补助政策解读", "2022-08-22"),
    ("/zt/lqhm/202208/t20220803_3304.html", "青岚县阶段性缓缴社会保险费政策问答", "2022-08-03"),
    ("/zt/lqhm/202207/t20220714_3305.html", "青岚县促进消费恢复提振的若干措施", "2022-07-14"),
    ("/zt/lqhm/202206/t20220627_3306.html", "青岚县个体工商户房租减免政策指引", "2022-06-27"),
]
HANWEB_LQHM = [  # col1001: 22 records, perPage 4 x groupSize 2: 8 inline, then POSTs for 9-16 and 17-24
    ("/art/2022/9/30/art_1001_50001.html", "云溪县支持中小微企业纾困发展若干措施", "2022-09-30"),
    ("/art/2022/9/23/art_1001_50002.html", "云溪县稳经济一揽子政策措施实施细则", "2022-09-23"),
    ("/art/2022/9/16/art_1001_50003.html", "云溪县2022年家庭农场奖补政策解读", "2022-09-16"),
    ("/art/2022/9/8/art_1001_50004.html", "云溪县阶段性减免市场主体房屋租金工作指引", "2022-09-08"),
    ("/art/2022/8/31/art_1001_50005.html", "云溪县个体工商户纾困帮扶政策汇编", "2022-08-31"),
    ("/art/2022/8/24/art_1001_50006.html", "云溪县2022年稳岗返还政策问答", "2022-08-24"),
    ("/art/2022/8/15/art_1001_50007.html", "云溪县促进消费恢复提振若干措施", "2022-08-15"),
    ("/art/2022/8/5/art_1001_50008.html", "云溪县农业保险保费补贴政策解读", "2022-08-05"),
    ("/art/2022/7/28/art_1001_50009.html", "云溪县创业担保贷款贴息政策指南", "2022-07-28"),
    ("/art/2022/7/20/art_1001_50010.html", "云溪县小微企业融资担保降费奖补办法", "2022-07-20"),
    ("/art/2022/7/11/art_1001_50011.html", "云溪县支持外贸企业稳订单拓市场若干措施", "2022-07-11"),
    ("/art/2022/7/1/art_1001_50012.html", "云溪县2022年技能提升补贴申领指南", "2022-07-01"),
    ("/art/2022/6/22/art_1001_50013.html", "云溪县住房公积金阶段性支持政策", "2022-06-22"),
    ("/art/2022/6/14/art_1001_50014.html", "云溪县文旅企业纾困扶持措施", "2022-06-14"),
    ("/art/2022/6/2/art_1001_50015.html", "云溪县餐饮业恢复发展扶持政策", "2022-06-02"),
    ("/art/2022/5/25/art_1001_50016.html", "云溪县交通运输业纾困政策解读", "2022-05-25"),
    ("/art/2022/5/16/art_1001_50017.html", "云溪县高校毕业生就业创业扶持政策", "2022-05-16"),
    ("/art/2022/5/6/art_1001_50018.html", "云溪县中小企业数字化转型奖补办法", "2022-05-06"),
    ("/art/2022/4/22/art_1001_50019.html", "云溪县2022年春耕生产扶持政策", "2022-04-22"),
    ("/art/2022/4/8/art_1001_50020.html", "云溪县企业研发费用补助实施细则", "2022-04-08"),
    ("/art/2022/3/25/art_1001_50021.html", "云溪县水电气费阶段性缓缴政策", "2022-03-25"),
    ("/art/2022/3/10/art_1001_50022.html", "云溪县惠企政策“免申即享”工作方案", "2022-03-10"),
]
HANWEB_GFXWJ = [  # col1002: 12 records, perPage 5 x groupSize 2: 10 inline, then a POST for 11-20; 2022年09月19日 dates
    ("/art/2022/9/19/art_1002_51001.html", "云溪县人民政府关于印发云溪县城乡居民医疗救助实施办法的通知", "2022-09-19"),
    ("/art/2022/8/26/art_1002_51002.html", "云溪县人民政府办公室关于加强城区户外广告设施管理的通知", "2022-08-26"),
    (
        "/art/2022/8/15/art_1002_51003.html",
        "云溪县人民政府关于印发云溪县农村饮水安全工程运行管理办法的通知",
        "2022-08-15",
    ),
    ("/art/2022/7/18/art_1002_51004.html", "云溪县人民政府办公室关于印发云溪县政府合同管理办法的通知", "2022-07-18"),
    ("/art/2022/6/27/art_1002_51005.html", "云溪县人民政府关于印发云溪县国有资产管理办法的通知", "2022-06-27"),
    ("/art/2022/6/6/art_1002_51006.html", "云溪县人民政府办公室关于印发云溪县重大行政决策程序规定的通知", "2022-06-06"),
    ("/art/2022/5/9/art_1002_51007.html", "云溪县人民政府关于印发云溪县城市绿化管理办法的通知", "2022-05-09"),
    ("/art/2022/4/18/art_1002_51008.html", "云溪县人民政府办公室关于印发云溪县行政执法公示办法的通知", "2022-04-18"),
    ("/art/2022/3/21/art_1002_51009.html", "云溪县人民政府关于印发云溪县集体土地征收补偿安置办法的通知", "2022-03-21"),
    ("/art/2022/2/28/art_1002_51010.html", "云溪县人民政府办公室关于规范县级部门规范性文件管理的通知", "2022-02-28"),
    ("/art/2021/12/13/art_1002_51011.html", "云溪县人民政府关于印发云溪县扬尘污染防治办法的通知", "2021-12-13"),
    ("/art/2021/11/22/art_1002_51012.html", "云溪县人民政府关于印发云溪县殡葬管理办法的通知", "2021-11-22"),
]
COLUMN_RULES = ("column.missing", "column.empty", "column.stale")


class Crawl:
    """The database of one audit, read the way a user of the store would."""

    def __init__(self, result: AuditResult):
        self.result = result
        self.base = result.base_url.rstrip("/")
        self.db = readable(sqlite3.connect(result.db_url.removeprefix("sqlite:///")))

    def path(self, url: str) -> str:
        return url[len(self.base) :] if url.startswith(self.base) else url

    def main_rows(self, page_path_prefix: str) -> list[tuple[str, str, str, str]]:
        """(item path, title, date, date source) of main-list rows on pages under the prefix, in crawl-independent order."""
        rows = self.db.execute(
            "SELECT url, title, date, date_source FROM list_item WHERE main_list = 1 AND page_url LIKE ?",
            (self.base + page_path_prefix + "%",),
        ).fetchall()
        return sorted((self.path(url), title, date, source) for url, title, date, source in rows)

    def page(self, path: str) -> dict | None:
        cursor = self.db.execute("SELECT * FROM page_read WHERE url = ?", (self.base + path,))
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row)) if row else None


@pytest.fixture(scope="module")
def trs(tmp_path_factory) -> Crawl:
    work = tmp_path_factory.mktemp("trs")
    result = audit_folder(TRS_PORTAL, work)
    assert result.returncode == 0, result.stderr
    return Crawl(result)


@pytest.fixture(scope="module")
def hanweb(tmp_path_factory) -> Crawl:
    work = tmp_path_factory.mktemp("hanweb")
    portal = PortalServer(HANWEB_PORTAL)
    install_dataproxy(portal)
    with portal:
        result = audit_server(portal, work)
    assert result.returncode == 0, result.stderr
    return Crawl(result)


def _expected(items, source="list"):
    return sorted((path, title, shown, source) for path, title, shown in items)


def test_trs_every_regulation_on_all_three_pages_is_stored_with_its_date(trs):
    assert trs.main_rows("/xxgk/gfxwj/index") == _expected(TRS_GFXWJ)
    for page in ("/xxgk/gfxwj/index.html", "/xxgk/gfxwj/index_1.html", "/xxgk/gfxwj/index_2.html"):
        stored = trs.page(page)
        assert stored["status"] == 200 and stored["cms"] == "trs" and stored["total_pages"] == 3


def test_trs_shtml_list_numbered_from_2_with_month_day_dates(trs):
    assert trs.main_rows("/xxgk/xzxk/index") == _expected(TRS_XZXK)
    assert trs.page("/xxgk/xzxk/index_2.shtml")["status"] == 200
    assert trs.page("/xxgk/xzxk/index_1.shtml") is None  # this pager counts from 1: there is no _1 page


def test_trs_column_linked_by_an_image_banner_is_found_and_paged(trs):
    assert trs.main_rows("/zt/lqhm/index") == _expected(TRS_LQHM)
    assert not [f for f in trs.result.findings if f["rule"] in COLUMN_RULES]


def test_trs_gbk_pages_decode_even_where_the_meta_declaration_lies(trs):
    lying = trs.page("/xxgk/gfxwj/202207/t20220729_3104.html")  # declares utf-8 in <meta>, is GBK
    assert lying["encoding"] == "gb18030"
    assert lying["title"] == "青岚县人民政府办公室关于印发青岚县政府投资项目审计监督办法的通知"
    assert lying["doc_number"] == "青政办规〔2022〕4号" and json.loads(lying["labels"]) == ["此件公开发布"]
    assert (lying["publish_date"], lying["publish_date_source"]) == ("2022-07-29", "meta")
    home = trs.page("/index.html")
    assert home["encoding"] == "gb18030" and home["title"] == "青岚县人民政府"


def test_hanweb_every_record_is_stored_including_the_groups_loaded_by_post(hanweb):
    assert hanweb.main_rows("/col/col1001/") + hanweb.main_rows(
        "/module/web/jpage/dataproxy.jsp?startrecord=%columnid=1001"
    ) == _expected(HANWEB_LQHM[:8]) + _expected(HANWEB_LQHM[8:])
    assert hanweb.main_rows("/col/col1002/") + hanweb.main_rows(
        "/module/web/jpage/dataproxy.jsp?startrecord=%columnid=1002"
    ) == _expected(HANWEB_GFXWJ[:10]) + _expected(HANWEB_GFXWJ[10:])


@pytest.mark.parametrize(
    "query, records",
    [
        ("startrecord=9&endrecord=16&perpage=4&columnid=1001&unitid=2001", HANWEB_LQHM[8:16]),
        ("startrecord=17&endrecord=24&perpage=4&columnid=1001&unitid=2001", HANWEB_LQHM[16:]),
        ("startrecord=11&endrecord=20&perpage=5&columnid=1002&unitid=2002", HANWEB_GFXWJ[10:]),
    ],
)
def test_hanweb_dataproxy_posts_were_fetched_as_further_pages(hanweb, query, records):
    path = "/module/web/jpage/dataproxy.jsp?" + query
    stored = hanweb.page(path)
    assert stored["status"] == 200 and stored["cms"] == "hanweb" and stored["content_type"].startswith("text/xml")
    assert hanweb.main_rows(path) == _expected(records)


def test_hanweb_columns_and_details(hanweb):
    assert not [f for f in hanweb.result.findings if f["rule"] in COLUMN_RULES]
    column = hanweb.page("/col/col1001/index.html")
    assert (column["cms"], column["title"], column["total_pages"]) == ("hanweb", "利企惠民政策专区", 6)
    last = hanweb.page("/art/2022/3/10/art_1001_50022.html")  # reached only through the second POST
    assert last["status"] == 200 and last["title"] == "云溪县惠企政策“免申即享”工作方案"
    assert (last["publish_date"], last["publish_date_source"]) == ("2022-03-10", "meta")


def test_hanweb_dataproxy_answers_from_the_portal_records_and_refuses_bad_requests():
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen

    portal = PortalServer(HANWEB_PORTAL)
    install_dataproxy(portal)
    with portal:
        url = portal.url("/module/web/jpage/dataproxy.jsp?startrecord=21&endrecord=30&perpage=5")
        answer = urlopen(Request(url, data=b"col=1&columnid=1001&unitid=2001", method="POST")).read().decode("utf-8")
        with pytest.raises(HTTPError) as refused:
            urlopen(Request(url, data=b"col=1", method="POST"))
    assert "<totalrecord>22</totalrecord>" in answer and "<totalpage>5</totalpage>" in answer
    assert answer.count("<record>") == 2 and "art_1001_50022.html" in answer
    assert refused.value.code == 400
