"""Post-processing of the dbt docs site (`make docs`): two fixes to dbt's bundled page, which
otherwise logs console errors on every load (tests/test_docs_site.py checks there are none).

- Menu icons are written `<use xlink:href="{{ getIcon(...) }}">` in an Angular template: the
  browser requests the literal, uninterpolated URL before Angular binds it (under file://
  "Unsafe attempt to load URL", over http a 404). `ng-attr-xlink:href` is Angular's way to set
  the attribute only once interpolated; the icons are the same.
- The favicon link is an unexpanded build placeholder (`${require('./assets/...')}`): a
  request for a file that does not exist. It becomes an empty data URI (no request).

The usage-tracking script dbt's page loads from a CDN is off because `make docs` runs dbt with
DBT_SEND_ANONYMOUS_USAGE_STATS=false (the page reads that flag from the manifest).
"""

from __future__ import annotations

import sys
from pathlib import Path

UNBOUND = 'xlink:href="{{ getIcon('
BOUND = 'ng-attr-xlink:href="{{ getIcon('
FAVICON_PLACEHOLDER = "href=\"${require('./assets/favicons/favicon.ico')}\""
NO_FAVICON = 'href="data:,"'
PAGES = ("index.html", "static_index.html")


def fix_page(html: str) -> str:
    return html.replace(UNBOUND, BOUND).replace(FAVICON_PLACEHOLDER, NO_FAVICON)


def fix_site(target_dir: Path) -> int:
    """Rewrite the docs pages in `target_dir`; returns how many links were changed."""
    changed = 0
    for name in PAGES:
        page = target_dir / name
        if page.is_file():
            html = page.read_text(encoding="utf-8")
            changed += html.count(UNBOUND) + html.count(FAVICON_PLACEHOLDER)
            page.write_text(fix_page(html), encoding="utf-8")
    return changed


if __name__ == "__main__":  # pragma: no cover - called by `make docs`
    print(f"docs: {fix_site(Path(sys.argv[1]))} broken links in the dbt page fixed")
