import posixpath
from urllib.parse import parse_qsl, unquote, urlsplit

from pydantic import Field

from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.documents import describe
from rules.policy import normative_documents

# Paths that are programs serving a file named in the query (downfile.jsp?filename=x.pdf).
_SCRIPT_EXTENSIONS = frozenset({"", "jsp", "php", "asp", "aspx", "do", "action", "cgi", "ashx"})
# Tags whose URL a reader can open or save: links and embedded viewers.
_DOWNLOAD_TAGS = frozenset({"a", "iframe", "embed"})


class Options(RuleOptions):
    extensions: tuple[str, ...] = Field(
        ("pdf", "ofd", "doc", "docx", "wps"),
        description="可下载正式版本的扩展名（.xlsx、.csv 和图片不算）",
    )


@rule(
    id="normative.no_download",
    title="规范性文件未提供下载版本",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="规范性文件没有可下载版本（.pdf .ofd .doc .docx .wps）",
    clause="行政规范性文件库建设要求（提供PDF、OFD或Word等格式文件下载）；国办秘函〔2019〕19号",
    options=Options,
)
def check(site, config):
    """Checks that every document of the 规章和行政规范性文件库 links to a downloadable version:
    a file whose extension is one of `extensions` (pdf, ofd, doc, docx, wps). The link's URL path
    decides; for a download script (downfile.jsp?filename=…, /download?id=…) the file name in a
    query value decides, else the link text (「马关县…办法.pdf」). Whether the file answers is
    not judged here (a broken attachment is a link.broken finding).

    Why: the 文件库 must offer the official text for download; a page with only HTML text, a
    spreadsheet or a scanned image is not the document's official version.

    Fires: a document whose only attachment is 附件1.xlsx, or a .csv, or a .jpg scan; a document
    with no attachment link.

    Quiet: ../files/P020220318601.pdf; /module/download/downfile.jsp?classid=0&filename=x.pdf;
    a .docx link whose file is missing (404); an .OFD link in capitals.
    """
    extensions = {ext.lower().lstrip(".") for ext in config.options(Options).extensions}
    for page in normative_documents(site):
        links = [link for link in site.links_from(page.url) if link.tag in _DOWNLOAD_TAGS]
        if any(_file_extension(link.to_url, link.text) in extensions for link in links):
            continue
        files = [
            f"{link.text or '（无文字）'} {link.to_url}"
            for link in links
            if _file_extension(link.to_url, link.text) not in _SCRIPT_EXTENSIONS | {"html", "htm", "shtml"}
        ]
        evidence = f"{describe(page)}；" + ("附件链接：" + "；".join(files[:5]) if files else "页面没有附件链接")
        yield Problem(
            page.url,
            "规范性文件未提供可下载的文件版本（PDF、OFD、Word或WPS），请上传正式文本供下载",
            evidence,
            site.column_of(page.url),
        )


def _file_extension(url: str, text: str) -> str:
    """The extension of the file a link serves: its path's, else a query value's, else its text's."""
    parts = urlsplit(url)
    extension = _extension_of(unquote(parts.path))
    if extension not in _SCRIPT_EXTENSIONS:
        return extension
    for _, value in parse_qsl(parts.query):
        named = _extension_of(value)
        if named not in _SCRIPT_EXTENSIONS:
            return named
    named = _extension_of(text.strip())
    return named if named.isalnum() and len(named) <= 5 else extension


def _extension_of(name: str) -> str:
    return posixpath.splitext(posixpath.basename(name.strip()))[1].lower().lstrip(".")
