"""Register files made the way an office makes them: an .xlsx with a title row, a 填报单位 row, a
two-level header with merged group labels, 序号 and 备注 columns, a 合计 row and a signature line;
a CSV as WPS saves it (GBK, CRLF) from a 12345 system's export; an Excel 97–2003 .xls."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook


def media_xlsx(path: Path, rows: list[tuple], *, title: str = "马关县2022年第三季度政务新媒体账号登记表") -> Path:
    """rows: (账号名称, 所属平台, 运营单位, 备案情况, 最近更新时间, 本季度发布条数, 是否开通互动功能, 备注)."""
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells("A1:I1")
    sheet.append(["填报单位（盖章）：马关县人民政府办公室", None, None, None, None, "填报日期：2022年10月12日"])
    sheet.append(["序号", "账号名称", "所属平台", "运营单位", "备案情况", "运营情况", None, None, "备注"])
    sheet.append([None, None, None, None, None, "最近更新时间", "本季度发布条数", "是否开通互动功能", None])
    for column in "ABCDEI":
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("F3:H3")
    for number, (name, platform, unit, filed, last, posts, interaction, note) in enumerate(rows, 1):
        sheet.append([number, name, platform, unit, filed, last, posts, interaction, note])
    sheet.append(["合计", None, None, None, None, None, sum(row[5] or 0 for row in rows), None, None])
    sheet.append(["填表人：李四", None, None, "审核人：王五", None, "联系电话：0876-7121234"])
    book.save(path)
    return path


MEDIA_ROWS = [
    ("马关发布", "微信", "马关县人民政府办公室", "已备案", date(2022, 10, 12), 86, "是", None),
    ("马关司法", "微博", "县司法局", "未备案", date(2022, 10, 10), 31, "是", "注：已申请备案"),
    ("八寨镇发布", "头条号", "八寨镇人民政府", "已备案", date(2022, 5, 1), 0, "是", None),
    ("马关卫健", "微信公众号", "马关县卫生健康局", "已备案", date(2022, 10, 14), 40, "否", None),
]


def hotline_wps_csv(path: Path, rows: list[tuple]) -> Path:
    """rows: (工单编号, 来电时间, 诉求人, 联系电话, 承办单位, 办理时限, 办结时间, 办理状态, 回访结果)."""
    lines = [
        "马关县12345政务服务便民热线工单明细,,,,,,,,,,",
        "序号,工单编号,来电时间,诉求人,联系电话,诉求内容,承办单位,办理时限,办结时间,办理状态,回访结果",
    ]
    for number, (ticket, received, caller, phone, unit, limit, closed, status, rating) in enumerate(rows, 1):
        lines.append(
            f"{number},{ticket},{received},{caller},{phone},反映道路破损,{unit},{limit},{closed},{status},{rating}"
        )
    lines.append(f"合计,{len(rows)}件,,,,,,,,,")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


HOTLINE_ROWS = [
    # 5 working days from Thursday 2022-09-29 over the National Day holiday: 2022-10-11.
    (
        "GD0929001",
        "2022-09-29 10:12:00",
        "张三",
        "13812345678",
        "马关县交通运输局",
        "5个工作日",
        "2022-10-12 16:00",
        "已办结",
        "满意",
    ),
    ("GD0905002", "2022-09-05 09:00:00", "李四", "13912345678", "县交通运输局", "2022-09-13", "", "办理中", "未回访"),
    (
        "GD0812003",
        "2022-08-12 15:30:00",
        "王五",
        "13712345678",
        "县教育体育局",
        "3个工作日",
        "2022-08-16 11:00",
        "办结",
        "基本满意",
    ),
]


def messages_xls(path: Path, rows: list[tuple], *, merged_unit: bool = False) -> Path:
    """An Excel 97–2003 file as a 我为政府网站找错 export: (问题编号, 提交时间, 网站名称, 问题描述, 处理单位)
    and no 答复时间 column; with `merged_unit`, the first row's 处理单位 merged down over all rows."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("留言")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for column, header in enumerate(("问题编号", "提交时间", "网站名称", "问题描述", "处理单位")):
        sheet.write(0, column, header)
    for number, (message_id, received, site, text, unit) in enumerate(rows, 1):
        sheet.write(number, 0, message_id)
        sheet.write(number, 1, received, dated)
        sheet.write(number, 2, site)
        sheet.write(number, 3, text)
        if not merged_unit:
            sheet.write(number, 4, unit)
    if merged_unit:
        sheet.write_merge(1, len(rows), 4, 4, rows[0][4])
    book.save(str(path))
    return path


MESSAGE_ROWS = [
    ("ZC001", date(2022, 7, 20), "马关县人民政府", "网站招聘栏目链接打不开", "县人力资源和社会保障局"),
    ("ZC002", date(2022, 8, 3), "马关县人民政府", "办事指南收费标准过期", "县市场监督管理局"),
]
