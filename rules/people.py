"""People as the rules and the 通报 speak of them: what reads as a Chinese person's name (rules.privacy
looks for mobiles beside one), and a register row's words with whoever wrote in named "网民" and their
numbers left out, as a distributed 通报 may print them (it is often published on the portal).

Every rule family may build on this module (pyproject.toml, the import contract of the families)."""

from __future__ import annotations

import re

_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "令狐",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "申屠",
)
# The common surnames (together most of the population), and some of 云南's (者 普 杞 字 刀 罕). Left out:
# surnames that as often start ordinary words in tables and notices (关于 项目 单位 申请 全部 应当 …).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施"
    "文牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿兰焦俞左柳甘祝宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆"
    "蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆卓古吉缪麦褚娄窦戚岑景党宫冷晏席米柏宗瞿桂佟臧闵苟邬卞姬"
    "仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封者普杞字刀罕"
)
# Two- and three-character words that start with one of those surnames but are not names.
_NOT_NAMES = frozenset(
    "高中 高职 党员 党支部 金额 方式 方案 周一 周二 周三 周四 周五 周六 周日 周末 常住 管理 许可 程序 任务 范围 符合 纪律 "
    "严格 施工 付款 房屋 文件 文化 马上 夏季 白天 温度 林业 林地 田地 石料 华侨 康复 龙头 江边 路段 路线 游客 尚未 "
    "宁可 毕业 季度 华人 古城 吉祥 沙地 蒙古 甘蔗 童装 舒适 景区 宗教 巫山 封面 易地 齐全 乔木 章程 纪检 严重 武装 "
    "顾问 贺电 史料 雷电 段落 宫颈 韦氏 温室 毛利 麦田 苗木 谷物 曲靖 陆续 范围内 常年 常用 汤圆 普通 普查 普及 普惠 "
    "普法".split()
)
# A word ending like a place or a body (石桥村, 马关县, 王家寨) is not a name.
_PLACE_ENDINGS = frozenset("村镇乡街路巷寨组社区县市州省局委办队站所院厅处科室会部司校园厂场店族元额费号栋楼团协点")
PADDED_NAME = re.compile(r"[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def is_person_name(word: str) -> bool:
    """A Chinese name: a common surname and one or two more characters (张三, 李小明), a compound
    surname and one or two (欧阳修); a two-character name padded with a space (张 三) counts."""
    if PADDED_NAME.fullmatch(word):
        word = re.sub(r"[ \u3000]", "", word)
    if not _HAN_WORD.fullmatch(word) or word in _NOT_NAMES or word[-1] in _PLACE_ENDINGS:
        return False
    if word[:2] in _COMPOUND_SURNAMES:
        return len(word) >= 3
    return word[0] in _SURNAMES and len(word) <= 3


# -- a citizen in an office's own register --------------------------------------------------------

# Who wrote or called in, before a name: 市民张三, 来电人：王五.
_SENDER = re.compile(r"(?:市民|网民|群众|村民|居民|来电人|来电群众|留言人|投诉人|反映人|诉求人|举报人|当事人)[:：]?\s*")
# What follows the name of one who wrote in (反映, 来电, a bracket, a comma …), or the text's end.
_AFTER_NAME = re.compile(
    r"反映|来电|来信|留言|投诉|举报|咨询|询问|建议|求助|表示|称|诉|提出|要求|希望|[（(，,、：:；;。\s]|$"
)
# 张先生, 李女士, 王某某, 赵某.
_POLITE_NAME = re.compile(r"[\u4e00-\u9fff](?:先生|女士|同志|师傅|某某|某)")
# A phone number or an ID number with its label and brackets: （13812345678）, 电话：0876-7121234.
_NUMBER_LABEL = r"(?:联系|手机|电话|号码|身份证号?|证件号)*[:：]?\s*"
_ANY_NUMBER = re.compile(
    _NUMBER_LABEL + r"(?<![0-9A-Za-z])(?:(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?[\d*＊xX×]{4}){2}"
    r"|0\d{2,3}-?\d{7,8}|\d{6}[ -]?[\d*＊]{8}[ -]?[\d*＊]{3}[\dXx*＊])(?![0-9A-Za-z])"
)
_EMPTY_BRACKETS = re.compile(r"[（(]\s*[、，,；;/]*\s*[）)]")
# Full-width digits as ASCII, so that a number typed in either is found.
_DIGITS = str.maketrans("０１２３４５６７８９Ｘ", "0123456789X")
_DOUBLED_COMMAS = re.compile(r"([，,、；;])(?:\s*[，,、；;])+")


def _name_at(text: str, start: int) -> int:
    """The end of a person's name that starts at `start` and is followed by what follows one who
    wrote in (张三反映, 张三（…）), or `start` when none does."""
    polite = _POLITE_NAME.match(text, start)
    if polite and polite.group()[0] in _SURNAMES:
        return polite.end()
    for length in (2, 3, 4):
        word = text[start : start + length]
        if len(word) == length and is_person_name(word) and _AFTER_NAME.match(text, start + length):
            return start + length
    return start


def without_people(text: str) -> str:
    """A register row's words as a distributed 通报 may print them: one who wrote or called in is
    "网民" (市民张三（13812345678）反映… → 网民反映…; 李女士来电 → 网民来电), and phone and ID numbers
    are left out with their labels and brackets. Nothing else changes: a unit, a column, a page."""
    text = _DOUBLED_COMMAS.sub(r"\1", _EMPTY_BRACKETS.sub("", _ANY_NUMBER.sub("", text.translate(_DIGITS))))
    pieces: list[str] = []
    last = 0
    for sender in _SENDER.finditer(text):
        if sender.start() < last:
            continue
        end = _name_at(text, sender.end())
        if end > sender.end():
            pieces += [text[last : sender.start()], "网民"]
            last = end
    text = "".join(pieces) + text[last:]
    end = _name_at(text, 0)
    return ("网民" + text[end:] if end else text).strip(" ，,、；;")
