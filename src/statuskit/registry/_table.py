"""The status-code table: every fact statuskit knows about a code, once.

Each row is a plain tuple so that importing this module costs no more than
loading a constant from a .pyc file; `status.py` turns the rows into `Status`
values. Rows are kept in code order. Texts (descriptions in each language) do
not live here: they are loaded on demand from `locales/`.

Columns:
    code      the three-digit status code
    phrase    the IANA registry description (RFC 9110 names), or for
              unofficial codes the phrase their owner uses
    standing  standard | provisional | deprecated | obsolete | unused | unofficial
    spec      (document, section or "", url or "") - the url is derived from
              the document and section for RFCs when left empty
    flags     tuple of tags: "webdav" (defined for WebDAV), "experimental"
              (its RFC is in the Experimental category), "reserved"
              (reserved for future use)
    aliases   former or alternative names that still resolve in look-ups
    reason    the reason phrase sent on the wire when it differs from the
              phrase (only for "(Unused)" codes); "" otherwise
    owner     for unofficial codes: who uses the code; "" otherwise

Sources for every row are the IANA snapshot and RFC texts in
shared/reference (see FACTS.md); unofficial rows name their source url in
`spec`.
"""

from __future__ import annotations

Row = tuple[int, str, str, tuple[str, str, str], tuple[str, ...], tuple[str, ...], str, str]

_NGINX = (
    "nginx source, src/http/ngx_http_request.h",
    "",
    "https://github.com/nginx/nginx/blob/master/src/http/ngx_http_request.h",
)
_CLOUDFLARE = (
    "Cloudflare documentation, Cloudflare 5xx errors",
    "",
    "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/",
)
_RESUMABLE = (
    "draft-ietf-httpbis-resumable-upload-05",
    "",
    "https://datatracker.ietf.org/doc/draft-ietf-httpbis-resumable-upload/05/",
)

