"""The privacy portal: 公示 pages and attachments (real .xlsx, .docx, .pdf, GBK .csv) that publish ID
numbers and mobiles, and the traps that must not fire. Also the builders of those attachment files.

ID numbers here are fictional but valid under GB 11643 (the check character is computed).
"""

from __future__ import annotations

import io
from pathlib import Path

from portal_kit import list_page, page

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(first17: str) -> str:
    """An 18-character ID number: the 17 digits and their GB 11643 check character."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def bad_check(first17: str) -> str:
    """The 17 digits with a wrong check character."""
    good = with_check(first17)[-1]
    return first17 + ("0" if good != "0" else "1")


ID_A = with_check("53262519850312201")  # 532625198503122010
ID_B = with_check("53262519900101123")  # 532625199001011235
ID_C = with_check("53262519660420151")  # 53262519660420151X
MOBILE_A, MOBILE_B, MOBILE_C = "13812345678", "13987654321", "15011112222"

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def people_table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="gs"><tr>{head}</tr>{body}</table>'


HEADER = ("序号", "姓名", "性别", "身份证号码", "家庭住址", "保障人数", "联系电话")
PEOPLE = [
    ("1", "张三", "男", ID_A, "石桥村委会石桥村", "3", MOBILE_A),
    ("2", "李 四", "女", ID_B, "石桥村委会大寨", "2", MOBILE_B),
    ("3", "欧阳春", "女", ID_C, "新街村委会新街", "1", MOBILE_C),
]


def xlsx_bytes(rows: list[tuple[object, ...]], sheet: str = "名单") -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_bytes(paragraphs: list[str], table: list[tuple[str, ...]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF whose text is `lines`, hand-assembled: a Type0 font (Identity-H) whose CIDs are
    the Unicode code points, with a ToUnicode CMap so extractors read the Chinese back."""
    chars = sorted({ch for line in lines for ch in line})
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
    )
    for i in range(0, len(chars), 100):
        block = chars[i : i + 100]
        cmap += (
            f"{len(block)} beginbfchar\n" + "".join(f"<{ord(c):04X}> <{ord(c):04X}>\n" for c in block) + "endbfchar\n"
        )
    cmap += "endcmap CMapName currentdict /CMap defineresource pop end end"
    content = (
        "BT /F1 10 Tf 40 800 Td 14 TL "
        + " ".join("<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*" for line in lines)
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] "
        "/ToUnicode 7 0 R >>",
        f"<< /Length {len(content.encode())} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (Identity) /Supplement 0 >> /DW 1000 /FontDescriptor 8 0 R >>",
        f"<< /Length {len(cmap.encode())} >>\nstream\n{cmap}\nendstream",
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        "/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _gs(title: str, body: str) -> str:
    return page(title, f'<h1>{title}</h1><div class="content">{body}</div>')


_MASKED_ROWS = [
    ("1", "张三", "男", "532625********2010", "石桥村", "3", "138****5678"),
    ("2", "李四", "女", "5326251990****1235", "大寨", "2", "139****4321"),
]

