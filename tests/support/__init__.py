"""What tests and benchmarks share. Import from here, never from conftest.py:

    tests.support              ROOT, the checkout
    tests.support.loopback     serve(handler) / serve_directory(path): the one loopback HTTP server helper
    tests.support.fake_linkedin  FakeLinkedIn(Server): LinkedIn's OAuth and Marketing API, verbatim bodies
    tests.support.site         build_site(engine, workdir): the guide built with MkDocs or Zensical
    tests.support.optional     optional tools (Pillow, ...): a test that needs one skips without it
    tests.support.packaging    build_dists / fresh_venv / pip_install: the package as users install it
    tests.support.actions      CompositeAction: run action.yml's steps as a GitHub runner does
    tests.support.docs_from_code  --help texts, exit-code tables and the verify samples for docs/
    tests.support.cli          run_cli(command, *args, ...): the one way to run a command (secret sweep,
                               published-schema check); run_verify(server, ...) wraps it
    tests.support.clock        FIXED_NOW, the date tests live on; pinned_env(env) for a child process
    tests.support.shift_clock  run.py: make check with every process's clock at other dates
    tests.support.published_schema  validate(doc) against docs/verify.schema.json
    tests.support.docs_commands   the commands the site shows per system (macOS / Linux, Windows tabs)
    tests.support.users        run_as_nobody(code): code run as an unprivileged user (file permissions)
    tests.support.capture      a loopback server that records what it is sent (where secrets go)
    tests.support.github_script  run a workflow's github-script file under node against a fake client
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
