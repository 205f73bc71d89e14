"""Headless Chromium for the screenshot tests, driven through the DevTools protocol by a tiny websocket client.

No Selenium or Playwright: Debian's chromium-headless-shell (or chromium) is started with a debugging port,
and its JSON commands go over one websocket (RFC 6455 text frames, masked from the client, as the standard
says). `make setup` installs the browser; without it the tests that need it are skipped with the reason.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser")
MISSING = (
    "no headless Chromium: install Debian's chromium-headless-shell "
    "(`make setup` as root, or `sudo apt-get install -y chromium-headless-shell`)"
)


def binary() -> str | None:
    """The headless Chromium on PATH (or at CHROMIUM), if any."""
    named = os.environ.get("CHROMIUM")
    if named and shutil.which(named):
        return shutil.which(named)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


class Browser:
    """One headless Chromium with its own profile folder; `page` is a DevTools session on its one tab."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900) -> None:
        executable = binary()
        if executable is None:
            raise RuntimeError(MISSING)
        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",  # the tests may run as root in a container
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # Debian's /usr/bin/chromium-headless-shell is a shell script that runs the browser as its child:
            # the browser and its helpers are stopped as one process group, never left behind
            start_new_session=True,
        )
        port = self._port()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            pages = [target for target in json.load(answer) if target["type"] == "page"]
        self.page = Session(pages[0]["webSocketDebuggerUrl"])

    def _port(self) -> int:
        deadline = time.monotonic() + 30
        assert self.process.stderr is not None
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                break
            found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if found:
                return int(found.group(1))
        self.close()
        raise RuntimeError("headless Chromium did not start its DevTools endpoint")

    def open(self, url: str) -> None:
        """Load `url` and wait until the page and its script have run."""
        self.page.call("Page.enable")
        self.page.call("Page.navigate", url=url)
        self.wait_loaded()

    def reload(self) -> None:
        """Load the page again (what a coach does the next day)."""
        self.page.call("Page.reload", ignoreCache=True)
        time.sleep(0.2)
        self.wait_loaded()

    def wait_loaded(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.evaluate("document.readyState") == "complete":
                return
            time.sleep(0.1)
        raise RuntimeError("the page did not finish loading")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON values only)."""
        answer = self.page.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"page script failed: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = False) -> bytes:
        """A PNG of the viewport (or of the whole page), written to `path` too."""
        options: dict[str, Any] = {"format": "png"}
        if full_page:
            metrics = self.page.call("Page.getLayoutMetrics")["cssContentSize"]
            options.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": metrics["width"], "height": metrics["height"], "scale": 1},
            )
        png = base64.b64decode(self.page.call("Page.captureScreenshot", **options)["data"])
        path.write_bytes(png)
        return png

    def downloads_to(self, folder: Path) -> None:
        """Let the page's downloads (the export button) land in `folder`."""
        self.page.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(folder))

    def close(self) -> None:
        """Stop this browser (only the process this object started)."""
        if getattr(self, "page", None) is not None:
            self.page.close()
        for stop in (signal.SIGTERM, signal.SIGKILL):  # what outlives the script's exit is killed
            try:
                os.killpg(self.process.pid, stop)
            except ProcessLookupError:  # the whole group is gone
                break
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.process.stderr is not None:
            self.process.stderr.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Session:
    """A DevTools websocket: `call(method, **params)` sends a command and returns its result."""

    def __init__(self, url: str) -> None:
        found = re.match(r"ws://([^:/]+):(\d+)(/.*)", url)
        assert found, url
        host, port, path = found.group(1), int(found.group(2)), found.group(3)
        self.socket = socket.create_connection((host, port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.socket.recv(1)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"DevTools refused the websocket: {head!r}")
        self.ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict:
        """Send one command and wait for its answer (events in between are skipped)."""
        number = next(self.ids)
        self._send(json.dumps({"id": number, "method": method, "params": params}).encode())
        while True:
            message = json.loads(self._receive())
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def _send(self, payload: bytes) -> None:
        mask = os.urandom(4)
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x81, 0x80 | size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.socket.sendall(header + mask + masked)

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.socket.recv(size - len(data))
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            data += chunk
        return data

    def _receive(self) -> bytes:
        """One whole message (continuation frames joined; the server never masks)."""
        message = b""
        while True:
            first, second = self._exactly(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._exactly(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._exactly(8))[0]
            payload = self._exactly(size)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise RuntimeError("DevTools closed the websocket")
            if opcode in (0x9, 0xA):  # ping / pong: not part of a message
                continue
            message += payload
            if first & 0x80:
                return message

    def close(self) -> None:
        """Close the socket."""
        try:
            self.socket.close()
        except OSError:
            pass
