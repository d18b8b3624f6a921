"""The HTTP/1.1 engine of the test server: asyncio + httptools (+ uvloop), executing responder plans.

    from statuskit.server import Server, ServerConfig, ServerThread, ServerProcess

`Server` is the asyncio API (`await start()`, `await stop()`); `ServerThread`
and `ServerProcess` run one beside a test. The decisions about what a status
code means are not here but in `statuskit.responder` and `statuskit.semantics`.
"""

from statuskit.server.config import ServerConfig
from statuskit.server.errors import ProtocolError, ServerError
from statuskit.server.runner import ServerProcess, ServerThread
from statuskit.server.server import Server

__all__ = ["ProtocolError", "Server", "ServerConfig", "ServerError", "ServerProcess", "ServerThread"]
