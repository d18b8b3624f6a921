"""statuskit: HTTP response status codes as data, a CLI, a test server and a linter.

The public names are re-exported here; everything heavier (the server, the
linter) is imported from its own module so that `import statuskit` stays cheap.
"""

from statuskit.errors import InvalidStatusCode, StatuskitError, UnknownStatusName, UnsupportedLanguage
from statuskit.registry import (
    LANGUAGES,
    Description,
    Spec,
    Standing,
    Status,
    StatusClass,
    by_class,
    get,
    lookup,
    statuses,
)

__version__ = "0.1.0"

__all__ = [
    "Description",
    "InvalidStatusCode",
    "LANGUAGES",
    "Spec",
    "Standing",
    "Status",
    "StatusClass",
    "StatuskitError",
    "UnknownStatusName",
    "UnsupportedLanguage",
    "__version__",
    "by_class",
    "get",
    "lookup",
    "statuses",
]
