"""The data the page embeds for its script, cut from `status_document`.

The HTML already shows every fact in the language it was rendered in; the
script needs only what changes with the language (the texts of each code and
class, the interface words) and what search reads (names, former names,
owner). Those values are taken key by key from `status_document` and
`class_document`, the shape the CLI and the server's JSON use, so a key here
means what it means there; nothing is recomputed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from statuskit.document import class_document, status_document
from statuskit.registry import LANGUAGES, Status, StatusClass
from statuskit.web.labels import UI

# Keys of status_document that differ by language, and the ones that do not
# but that search reads.
TEXT_KEYS = ("title", "summary", "server", "client")
NAME_KEYS = ("code", "phrase", "reason", "aliases", "owner")
CLASS_KEYS = ("title", "summary")


def code_entry(status: Status) -> dict[str, Any]:
    """What the script knows of one code: names, and texts per language."""
    docs = {lang: status_document(status, lang) for lang in LANGUAGES}
    first = docs[LANGUAGES[0]]
    entry = {key: first[key] for key in NAME_KEYS}
    # Try it must know a 1xx is interim without asking the server first.
    entry["interim"] = first["semantics"]["interim"]
    entry["texts"] = {lang: _texts(doc) for lang, doc in docs.items()}
    return entry


def _texts(doc: dict[str, Any]) -> dict[str, str]:
    """The language-dependent texts of one document, under the keys the page's `data-f` attributes name."""
    texts = {key: doc[key] for key in TEXT_KEYS}
    facts = doc["semantics"]
    for i, rule in enumerate(facts["fields"]):
        texts[f"field{i}.value"] = rule["value"]
        texts[f"field{i}.when"] = rule["when"]
    if facts["method_change"]:
        texts["method_change"] = facts["method_change"]
    for i, feature in enumerate((doc["browsers"] or {}).get("features", ())):
        for j, entry in enumerate(feature["support"]):
            texts[f"compat{i}.{j}.version"] = entry["version"]
            texts[f"compat{i}.{j}.conditions"] = "; ".join(entry["conditions"])
    for k, row in enumerate((doc["browser_behaviour"] or {}).get("rows", ())):
        for key, text in row["text"].items():
            texts[f"measured{k}.{key}"] = text
    return texts


def class_entry(status_class: StatusClass) -> dict[str, dict[str, str]]:
    """Title and summary of a class per language."""
    docs = {lang: class_document(status_class, lang) for lang in LANGUAGES}
    return {lang: {key: doc[key] for key in CLASS_KEYS} for lang, doc in docs.items()}


def page_data(lang: str, codes: Iterable[Status], classes: Iterable[StatusClass], page: str) -> dict[str, Any]:
    """Everything one page's script reads: its language, words, classes and codes."""
    return {
        "page": page,
        "lang": lang,
        "languages": list(LANGUAGES),
        "ui": UI,
        "classes": {str(int(c)): class_entry(c) for c in classes},
        "codes": [code_entry(s) for s in codes],
    }


def script_json(value: Any) -> str:
    """JSON that is safe inside `<script type="application/json">`.

    An HTML parser ends a script element at `</script` whatever the JSON
    means, and `<!--` changes how it scans; escaping `<`, `>` and `&` as
    JSON \\u escapes makes both impossible and leaves the value unchanged.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
