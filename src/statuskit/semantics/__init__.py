"""The rules of RFC 9110 and its companions, as data over the registry.

Every rule that says what a status code means on the wire is stated here,
once, with the section it comes from. The responder asks it what to send, the
linter asks it what to check, the page and the CLI ask it what to show; none
of them keeps a copy. Each module opens with the sections it states:

    content        which responses carry no content; their Content-Length
    fields         the fields each code must, should, may or must not carry
    caching        heuristic cacheability and the never-store codes
    codes          interim or final, redirects and methods; `summary`
    requests       facts tying a code to its request (ranges, 304, 400/411)
    methods        the methods, their properties, which an origin implements
    entity_tags    entity-tags and their comparisons
    dates          HTTP-date, read and written
    preconditions  the evaluation of RFC 9110 §13.2.2
    framing        where a response's content ends (RFC 9112 §6.3); Expect

Sections cite the texts in shared/reference: RFC 9110 (HTTP Semantics),
RFC 9112 (HTTP/1.1), RFC 6585 (428, 429, 431, 511), RFC 7725 (451),
RFC 8297 (103), RFC 8470 (425).
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any

    # `name as name`: re-exported, for type checkers (at run time see __getattr__).
    from statuskit.semantics.caching import (
        HEURISTICALLY_CACHEABLE as HEURISTICALLY_CACHEABLE,
        MUST_NOT_STORE as MUST_NOT_STORE,
        Cacheability as Cacheability,
        cacheability as cacheability,
    )
    from statuskit.semantics.codes import (
        METHOD_CHANGE as METHOD_CHANGE,
        interims_allowed as interims_allowed,
        is_interim as is_interim,
        may_be_sent_to as may_be_sent_to,
        method_change_text as method_change_text,
        summary as summary,
    )
    from statuskit.semantics.content import (
        NO_CONTENT as NO_CONTENT,
        ContentLength as ContentLength,
        NoContent as NoContent,
        allows_content as allows_content,
        allows_content_length as allows_content_length,
        content_length as content_length,
        no_content_reason as no_content_reason,
    )
    from statuskit.semantics.dates import (
        format_http_date as format_http_date,
        parse_http_date as parse_http_date,
    )
    from statuskit.semantics.entity_tags import (
        EntityTag as EntityTag,
        parse_entity_tag as parse_entity_tag,
        parse_entity_tags as parse_entity_tags,
    )
    from statuskit.semantics.fields import (
        EMPTY_VALUE_MEANINGFUL as EMPTY_VALUE_MEANINGFUL,
        FIELD_BANS as FIELD_BANS,
        FIELD_RULES as FIELD_RULES,
        UPGRADE_FIELDS as UPGRADE_FIELDS,
        UPGRADE_SECTION as UPGRADE_SECTION,
        VALIDATOR_FIELDS as VALIDATOR_FIELDS,
        FieldBan as FieldBan,
        FieldRule as FieldRule,
        Level as Level,
        field_bans as field_bans,
        field_rules as field_rules,
        required_fields as required_fields,
        rule_texts as rule_texts,
    )
    from statuskit.semantics.framing import (
        BODILESS_METHODS as BODILESS_METHODS,
        BODILESS_STATUSES as BODILESS_STATUSES,
        CONNECTION_FIELDS as CONNECTION_FIELDS,
        CONTINUE as CONTINUE,
        EXPECTATIONS as EXPECTATIONS,
        FRAMING_FIELDS as FRAMING_FIELDS,
        Framing as Framing,
        ResponseFraming as ResponseFraming,
        response_framing as response_framing,
    )
    from statuskit.semantics.methods import (
        METHODS as METHODS,
        ORIGIN_METHODS as ORIGIN_METHODS,
        Method as Method,
        is_implemented_method as is_implemented_method,
        supported_methods as supported_methods,
    )
    from statuskit.semantics.preconditions import (
        CONDITIONAL_WRITE_FIELDS as CONDITIONAL_WRITE_FIELDS,
        PRECONDITION_FREE_METHODS as PRECONDITION_FREE_METHODS,
        PreconditionOutcome as PreconditionOutcome,
        evaluate_preconditions as evaluate_preconditions,
    )
    from statuskit.semantics.requests import (
        CLIENT_FAULTS as CLIENT_FAULTS,
        CONTENT_METHODS as CONTENT_METHODS,
        LOST_UPDATE_PRECONDITIONS as LOST_UPDATE_PRECONDITIONS,
        MULTIPART_BYTERANGES as MULTIPART_BYTERANGES,
        MULTIPART_SECTION as MULTIPART_SECTION,
        NOT_MODIFIED_METHODS as NOT_MODIFIED_METHODS,
        NOT_MODIFIED_PRECONDITIONS as NOT_MODIFIED_PRECONDITIONS,
        NOT_MODIFIED_SECTION as NOT_MODIFIED_SECTION,
        RANGE_METHODS as RANGE_METHODS,
        RANGE_SECTION as RANGE_SECTION,
        answers_range as answers_range,
        byte_range_satisfiable as byte_range_satisfiable,
        may_answer_not_modified as may_answer_not_modified,
    )

# Which module holds each public name. The modules are imported on first use
# (PEP 562): `statuskit 404` needs only the status rules, and importing every
# module here would double what semantics adds to its start (measured with
# `-X importtime`: about 6 ms eagerly, under 3 ms this way).
# tests/test_semantics_package.py checks this table against the imports above.
_HOME: dict[str, tuple[str, ...]] = {
    "caching": (
        "HEURISTICALLY_CACHEABLE",
        "MUST_NOT_STORE",
        "Cacheability",
        "cacheability",
    ),
    "codes": (
        "METHOD_CHANGE",
        "interims_allowed",
        "is_interim",
        "may_be_sent_to",
        "method_change_text",
        "summary",
    ),
    "content": (
        "NO_CONTENT",
        "ContentLength",
        "NoContent",
        "allows_content",
        "allows_content_length",
        "content_length",
        "no_content_reason",
    ),
    "dates": (
        "format_http_date",
        "parse_http_date",
    ),
    "entity_tags": (
        "EntityTag",
        "parse_entity_tag",
        "parse_entity_tags",
    ),
    "fields": (
        "EMPTY_VALUE_MEANINGFUL",
        "FIELD_BANS",
        "FIELD_RULES",
        "UPGRADE_FIELDS",
        "UPGRADE_SECTION",
        "VALIDATOR_FIELDS",
        "FieldBan",
        "FieldRule",
        "Level",
        "field_bans",
        "field_rules",
        "required_fields",
        "rule_texts",
    ),
    "framing": (
        "BODILESS_METHODS",
        "BODILESS_STATUSES",
        "CONNECTION_FIELDS",
        "CONTINUE",
        "EXPECTATIONS",
        "FRAMING_FIELDS",
        "Framing",
        "ResponseFraming",
        "response_framing",
    ),
    "methods": (
        "METHODS",
        "ORIGIN_METHODS",
        "Method",
        "is_implemented_method",
        "supported_methods",
    ),
    "preconditions": (
        "CONDITIONAL_WRITE_FIELDS",
        "PRECONDITION_FREE_METHODS",
        "PreconditionOutcome",
        "evaluate_preconditions",
    ),
    "requests": (
        "CLIENT_FAULTS",
        "CONTENT_METHODS",
        "LOST_UPDATE_PRECONDITIONS",
        "MULTIPART_BYTERANGES",
        "MULTIPART_SECTION",
        "NOT_MODIFIED_METHODS",
        "NOT_MODIFIED_PRECONDITIONS",
        "NOT_MODIFIED_SECTION",
        "RANGE_METHODS",
        "RANGE_SECTION",
        "answers_range",
        "byte_range_satisfiable",
        "may_answer_not_modified",
    ),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
