#!/usr/bin/env python3
"""Take a snapshot of MDN's browser-compat data for HTTP status codes.

Usage:  python scripts/mdn_compat.py [VERSION]        (default: the version already recorded)

It runs `npm pack @mdn/browser-compat-data@VERSION` in a temporary directory,
unpacks the tarball with Python's tarfile, reads `http.status` from its
data.json and writes src/statuskit/registry/mdn_compat.json. That file is
committed, so installing or testing statuskit needs neither npm nor the
network; this script is only for whoever moves the snapshot to a new release.

It lives in scripts/ rather than benchmarks/ or the package: it measures
nothing and no user runs it, and it is not part of the wheel.

What is kept is facts: versions, flags, links, the shape of each feature.
MDN's notes are free text; the snapshot stores a note id instead, and the
words shown to readers are our own, in `registry/locales/<lang>/compat.json`.
A note is recognised by the SHA-256 of its text (the sentence itself is not
copied here); a note this script does not know stops it, printing the note
so that the maintainer can give it an id and write its meaning in every
language.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from typing import Any

PACKAGE = "@mdn/browser-compat-data"
ROOT = pathlib.Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "src" / "statuskit" / "registry" / "mdn_compat.json"
LOCALES = ROOT / "src" / "statuskit" / "registry" / "locales"

# sha256(note text)[:16] -> our id for what the note means.
NOTE_IDS = {
    "03b5730d2e599ae8": "http2_only",
    "84b87e2324066fc3": "windows10_only",
}


def note_id(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    found = NOTE_IDS.get(digest)
    if found is None:
        raise SystemExit(
            f"unknown note {text!r} (sha256 prefix {digest}): add it to NOTE_IDS with an id, "
            "and that id's meaning in our own words to every registry/locales/<lang>/compat.json"
        )
    return found


def plain(html: str) -> str:
    """`<code>rel=preload</code>` -> `rel=preload`: labels are shown as text."""
    return re.sub(r"<[^>]+>", "", html)


def support_entry(raw: dict[str, Any]) -> dict[str, Any]:
    notes = raw.get("notes") or []
    if isinstance(notes, str):
        notes = [notes]
    return {
        "added": raw.get("version_added"),
        "removed": raw.get("version_removed"),
        "partial": bool(raw.get("partial_implementation", False)),
        "prefix": raw.get("prefix", ""),
        "alternative_name": raw.get("alternative_name", ""),
        "flags": [
            {"name": f["name"], "type": f["type"], "value": f.get("value_to_set", "")} for f in raw.get("flags", [])
        ],
        "notes": [note_id(n) for n in notes],
        "impl_url": raw.get("impl_url", ""),
    }


def feature(name: str, compat: dict[str, Any]) -> dict[str, Any]:
    spec = compat.get("spec_url", [])
    status = compat.get("status", {})
    support = {}
    for browser, raw in sorted(compat["support"].items()):
        entries = raw if isinstance(raw, list) else [raw]
        support[browser] = [support_entry(e) for e in entries]
    return {
        "feature": name,
        "label": plain(compat.get("description", "")),
        "mdn_url": compat.get("mdn_url", ""),
        "spec_url": [spec] if isinstance(spec, str) else list(spec),
        "standard_track": bool(status.get("standard_track", False)),
        "experimental": bool(status.get("experimental", False)),
        "deprecated": bool(status.get("deprecated", False)),
        "support": support,
    }


def features(node: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """The code's own entry first, then its sub-features (103's rel=preload), depth first."""
    found = [feature(prefix, node["__compat"])] if "__compat" in node else []
    for key, child in node.items():
        if key != "__compat":
            found.extend(features(child, f"{prefix}.{key}" if prefix else key))
    return found


def snapshot(data: dict[str, Any], taken: datetime.date) -> dict[str, Any]:
    status = data["http"]["status"]
    codes = {code: features(node) for code, node in sorted(status.items())}
    used = sorted({b for feats in codes.values() for f in feats for b in f["support"]})
    meta = data["__meta"]
    return {
        "source": {
            "package": PACKAGE,
            "version": meta["version"],
            "released": meta["timestamp"][:10],
            "taken": taken.isoformat(),
            "path": "http.status",
            "license": "CC0-1.0",
            "url": "https://github.com/mdn/browser-compat-data",
        },
        "browsers": {b: {"name": data["browsers"][b]["name"], "type": data["browsers"][b]["type"]} for b in used},
        "codes": codes,
    }


def check_locales(snap: dict[str, Any]) -> None:
    """Every note id the snapshot uses must have words in every language."""
    wanted = {
        n
        for feats in snap["codes"].values()
        for f in feats
        for s in f["support"].values()
        for e in s
        for n in e["notes"]
    }
    for folder in sorted(LOCALES.iterdir()):
        words = json.loads((folder / "compat.json").read_text(encoding="utf-8"))
        missing = wanted - set(words["notes"])
        if missing:
            raise SystemExit(f"{folder.name}/compat.json has no words for the notes {sorted(missing)}")


def fetch(version: str) -> dict[str, Any]:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed (apt-get install npm): it downloads the package")
    with tempfile.TemporaryDirectory(prefix="mdn-bcd-") as tmp:
        done = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{version}", "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"npm pack {PACKAGE}@{version} failed: {done.stderr.strip()[-500:]}")
        tarball = pathlib.Path(tmp) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as archive:
            member = archive.getmember("package/data.json")
            stream = archive.extractfile(member)
            assert stream is not None
            return json.load(stream)  # type: ignore[no-any-return]


def main(argv: list[str]) -> int:
    version = argv[1] if len(argv) > 1 else json.loads(SNAPSHOT.read_text(encoding="utf-8"))["source"]["version"]
    data = fetch(version)
    snap = snapshot(data, datetime.datetime.now(datetime.UTC).date())
    check_locales(snap)
    SNAPSHOT.write_text(json.dumps(snap, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    codes = ", ".join(snap["codes"])
    print(
        f"{SNAPSHOT.relative_to(ROOT)}: {PACKAGE} {snap['source']['version']} ({snap['source']['released']}), codes "
        f"{codes}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
