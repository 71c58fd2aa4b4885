"""Open a report page in headless Chromium and check that it renders.

The check loads a copy of the page with a small probe script injected at the top of
``<head>``. The probe records JavaScript errors, ``console.error`` calls, resources
that fail to load and content-security violations, and after the ``load`` event
checks that every ``<img>`` decoded (``naturalWidth > 0``). Chromium's
``--dump-dom`` prints the resulting DOM, from which the probe's JSON is read; the
same browser run can take a screenshot, which must not be blank.

Usage::

    python -m evalsuite.report.browser_check reports/default/report.html [--screenshot out.png]

exits 0 when the page passes, 1 when it does not, 2 when Chromium is missing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-extensions", "--hide-scrollbars", "--mute-audio",
                  "--enable-logging=stderr", "--v=0")
MARKER = "evalsuite-browser-check"

PROBE = """<script>(function(){
var r={errors:[],images:[],loaded:false};window.__evalsuiteCheck=r;
function s(x){try{return String(x&&x.stack||x)}catch(e){return "?"}}
window.addEventListener("error",function(e){
 var t=e.target;
 if(t&&t!==window&&(t.src||t.href)){r.errors.push("resource failed: "+(t.tagName||"")+" "+String(t.src||t.href).slice(0,80));}
 else{r.errors.push("error: "+(e.message||s(e.error)));}
},true);
window.addEventListener("unhandledrejection",function(e){r.errors.push("unhandled rejection: "+s(e.reason));});
document.addEventListener("securitypolicyviolation",function(e){r.errors.push("csp: "+e.violatedDirective+" "+e.blockedURI);});
var ce=console.error;console.error=function(){r.errors.push("console.error: "+Array.prototype.map.call(arguments,s).join(" "));return ce.apply(console,arguments);};
window.addEventListener("load",function(){
 var imgs=document.images;
 for(var i=0;i<imgs.length;i++){var im=imgs[i];r.images.push({alt:im.alt.slice(0,80),complete:im.complete,w:im.naturalWidth,h:im.naturalHeight});}
 r.loaded=true;r.title=document.title;r.text_length=(document.body&&document.body.innerText||"").length;
 r.tables=document.getElementsByTagName("table").length;
 var p=document.createElement("pre");p.id="__MARKER__";p.style.display="none";p.textContent=JSON.stringify(r);document.body.appendChild(p);
});
})();</script>""".replace("__MARKER__", MARKER)


@dataclass
class BrowserCheck:
    """Outcome of :func:`check_page`."""

    loaded: bool = False
    title: str = ""
    images: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    tables: int = 0
    text_length: int = 0
    screenshot: Path | None = None
    screenshot_colors: int = 0

    @property
    def images_ok(self) -> bool:
        return all(im.get("complete") and im.get("w", 0) > 0 and im.get("h", 0) > 0 for im in self.images)

    @property
    def ok(self) -> bool:
        """Rendered, every image decoded, no error, a non-blank screenshot (when taken)."""
        return (self.loaded and self.text_length > 0 and self.images_ok and not self.errors
                and (self.screenshot is None or self.screenshot_colors > 1))

    def problems(self) -> list[str]:
        out = [] if self.loaded else ["the page did not finish loading"]
        out += [f"image not loaded: {im.get('alt') or '(no alt)'}" for im in self.images
                if not (im.get("complete") and im.get("w", 0) > 0)]
        out += self.errors
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


def _inject(html: str) -> str:
    match = re.search(r"<head[^>]*>", html, flags=re.IGNORECASE)
    if match is None:
        return PROBE + html
    return html[: match.end()] + PROBE + html[match.end():]


def _run(chromium: str, profile: Path, args: list[str], timeout: float) -> subprocess.CompletedProcess:
    cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


_CONSOLE_ERROR = re.compile(r"CONSOLE\(\d+\)\]\s*\"(Uncaught[^\"]*)\"")


def check_page(path, *, chromium: str | None = None, screenshot=None, timeout: float = 120.0,
               window_size: str = "1200,2400") -> BrowserCheck:
    """Load ``path`` in headless Chromium and report what rendered.

    Parameters
    ----------
    path : path
        The HTML file.
    chromium : str, optional
        Browser executable (default: :func:`find_chromium`).
    screenshot : path, optional
        Where to save a PNG screenshot of the page (checked to be non-blank).
    timeout : float
        Seconds allowed per browser run.
    window_size : str
        ``"width,height"`` of the headless window.

    Returns
    -------
    BrowserCheck
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("Chromium not found (install the 'chromium' package)")
    source = Path(path)
    result = BrowserCheck()
    with tempfile.TemporaryDirectory(prefix="evalsuite-browser-") as tmp:
        tmp = Path(tmp)
        probe_page = tmp / "page" / source.name
        probe_page.parent.mkdir()
        probe_page.write_text(_inject(source.read_text(encoding="utf-8")), encoding="utf-8")
        args = ["--virtual-time-budget=10000", "--dump-dom"]
        if screenshot is not None:
            shot = Path(screenshot).resolve()
            shot.parent.mkdir(parents=True, exist_ok=True)
            args += [f"--screenshot={shot}", f"--window-size={window_size}"]
        proc = _run(chromium, tmp / "profile", [*args, probe_page.as_uri()], timeout)
        match = re.search(rf'<pre id="{MARKER}"[^>]*>(.*?)</pre>', proc.stdout, flags=re.DOTALL)
        if match is None:
            result.errors.append("no probe output from Chromium"
                                 + (f": {proc.stderr.strip()[-300:]}" if proc.returncode else ""))
        else:
            import html as _html

            data = json.loads(_html.unescape(match.group(1)))
            result.loaded = bool(data.get("loaded"))
            result.title = data.get("title", "")
            result.images = data.get("images", [])
            result.errors += data.get("errors", [])
            result.tables = data.get("tables", 0)
            result.text_length = data.get("text_length", 0)
        result.errors += [f"console: {m}" for m in _CONSOLE_ERROR.findall(proc.stderr)]
        if screenshot is not None:
            result.screenshot = shot
            result.screenshot_colors = _colors(shot)
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
    parser.add_argument("--screenshot", default=None)
    parser.add_argument("--chromium", default=None)
    args = parser.parse_args(argv)
    try:
        result = check_page(args.html, chromium=args.chromium, screenshot=args.screenshot)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"loaded={result.loaded} images={len(result.images)} tables={result.tables} "
          f"errors={len(result.errors)}" + (f" screenshot={result.screenshot} "
                                            f"colours={result.screenshot_colors}"
                                            if result.screenshot else ""))
    for problem in result.problems():
        print("  " + problem)
    return 0 if result.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
