"""The "Connect your pipeline" page as both engines build it: four tabs, OWOX first, every source linked."""

import html
import re

from tests.support import ROOT

TABS = ["OWOX Data Marts", "Airbyte", "Singer / Meltano", "Plain Python"]
PAGE = (ROOT / "docs" / "connect.md").read_text(encoding="utf-8")


def test_four_tabs_and_every_source_link_under_each_engine(site):
    source = (site.root / "connect" / "index.html").read_text(encoding="utf-8")
    labels = [html.unescape(label) for label in re.findall(r'<label for="__tabbed_\d+_\d+"[^>]*>([^<]+)</label>', source)]
    assert labels == TABS, (site.engine, labels)
    for url in re.findall(r"^\[[\w-]+\]: (\S+)$", PAGE, re.M):
        assert f'href="{html.escape(url)}"' in source or f'href="{url}"' in source, (site.engine, url)
    guide = (site.root / "guide" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="(\.\./)?connect/"', guide), f"{site.engine}: the guide does not link to Connect your pipeline"
