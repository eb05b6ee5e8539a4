"""bulletin.docx: the 通报 as an editable Word/WPS draft in 公文 layout (GB/T 9704: A4, 37/35/28/26 mm
margins, title in 小标宋 二号, body in 仿宋 三号 at a fixed 28 pt line, 一、 in 黑体, （一） in 楷体), the
附件 tables on landscape pages. The text is the rendered bulletin's own, read back from its HTML, so
the Word draft and the HTML/PDF never say different things."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from reports.files import atomic_path
from reports.masking import clean
from rules.settings import DocxFonts

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号
LINE = Pt(28)
ORGAN_SIZE = Pt(36)  # the 发文机关标志 of the 版头
RED = RGBColor(0xC0, 0x00, 0x00)
# Relative widths of the 附件 and 问题清单 columns by header: 序号 narrow, the problem wide.
COLUMN_WEIGHTS = {
    "序号": 1.0,
    "栏目": 3.0,
    "问题": 8.0,
    "问题及证据": 8.0,
    "页面": 4.0,
    "页面（抓取时间）": 4.0,
    "性质": 2.0,
    "整改期限": 2.4,
    "整改状态": 1.8,
    "责任单位": 2.6,
}
DEFAULT_WEIGHT = 2.5


def _font(run, name: str, size, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    # East Asian text takes the eastAsia font, which python-docx does not set by itself.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(
    doc, text: str, font: str, size=BODY_SIZE, *, align=None, indent: bool = True, bold: bool = False, before: int = 0
):
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE if size == BODY_SIZE else Pt(size.pt * 1.5)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _cell_text(element) -> str:
    """A table cell's text with its <br> as line breaks."""
    parts = [element.text or ""]
    for child in element:
        if "kept" in (child.get("class") or "").split():
            # The kept copy lives beside bulletin.html; a Word draft has no folder to link it in.
            parts.append(child.tail or "")
            continue
        parts.append("\n" if child.tag == "br" else _cell_text(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def _column_widths(headers: list[str], usable) -> list:
    """Each column's width: the page's text width shared by COLUMN_WEIGHTS (序号 narrow, 问题 wide)."""
    weights = [COLUMN_WEIGHTS.get(header, DEFAULT_WEIGHT) for header in headers]
    return [int(usable * weight / sum(weights)) for weight in weights]


def _table(doc, element, font: str) -> None:
    rows = element.xpath("./thead/tr | ./tbody/tr | ./tr")
    if not rows:
        return
    width = max(len(row.xpath("./th|./td")) for row in rows)
    table = doc.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    section = doc.sections[-1]
    headers = [" ".join(cell.text_content().split()) for cell in rows[0].xpath("./th|./td")]
    widths = _column_widths(
        headers + [""] * (width - len(headers)), section.page_width - section.left_margin - section.right_margin
    )
    table.autofit = False
    for column, size in zip(table.columns, widths):
        column.width = size
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, size in zip(cells, widths):
            cell.width = size  # Word reads each cell's width; WPS the column's
        for cell, source in zip(cells, row.xpath("./th|./td")):
            paragraph = cell.paragraphs[0]
            _font(paragraph.add_run(_cell_text(source)), font, TABLE_SIZE, bold=source.tag == "th")
        if index == 0 and row.getparent().tag == "thead":
            # The header row repeats on every page the table runs over.
            header = table.rows[0]._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            header.append(repeat)


def _red_rule(paragraph) -> None:
    """The 版头's red line: a red bottom border under the paragraph."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_numbers(section, font: str) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), font, Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), font, Pt(14))


def _portrait(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def _landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)


def write_docx(path: Path, bulletin_html: str, title: str, fonts: DocxFonts) -> Path:
    """The rendered bulletin (its HTML) as a 公文 draft; charts stay in the HTML/PDF only."""
    body = lxml.html.document_fromstring(bulletin_html).body
    doc = Document()
    doc.core_properties.title = clean(title)
    doc.core_properties.author = "govaudit"
    _portrait(doc.sections[0])
    _page_numbers(doc.sections[0], fonts.body)

    def emit(element, in_annex: bool) -> None:
        tag, classes = element.tag, set((element.get("class") or "").split())
        text = " ".join(element.text_content().split())
        if tag == "header":
            # The 版头: the issuing organ in red, the 文号, and the red line under them.
            for child in element:
                line = " ".join(child.text_content().split())
                organ = "organ" in (child.get("class") or "")
                paragraph = _paragraph(
                    doc,
                    line,
                    fonts.title if organ else fonts.body,
                    ORGAN_SIZE if organ else BODY_SIZE,
                    align=WD_ALIGN_PARAGRAPH.CENTER,
                    indent=False,
                )
                if organ:
                    paragraph.runs[0].font.color.rgb = RED
                if child is element[-1]:
                    _red_rule(paragraph)
        elif tag == "section":
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _landscape(section)
            for child in element:
                emit(child, True)
        elif tag == "h1":
            _paragraph(doc, text, fonts.title, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=12)
        elif tag == "h2":
            _paragraph(doc, text, fonts.heading, BODY_SIZE, indent=not in_annex)
        elif tag == "h4":
            _paragraph(doc, text, fonts.heading, BODY_SIZE, indent=False, before=6)
        elif tag == "h3":
            center = "annex-title" in classes
            _paragraph(
                doc,
                text,
                fonts.heading if center else fonts.subheading,
                BODY_SIZE,
                align=WD_ALIGN_PARAGRAPH.CENTER if center else None,
                indent=not (center or in_annex),
            )
        elif tag == "p":
            if "signature" in classes:
                lines = _cell_text(element).split("\n")
                for number, line in enumerate(lines, 1):
                    signed = _paragraph(doc, line.strip(), fonts.body, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
                    signed.paragraph_format.keep_with_next = number < len(lines)
            elif "attachments" in classes:
                for line in _cell_text(element).split("\n"):
                    # The 落款 stays on the page of the last paragraph: each line keeps with the next.
                    _paragraph(doc, line.strip(), fonts.body, indent=True).paragraph_format.keep_with_next = True
            elif "annex-no" in classes:
                _paragraph(doc, text, fonts.heading, BODY_SIZE, indent=False)
            else:
                plain = {"docno", "addressees"} & classes
                _paragraph(
                    doc,
                    text,
                    fonts.body,
                    TABLE_SIZE if in_annex else BODY_SIZE,
                    align=WD_ALIGN_PARAGRAPH.CENTER if "docno" in classes else None,
                    indent=not plain and not in_annex,
                ).paragraph_format.keep_with_next = "last" in classes
        elif tag == "ol":
            for number, item in enumerate(element.xpath("./li"), 1):
                _paragraph(doc, f"{number}．{' '.join(item.text_content().split())}", fonts.body)
        elif tag == "table":
            _table(doc, element, fonts.body)
        elif tag == "div":
            for child in element:
                emit(child, in_annex)

    for element in body:
        if element.tag not in ("footer", "figure"):
            emit(element, False)
    with atomic_path(path) as temporary:
        doc.save(temporary)
    return path
