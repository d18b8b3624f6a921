"""Each resource declares its methods once (`Methods`): its 405 and its answer to OPTIONS both come from that.

The paths below reach every declaration; a real server answers them.
"""

from __future__ import annotations

import pytest

from statuskit.responder import Responder
from statuskit.responder.resources.base import Methods
from statuskit.server import ServerThread

from .conftest import raw_request

# A path under each declaration, and the attribute of its route that holds it.
DECLARED = (
    ("/", "methods"),
    ("/html", "methods"),
    ("/image", "methods"),
    ("/base64/YWI", "methods"),
    ("/links/3/0", "methods"),
    ("/jobs", "collection_methods"),
    ("/jobs/1", "monitor_methods"),
    ("/jobs/1/result", "result_methods"),
    ("/ratelimit/5/60", "methods"),
    ("/unstable", "methods"),
    ("/range/16", "methods"),
    ("/gzip", "methods"),
    ("/get", "methods"),
    ("/delete", "methods"),
    ("/anything/a", "methods"),
    ("/headers", "methods"),
    ("/response-headers", "methods"),
    ("/cookies", "methods"),
    ("/methods", "methods"),
    ("/negotiate", "methods"),
    ("/negotiate/en.txt", "variant_methods"),
    ("/gateway/502", "methods"),
    ("/etag/abc", "methods"),
    ("/cache", "methods"),
    ("/conditional-put/x", "methods"),
    ("/items", "collection_methods"),
    ("/items/1", "item_methods"),
    ("/delay/0", "methods"),
    ("/bytes/4", "methods"),
)

OTHER_METHODS = ("PATCH", "PUT", "DELETE", "POST", "GET", "TRACE")


def declaration(path: str, attribute: str) -> Methods:
    route, _ = Responder().router.resolve(path)
    declared = getattr(route, attribute)
    assert isinstance(declared, Methods), (path, type(route).__name__)
    return declared


@pytest.mark.parametrize(("path", "attribute"), DECLARED)
def test_405_and_options_carry_the_declared_allow(server: ServerThread, path: str, attribute: str) -> None:
    declared = declaration(path, attribute)
    other = next((method for method in OTHER_METHODS if method not in declared.allow.split(", ")), None)
    if other is not None:  # /anything takes every method
        refused = raw_request(server.port, path, other)
        assert refused.status == 405, (path, other, refused.status)
        assert refused.header("allow") == declared.allow
    if "OPTIONS" not in declared.implemented:
        options = raw_request(server.port, path, "OPTIONS")
        assert options.status == 204, (path, options.status)
        assert options.header("allow") == declared.allow
        for name, value in declared.options_fields:
            assert options.header(name.lower()) == value


def test_allow_lists_head_with_get_and_options_always_in_rfc_order() -> None:
    assert Methods(("PUT", "GET")).allow == "GET, HEAD, PUT, OPTIONS"
    assert Methods(("DELETE",)).allow == "DELETE, OPTIONS"
