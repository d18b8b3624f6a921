"""Request methods: the ones statuskit knows, their properties, and which an origin server implements.

RFC 9110 §9.1 (methods are case-sensitive; 501 for unknown ones), §9.2.1
(safe), §9.2.2 (idempotent), §9.3 (the eight methods), §10.2.1 (Allow);
RFC 5789 (PATCH), RFC 4918 (WebDAV).
"""

from __future__ import annotations

from collections.abc import Iterable

TYPE_CHECKING = False  # typing stays out of `statuskit 404` (see _status.NamedTuple)
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from statuskit.semantics._status import NamedTuple


class Method(NamedTuple):
    """A request method and the properties RFC 9110 §9.2 gives it."""

    name: str
    section: str
    safe: bool
    idempotent: bool

    def __repr__(self) -> str:
        return f"<Method {self.name} ({self.section})>"


# §9.3 defines eight methods; §9.2.1 says which are safe and §9.2.2 which are
# idempotent. PATCH and the WebDAV methods are extensions registered elsewhere.
METHODS: dict[str, Method] = {
    method.name: method
    for method in (
        Method("GET", "RFC 9110 §9.3.1", True, True),
        Method("HEAD", "RFC 9110 §9.3.2", True, True),
        Method("POST", "RFC 9110 §9.3.3", False, False),
        Method("PUT", "RFC 9110 §9.3.4", False, True),
        Method("DELETE", "RFC 9110 §9.3.5", False, True),
        Method("CONNECT", "RFC 9110 §9.3.6", False, False),
        Method("OPTIONS", "RFC 9110 §9.3.7", True, True),
        Method("TRACE", "RFC 9110 §9.3.8", True, True),
        Method("PATCH", "RFC 5789", False, False),
        *(
            Method(name, "RFC 4918", safe, idempotent)
            for name, safe, idempotent in (
                ("PROPFIND", True, True),
                ("PROPPATCH", False, True),
                ("MKCOL", False, True),
                ("COPY", False, True),
                ("MOVE", False, True),
                ("LOCK", False, False),
                ("UNLOCK", False, True),
            )
        ),
    )
}

# An origin server implements every method above except CONNECT: "The CONNECT
# method requests that the recipient establish a tunnel" (§9.3.6), which is
# the job of a proxy. The WebDAV methods are there so that 207, 422-424 and
# 507 can be asked for with the methods that produce them.
ORIGIN_METHODS: frozenset[str] = frozenset(name for name in METHODS if name != "CONNECT")


def supported_methods(methods: Iterable[str]) -> frozenset[str]:
    """The methods a resource that implements `methods` supports: HEAD wherever GET is.

    RFC 9110 §9.3.2: "The HEAD method is identical to GET except that the
    server MUST NOT send content in the response", so an Allow field
    (§10.2.1) listing GET lists HEAD too.
    """
    names = frozenset(methods)
    return names | {"HEAD"} if "GET" in names else names


def is_implemented_method(method: str) -> bool:
    """Does an origin server implement `method`? Methods are case-sensitive (§9.1).

    "An origin server that receives a request method that is unrecognized or
    not implemented SHOULD respond with the 501 (Not Implemented) status code"
    (RFC 9110 §9.1).
    """
    return method in ORIGIN_METHODS
