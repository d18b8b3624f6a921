"""Every HTTP status code as data: the single source of truth of statuskit.

Look a code up with `lookup()` (by int, `http.HTTPStatus`, phrase, former
name or constant name), walk them with `statuses()` or `by_class()`, and read
their texts with `Status.describe(lang)`.
"""

from statuskit.registry.lookup import MAX_CODE, MIN_CODE, by_class, get, lookup, parse_class, statuses
from statuskit.registry.status import Spec, Standing, Status, StatusClass
from statuskit.registry.texts import LANGUAGES, Description, describe_class, resolve_language

__all__ = [
    "LANGUAGES",
    "MAX_CODE",
    "MIN_CODE",
    "Description",
    "Spec",
    "Standing",
    "Status",
    "StatusClass",
    "by_class",
    "describe_class",
    "get",
    "lookup",
    "parse_class",
    "resolve_language",
    "statuses",
]
