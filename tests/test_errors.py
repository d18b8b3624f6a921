"""errors.py draws the whole exception tree: every class statuskit raises on purpose is in the drawing."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import statuskit
from statuskit import errors
from statuskit.server.errors import ProtocolError


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_the_drawing_names_every_class_of_the_tree() -> None:
    for module in pkgutil.walk_packages(statuskit.__path__, "statuskit."):
        if module.name != "statuskit.__main__":
            importlib.import_module(module.name)
    drawing = errors.__doc__ or ""
    for cls in _subclasses(errors.StatuskitError):
        where = cls.__module__.removeprefix("statuskit.")
        named = cls.__name__ if where == "errors" else f"{where}.{cls.__name__}"
        assert named in drawing, f"errors.py does not draw {named}"


def test_every_refusal_carries_status_and_detail_by_keyword() -> None:
    refusal = errors.Refusal(status=418, detail="short and stout")
    assert (refusal.status, refusal.detail, str(refusal)) == (418, "short and stout", "short and stout")
    assert isinstance(refusal, errors.StatuskitError)


def test_the_engine_refusal_takes_keywords_only() -> None:
    with pytest.raises(TypeError):
        ProtocolError(431, "too many fields")  # type: ignore[misc]
    error = ProtocolError(status=431, detail="too many fields")
    assert isinstance(error, errors.Refusal)
    assert (error.status, error.detail, str(error), error.head) == (
        431,
        "too many fields",
        "431: too many fields",
        False,
    )
