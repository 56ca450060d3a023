"""Opens HTML pages in headless Chromium over the DevTools protocol and checks that each
renders as a reader would see it: no console error or uncaught exception, the embedded font
loaded, every figure laid out at a readable size with its text drawn, and the page prints
to a PDF. Keeps a screenshot (and the PDF) of each page in OUT_DIR.

    python browser_check.py CHROMIUM OUT_DIR PAGE.html[=NAME] ...

Exit status 0 if every page passes, 1 otherwise (each failure printed on stderr).
Used by scripts/browser_test.sh, which installs Chromium and websocket-client.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from websocket import create_connection

# What a reader sees first: the screenshot is this wide, at this scale.
WIDTH, HEIGHT, SCALE = 1200, 1900, 0.6
# A figure narrower or lower than this (CSS pixels) is not readable.
MIN_FIGURE = (300, 120)


class Tab:
    """One page of the browser, spoken to over its DevTools web socket."""

    def __init__(self, url):
        self.ws = create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.events:
                if e.get("method") == method:
                    return e
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(method)

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, awaitPromise=True,
                      returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")


def start_browser(chromium, profile):
    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
         "--disable-extensions", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + 60
    while not os.path.exists(port_file) or not open(port_file).read().strip():
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("Chromium did not start (no DevToolsActivePort)")
        time.sleep(0.1)
    port = int(open(port_file).read().split()[0])
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
        pages = [t for t in json.load(r) if t["type"] == "page"]
    return proc, pages[0]["webSocketDebuggerUrl"]


FIGURES = """
[...document.querySelectorAll('figure svg')].map(s => {
  const r = s.getBoundingClientRect(), cs = getComputedStyle(s);
  const texts = [...s.querySelectorAll('text')];
  return {w: r.width, h: r.height, visible: cs.visibility === 'visible' && cs.display !== 'none',
          texts: texts.length,
          drawn: texts.filter(t => t.textContent.trim() && t.getBBox().width > 0).length};
})
"""

FONT = """
document.fonts.ready.then(() => [...document.fonts]
  .filter(f => f.family.replace(/"/g, '') === 'DejaVu Sans').map(f => f.status))
"""


def check(tab, path, name, out_dir):
    """The problems of one page (empty if none); writes NAME.png and NAME.pdf."""
    problems = []
    tab.events.clear()
    tab.call("Page.navigate", url="file://" + os.path.abspath(path))
    tab.wait_for("Page.loadEventFired")
    fonts = tab.evaluate(FONT)
    if fonts != ["loaded"]:
        problems.append(f"the embedded DejaVu Sans font did not load: {fonts}")
    figures = tab.evaluate(FIGURES)
    if not figures:
        problems.append("no figure on the page")
    for i, f in enumerate(figures):
        if not f["visible"] or f["w"] < MIN_FIGURE[0] or f["h"] < MIN_FIGURE[1]:
            problems.append(f"figure {i + 1} is not visible at a readable size: {f}")
        if f["texts"] == 0 or f["drawn"] < f["texts"] * 0.9:
            problems.append(f"figure {i + 1}: its text is not drawn: {f}")
    tables = tab.evaluate("document.querySelectorAll('table tbody tr').length")
    if not tables:
        problems.append("no table rows on the page")
    # Everything the page said or threw while loading and being measured.
    for e in tab.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            problems.append(f"uncaught exception: {p['exceptionDetails'].get('text')}")
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            problems.append(f"console {p['type']}: {[a.get('value') for a in p['args']]}")
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            problems.append(f"browser error: {p['entry'].get('text')} {p['entry'].get('url', '')}")
    shot = tab.call("Page.captureScreenshot", format="png",
                    clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT, "scale": SCALE})
    with open(os.path.join(out_dir, name + ".png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    pdf = base64.b64decode(tab.call("Page.printToPDF", printBackground=True)["data"])
    with open(os.path.join(out_dir, name + ".pdf"), "wb") as f:
        f.write(pdf)
    if not pdf.startswith(b"%PDF") or len(pdf) < 20_000:
        problems.append(f"printing gave no real PDF ({len(pdf)} bytes)")
    print(f"browser_check: {name}: {len(figures)} figures, {tables} table rows, "
          f"PDF {len(pdf) // 1024} KiB, {'ok' if not problems else 'FAILED'}", file=sys.stderr)
    return problems


def main():
    chromium, out_dir, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="relocant-chromium-")
    proc, ws = start_browser(chromium, profile)
    failed = False
    try:
        tab = Tab(ws)
        for domain in ("Page", "Runtime", "Log"):
            tab.call(f"{domain}.enable")
        for spec in pages:
            path, _, name = spec.partition("=")
            name = name or os.path.basename(os.path.dirname(os.path.abspath(path)))
            for p in check(tab, path, name, out_dir):
                print(f"browser_check: {name}: {p}", file=sys.stderr)
                failed = True
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