PRIVACY_PORTAL = {
    "/index.html": page(
        "首页",
        '<ul class="nav"><li><a href="/gsgg/">公示公告</a></li>'
        '<li><a href="/bszn/">办事指南</a></li><li><a href="/news/">工作动态</a></li></ul>',
    ),
    "/gsgg/": list_page(
        "公示公告",
        [
            ("2022年9月城乡低保对象公示", "/gsgg/dibao.html", "2022-09-30"),
            ("临时救助对象公示（全角数字）", "/gsgg/fullwidth.html", "2022-09-20"),
            ("2022年度产业补贴发放名单（已脱敏）", "/gsgg/masked.html", "2022-09-10"),
            ("号码辨析公示", "/gsgg/traps.html", "2022-09-01"),
            ("村组联络员名单（座机）", "/gsgg/landline.html", "2022-08-20"),
            ("危房改造对象名单（附件）", "/gsgg/attachments.html", "2022-08-10"),
            ("2022年10月临时救助公示", "/gsgg/tab.html", "2022-10-12"),
            ("医疗救助对象公示", "/gsgg/invisible.html", "2022-10-11"),
            ("走访慰问图片", "/gsgg/photo.html", "2022-10-10"),
            ("救助对象公示（摘要）", "/gsgg/meta.html", "2022-10-09"),
            ("救助信息查询", "/gsgg/lookup.html", "2022-10-08"),
            ("工作简报", "/gsgg/t20220815_13812345678.html", "2022-08-15"),
        ],
    ),
    # Fires both: a 低保 table with full ID numbers and mobiles; a fourth row repeats a person.
    "/gsgg/dibao.html": _gs(
        "2022年9月城乡低保对象公示",
        "<p>经审核，下列对象符合条件，现予公示：</p>"
        + people_table(PEOPLE + [("4", "张三", "男", ID_A, "石桥村", "3", MOBILE_A)], HEADER)
        + "<p>公示期间如有异议，请拨打监督电话：0876-7121234。</p>",
    ),
    # Fires both: full-width digits, an ID grouped 6-8-4, mobiles grouped 3-4-4, names in prose.
    "/gsgg/fullwidth.html": _gs(
        "临时救助对象公示",
        (
            f"<p>救助对象：张三，身份证号 {ID_A.translate(FULL_WIDTH)}，电话 {MOBILE_A.translate(FULL_WIDTH)}；</p>"
            f"<p>李四，身份证号 {ID_B[:6]} {ID_B[6:14]} {ID_B[14:]}，电话 139 8765 4321。</p>"
        ),
    ),
    # Quiet: masked IDs and mobiles; hotlines with no names beside them after the table.
    "/gsgg/masked.html": _gs(
        "2022年度产业补贴发放名单",
        people_table(_MASKED_ROWS, HEADER) + "<p>咨询电话：13700001111</p><p>监督电话：13700002222</p>",
    ),
    # Quiet: 18-character numbers that are not ID numbers, and an ID only in an attribute.
    "/gsgg/traps.html": _gs(
        "号码辨析公示",
        (
            f"<p>订单号：{bad_check('53262519850312201')}</p>"
            "<p>统一社会信用代码：91532625MA6K4XJ21B；索引号：11532625MB0000000X/2022-00001</p>"
            "<p>开户账号：6228480000000000000；流水号：20221015000000000123</p>"
            f"<p>编号：1{ID_A}、{ID_B}9、{ID_A}A</p>"
            f"<p>地区码不存在：{with_check('99262519850312201')}；出生日期在基准日之后："
            f"{with_check('53262520230101123')}；日期不存在：{with_check('53262519850230123')}；"
            f"1900年以前：{with_check('53262518990101123')}</p>"
            # In URLs: a CMS article id with its date, an ID inside a longer digit run, a wrong check
            # character, a 索引号 — none is a whole segment or value that is an ID number.
            '<p><a href="/gsgg/t20220815_13812345678.html">工作简报</a>'
            f'<a href="/gsgg/view.html?no=2022{ID_A}">查看</a>'
            f'<a href="/gsgg/view.html?id={bad_check(ID_B[:17])}">查看</a>'
            '<a href="/gsgg/view.html?syh=11532625MB0000000X/2022-00001">查看</a></p>'
            f"<p>张三 订单 2022101513812345678；李四 流水 1398765432100</p>"
        ),
    ),
    # Quiet: a list of people with office landlines.
    "/gsgg/landline.html": _gs(
        "村组联络员名单",
        people_table(
            [
                ("1", "王五", "石桥村", "0876-7121234"),
                ("2", "赵六", "大寨", "0876 7125678"),
                ("3", "孙七", "新街", "(0876)7129999"),
            ],
            ("序号", "姓名", "村组", "办公电话"),
        ),
    ),
    "/gsgg/attachments.html": _gs(
        "危房改造对象名单",
        (
            '<p>附件：<a href="/gsgg/mingdan.xlsx">危房改造对象名单.xlsx</a></p>'
            '<p><a href="/gsgg/mingdan.docx">危房改造对象名单.docx</a></p>'
            '<p><a href="/gsgg/mingdan.pdf">危房改造对象名单.pdf</a></p>'
            '<p><a href="/gsgg/mingdan.csv">危房改造对象名单.csv</a></p>'
            '<p><a href="/downfile.jsp?filename=%E8%A1%A5%E5%8A%A9%E5%90%8D%E5%8D%95.xlsx">补助名单.xlsx</a></p>'
            '<p><a href="/gsgg/tuomin.xlsx">危房改造对象名单（脱敏）.xlsx</a></p>'
        ),
    ),
    "/gsgg/view.html": _gs("详情", "<p>详情。</p>"),
    "/gsgg/t20220815_13812345678.html": _gs("工作简报", "<p>县民政局召开专题会议。</p>"),
    # Issue 27 item 10. Fires: an ID number only in the <title> (the tab), not in the heading or text.
    "/gsgg/tab.html": _gs("2022年10月临时救助公示", "<p>经审核，下列对象符合条件，现予公示，公示期七天。</p>").replace(
        "<title>2022年10月临时救助公示_", f"<title>临时救助 {ID_B}_"
    ),
    # Fires: numbers split by a zero-width space, a word joiner, and bidirectional override marks.
    "/gsgg/invisible.html": _gs(
        "医疗救助对象公示",
        (
            f"<p>张三，身份证号 {ID_A[:4]}&#8203;{ID_A[4:]}；李四，身份证号 {ID_B[:6]}&#8288;{ID_B[6:]}；"
            f"王五，身份证号 {ID_C[:6]}&#x202E;{ID_C[6:14]}&#x202C;{ID_C[14:]}。</p>"
        ),
    ),
    # Fires: a photo's alt text.
    "/gsgg/photo.html": _gs("走访慰问图片", f'<p><img src="/gsgg/photo.png" alt="慰问对象张三 身份证{ID_A}"></p>'),
    # Fires: a <meta name="description">.
    "/gsgg/meta.html": page(
        "救助对象公示",
        "<h1>救助对象公示</h1><p>详见附件。</p>",
        meta=f'<meta name="description" content="救助对象李四，身份证号{ID_B}">',
    ),
    # Fires: a query value and a file named by an ID number.
    "/gsgg/lookup.html": _gs(
        "救助信息查询",
        (f'<p><a href="/gsgg/view.html?sfz={ID_C}">查看详情</a><a href="/gsgg/{ID_A}.pdf">申请表</a></p>'),
    ),
    # Quiet: one mobile in a 办事指南's 联系电话 line, one beside a name in a news article.
    "/bszn/": list_page("办事指南", [("城乡居民最低生活保障审批办事指南", "/bszn/1.html", "2022-06-01")]),
    "/bszn/1.html": _gs(
        "城乡居民最低生活保障审批办事指南",
        people_table(
            [
                ("办理地点", "县政务服务中心民政窗口"),
                ("办理时间", "周一至周五"),
                ("联系电话", MOBILE_A),
                ("监督电话", "0876-7121234"),
            ],
            ("项目", "内容"),
        ),
    ),
    "/news/": list_page("工作动态", [("县民政局开展低保专项检查", "/news/1.html", "2022-10-10")]),
    "/news/1.html": _gs(
        "县民政局开展低保专项检查",
        (f"<p>近日，县民政局开展低保专项检查。</p><p>联系人：王五，联系电话：{MOBILE_B}。</p>"),
    ),
}

_SHEET = [HEADER] + [tuple(row) for row in PEOPLE]


def write_privacy_attachments(root: Path) -> None:
    """The attachments of /gsgg/attachments.html, written as real files beside the pages."""
    files = {
        "gsgg/mingdan.xlsx": xlsx_bytes([("危房改造对象名单",), *_SHEET]),
        "gsgg/mingdan.docx": docx_bytes(["危房改造对象名单", f"户主：张三，身份证号码：{ID_A}"]),
        "gsgg/mingdan.pdf": pdf_bytes(["危房改造对象名单"] + ["  ".join(row) for row in _SHEET]),
        "gsgg/mingdan.csv": "\r\n".join(",".join(row) for row in _SHEET).encode("gbk"),
        "downfile.jsp": xlsx_bytes(_SHEET, sheet="补助名单"),
        "gsgg/tuomin.xlsx": xlsx_bytes([HEADER, *_MASKED_ROWS]),
        f"gsgg/{ID_A}.pdf": pdf_bytes(["救助申请表"]),
        "gsgg/photo.png": bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        ),
    }
    for path, body in files.items():
        (root / path).write_bytes(body)
