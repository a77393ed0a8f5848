"""What tests and benchmarks share: paths, loopback servers, the fake LinkedIn, the site builder.

Import from here (`from tests.support import ROOT`), never from conftest.py.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