ROWS: tuple[Row, ...] = (
    # 1xx Informational (RFC 9110 §15.2)
    (100, "Continue", "standard", ("RFC 9110", "15.2.1", ""), (), (), "", ""),
    (101, "Switching Protocols", "standard", ("RFC 9110", "15.2.2", ""), (), (), "", ""),
    (102, "Processing", "standard", ("RFC 2518", "10.1", ""), ("webdav",), (), "", ""),
    (103, "Early Hints", "standard", ("RFC 8297", "2", ""), ("experimental",), (), "", ""),
    (104, "Upload Resumption Supported", "provisional", _RESUMABLE, (), (), "", ""),
    # 2xx Successful (RFC 9110 §15.3)
    (200, "OK", "standard", ("RFC 9110", "15.3.1", ""), (), (), "", ""),
    (201, "Created", "standard", ("RFC 9110", "15.3.2", ""), (), (), "", ""),
    (202, "Accepted", "standard", ("RFC 9110", "15.3.3", ""), (), (), "", ""),
    (203, "Non-Authoritative Information", "standard", ("RFC 9110", "15.3.4", ""), (), (), "", ""),
    (204, "No Content", "standard", ("RFC 9110", "15.3.5", ""), (), (), "", ""),
    (205, "Reset Content", "standard", ("RFC 9110", "15.3.6", ""), (), (), "", ""),
    (206, "Partial Content", "standard", ("RFC 9110", "15.3.7", ""), (), (), "", ""),
    (207, "Multi-Status", "standard", ("RFC 4918", "11.1", ""), ("webdav",), (), "", ""),
    (208, "Already Reported", "standard", ("RFC 5842", "7.1", ""), ("webdav",), (), "", ""),
    (226, "IM Used", "standard", ("RFC 3229", "10.4.1", ""), (), (), "", ""),
    # 3xx Redirection (RFC 9110 §15.4)
    (300, "Multiple Choices", "standard", ("RFC 9110", "15.4.1", ""), (), ("Multiple Choice",), "", ""),
    (301, "Moved Permanently", "standard", ("RFC 9110", "15.4.2", ""), (), (), "", ""),
    (302, "Found", "standard", ("RFC 9110", "15.4.3", ""), (), ("Moved Temporarily",), "", ""),
    (303, "See Other", "standard", ("RFC 9110", "15.4.4", ""), (), (), "", ""),
    (304, "Not Modified", "standard", ("RFC 9110", "15.4.5", ""), (), (), "", ""),
    (305, "Use Proxy", "deprecated", ("RFC 9110", "15.4.6", ""), (), (), "", ""),
    (306, "(Unused)", "unused", ("RFC 9110", "15.4.7", ""), (), ("Switch Proxy", "Unused"), "Unused", ""),
    (307, "Temporary Redirect", "standard", ("RFC 9110", "15.4.8", ""), (), (), "", ""),
    (308, "Permanent Redirect", "standard", ("RFC 9110", "15.4.9", ""), (), (), "", ""),
    # 4xx Client Error (RFC 9110 §15.5)
    (400, "Bad Request", "standard", ("RFC 9110", "15.5.1", ""), (), (), "", ""),
    (401, "Unauthorized", "standard", ("RFC 9110", "15.5.2", ""), (), (), "", ""),
    (402, "Payment Required", "standard", ("RFC 9110", "15.5.3", ""), ("reserved",), (), "", ""),
    (403, "Forbidden", "standard", ("RFC 9110", "15.5.4", ""), (), (), "", ""),
    (404, "Not Found", "standard", ("RFC 9110", "15.5.5", ""), (), (), "", ""),
    (405, "Method Not Allowed", "standard", ("RFC 9110", "15.5.6", ""), (), (), "", ""),
    (406, "Not Acceptable", "standard", ("RFC 9110", "15.5.7", ""), (), (), "", ""),
    (407, "Proxy Authentication Required", "standard", ("RFC 9110", "15.5.8", ""), (), (), "", ""),
    (408, "Request Timeout", "standard", ("RFC 9110", "15.5.9", ""), (), ("Request Time-out",), "", ""),
    (409, "Conflict", "standard", ("RFC 9110", "15.5.10", ""), (), (), "", ""),
    (410, "Gone", "standard", ("RFC 9110", "15.5.11", ""), (), (), "", ""),
    (411, "Length Required", "standard", ("RFC 9110", "15.5.12", ""), (), (), "", ""),
    (412, "Precondition Failed", "standard", ("RFC 9110", "15.5.13", ""), (), (), "", ""),
    (
        413,
        "Content Too Large",
        "standard",
        ("RFC 9110", "15.5.14", ""),
        (),
        ("Payload Too Large", "Request Entity Too Large"),
        "",
        "",
    ),
    (
        414,
        "URI Too Long",
        "standard",
        ("RFC 9110", "15.5.15", ""),
        (),
        ("Request-URI Too Long", "Request-URI Too Large"),
        "",
        "",
    ),
    (415, "Unsupported Media Type", "standard", ("RFC 9110", "15.5.16", ""), (), (), "", ""),
    (
        416,
        "Range Not Satisfiable",
        "standard",
        ("RFC 9110", "15.5.17", ""),
        (),
        ("Requested Range Not Satisfiable",),
        "",
        "",
    ),
    (417, "Expectation Failed", "standard", ("RFC 9110", "15.5.18", ""), (), (), "", ""),
    (418, "(Unused)", "unused", ("RFC 9110", "15.5.19", ""), (), ("I'm a teapot",), "I'm a teapot", ""),
    (421, "Misdirected Request", "standard", ("RFC 9110", "15.5.20", ""), (), (), "", ""),
    (
        422,
        "Unprocessable Content",
        "standard",
        ("RFC 9110", "15.5.21", ""),
        ("webdav",),
        ("Unprocessable Entity",),
        "",
        "",
    ),
    (423, "Locked", "standard", ("RFC 4918", "11.3", ""), ("webdav",), (), "", ""),
    (424, "Failed Dependency", "standard", ("RFC 4918", "11.4", ""), ("webdav",), (), "", ""),
    (425, "Too Early", "standard", ("RFC 8470", "5.2", ""), (), (), "", ""),
    (426, "Upgrade Required", "standard", ("RFC 9110", "15.5.22", ""), (), (), "", ""),
    (428, "Precondition Required", "standard", ("RFC 6585", "3", ""), (), (), "", ""),
    (429, "Too Many Requests", "standard", ("RFC 6585", "4", ""), (), (), "", ""),
    (431, "Request Header Fields Too Large", "standard", ("RFC 6585", "5", ""), (), (), "", ""),
    (
        440,
        "Login Time-out",
        "unofficial",
        (
            "Microsoft Exchange documentation, 440 Login Timeout in Outlook Web Access",
            "",
            "https://technet.microsoft.com/en-us/library/dd789741(v=EXCHG.80).aspx",
        ),
        (),
        ("Login Timeout",),
        "",
        "Microsoft IIS and Exchange (Outlook Web Access): the login session has expired",
    ),
    (
        444,
        "No Response",
        "unofficial",
        _NGINX,
        (),
        ("Connection Closed Without Response",),
        "",
        "nginx: close the connection without sending a response (NGX_HTTP_CLOSE)",
    ),
    (
        449,
        "Retry With",
        "unofficial",
        (
            "Microsoft [MS-WDV] Web Distributed Authoring and Versioning (WebDAV) Protocol: Client Extensions",
            "2.2.6",
            "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-wdv/83ecf19f-e0f8-4706-aae5-ba618f52f100",
        ),
        ("webdav",),
        ("Reply With",),
        "",
        "Microsoft IIS and WebDAV clients: repeat the request with more information (Ms-Echo-Request)",
    ),
    (451, "Unavailable For Legal Reasons", "standard", ("RFC 7725", "3", ""), (), (), "", ""),
    (
        494,
        "Request Header Too Large",
        "unofficial",
        _NGINX,
        (),
        (),
        "",
        "nginx: a request header field or line exceeds large_client_header_buffers",
    ),
    (
        495,
        "SSL Certificate Error",
        "unofficial",
        _NGINX,
        (),
        (),
        "",
        "nginx: the client certificate failed verification (NGX_HTTPS_CERT_ERROR)",
    ),
    (
        496,
        "SSL Certificate Required",
        "unofficial",
        _NGINX,
        (),
        (),
        "",
        "nginx: a required client certificate was not sent (NGX_HTTPS_NO_CERT)",
    ),
    (
        497,
        "HTTP Request Sent to HTTPS Port",
        "unofficial",
        _NGINX,
        (),
        (),
        "",
        "nginx: a plain HTTP request arrived on an HTTPS port (NGX_HTTP_TO_HTTPS)",
    ),
    (
        499,
        "Client Closed Request",
        "unofficial",
        _NGINX,
        (),
        (),
        "",
        "nginx: logged when the client closes the connection before the response is sent",
    ),
    # 5xx Server Error (RFC 9110 §15.6)
    (500, "Internal Server Error", "standard", ("RFC 9110", "15.6.1", ""), (), (), "", ""),
    (501, "Not Implemented", "standard", ("RFC 9110", "15.6.2", ""), (), (), "", ""),
    (502, "Bad Gateway", "standard", ("RFC 9110", "15.6.3", ""), (), (), "", ""),
    (503, "Service Unavailable", "standard", ("RFC 9110", "15.6.4", ""), (), (), "", ""),
    (504, "Gateway Timeout", "standard", ("RFC 9110", "15.6.5", ""), (), ("Gateway Time-out",), "", ""),
    (505, "HTTP Version Not Supported", "standard", ("RFC 9110", "15.6.6", ""), (), (), "", ""),
    (506, "Variant Also Negotiates", "standard", ("RFC 2295", "8.1", ""), ("experimental",), (), "", ""),
    (507, "Insufficient Storage", "standard", ("RFC 4918", "11.5", ""), ("webdav",), (), "", ""),
    (508, "Loop Detected", "standard", ("RFC 5842", "7.2", ""), ("webdav",), (), "", ""),
    (
        509,
        "Bandwidth Limit Exceeded",
        "unofficial",
        ("cPanel and Apache bandwidth-limiting modules (mod_bw, mod_cband)", "", "https://http.dev/509"),
        (),
        (),
        "",
        "Apache with bandwidth modules and cPanel shared hosting: the site used up its traffic allowance",
    ),
    (510, "Not Extended", "obsolete", ("RFC 2774", "7", ""), ("experimental",), (), "", ""),
    (511, "Network Authentication Required", "standard", ("RFC 6585", "6", ""), (), (), "", ""),
    (
        520,
        "Web Server Returned an Unknown Error",
        "unofficial",
        _CLOUDFLARE,
        (),
        ("Unknown Error",),
        "",
        "Cloudflare: the origin answered with something empty, unknown or unexpected",
    ),
    (521, "Web Server Is Down", "unofficial", _CLOUDFLARE, (), (), "", "Cloudflare: the origin refused the connection"),
    (
        522,
        "Connection Timed Out",
        "unofficial",
        _CLOUDFLARE,
        (),
        (),
        "",
        "Cloudflare: the TCP connection to the origin timed out",
    ),
    (523, "Origin Is Unreachable", "unofficial", _CLOUDFLARE, (), (), "", "Cloudflare: no route to the origin"),
    (
        524,
        "A Timeout Occurred",
        "unofficial",
        _CLOUDFLARE,
        (),
        (),
        "",
        "Cloudflare: the origin accepted the connection but sent no response in time",
    ),
    (
        525,
        "SSL Handshake Failed",
        "unofficial",
        _CLOUDFLARE,
        (),
        (),
        "",
        "Cloudflare: the TLS handshake with the origin failed",
    ),
    (
        526,
        "Invalid SSL Certificate",
        "unofficial",
        _CLOUDFLARE,
        (),
        (),
        "",
        "Cloudflare: the origin's certificate could not be validated",
    ),
    (
        527,
        "Railgun Error",
        "unofficial",
        _CLOUDFLARE,
        (),
        (),
        "",
        "Cloudflare: the Railgun connection to the origin failed (Railgun is retired)",
    ),
    (
        530,
        "Origin DNS Error",
        "unofficial",
        _CLOUDFLARE,
        (),
        ("Site Frozen",),
        "",
        "Cloudflare: sent together with a 1xxx error page, most often 1016 (the origin's DNS name does not resolve); "
        "Pantheon uses 530 for a frozen site",
    ),
    (
        598,
        "Network Read Timeout Error",
        "unofficial",
        ("informal convention of some HTTP proxies, no specification", "", "https://http.dev/598"),
        (),
        (),
        "",
        "some HTTP proxies: reading the upstream response timed out",
    ),
    (
        599,
        "Network Connect Timeout Error",
        "unofficial",
        ("informal convention of some HTTP proxies, no specification", "", "https://http.dev/599"),
        (),
        (),
        "",
        "some HTTP proxies: connecting to the upstream timed out",
    ),
)
