"""Server options by name and text (`coerce_option`), as the pytest plugin's --statuskit-option and marker give them."""

from __future__ import annotations

import dataclasses

import pytest

from statuskit.responder import ResponderConfig
from statuskit.server.config import ServerConfig, coerce_option, coercible_options


def test_every_field_but_the_tls_context_the_secret_and_the_rng_is_an_option() -> None:
    # The engine's fields and the responder's (ServerConfig.responder), by name.
    fields = {field.name for owner in (ServerConfig, ResponderConfig) for field in dataclasses.fields(owner)}
    assert set(coercible_options()) == fields - {"ssl", "secret", "responder", "rng", "heartbeat_ms"}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("max_sleep_ms", "5000", ("max_sleep_ms", 5000)),
        ("max-sleep", " 250 ", ("max_sleep_ms", 250)),  # the command line's spelling
        ("max_sleep", 10, ("max_sleep_ms", 10)),
        ("request-timeout", "0.5", ("request_timeout", 0.5)),
        ("request_timeout", 2, ("request_timeout", 2.0)),  # an int where a float is wanted
        ("access_log", "yes", ("access_log", True)),
        ("access_log", "Off", ("access_log", False)),
        ("access_log", False, ("access_log", False)),
        ("seed", "none", ("seed", None)),
        ("seed", "", ("seed", None)),
        ("seed", "7", ("seed", 7)),
        ("seed", None, ("seed", None)),
        ("host", "::1", ("host", "::1")),
        ("allow-redirect-host", "a.test, b.test:8080", ("allow_redirect_hosts", ("a.test", "b.test:8080"))),
        ("allow_redirect_host", ["a.test"], ("allow_redirect_hosts", ("a.test",))),
        ("allow_redirect_host", "", ("allow_redirect_hosts", ())),
        ("allow_redirect_hosts", "a.test", ("allow_redirect_hosts", ("a.test",))),
        ("max_redirects", "3", ("max_redirects", 3)),
    ],
)
def test_values_are_typed_by_the_field(name: str, value: object, expected: tuple[str, object]) -> None:
    key, typed = coerce_option(name, value)
    assert (key, typed) == expected
    assert type(typed) is type(expected[1])
    ServerConfig.from_options(**{key: typed})  # type: ignore[arg-type]  # and the config takes it


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("max_slep", "1", "unknown server option 'max_slep' (known: access_log, allow_redirect_hosts, backlog, "),
        ("ssl", "x", "unknown server option 'ssl'"),
        ("max_body", "1.5", "server option max_body: '1.5' is not a whole number"),
        ("max_body", True, "server option max_body: True is not a whole number"),
        ("max_body", None, "server option max_body: None is not a whole number"),
        ("request_timeout", "soon", "server option request_timeout: 'soon' is not a number"),
        ("access_log", "maybe", "server option access_log: 'maybe' is not true or false"),
        ("access_log", 1, "server option access_log: 1 is not true or false"),
        ("seed", "x", "server option seed: 'x' is not a whole number or none"),
        ("host", 1, "server option host: 1 is not text"),
        ("allow_redirect_host", [1], "server option allow_redirect_hosts: [1] is not a list of text"),
        ("secret", "x", "unknown server option 'secret'"),
    ],
)
def test_bad_values_are_one_line_errors(name: str, value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        coerce_option(name, value)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_server_options_and_responder_options_meet_in_one_config() -> None:
    config = ServerConfig.from_options(port=0, max_target=100, max_items=5, allow_redirect_hosts=("A.test",))
    assert (config.port, config.max_target) == (0, 100)
    assert config.responder.max_items == 5 and config.max_items == 5  # read through, not copied
    assert config.responder.allow_redirect_hosts == ("a.test",)
    with pytest.raises(ValueError, match="--max-items must be at least 1, not 0"):
        ServerConfig.from_options(max_items=0)  # one validation: the responder's
    with pytest.raises(AttributeError):
        config.no_such_option  # noqa: B018
