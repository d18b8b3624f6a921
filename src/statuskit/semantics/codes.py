"""Facts of a status code beyond its fields: interim or final, and how a redirect treats the method.

RFC 9110 §15.2 (1xx are interim; none to an HTTP/1.0 client), §15.4.2-§15.4.9
(redirects and the method of the next request). `summary` gathers every rule
of the package for one code, in the shape the CLI's --json and the page use.
"""

from __future__ import annotations

from statuskit.registry import StatusClass
from statuskit.registry.texts import rule_text
from statuskit.semantics._status import as_status
from statuskit.semantics.caching import cacheability
from statuskit.semantics.content import allows_content, allows_content_length, no_content_reason
from statuskit.semantics.fields import field_rules, rule_texts

TYPE_CHECKING = False  # typing stays out of `statuskit 404`
if TYPE_CHECKING:
    from typing import Any

# §15.4: which redirects may change the method of the next request.
METHOD_CHANGE: dict[int, str] = {
    301: "may change POST to GET",  # §15.4.2
    302: "may change POST to GET",  # §15.4.3
    303: "changes any method but HEAD to GET",  # §15.4.4
    307: "must keep the method and content",  # §15.4.8
    308: "must keep the method and content",  # §15.4.9
}

# §15.2: "A server MUST NOT send a 1xx response to an HTTP/1.0 client."
_NO_INTERIMS = frozenset({"1.0"})


def is_interim(code: Any) -> bool:
    """1xx responses are interim: a final response still follows (RFC 9110 §15.2)."""
    return as_status(code).status_class is StatusClass.INFORMATIONAL


def interims_allowed(http_version: str) -> bool:
    """May any 1xx response go to a client that spoke `http_version`? (RFC 9110 §15.2)"""
    return http_version not in _NO_INTERIMS


def may_be_sent_to(code: Any, http_version: str) -> bool:
    """A server MUST NOT send a 1xx response to an HTTP/1.0 client (RFC 9110 §15.2)."""
    return interims_allowed(http_version) or not is_interim(code)


def method_change_text(code: Any, lang: str = "en") -> str:
    """How a redirect treats the next request's method (RFC 9110 §15.4), in `lang`; "" if not a redirect."""
    return rule_text(METHOD_CHANGE.get(as_status(code).code, ""), lang)


def summary(code: Any, method: str = "GET", lang: str = "en") -> dict[str, Any]:
    """Every rule of the package for one code; prose in `lang`."""
    status = as_status(code)
    fields = []
    for rule in field_rules(status):
        entry = rule.as_dict()
        entry["value"], entry["when"] = rule_texts(rule, lang)
        fields.append(entry)
    return {
        "interim": is_interim(status),
        "content": allows_content(status, method),
        "no_content_section": no_content_reason(status, method),
        "content_length": allows_content_length(status, method),
        "cacheability": cacheability(status).as_dict(),
        "fields": fields,
        "understood_as": int(status.understood_as),
        "method_change": method_change_text(status, lang),
    }
