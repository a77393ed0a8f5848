"""Every source the repository cites is public: no file points at notes kept outside it."""

import subprocess

from tests.support import ROOT


def test_no_file_cites_a_path_outside_the_repository():
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    outside = "../" + "shared"  # spelled in two parts so this file does not match itself
    citing = [name.decode() for name in files if name and (ROOT / name.decode()).is_file()
              and outside.encode() in (ROOT / name.decode()).read_bytes()]
    assert citing == [], f"cite the public source instead: {citing}"
