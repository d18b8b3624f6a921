"""Terminal output: colour when it helps, width-aware wrapping, JSON.

Colour follows the usual conventions: on when standard output is a terminal,
off when piped or when NO_COLOR is set to anything (https://no-color.org),
and `--color always|never` overrides both.
"""

from __future__ import annotations

import os
import sys
import unicodedata

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any, TextIO

_CODES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}

# Colour of a code by class: the same palette browsers' devtools use.
CLASS_COLOURS = {1: "blue", 2: "green", 3: "cyan", 4: "yellow", 5: "red"}


def use_colour(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Style:
    """Wraps text in ANSI escapes, or returns it untouched when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(_CODES[s] for s in styles)
        return f"\033[{codes}m{text}\033[0m"


def char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    # Latin words stay whole; each wide (CJK) character may be broken after,
    # which is how Chinese text wraps.
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace():
            if word:
                out.append(word)
                word = ""
            out.append(" ")
        elif char_width(ch) == 2:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out


_NO_LINE_START = set("，。、；：？！）》」』】,.;:?!)")


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Wrap `text` to `width` display columns, CJK-aware."""
    avail = max(20, width - text_width(indent))
    lines: list[str] = []
    line = ""
    used = 0
    for token in _tokens(" ".join(text.split())):
        w = text_width(token)
        if token == " ":
            if line:
                line += " "
                used += 1
            continue
        if used + w > avail and line.strip() and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0
        line += token
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return [indent + ln for ln in lines]


def terminal_width(stream: TextIO) -> int:
    if hasattr(stream, "isatty") and stream.isatty():
        import shutil

        return min(100, shutil.get_terminal_size((80, 24)).columns)
    return 80


def write_json(data: Any, stream: TextIO = sys.stdout) -> None:
    import json

    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
