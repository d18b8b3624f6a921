"""What the HTTP/1.x engine reads at most, and the refusal each breach gets.

The numbers are the server's options (`ServerConfig`: --max-target,
--max-header-bytes, --max-headers, --max-body, --max-pipeline) and the fixed
bounds below; `protocol.HttpProtocol` counts as llhttp reports the pieces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from statuskit.server.errors import ProtocolError

if TYPE_CHECKING:
    from statuskit.server.config import ServerConfig

# Bytes of queued requests (target, fields, content) held before reading pauses, at
# least; the bound is max(--max-body, this), next to --max-pipeline requests.
PIPELINE_BYTES = 64 * 1024

# Bytes held after an Upgrade request until its plan says whether they are
# WebSocket frames or the next HTTP request.
UPGRADE_BUFFER_LIMIT = 64 * 1024

# Bytes looked at to tell an unknown method (501) from noise (400).
SNIFF_LIMIT = 64


def pipeline_bytes(config: ServerConfig) -> int:
    return max(config.responder.max_body, PIPELINE_BYTES)


def head_bytes(config: ServerConfig) -> int:
    """Raw bytes of an unfinished head: llhttp holds a header line until it is complete, and this bounds that."""
    return config.max_target + config.max_header_bytes + 1024


def target_too_long(config: ServerConfig) -> ProtocolError:
    # RFC 9110 §15.5.15: the target URI is longer than the server is willing to interpret.
    return ProtocolError(
        status=414, detail=f"the request target is longer than {config.max_target} bytes (--max-target)"
    )


def fields_too_large(config: ServerConfig, *, trailers: bool = False) -> ProtocolError:
    # RFC 6585 §5: 431 when the header section (or one field) is too large.
    what = "the header and trailer sections are" if trailers else "the header section is"
    return ProtocolError(status=431, detail=f"{what} larger than {config.max_header_bytes} bytes (--max-header-bytes)")


def too_many_fields(config: ServerConfig) -> ProtocolError:
    return ProtocolError(status=431, detail=f"more than {config.max_headers} header fields (--max-headers)")


def content_too_large(config: ServerConfig) -> ProtocolError:
    return ProtocolError(
        status=413, detail=f"the content is larger than {config.responder.max_body} bytes (--max-body)"
    )
