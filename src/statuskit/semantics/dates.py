"""HTTP dates: the three formats a recipient accepts and the one a sender generates.

RFC 9110 §5.6.7 (HTTP-date: IMF-fixdate, the obsolete RFC 850 and asctime
formats, the two-digit year rule), §6.6.1 (Date).
"""

from __future__ import annotations

import re

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(" + "|".join(_MONTHS) + ")"
_TIME = r"(\d\d):(\d\d):(\d\d)"
# §5.6.7: HTTP-date is case-sensitive and has no whitespace beyond its SPs.
_IMF_FIXDATE = re.compile(rf"(?:{'|'.join(_DAY_NAMES)}), (\d\d) {_MONTH} (\d{{4}}) {_TIME} GMT")
_RFC850_DATE = re.compile(rf"(?:{'|'.join(_DAY_NAMES_LONG)}), (\d\d)-{_MONTH}-(\d\d) {_TIME} GMT")
_ASCTIME_DATE = re.compile(rf"(?:{'|'.join(_DAY_NAMES)}) {_MONTH} (\d\d| \d) {_TIME} (\d{{4}})")


# calendar, datetime and email.utils are imported where used: together they cost
# `statuskit 404` about 10 ms at start, and only the date functions need them.


def _timestamp(year: int, month: str, day: int, hour: int, minute: int, second: int) -> int | None:
    import calendar
    import datetime

    if hour > 23 or minute > 59 or second > 60:
        return None
    try:
        moment = datetime.datetime(year, _MONTHS.index(month) + 1, day, hour, minute, min(second, 59))
    except ValueError:
        return None  # 31 Feb and the like
    # A leap second (:60) is the last second of its minute, as far as a timestamp goes.
    return calendar.timegm(moment.timetuple())


def parse_http_date(text: str | None, now: float | None = None) -> int | None:
    """An HTTP-date (RFC 9110 §5.6.7) as whole seconds since the epoch; None if `text` is not one.

    All three formats are accepted, as §5.6.7 requires of recipients. The
    two-digit year of the RFC 850 format is read as §5.6.7 says: a year that
    "appears to be more than 50 years in the future" is the most recent past
    year with those digits (relative to `now`, or to the present when None).
    """
    if text is None:
        return None
    text = text.strip(" \t")
    found = _IMF_FIXDATE.fullmatch(text)
    if found is not None:
        day, month, year, hour, minute, second = found.groups()
        return _timestamp(int(year), month, int(day), int(hour), int(minute), int(second))
    found = _ASCTIME_DATE.fullmatch(text)
    if found is not None:
        month, day, hour, minute, second, year = found.groups()
        return _timestamp(int(year), month, int(day), int(hour), int(minute), int(second))
    found = _RFC850_DATE.fullmatch(text)
    if found is not None:
        import datetime
        import time

        day, month, short_year, hour, minute, second = found.groups()
        this_year = datetime.datetime.fromtimestamp(now if now is not None else time.time(), datetime.UTC).year
        year = this_year - this_year % 100 + int(short_year)
        if year > this_year + 50:
            year -= 100
        return _timestamp(year, month, int(day), int(hour), int(minute), int(second))
    return None


def format_http_date(seconds: float) -> str:
    """The IMF-fixdate of a time, the only HTTP-date format a sender may generate (§5.6.7)."""
    import email.utils

    return email.utils.formatdate(int(seconds), usegmt=True)
