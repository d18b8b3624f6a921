"""Shared fixtures. Paths to the shared reference material live here so tests
can check the registry against the same sources the code was written from."""

from __future__ import annotations

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def iana_rows() -> list[tuple[int, str, str]]:
    """The IANA registry snapshot (copied into tests/data so CI needs nothing outside the repo)."""
    rows = []
    lines = (DATA / "iana-http-status-codes-2025-09.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        code, phrase, reference = line.split("\t")
        rows.append((int(code), phrase, reference))
    return rows
