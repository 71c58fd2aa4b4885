"""Open a report page in headless Chromium and check that it renders.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``),
so the page is laid out at exactly the width asked for (390 px, a phone, as well as
1280 px; a headless window cannot be narrower than 500 px). A probe script, run before
the page's own scripts, records JavaScript errors, ``console.error`` calls, resources
that fail to load and content-security violations; after the ``load`` event it checks
that every ``<img>`` decoded (``naturalWidth > 0``) and measures the page: its height,
and whether the body is wider than the window (the page would scroll sideways). Error
messages the browser itself logs (a blocked or missing resource) are errors too. The
screenshot, when asked for, is the first screen (the window), and must not be blank.

Usage::

    python -m evalsuite.report.browser_check reports/default/report.html \
        [--width 1280] [--height 800] [--screenshot out.png]

exits 0 when the page passes, 1 when it does not, 2 when Chromium is missing.
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe")

PROBE = """(function(){
var r={errors:[],images:[],wide:[],marks:[],loaded:false};window.__evalsuiteCheck=r;
function s(x){try{return String(x&&x.stack||x)}catch(e){return "?"}}
window.addEventListener("error",function(e){
 var t=e.target;
 if(t&&t!==window&&(t.src||t.href)){r.errors.push("resource failed: "+(t.tagName||"")+" "+String(t.src||t.href).slice(0,80));}
 else{r.errors.push("error: "+(e.message||s(e.error)));}
},true);
window.addEventListener("unhandledrejection",function(e){r.errors.push("unhandled rejection: "+s(e.reason));});
document.addEventListener("securitypolicyviolation",function(e){r.errors.push("csp: "+e.violatedDirective+" "+e.blockedURI);});
var ce=console.error;console.error=function(){r.errors.push("console.error: "+Array.prototype.map.call(arguments,s).join(" "));return ce.apply(console,arguments);};
function clipped(el){for(var p=el.parentElement;p&&p!==document.body;p=p.parentElement){if(getComputedStyle(p).overflowX!=="visible")return true;}return false;}
function name(el){return el.tagName.toLowerCase()+(el.id?"#"+el.id:"")+(el.className&&el.className.split?"."+el.className.split(" ")[0]:"")+" \\""+(el.textContent||"").replace(/\\s+/g," ").trim().slice(0,30)+"\\"";}
window.addEventListener("load",function(){
 var imgs=document.images,de=document.documentElement;
 for(var i=0;i<imgs.length;i++){var im=imgs[i];r.images.push({alt:im.alt.slice(0,80),complete:im.complete,w:im.naturalWidth,h:im.naturalHeight});}
 r.title=document.title;r.text_length=(document.body&&document.body.innerText||"").length;
 r.tables=document.getElementsByTagName("table").length;
 var ms=document.querySelectorAll("[data-check]");
 for(var k=0;k<ms.length;k++){var q=ms[k].getBoundingClientRect();r.marks.push({name:ms[k].getAttribute("data-check"),top:Math.round(q.top+window.scrollY),bottom:Math.round(q.bottom+window.scrollY)});}
 r.page_height=de.scrollHeight;r.page_width=de.scrollWidth;r.viewport_width=de.clientWidth;
 if(r.page_width>r.viewport_width){var all=document.body.getElementsByTagName("*");
  for(var j=0,seen=[];j<all.length&&seen.length<3;j++){var b=all[j].getBoundingClientRect();
   if(b.right>r.viewport_width+0.5&&!clipped(all[j])&&!seen.some(function(x){return x.contains(all[j]);})){
    seen.push(all[j]);r.wide.push(name(all[j])+" ("+Math.round(b.right)+" px)");}}}
 r.loaded=true;
});
})();"""


@dataclass
class BrowserCheck:
    """Outcome of :func:`check_page`."""

    loaded: bool = False
    title: str = ""
    images: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    tables: int = 0
    text_length: int = 0
    page_height: int = 0
    page_width: int = 0
    viewport_width: int = 0
    wide: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    window_height: int = 0
    screenshot: Path | None = None
    screenshot_colors: int = 0

    def on_first_screen(self, name: str) -> bool:
        """Whether the page has elements marked ``data-check=name`` and all of them end within the
        first screen (the window's height from the top)."""
        found = [m for m in self.marks if m.get("name") == name]
        return bool(found) and all(m["bottom"] <= self.window_height for m in found)

    @property
    def images_ok(self) -> bool:
        return all(im.get("complete") and im.get("w", 0) > 0 and im.get("h", 0) > 0 for im in self.images)

    @property
    def scrolls_sideways(self) -> bool:
        """The page is wider than the window (a wide table should scroll inside its own box)."""
        return self.page_width > self.viewport_width

    @property
    def ok(self) -> bool:
        """Rendered, every image decoded, no error, no sideways scrolling, a non-blank screenshot
        (when taken)."""
        return (self.loaded and self.text_length > 0 and self.images_ok and not self.errors
                and not self.scrolls_sideways
                and (self.screenshot is None or self.screenshot_colors > 1))

    def problems(self) -> list[str]:
        out = [] if self.loaded else ["the page did not finish loading"]
        out += [f"image not loaded: {im.get('alt') or '(no alt)'}" for im in self.images
                if not (im.get("complete") and im.get("w", 0) > 0)]
        out += self.errors
        if self.scrolls_sideways:
            out.append(f"the page scrolls sideways: {self.page_width} px wide in a "
                       f"{self.viewport_width} px window" + (f"; too wide: {', '.join(self.wide)}"
                                                            if self.wide else ""))
        if self.screenshot is not None and self.screenshot_colors <= 1:
            out.append("the screenshot is blank")
        return out


def find_chromium() -> str | None:
    """Path of a Chromium executable, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class _DevTools:
    """A Chromium process driven over the DevTools pipe: it reads commands from file
    descriptor 3 and writes replies and events to 4, each a JSON message ended by NUL."""

    def __init__(self, chromium: str, profile: Path, log: Path):
        to_child, self._in = os.pipe()
        self._out, from_child = os.pipe()

        def _pipes():  # in the child, before exec: the descriptors Chromium expects
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        with open(log, "wb") as err:
            self.proc = subprocess.Popen(
                [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=err, stderr=err, pass_fds=(3, 4), preexec_fn=_pipes)
        os.close(to_child)
        os.close(from_child)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            if select.select([self._out], [], [], left)[0]:
                chunk = os.read(self._out, 1 << 20)
                if not chunk:
                    raise ConnectionError("Chromium closed the DevTools pipe")
                self._buf += chunk
        message, _, self._buf = self._buf.partition(b"\0")
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float = 60.0) -> dict:
        """Run one command; events that arrive meanwhile are kept in :attr:`events`."""
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._in, data):]
        deadline = time.monotonic() + timeout
        while True:
            reply = self._message(deadline)
            if reply.get("id") != self._id:
                self.events.append(reply)
            elif "error" in reply:
                raise RuntimeError(f"{method}: {reply['error'].get('message', reply['error'])}")
            else:
                return reply.get("result", {})

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (OSError, RuntimeError, TimeoutError, ConnectionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._in, self._out):
            os.close(fd)


def _open(browser: _DevTools, url: str, width: int, height: int, timeout: float) -> tuple[str, dict]:
    """Open ``url`` in a new tab of ``width`` × ``height`` CSS px; the probe's record after ``load``."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for method in ("Page.enable", "Runtime.enable", "Log.enable"):
        browser.send(method, session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                 session=session)
    browser.send("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE}, session=session)
    browser.send("Page.navigate", {"url": url}, session=session)
    deadline = time.monotonic() + timeout
    while True:
        value = browser.send("Runtime.evaluate", {
            "expression": "window.__evalsuiteCheck && window.__evalsuiteCheck.loaded "
                          "? JSON.stringify(window.__evalsuiteCheck) : ''",
            "returnByValue": True}, session=session)["result"].get("value")
        if value:
            return session, json.loads(value)
        if time.monotonic() > deadline:
            return session, {"errors": ["the page did not finish loading in time"]}
        time.sleep(0.05)


def _logged_errors(events: list[dict]) -> list[str]:
    """Errors the browser logged itself (a resource it refused or could not load)."""
    return [f"console: {e['params']['entry'].get('text', '')[:200]}" for e in events
            if e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"]


def check_page(path, *, chromium: str | None = None, screenshot=None, timeout: float = 120.0,
               width: int = 1280, height: int = 800) -> BrowserCheck:
    """Load ``path`` in headless Chromium and report what rendered.

    Parameters
    ----------
    path : path
        The HTML file.
    chromium : str, optional
        Browser executable (default: :func:`find_chromium`).
    screenshot : path, optional
        Where to save a PNG of the first screen (``width`` × ``height``), checked to be non-blank.
    timeout : float
        Seconds allowed for the page to load.
    width, height : int
        Size of the window in CSS pixels.

    Returns
    -------
    BrowserCheck
    """
    return check_pages([(path, width, height, screenshot)], chromium=chromium, timeout=timeout)[0]


def check_pages(pages, *, chromium: str | None = None, timeout: float = 120.0) -> list[BrowserCheck]:
    """:func:`check_page` for each ``(path, width, height, screenshot)`` of ``pages``, each in its
    own tab of one Chromium (a page at two sizes costs one browser start, not two)."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("Chromium not found (install the 'chromium' package)")
    if not any(Path(page[0]).is_file() for page in pages):  # nothing to open: no browser to start
        return [_check(None, Path(), *page, timeout=timeout) for page in pages]
    with tempfile.TemporaryDirectory(prefix="evalsuite-browser-") as tmp:
        browser = _DevTools(chromium, Path(tmp) / "profile", Path(tmp) / "chromium.log")
        try:
            return [_check(browser, Path(tmp) / "chromium.log", *page, timeout=timeout) for page in pages]
        finally:
            browser.close()


def _check(browser: _DevTools | None, log: Path, path, width: int, height: int, screenshot, *,
           timeout: float) -> BrowserCheck:
    result = BrowserCheck(window_height=height)
    if not Path(path).is_file():  # Chromium would show its own error page, which loads cleanly
        result.errors = [f"{path}: no such file"]
        return result
    session = None
    try:
        session, data = _open(browser, Path(path).resolve().as_uri(), width, height, timeout)
        if screenshot is not None:
            png = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"},
                                                session=session)["data"])
            from evalsuite.core.atomic import write_bytes

            result.screenshot = Path(screenshot)
            write_bytes(result.screenshot, png)
            result.screenshot_colors = _colors(result.screenshot)
    except (OSError, TimeoutError, ConnectionError, RuntimeError) as exc:
        text = log.read_text(errors="replace").strip()[-300:] if log.exists() else ""
        data = {"errors": [f"no result from Chromium: {exc}" + (f" ({text})" if text else "")]}
    for key in ("loaded", "title", "images", "tables", "text_length", "page_height", "page_width",
                "viewport_width", "wide", "marks"):
        if key in data:
            setattr(result, key, data[key])
    own = [e for e in browser.events if e.get("sessionId") in (session, None)]  # this tab's log only
    result.errors = list(data.get("errors", [])) + _logged_errors(own)
    return result


def _colors(png: Path) -> int:
    """Number of distinct colours in an image (0 when it is missing or unreadable)."""
    try:
        from PIL import Image

        with Image.open(png) as im:
            colors = im.convert("RGB").getcolors(maxcolors=1 << 16)
    except (OSError, ValueError):
        return 0
    return len(colors) if colors is not None else 1 << 16


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Check an HTML report in headless Chromium.")
    parser.add_argument("html")
    parser.add_argument("--screenshot", default=None, help="save the first screen as PNG")
    parser.add_argument("--width", type=int, default=1280, help="window width in CSS px (default 1280)")
    parser.add_argument("--height", type=int, default=800, help="window height in CSS px (default 800)")
    parser.add_argument("--chromium", default=None)
    args = parser.parse_args(argv)
    try:
        result = check_page(args.html, chromium=args.chromium, screenshot=args.screenshot,
                            width=args.width, height=args.height)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"loaded={result.loaded} images={len(result.images)} tables={result.tables} "
          f"errors={len(result.errors)} height={result.page_height}px at {args.width}px"
          + (f" screenshot={result.screenshot} colours={result.screenshot_colors}"
             if result.screenshot else ""))
    for problem in result.problems():
        print("  " + problem)
    return 0 if result.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
