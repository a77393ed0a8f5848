"""The verifier and the site agree: every failure links to its own Troubleshooting section."""

import re

import yaml

from checks import DOCS_URL
from checks.credentials.problems import PROBLEMS
from tests.support import ROOT

TROUBLESHOOTING = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")


def test_every_problem_has_a_troubleshooting_section_and_no_section_is_orphaned():
    anchors = re.findall(r"^## .+\{ #([\w-]+) \}$", TROUBLESHOOTING, re.M)
    assert sorted(anchors) == sorted(PROBLEMS), "troubleshooting.md sections and checks/problems.py ids differ"


def test_each_troubleshooting_heading_is_the_problems_title():
    """One source for a problem's name: the verifier's title is the heading the error reference links to."""
    headings = {anchor: title for title, anchor in re.findall(r"^## (.+) \{ #([\w-]+) \}$", TROUBLESHOOTING, re.M)}
    assert {pid: p.title for pid, p in PROBLEMS.items()} == headings


def test_docs_links_point_at_the_published_site():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # ignores !!python tags
    assert config["site_url"].rstrip("/") + "/" == DOCS_URL
    for problem in PROBLEMS.values():
        assert problem.docs == f"{DOCS_URL}troubleshooting/#{problem.id}"


def test_verify_page_documents_every_exit_code_and_option():
    page = (ROOT / "docs" / "verify.md").read_text(encoding="utf-8")
    for code in "01234":
        assert f"| {code} |" in page
    from checks.verify import build_parser

    for action in build_parser()._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in page, f"{option} is not on the Verify page"
