"""Reflow at 320 CSS px (WCAG 1.4.10) and text at 200 % (WCAG 1.4.4) on every page.

Each page is loaded once at 1280 × 900 as the baseline, then checked in two modes:

- ``320px``: the viewport narrowed to 320 CSS px (what 1280 px at 400 % zoom shows);
- ``text200``: the 1280 px viewport with the browser's default font size doubled (16 → 32 px,
  through Chromium's DevTools ``Page.setFontSizes``: the same setting as "Schriftgröße" in the
  browser's preferences). The stylesheet sizes text in rem, so every text grows to 200 % while
  pixel sizes (borders, the viewport) stay: text zoom, not page zoom.

In each mode: the page does not scroll sideways; no text box is wider than its element
(scrollWidth > clientWidth), sticks out of the viewport or out of a clipping ancestor; no two
lines of text overlap; and every text shown at the baseline is still shown. Text inside a
deliberate scroll region (overflow auto, tabindex=0, a role and a label: the wide staff tables)
may extend beyond the viewport. A full-page PNG of each mode goes to ``$DIALOG_ARTIFACTS``
(default ``test-artifacts/screenshots/``), named ``<role>-<page>-<mode>.png``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dialog import create_app
from tests import route_catalogue
from tests.browser.role_contexts import RoleContexts
from tests.conftest import make_config
from tests.route_catalogue import ANONYMOUS, known_routes

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BASELINE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 900}
DEFAULT_FONT_PX = 16  # Chromium's default "standard" font size; text200 doubles it

# Collects what a visitor sees as text, and what is wrong with how it is laid out. Returns
# {texts: [...], problems: [...]}; `texts` are the rendered text nodes, for the comparison
# with the baseline.
INSPECT = r"""
() => {
  const doc = document.documentElement;
  const viewport = doc.clientWidth;
  const problems = [];
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.classList.length) s += '.' + [...el.classList].join('.');
    const parent = el.parentElement;
    return parent && parent !== document.body ? name(parent) + ' > ' + s : s;
  };
  const short = (text) => text.replace(/\s+/g, ' ').trim().slice(0, 50);
  const isScrollRegion = (el) => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll'].includes(style.overflowX) && el.getAttribute('tabindex') === '0'
      && el.hasAttribute('role')
      && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'));
  };
  // Deliberately hidden: text for screen readers only, the skip link until it is focused.
  const isHiddenOnPurpose = (el) => el.closest('.visually-hidden, .skip-link') !== null;

  if (doc.scrollWidth > viewport) {
    problems.push(`the page is ${doc.scrollWidth}px wide in a ${viewport}px viewport`);
  }

  const texts = [];
  const lines = [];  // [rect, text node index]
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const checked = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || !parent || isHiddenOnPurpose(parent)) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION'].includes(parent.tagName)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    // Not rendered: display none, visibility hidden, inside a closed <details>.
    if (!rects.length || !parent.checkVisibility({visibilityProperty: true})) continue;
    texts.push(short(node.data));
    const index = texts.length - 1;
    let region = null;
    for (let el = parent; el && el !== document.body; el = el.parentElement) {
      if (isScrollRegion(el)) { region = el; break; }
    }
    for (const rect of rects) lines.push([rect, index, region]);
    if (!region && rects.some(r => r.left < -1 || r.right > viewport + 1)) {
      problems.push(`text sticks out of the viewport: "${short(node.data)}" in ${name(parent)}`);
    }
    // The nearest block box that holds the text must not be narrower than its content, and
    // no ancestor that clips (overflow other than visible) may cut the text off.
    for (let el = parent; el && el !== document.body && el !== region; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.display === 'inline' || style.display === 'contents') continue;
      if (!checked.has(el)) {
        checked.add(el);
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
          problems.push(`text wider than its box (${el.scrollWidth} > ${el.clientWidth}px): `
            + `"${short(el.textContent)}" in ${name(el)}`);
        }
      }
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
        const box = el.getBoundingClientRect();
        if (rects.some(r => r.left < box.left - 1 || r.right > box.right + 1
                         || r.top < box.top - 1 || r.bottom > box.bottom + 1)) {
          problems.push(`text clipped by ${name(el)}: "${short(node.data)}"`);
        }
      }
    }
  }
  // Lines of different text nodes must not cover each other (a little touching is fine).
  for (let i = 0; i < lines.length; i++) {
    const [a, ia, ra] = lines[i];
    for (let j = i + 1; j < lines.length; j++) {
      const [b, ib, rb] = lines[j];
      if (ia === ib || ra !== rb) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 0.25 * Math.min(a.height, b.height)) {
        problems.push(`text overlaps: "${texts[ia]}" and "${texts[ib]}"`);
      }
    }
  }
  return {texts, problems: [...new Set(problems)]};
}
"""


def artifacts_dir() -> Path:
    path = Path(os.environ.get("DIALOG_ARTIFACTS") or ROOT / "test-artifacts" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def set_text_size(session, percent: int) -> None:
    """The browser's text size setting: Chromium's default font size, in percent of 16 px.

    The setting lasts as long as the DevTools `session` that made it.
    """
    size = DEFAULT_FONT_PX * percent // 100
    session.send("Page.setFontSizes", {"fontSizes": {"standard": size, "fixed": size * 13 // 16}})


def lost(baseline: list[str], now: list[str]) -> list[str]:
    """Texts shown at the baseline but no longer (as many times as they went missing)."""
    remaining = list(now)
    missing = []
    for text in baseline:
        if text in remaining:
            remaining.remove(text)
        else:
            missing.append(text)
    return missing


def check_reflow(page, url: str, label: str, status: int = 200) -> list[str]:
    """Load `url` and check both modes; screenshots named after `label`. Returns the problems."""
    page.set_viewport_size(BASELINE)
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    assert page.url == url, f"{url} redirected to {page.url}"
    baseline = page.evaluate(INSPECT)["texts"]
    directory = artifacts_dir()
    problems = []
    session = page.context.new_cdp_session(page)
    try:
        for mode in ("320px", "text200"):
            if mode == "320px":
                page.set_viewport_size(NARROW)
            else:
                page.set_viewport_size(BASELINE)
                set_text_size(session, 200)
                root = page.evaluate("getComputedStyle(document.documentElement).fontSize")
                assert root == f"{2 * DEFAULT_FONT_PX}px", f"text size not doubled: {root}"
            found = page.evaluate(INSPECT)
            page.screenshot(path=directory / f"{label}-{mode}.png", full_page=True)
            problems += [f"[{mode}] {problem}" for problem in found["problems"]]
            problems += [
                f"[{mode}] text no longer shown: {text!r}"
                for text in lost(baseline, found["texts"])
            ]
    finally:
        set_text_size(session, 100)
        session.detach()
    return problems


def _pages() -> dict[str, tuple[str, str]]:
    """Every HTML page of the route catalogue: endpoint → (its path, the role that sees it)."""
    app = create_app(make_config("sqlite://"))  # only for its URL rules
    return {
        route.endpoint: (route.entry.path, route.viewer)
        for route in known_routes(app)
        if route.entry.page and route.expected("GET", route.viewer) == 200
    }


PAGES = _pages()


@pytest.fixture(scope="module")
def contexts(browser, live_server, route_ids):
    contexts = RoleContexts(browser, live_server, BASELINE)
    yield contexts
    contexts.close()


def test_catalogue_is_complete(live_server):
    """The pages checked below are the app's pages: a new route fails here until catalogued."""
    unknown = route_catalogue.problems(live_server.app)
    assert not unknown, "\n".join(unknown)


