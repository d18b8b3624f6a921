"""The catalogues: one per language and domain, keyed by id, every language saying the same ids with the same values.

A missing id falls back to English and a missing value stays `{name}`: neither
crashes in front of a user, so these tests are where both are caught.
"""

from __future__ import annotations

import ast
import json
import os
import pathlib
import re
import string

import pytest

import statuskit
from statuskit.cli import COMMANDS
from statuskit.lint import RULES
from statuskit.lint.probe import CHECKS, PROBES
from statuskit.lint.rules.fields import ConditionalFieldMissing
from statuskit.registry import LANGUAGES, Standing, statuses
from statuskit.registry.catalogue import LOCALES, ByLanguage, RuleWords, Text, labels, text, words
from statuskit.semantics import Level
from statuskit.web.labels import UI

DOMAINS = ("cli", "web", "lint")
SOURCE = pathlib.Path(statuskit.__file__).parent


# Values the code always passes that a language may use though English does not: Chinese names a
# code by its registered phrase and its Chinese title, English by the phrase alone.
OPTIONAL_VALUES = {("cli", "explain.name"): {"title"}}


def _names(template: str) -> set[str]:
    return {name.partition(".")[0].partition("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def _file(lang: str, domain: str) -> dict[str, str]:
    with open(os.path.join(LOCALES, lang, f"{domain}.json"), encoding="utf-8") as handle:
        found: dict[str, str] = json.load(handle)
    return found


def test_the_languages_are_the_folders() -> None:
    assert LANGUAGES == ("en", "zh-CN") == statuskit.LANGUAGES


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_language_says_every_id_with_the_same_values(lang: str, domain: str) -> None:
    english, own = _file("en", domain), _file(lang, domain)
    # A shipped language is complete; English fills in only for a language being added.
    assert list(own) == list(english), set(own) ^ set(english)
    for key, template in english.items():
        optional = OPTIONAL_VALUES.get((domain, key), set())
        assert _names(own[key]) - optional == _names(template) - optional, (lang, domain, key, own[key])
        assert own[key].strip() or not template.strip(), key


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_template_is_well_formed(domain: str) -> None:
    for lang in LANGUAGES:
        for template in _file(lang, domain).values():
            list(string.Formatter().parse(template))  # raises on a stray brace


# -- every id the code asks for is in English -------------------------------------------------


def _literal_ids() -> set[tuple[str, str]]:
    """(domain, id) of every `Text(...)`, `text(...)`, `said(...)`, `Finding(...)` and `Skip(...)` with a literal id."""
    found: set[tuple[str, str]] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if name in ("Text", "text") and len(args) >= 2 and args[0] in DOMAINS and args[1]:
                found.add((args[0], args[1]))
            elif name == "said" and args and args[0]:  # the CLI's messages and help, in the reader's language
                found.add(("cli", args[0]))
            elif name == "Finding" and len(node.args) >= 7:  # the text id a finding is worded with
                chosen = node.args[6]
                options = [chosen.body, chosen.orelse] if isinstance(chosen, ast.IfExp) else [chosen]
                found.update(("lint", c.value) for c in options if isinstance(c, ast.Constant) and c.value)
            elif name == "Skip" and args and args[0]:
                found.add(("lint", f"skip.{args[0]}"))
            elif name == "labels" and len(args) >= 2 and args[0] in DOMAINS and args[1]:
                found.add((args[0], f"{args[1]}."))
    return found


def test_every_literal_id_in_the_code_is_in_english() -> None:
    found = _literal_ids()
    assert len(found) > 30
    said = {key for domain, key in found if domain == "cli" and key.startswith(("error.", "help."))}
    assert len(said) > 60, "the scan no longer sees the CLI's messages and help"
    for domain, key in found:
        english = words(domain, "en")
        if key.endswith("."):  # a prefix read with labels()
            assert any(k.startswith(key) for k in english), key
        else:
            assert key in english, (domain, key)


def test_every_computed_id_is_in_english() -> None:
    lint, cli = words("lint", "en"), words("cli", "en")
    checks = {check.rule for check in CHECKS}
    computed = (
        {rule.id for rule in RULES}
        | checks
        | {f"{p.id}.{part}" for p in PROBES for part in ("title", "expect")}
        | {f"field.level.{level.name.lower()}" for level in Level}
        | {f"negotiation.which.{which}" for which in ("gzip", "identity")}
    )
    assert computed <= set(lint), computed - set(lint)
    shown = (
        {f"standing.{s.value}" for s in Standing}
        | {f"flag.{flag}" for s in statuses() for flag in s.flags}
        | {f"check.{severity}" for severity in ("error", "warning", "info")}
        | {f"check.count_{severity}" for severity in ("error", "warning", "info")}
        | {f"help.{command}" for command in COMMANDS}  # a command's description (options.command_parser)
    )
    assert shown <= set(cli), shown - set(cli)


@pytest.mark.parametrize("prefix", ["explain", "check", "probe"])
def test_every_label_a_command_reads_is_in_english(prefix: str) -> None:
    """The keys the CLI looks up in its labels (`lab["class"]`, `said["summary"]` ...) exist for every command."""
    module = {"explain": "explain", "check": "check", "probe": "probe"}[prefix]
    tree = ast.parse((SOURCE / "cli" / f"{module}.py").read_text(encoding="utf-8"))
    read = {
        node.slice.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
        and (
            (isinstance(node.value, ast.Name) and node.value.id in ("lab", "labels", "said", "shown"))
            or (isinstance(node.value, ast.Attribute) and node.value.attr == "labels")
        )
    }
    assert read, prefix
    everything = {key.partition(".")[2] for key in words("cli", "en")}
    assert read <= everything, read - everything


def test_every_word_the_page_reads_is_in_english() -> None:
    """`word(lang, "key")`, `UI[lang]["key"]` and `data-t="key"` in the templates name ids of web.json."""
    source = (SOURCE / "web" / "templates.py").read_text(encoding="utf-8")
    read: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "word" and len(node.args) >= 2:
            key = node.args[1]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                read.add(key.value)
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            inner = node.value
            if isinstance(inner, ast.Subscript) and getattr(inner.value, "id", "") == "UI":
                read.add(str(node.slice.value))
    read |= set(re.findall(r'data-t(?:-label)?="([a-z_.]+)"', source)) - {"key"}  # "key": the docstring's example
    assert len(read) > 30
    # The page's words: web.json, and the measured table's headings, which are compat.json's (labels.py).
    english = set(UI["en"])
    assert {key for key in english if not key.startswith("measured.")} <= set(words("web", "en"))
    read |= {f"standing.{s.value}" for s in Standing} | {f"flag.{flag}" for s in statuses() for flag in s.flags}
    assert read <= english, read - english


# -- the lookup -------------------------------------------------------------------------------


def test_a_missing_value_stays_visible_instead_of_raising() -> None:
    assert text("lint", "field.listing", "en") == ' listing "{value}"'
    assert text("lint", "field.listing", "zh-CN", value="upgrade") == '（须列出 "upgrade"）'


def test_values_that_are_texts_are_worded_in_the_readers_language() -> None:
    level = Text("lint", "field.level.must")
    assert text(
        "lint",
        "conditional-field-missing",
        "zh-CN",
        code=413,
        reason="Content Too Large",
        field="Retry-After",
        level=level,
        when=RuleWords("the condition is temporary"),
        detail="",
    ) == ("413 Content Too Large 响应没有 Retry-After 字段；如果这种情况只是暂时的，就必须带上它。")
    assert ByLanguage({"en": "a", "zh-CN": "甲"}).render("zh-CN") == "甲"
    assert ByLanguage({"en": "a", "zh-CN": "甲"}).render("xx") == "a"
    assert ConditionalFieldMissing.example["when"] == RuleWords("the condition is temporary")


def test_labels_are_one_commands_ids_without_the_prefix() -> None:
    assert labels("cli", "check", "en")["clean"] == "no findings"
    assert labels("cli", "check", "zh-CN")["clean"] == "没有发现问题"
    assert "clean" not in labels("cli", "probe", "en")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_a_language_says_every_server_option(lang: str) -> None:
    """`serve.json` words the fields' help (English: their metadata, as SECURITY.md and the plugin read it)."""
    import dataclasses

    from statuskit.responder.config import ResponderConfig
    from statuskit.server.config import ServerConfig, options

    english = {
        spec.name: spec.metadata["help"]
        for owner in (ServerConfig, ResponderConfig)
        for spec in dataclasses.fields(owner)
        if spec.metadata
    }
    english |= {f"group.{spec.group}": spec.group for spec in options() if spec.group} | {"group.TLS": "TLS"}
    own = _file(lang, "serve")
    assert set(own) == set(english), set(own) ^ set(english)
    for key, template in english.items():
        assert _names(own[key]) == _names(template), (lang, key, own[key])
