"""The extension points other resources build on: a route added to the responder, served by the engine."""

from __future__ import annotations

import httpx

from statuskit.responder import Plan, Request, Responder, Route, compose
from statuskit.server import ServerConfig, ServerThread


class Hello(Route):
    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        name = rest[0] if rest and rest[0] else "world"
        return compose(request, 200, content=(f"hello {name}\n".encode(), "text/plain"), reusable=True)

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return False


class Echo(Route):
    """Depends on the content, so it is not reusable."""

    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        return compose(request, 200, content=(request.body, "application/octet-stream"))


def test_a_new_route_gets_negotiation_cors_and_head_for_free() -> None:
    responder = Responder()
    responder.router.add("hello", Hello())
    responder.router.add("echo", Echo())
    config = ServerConfig.from_options(port=0, access_log=False)
    with ServerThread(config, responder=responder) as server, httpx.Client(base_url=server.url) as client:
        for _ in range(3):  # the second and third are served from the engine's memo
            response = client.get("/hello/you")
            assert response.text == "hello you\n"
            assert response.headers["access-control-allow-origin"] == "*"
        head = client.head("/hello")
        assert head.content == b"" and head.headers["content-length"] == str(len("hello world\n"))
        assert client.post("/echo", content=b"abc").content == b"abc"
        assert client.post("/echo", content=b"xyz").content == b"xyz"
        assert client.get("/404").status_code == 404  # the URL API is still there
