"""The facts statuskit.semantics holds for the resources (docs/resources-a.md)."""

from __future__ import annotations

from statuskit import semantics


def test_head_is_supported_wherever_get_is() -> None:
    # RFC 9110 §9.3.2: HEAD is GET without content.
    assert semantics.supported_methods(["GET", "PUT"]) == {"GET", "HEAD", "PUT"}
    assert semantics.supported_methods(["POST"]) == {"POST"}
    assert semantics.supported_methods([]) == frozenset()


def test_the_redirects_the_resources_offer_are_those_with_method_rules() -> None:
    from statuskit.responder.resources.redirects import REDIRECT_CODES

    assert REDIRECT_CODES == (301, 302, 303, 307, 308)
    assert all(code in semantics.METHOD_CHANGE for code in REDIRECT_CODES)
