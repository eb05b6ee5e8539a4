"""What the office's registers say, as the register rules see them: the 政务新媒体 account
register, the 12345 hotline tickets and the 网民留言 (我为政府网站找错) messages of one quarter.

They are imported from the office's own spreadsheets (govaudit media|hotline|messages import), not
crawled. A register that was not imported for the quarter is None: its rules stay silent and the
bulletin says 本季度未导入, never 合格.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

REGISTER_SCHEME = "register"


def register_url(kind: str, *parts: str) -> str:
    """Where a register finding is, in the form findings use: register://media/微信公众号/马关发布."""
    return f"{REGISTER_SCHEME}://{kind}/" + "/".join(_escape(part) for part in parts)


def _escape(part: str) -> str:
    """Readable (Chinese stays Chinese), but a name holding / ? # % stays one path segment."""
    return "".join(quote(ch, safe="") if ch in "%/?#\\" or ch.isspace() else ch for ch in part)


def is_register_url(url: str) -> bool:
    return url.startswith(f"{REGISTER_SCHEME}://")


@dataclass(frozen=True)
class MediaAccount:
    name: str
    platform: str
    unit: str
    filed: bool             # 已备案 in the 政务新媒体 备案 register
    opened: date | None
    closed: date | None     # 已关停 on this date (None: operating)
    last_post: date | None
    posts: int | None       # posts in the period
    interaction: bool | None  # 有互动（留言、评论、私信回复）渠道

    @property
    def url(self) -> str:
        return register_url("media", self.platform, self.name)

    def operating_on(self, day: date) -> bool:
        return (self.opened is None or self.opened <= day) and (self.closed is None or self.closed > day)


@dataclass(frozen=True)
class HotlineTicket:
    ticket_id: str
    received: date
    unit: str
    deadline: date | None
    closed: date | None
    satisfied: bool | None

    def overdue_on(self, day: date) -> bool:
        """Closed after its deadline, or still open when its deadline has passed."""
        return self.deadline is not None and (self.closed or day) > self.deadline


@dataclass(frozen=True)
class PublicMessage:
    message_id: str
    received: date
    unit: str
    forwarded: date | None
    answered: date | None
    title: str

    @property
    def url(self) -> str:
        return register_url("messages", self.message_id)


@dataclass(frozen=True)
class Registers:
    """The quarter's registers; None where the office did not import one."""

    media: tuple[MediaAccount, ...] | None = None
    hotline: tuple[HotlineTicket, ...] | None = None
    messages: tuple[PublicMessage, ...] | None = None

    def unit_of(self, url: str) -> str | None:
        """The unit that answers for a register finding: the account's operator, the ticket's or
        the message's handling unit."""
        if not is_register_url(url):
            return None
        for account in self.media or ():
            if account.url == url:
                return account.unit
        for message in self.messages or ():
            if message.url == url:
                return message.unit
        for unit in {ticket.unit for ticket in self.hotline or ()}:
            if register_url("hotline", unit) == url:
                return unit
        return None

    def checked_urls(self) -> set[str]:
        """Every register place this quarter's imports looked at: a finding there that is gone
        now is fixed, not unchecked."""
        urls = {account.url for account in self.media or ()}
        urls |= {message.url for message in self.messages or ()}
        urls |= {register_url("hotline", ticket.unit) for ticket in self.hotline or ()}
        return urls


def audited_register(site, kind: str) -> tuple:
    """The quarter's register of `kind`; empty when it was not imported. (The register rules need
    Evidence.SITE: a one-column check does not judge them.)"""
    return getattr(site.registers, kind) or ()