@pytest.mark.parametrize("endpoint", PAGES)
def test_page_reflows(contexts, live_server, route_ids, endpoint):
    path, role = PAGES[endpoint]
    page = contexts.get(role).new_page()
    try:
        url = live_server.base_url + path.format(**route_ids)
        found = check_reflow(page, url, f"{role}-{endpoint.replace('.', '-')}")
    finally:
        page.close()
    assert not found, f"{url} as {role}:\n" + "\n".join(found)


# Pages beyond the catalogue's one address per route: a state of a page, the error page.
EXTRA_PAGES = {
    "events-past": ("/veranstaltungen?zeitraum=vergangen", 200),
    "not-found": ("/gibt-es-nicht", 404),
}


@pytest.mark.parametrize("name", EXTRA_PAGES)
def test_extra_page_reflows(contexts, live_server, name):
    path, status = EXTRA_PAGES[name]
    page = contexts.get(ANONYMOUS).new_page()
    try:
        found = check_reflow(page, live_server.url(path), f"anonymous-{name}", status)
    finally:
        page.close()
    assert not found, f"{path}:\n" + "\n".join(found)


BROKEN_PAGE = """<!doctype html><html lang="de"><head><style>
  .fixed { width: 600px; }
  .clipped { display: block; width: 100px; overflow: hidden; white-space: nowrap; }
  .pulled-up { margin-top: -1.6em; }
  @media (max-width: 400px) { .narrow-hidden { display: none; } }
  .region { overflow-x: auto; }
</style></head><body>
  <p class="fixed">Ein Absatz mit fester Breite ragt über den rechten Rand hinaus</p>
  <p><span class="clipped">Abgeschnitten, weil er nicht umbricht</span></p>
  <p>Erste Zeile</p><p class="pulled-up">Darüber gelegt</p>
  <p class="narrow-hidden">Nur breit zu sehen</p>
  <div class="region" role="region" aria-label="Tabelle" tabindex="0">
    <p class="fixed">Darf im Bereich scrollen</p>
  </div>
</body></html>"""


def test_the_inspection_finds_each_kind_of_problem(browser):
    """The checks above can fail: a page with every fault is caught, the scroll region is not."""
    context = browser.new_context(viewport=BASELINE)
    try:
        page = context.new_page()
        page.set_content(BROKEN_PAGE)
        baseline = page.evaluate(INSPECT)["texts"]
        page.set_viewport_size(NARROW)
        found = page.evaluate(INSPECT)
    finally:
        context.close()
    report = "\n".join(found["problems"])
    assert "the page is" in report
    assert 'sticks out of the viewport: "Ein Absatz mit fester Breite ragt' in report
    assert "wider than its box" in report and "Abgeschnitten" in report
    assert 'text clipped by p > span.clipped: "Abgeschnitten' in report
    assert 'text overlaps: "Erste Zeile" and "Darüber gelegt"' in report
    assert "Darf im Bereich scrollen" not in report
    assert lost(baseline, found["texts"]) == ["Nur breit zu sehen"]
