"""Typed values from a record's front matter: each key read as the type it must have,
a wrong type turned into an ADR015 problem on the key's line (never an exception).

``formats`` asks a :class:`Fields` for the keys the front matter has; the values are read
as leniently as before (what a reader can use is kept) and the problem says what to write.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from adr_tool.model import Link, Problem, RemoteLink, TradeOff, parse_ref, parse_remote_ref
from adr_tool.records import bodymeta

CODE_BAD_FIELD = "ADR015"
MAX_PATTERNS = 200  # per record's ``scope``
MAX_PATTERN = 500  # characters per pattern
# A day as the rules and the timeline read one (its first ten characters): YYYY-MM-DD,
# perhaps followed by a time of day. YAML reads an unquoted date as a date object.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9]{1,2}:[0-9]{2}.*)?")


def _text(value: Any) -> str | None:
    if type(value) is str:  # the common case first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return None


def _text_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list):
        out = [v.strip() if type(v) is str else _text(v) for v in value]
        if None in out:
            return None
        return tuple([v for v in out if v])
    return None


def _is_day(text: str) -> bool:
    """``2026-11-24`` (or ``2026-11-24T10:00``): a real day, written as YYYY-MM-DD."""
    if _DAY.fullmatch(text) is None:
        return False
    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def _ref_list(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out: list[int] = []
    for item in items:
        number = parse_ref(item)
        if number is None and isinstance(item, str):
            found = bodymeta.target_of(item)
            number = found if isinstance(found, int) else None
        if number is None:
            return None
        out.append(number)
    return tuple(out)


_PARTS = ("axis", "favours", "cost", "revisit-when")  # of a trade-off, in TradeOff's order


class Fields:
    """Collects typed values from front matter, turning wrong types into problems."""

    def __init__(self, data: dict[str, Any], lines: dict[str, int]) -> None:
        self.data = data
        self.lines = lines
        self.problems: list[Problem] = []
        self.remote: tuple[RemoteLink, ...] = ()  # links to other repositories, by links()

    def bad(self, key: str, expected: str, **values: str) -> None:
        """``key`` has the wrong type; ``expected`` names the ``field-…`` message."""
        line = self.lines.get(key, 1)
        self.problems.append(
            Problem.of(CODE_BAD_FIELD, f"field-{expected}", line, key=key, **values)
        )

    def text(self, *keys: str) -> str:
        for key in keys:
            if key in self.data:
                value = _text(self.data[key])
                if value is None:
                    self.bad(key, "single")
                    return ""
                return value
        return ""

    def texts(self, *keys: str) -> tuple[str, ...]:
        for key in keys:
            if key in self.data:
                value = _text_list(self.data[key])
                if value is None:
                    self.bad(key, "names")
                    return ()
                return value
        return ()

    def date(self, key: str) -> str:
        """A date as :meth:`text` reads it (kept as written), and a problem unless it is a
        day: YAML's date, or text YYYY-MM-DD. An empty value is no date, not a wrong one."""
        value = self.text(key)
        if value and not isinstance(self.data[key], dt.date) and not _is_day(value):
            self.bad(key, "date", value=value)
        return value

    def names(self, key: str) -> tuple[str, ...]:
        """A list of names as :meth:`texts` reads it (kept as read), and a problem unless
        it was written as a list of strings: one string, or a number, date, mapping or
        empty item among them, is the wrong type. For keys no style writes as one
        string; the people keys take MADR's ``deciders: Jin, Ana`` through :meth:`texts`."""
        problems = len(self.problems)
        value = self.texts(key)
        raw = self.data[key]
        if len(self.problems) == problems and (
            (isinstance(raw, str) and raw.strip())
            or (isinstance(raw, list) and not all(isinstance(v, str) for v in raw))
        ):
            self.bad(key, "names")
        return value

    def refs(self, key: str) -> tuple[int, ...]:
        value = _ref_list(self.data.get(key))
        if value is None:
            self.bad(key, "numbers")
            return ()
        return value

    def tradeoffs(self) -> tuple[TradeOff, ...]:
        raw = self.data.get("tradeoffs")
        if raw is None:
            return ()
        line = self.lines.get("tradeoffs", 1)
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            self.bad("tradeoffs", "tradeoffs")
            return ()
        out = []
        for item in raw:
            values = [v.strip() if type(v := item.get(k)) is str else _text(v) for k in _PARTS]
            if None in values:
                self.bad("tradeoffs", "plain")
                continue
            axis, favours, cost, revisit = values
            out.append(TradeOff(axis or "", favours or "", cost or "", revisit or "", line))
        return tuple(out)

    def patterns(self, key: str) -> tuple[str, ...]:
        """``scope``: a list of gitignore-style patterns (a single string is one pattern)."""
        raw = self.data.get(key)
        if raw is None:
            return ()
        items = [raw] if isinstance(raw, str) else raw
        if (
            not isinstance(items, list)
            or len(items) > MAX_PATTERNS
            or not all(isinstance(v, str) and 0 < len(v.strip()) <= MAX_PATTERN for v in items)
        ):
            self.bad(key, "scope", most=str(MAX_PATTERNS), length=str(MAX_PATTERN))
            return ()
        return tuple(dict.fromkeys(v.strip() for v in items))

    def links(self) -> tuple[Link, ...]:
        raw = self.data.get("links")
        if raw is None:
            return ()
        out = []
        remote = []
        for item in raw if isinstance(raw, list) else [raw]:
            to = parse_ref(item.get("to")) if isinstance(item, dict) else None
            rel = _text(item.get("rel")) if isinstance(item, dict) else None
            elsewhere = parse_remote_ref(item.get("to")) if isinstance(item, dict) else None
            if rel and to is None and elsewhere is not None:
                remote.append(RemoteLink(rel, *elsewhere))
                continue
            if to is None or not rel:
                self.bad("links", "links")
                return ()
            out.append(Link(rel, to))
        self.remote = tuple(remote)
        return tuple(out)
