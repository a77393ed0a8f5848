"""What a reader of the built guide sees: no escaping debris, one repository for installs and help,
steps counted right, maintainers' material out of the way, and the facts a reader needs to find
LinkedIn's e-mail and check a token. Checked in the HTML each engine built (the `site` fixture)."""

import html
import re
from pathlib import Path

import yaml

from tests.support import ROOT

CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # ignores !!python tags
REPO_URL = CONFIG["repo_url"].rstrip("/")
READER_PAGES = ["index.html", "guide/index.html", "connect/index.html", "cli/index.html", "verify/index.html", "troubleshooting/index.html"]
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def built(site, page: str) -> str:
    return (site.root / page).read_text(encoding="utf-8")


def content(site, page: str) -> str:
    """The article's visible text (tags stripped, entities decoded, whitespace collapsed)."""
    source = built(site, page)
    article = source[source.index('<article'):source.index('</article>')]
    article = re.sub(r"<(script|style)\b.*?</\1>", " ", article, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", article)))


def hrefs(source: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', source)]


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


def all_pages(site) -> list[Path]:
    return [p for p in site.root.rglob("*.html") if p.name != "404.html"]


def test_repo_url_is_the_projects_github_repository():
    assert REPO_URL == "https://github.com/linkedin-ads-token-guide/linkedin-ads-token-guide"
    owner = REPO_URL.split("/")[3]
    assert CONFIG["site_url"].rstrip("/") == f"https://{owner}.github.io", "site_url and repo_url name different owners"


def test_no_backslash_escaped_quote_shows_on_any_page(site):
    for page in all_pages(site):
        text = content(site, str(page.relative_to(site.root)))
        assert '\\"' not in text and "\\'" not in text, f"{page.relative_to(site.root)} shows a backslash-escaped quote"
    # The failure box's title is quoted once, with real quotation marks.
    guide = built(site, "guide/index.html")
    titles = re.findall(r'class="admonition-title">([^<]*scopes available[^<]*)<', guide)
    assert titles == ["“There aren't any scopes available for this app”"], titles


def with_snippets(markdown: str) -> str:
    """The page's Markdown with its `--8<-- "file"` lines replaced by the files (docs/.snippets)."""
    return re.sub(r'^--8<-- "([^"]+)"$', lambda m: (ROOT / "docs/.snippets" / m.group(1)).read_text(encoding="utf-8"),
                  markdown, flags=re.MULTILINE)


def test_every_install_instruction_uses_the_one_repository_url():
    files = [*ROOT.glob("docs/*.md"), *ROOT.glob("docs/.snippets/*.md"), ROOT / "README.md"]
    sources = {p.relative_to(ROOT): p.read_text(encoding="utf-8") for p in files}
    for name, text in sources.items():
        assert "<this repository>" not in text, f"{name}: placeholder instead of the repository URL"
        for line in re.findall(r"^.*\bgit clone\b.*$", text, re.MULTILINE):
            assert f"git clone {REPO_URL}" in line, f"{name}: {line.strip()}"
        for url in re.findall(r"git\+(\S+?)[\"'\s`]", text):
            assert url.rstrip("/") == REPO_URL, f"{name}: pip install git+{url}"
        for url in re.findall(r"https://github\.com/[^\s)\"'`>]+", text):
            cited = re.match(r"https://github\.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{40}/", url)  # a source pinned to a commit
            assert url.rstrip("/.,;") == REPO_URL or url.startswith(REPO_URL + "/") or cited, f"{name}: {url} is not this project's repository"
    verify = with_snippets(sources[Path("docs/verify.md")])
    install = section(verify, "## Install", "\n## ")
    assert f'pip install "git+{REPO_URL}"' in install, "the no-clone install (pip install git+<repo_url>) is on the Verify page"
    assert install.index("git+") < install.index("git clone"), "the no-clone path comes first"


def test_header_links_to_the_repository_on_every_page(site):
    for page in all_pages(site):
        assert REPO_URL in hrefs(built(site, str(page.relative_to(site.root)))), page


def test_help_links_go_to_the_repositorys_discussions_and_issues(site):
    for page in ("guide/index.html", "verify/index.html"):
        links = hrefs(built(site, page))
        assert f"{REPO_URL}/discussions" in links, f"{page}: no link to the discussions"
        assert f"{REPO_URL}/issues" in links, f"{page}: no link to the issues"
    # "Ask in the discussions" never stands as plain text without its link.
    for page in READER_PAGES:
        source = built(site, page)
        article = source[source.index("<article"):source.index("</article>")]
        unlinked = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<a\b[^>]*>.*?</a>", " ", article, flags=re.DOTALL)))
        unlinked = re.sub(r"\s+", " ", unlinked)
        assert not re.search(r"\b(discussions|open an issue)\b", unlinked, re.IGNORECASE), f"{page}: help mentioned without its link"


def test_the_number_of_steps_announced_is_the_number_of_steps(site):
    text = content(site, "guide/index.html")
    announced = re.findall(r"\bThe (\w+) steps below\b", text, re.IGNORECASE)
    assert announced, "the guide announces how many steps follow"
    headings = re.findall(r'<h2 id="step-\d[^"]*">Step (\d+):', built(site, "guide/index.html"))
    assert headings == [str(n) for n in range(1, len(headings) + 1)]
    for word in announced:
        assert NUMBERS[word.lower()] == len(headings), f'"The {word} steps below" but {len(headings)} steps follow'


def test_maintainers_page_sits_in_its_own_section_after_the_readers_pages():
    nav = CONFIG["nav"]
    top_level_pages = [next(iter(item.values())) for item in nav if isinstance(next(iter(item.values())), str)]
    assert "maintainers.md" not in top_level_pages, "the maintainers' page sits beside the guide"
    sections = [item for item in nav if isinstance(next(iter(item.values())), list)]
    assert len(sections) == 1 and nav[-1] is sections[0], "one maintainers' section, last in the navigation"
    (title, children), = sections[0].items()
    assert "maintainer" in title.lower()
    assert [next(iter(c.values())) for c in children] == ["maintainers.md"]


def test_no_readers_page_links_into_the_maintainers_page_except_the_navigation(site):
    for page in READER_PAGES:
        source = built(site, page)
        article = source[source.index("<article"):source.index("</article>")]
        assert "maintainers/" not in "".join(hrefs(article)), f"{page} sends readers to the maintainers' page"


def test_about_these_screenshots_note_says_what_they_are_and_when_last_checked(site):
    text = content(site, "guide/index.html")
    note = section(text, "About these screenshots", "Step 1:")
    assert "simplified drawings" in note and "made by this project" in note
    # It claims only what the reference screenshots support, and says which screens had none.
    assert "screenshot of the real portal taken in 2025" in note and "View Ad Accounts" in note
    assert "exactly" not in note, "no claim that every label is exactly LinkedIn's: the live portal was never checked"
    # The date sentence is the drift record's snippet, included, never typed into the guide.
    raw = re.sub(r"\s+", " ", (ROOT / "docs/.snippets/last-checked.md").read_text(encoding="utf-8")).strip()
    snippet = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", raw)  # a Markdown link reads as its text
    assert snippet and snippet in re.sub(r"\s+([.,:;])", r"\1", note), "the last-checked snippet is not in the note"
    assert raw not in (ROOT / "docs/guide.md").read_text(encoding="utf-8"), "the date is typed into the guide"
    assert '--8<-- "last-checked.md"' in (ROOT / "docs/guide.md").read_text(encoding="utf-8")
    assert text.index("About these screenshots") < text.index("Step 1:"), "the note comes before the first screenshot"


def test_step_3_names_the_approval_emails_sender_and_subject_and_the_spam_folder(site):
    step3 = section(content(site, "guide/index.html"), "Step 3:", "Step 4:")
    assert '"LinkedIn Developer"' in step3
    assert '"Welcome! Jumpstart your development with LinkedIn Advertising API"' in step3
    assert "spam" in step3


def test_the_portals_token_inspector_is_offered_as_the_no_install_check(site):
    source = built(site, "guide/index.html")
    assert "https://www.linkedin.com/developers/tools/oauth/token-inspector" in hrefs(source)
    text = content(site, "guide/index.html")
    inspector = text[text.index("Token Inspector"):][:1000]
    assert "Inspect token" in inspector and "OAuth 2.0 tools" in inspector
    assert "scopes" in inspector and "expires" in inspector


def test_no_script_holds_up_the_first_paint(site):
    """Every external script is deferred (the theme's bundle through overrides/main.html): a
    render-blocking one costs about half a second of first paint on Lighthouse's simulated phone."""
    for page in all_pages(site):
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", built(site, str(page.relative_to(site.root)))):
            assert re.search(r"\s(defer|async)\b", tag), f"{page.relative_to(site.root)}: {tag} blocks rendering"
