"""A real headless Chromium driven over the DevTools protocol through a pipe (--remote-debugging-pipe:
JSON messages ending in a NUL byte on file descriptors 3 and 4), so a test clicks, types and submits
forms as a person does, with nothing but the standard library. It reaches one origin on 127.0.0.1."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import tempfile
import time

from crawler.reading.browser import find_chromium, headless_flags

TIMEOUT = 60


class BrowserError(RuntimeError):
    pass


class Browser:
    """One tab of a headless Chromium that may reach `origin` (host, port) and nothing else (use as a
    context manager)."""

    def __init__(self, origin: tuple[str, int]):
        chromium = find_chromium()
        if chromium is None:
            raise BrowserError("Chromium not found")
        self._profile = tempfile.TemporaryDirectory(prefix="govaudit-test-browser-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def wire():  # in the child: fd 3 reads our commands, fd 4 writes the answers
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        # The network closed but for the one origin under test (crawler.reading.browser.headless_flags).
        flags = [*headless_flags(self._profile.name, origin), "--window-size=1100,900", "--remote-debugging-pipe"]
        self._process = subprocess.Popen(
            [chromium, *flags, "about:blank"],
            preexec_fn=wire,
            pass_fds=(3, 4),  # kept open past the fds closed after wire() runs
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._profile.cleanup()

    # -- the protocol ---------------------------------------------------------------------------

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def send(self, method: str, params: dict | None = None) -> dict:
        return self._call(method, params, self._session)

    def _wait_event(self, method: str) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self._events:
                if event["method"] == method:
                    self._events.remove(event)
                    return event
            message = self._message(deadline)
            if "method" in message:
                self._events.append(message)

    # -- what a person does -------------------------------------------------------------------------

    def open(self, url: str) -> None:
        self._events.clear()
        self.send("Page.navigate", {"url": url})
        self._wait_event("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def text(self, selector: str = "body") -> str:
        return self.evaluate(f"document.querySelector({json.dumps(selector)}).innerText")

    def _centre(self, selector: str) -> tuple[float, float]:
        box = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        if box is None:
            raise BrowserError(f"no element {selector}")
        return box[0], box[1]

    def click(self, selector: str, *, navigates: bool = False) -> None:
        """A left click in the middle of the element, as the mouse gives it."""
        x, y = self._centre(selector)
        if navigates:
            self._events.clear()
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
        if navigates:
            self._wait_event("Page.loadEventFired")

    def type(self, selector: str, text: str) -> None:
        """Click into a field and type `text` into it."""
        self.click(selector)
        self.send("Input.insertText", {"text": text})
