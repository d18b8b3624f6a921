"""The access log's line: UTC time stamp, client, request line, status, size; quotes in the target escaped."""

from __future__ import annotations

import asyncio
import io
import re
import time
from datetime import UTC, datetime

from statuskit.server.accesslog import AccessLog

LINE = re.compile(r'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z 127\.0\.0\.1:5 "GET (\S+) HTTP/1\.1" (\d+) (\d+)\n')


def test_lines_carry_the_second_they_were_logged_in() -> None:
    loop = asyncio.new_event_loop()
    try:
        stream = io.StringIO()
        log = AccessLog(loop, stream)
        before = int(time.time())
        log.log("127.0.0.1:5", "GET", '/404?n="1"', "1.1", 404, 118)
        log.log("127.0.0.1:5", "GET", "/200", "1.1", 200, 7)
        after = int(time.time())
        log.flush()
    finally:
        loop.close()
    lines = stream.getvalue().splitlines(keepends=True)
    assert len(lines) == 2
    found = [LINE.fullmatch(line) for line in lines]
    assert all(found), lines
    assert [(m[2], m[3], m[4]) for m in found if m] == [("/404?n=%221%22", "404", "118"), ("/200", "200", "7")]
    for match in found:
        assert match is not None
        stamp = datetime.strptime(match[1], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC).timestamp()
        assert before <= stamp <= after
