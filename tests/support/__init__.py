"""What tests and benchmarks share. Import from here, never from conftest.py:

    tests.support              ROOT, the checkout
    tests.support.loopback     serve(handler) / serve_directory(path): the one loopback HTTP server helper
    tests.support.fake_linkedin  FakeLinkedIn(Server): LinkedIn's OAuth and Marketing API, verbatim bodies
    tests.support.site         build_site(engine, workdir): the guide built with MkDocs or Zensical
    tests.support.optional     optional tools (Pillow, ...): a test that needs one skips without it
    tests.support.docs_from_code  --help texts and exit-code tables for the cog blocks in docs/
    tests.support.docs_commands   the commands the site shows per system (macOS / Linux, Windows tabs)
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
