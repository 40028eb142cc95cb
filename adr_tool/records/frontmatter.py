"""The only importer of ruamel.yaml: load front matter within limits, and edit it.

Read-only paths use the C-accelerated safe loader. Edits use the round-trip loader,
and then splice: every top-level key the edit did not change keeps its original bytes.
"""

from __future__ import annotations

import functools
import io
import re
import warnings
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from adr_tool import wording
from adr_tool.errors import ParseError
from adr_tool.records import subset
from adr_tool.records.limits import MAX_DEPTH, MAX_EXPANSION, check_expansion, nesting_bound
from adr_tool.records.text import (
    BOM,
    Split,
    deleted_tails,
    detect_newline,
    guess_indent,
    keep_comment_gap,
    key_lines,
    normalise,
    restore,
    simple_mapping,
    split,
    split_tail,
)


def _silence() -> None:
    """Keep ruamel's YAML 1.1 warnings (e.g. on the float ``1e400``: a dozen lines on
    stderr) away from users; the values still load as data. ruamel.yaml.error installs a
    'once' filter when first imported, so ours is put back in front after every import."""
    warnings.filterwarnings("ignore", module=r"ruamel\.")


MAX_FRONT_MATTER = 64 * 1024  # bytes of YAML we agree to parse

__all__ = [
    "BOM",
    "MAX_DEPTH",
    "MAX_EXPANSION",
    "Split",
    "detect_newline",
    "key_lines",
    "normalise",
    "restore",
    "simple_mapping",
    "split",
]


def _problem_line(exc: Exception, first_line: int) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None and getattr(mark, "line", None) is not None:
        return first_line + int(mark.line)
    return first_line


def _refuse(key: str, path: Path | str, line: int, /, **values: str) -> ParseError:
    """A ParseError worded by message ``key`` (see ``adr_tool.wording``)."""
    packed = wording.pack(**values)
    return ParseError(wording.say(key, packed), path=path, line=line, key=key, values=packed)


def _describe(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return " ".join(str(problem).split())


def load(yaml_text: str, path: Path | str = "<string>", first_line: int = 1) -> dict[str, Any]:
    """Load front matter safely (no tags constructed, no code run) into a plain dict."""
    if len(yaml_text.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER:
        raise _refuse("fm-too-large", path, first_line, kib=str(MAX_FRONT_MATTER // 1024))
    if "\t" in yaml_text:
        for offset, text_line in enumerate(yaml_text.split("\n")):
            if text_line.startswith("\t") or re.match(r"^ *\t", text_line):
                raise _refuse("fm-tab", path, first_line + offset)
    simple = subset.read(yaml_text)
    if simple is not None:  # block-style records and configs: no need for ruamel at all
        return simple
    from ruamel.yaml.error import YAMLError

    _silence()
    try:
        if "*" in yaml_text or nesting_bound(yaml_text) > MAX_DEPTH:
            _refuse_deep(yaml_text, path, first_line)
        data = _safe_load(yaml_text)
    except YAMLError as exc:
        line = _problem_line(exc, first_line)
        raise _refuse("fm-yaml", path, line, detail=_describe(exc)) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise _refuse("fm-unreadable", path, first_line, detail=str(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _refuse("fm-not-mapping", path, first_line)
    if "*" in yaml_text:  # without an alias nothing is shared: the size is the text's
        check_expansion(data, path, first_line)
    return {str(key): value for key, value in data.items()}


def _refuse_deep(yaml_text: str, path: Path | str, first_line: int) -> None:
    """Walk the parser's events (no tree is built) and refuse nesting beyond MAX_DEPTH
    or more than MAX_EXPANSION nodes once every alias is counted as what it names.

    libyaml's composer recurses once per level: a few thousand ``[`` overflow the C
    stack and kill the process (SIGSEGV), so depth is checked before anything is composed.
    Merge keys are expanded by the constructor as it builds (``<<: [*a, *a]`` chained
    doubles at every step), so aliases are counted here, before the constructor runs.
    """
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        ScalarEvent,
    )

    parser: Any
    try:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

        parser = CParser(yaml_text)
    except ImportError:  # pragma: no cover - no C extension: the pure Python parser
        from ruamel.yaml import YAML

        parser = YAML(typ="safe", pure=True).parser
        parser.reader.stream = yaml_text
    sizes: dict[str, int] = {}  # anchor → nodes it stands for, aliases expanded
    open_: list[tuple[str | None, int]] = [(None, 0)]  # (anchor, nodes so far) per level
    try:
        while parser.check_event():
            event = parser.get_event()
            line = first_line + event.start_mark.line
            if isinstance(event, CollectionStartEvent):
                open_.append((event.anchor, 1))
                if len(open_) - 1 > MAX_DEPTH:
                    raise _refuse("fm-too-deep", path, line, levels=str(MAX_DEPTH))
                continue
            if isinstance(event, CollectionEndEvent):
                anchor, size = open_.pop()
            elif isinstance(event, ScalarEvent):
                anchor, size = event.anchor, 1 + len(event.value) // 64
            elif isinstance(event, AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1)
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            parent_anchor, parent_size = open_[-1]
            open_[-1] = (parent_anchor, parent_size + size)
            if parent_size + size > MAX_EXPANSION:
                # at the first line, as the walk over loaded data reports it
                raise _refuse("fm-alias-bomb", path, first_line, nodes=f"{MAX_EXPANSION:,}")
    finally:
        parser.dispose()


def _timestamp(constructor: Any, node: Any) -> Any:
    """A date or time as YAML reads it; one that is no real day (``2026-02-30``) stays
    the text it is, for the rules to name with its key, instead of making the whole
    front matter unreadable (read and round-trip edit alike)."""
    parent: Any = type(constructor).__mro__[1]  # the ruamel class :func:`_tolerant` extends
    try:
        return parent.construct_yaml_timestamp(constructor, node)
    except ValueError:
        return constructor.construct_scalar(node)


@functools.cache
def _tolerant(base: Any) -> Any:
    """``base`` (a ruamel loader or constructor class) with :func:`_timestamp`, in a
    subclass with its own table: ruamel's own classes are left as they are."""
    made: Any = type(base.__name__, (base,), {})
    made.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
    return made


def _safe_load(yaml_text: str) -> Any:
    """ruamel's C safe loader, used directly: the same result as ``YAML(typ="safe")``
    at a third of the cost (no per-call plug-in scan and no versioned resolver), except
    that a timestamp that is no real date stays text (:func:`_timestamp`)."""
    try:
        from ruamel.yaml.cyaml import CSafeLoader
    except ImportError:  # pragma: no cover - no C extension: the pure safe loader
        from ruamel.yaml import YAML
        from ruamel.yaml.constructor import SafeConstructor

        yaml = YAML(typ="safe", pure=True)
        yaml.Constructor = _tolerant(SafeConstructor)
        return yaml.load(yaml_text)
    loader = _tolerant(CSafeLoader)(yaml_text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


# A word YAML reads back as the same string: written as is, without loading ruamel (the
# status and empty lists of every `adr new`). Words that YAML 1.1 or 1.2 reads as a
# boolean or null in some spelling are left to ruamel.
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,200}")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _word(value: Any) -> str | None:
    if isinstance(value, str) and _WORD.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    return None


def flow(value: Any) -> str:
    """One-line YAML for ``value``, quoted as needed: used to put user data in templates."""
    if isinstance(value, (list, tuple)):
        words = [_word(item) for item in value]
        if all(words):
            return "[" + ", ".join(w for w in words if w) + "]"
    elif _word(value):
        return str(value)
    return dumped(value)


def dumped(value: Any) -> str:
    """:func:`flow` as ruamel writes it (the reference the word shortcut is tested against)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = True
    yaml.width = 1 << 16
    buffer = io.StringIO()
    yaml.dump([_plain(value)], buffer)
    text = buffer.getvalue().strip()
    return text[1:-1]


def _plain(value: Any) -> Any:
    if isinstance(value, (MutableMapping, dict)):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _fingerprint(value: Any) -> str:
    return repr(_plain(value))


def _round_trip() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    yaml = YAML(typ="rt")
    yaml.Constructor = _tolerant(RoundTripConstructor)  # an edit reads what a read read
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    return yaml


def _chunks(yaml_text: str, data: Any) -> tuple[list[str], dict[str, list[str]]]:
    """Cut YAML text into a preamble and one list of lines per top-level key."""
    lines = yaml_text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    starts = sorted((data.lc.key(key)[0], str(key)) for key in data)
    preamble = lines[: starts[0][0]] if starts else lines
    chunks: dict[str, list[str]] = {}
    for index, (start, key) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        chunks[key] = lines[start:end]
    return preamble, chunks


def edit(
    text: str,
    mutate: Callable[[MutableMapping[str, Any]], None],
    path: Path | str = "<string>",
) -> str:
    """Apply ``mutate`` to the front matter of ``text``; only changed keys are rewritten.

    Comments, key order, quoting, blank lines, the body, the BOM and line endings of
    everything the edit does not touch come out byte for byte. A record without front
    matter gets a new block at the top.
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    parts = split(text, path)
    if parts.yaml is not None:  # the safe loader's limits (size, tags, depth, aliases) first
        load(parts.yaml, path, parts.yaml_line)
    _silence()
    yaml = _round_trip()
    norm_text = normalise(text)[0]
    if parts.yaml is None:
        data = CommentedMap()
        mutate(data)
        if not data:
            return text
        block = "---\n" + _dump(yaml, data) + "---\n"
        return restore(block + norm_text, parts.bom, parts.newline)
    try:
        data = yaml.load(parts.yaml) if parts.yaml.strip() else CommentedMap()
    except YAMLError as exc:
        raise ParseError(
            f"front matter is not valid YAML: {_describe(exc)}",
            path=path,
            line=_problem_line(exc, parts.yaml_line),
        ) from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise ParseError("front matter must be a mapping", path=path, line=parts.yaml_line)
    before = {str(k): _fingerprint(v) for k, v in data.items()}
    mutate(data)
    after = {str(k): _fingerprint(v) for k, v in data.items()}
    if before == after:
        return text
    changed = {k for k in after if before.get(k) != after[k]}
    sequence, offset = guess_indent(parts.yaml)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    dumped, new_data = _dump_checked(yaml, data, changed, path, parts.yaml_line)
    preamble, old_chunks = _chunks(parts.yaml, yaml.load(parts.yaml) or CommentedMap())
    _, new_chunks = _chunks(dumped, new_data) if data else ([], {})
    old_order = list(old_chunks)
    out = list(preamble) + deleted_tails(old_order, 0, old_chunks, new_chunks)
    for key, new_lines in new_chunks.items():
        old_lines = old_chunks.get(key)
        if old_lines is None:
            out.extend(split_tail(new_lines)[0])
            continue
        if key in changed:
            head_lines = keep_comment_gap(old_lines[0], split_tail(new_lines)[0])
            out.extend(head_lines + split_tail(old_lines)[1])
        else:
            out.extend(old_lines)
        out.extend(deleted_tails(old_order, old_order.index(key) + 1, old_chunks, new_chunks))
    yaml_out = "\n".join(out) + "\n" if out else ""
    if not _same_data(yaml, yaml_out, data):
        yaml_out = dumped if data else ""  # the splice misread the layout: take ruamel's
    lines = norm_text.split("\n")
    head = lines[0]
    closing = lines[parts.body_line - 2]
    rebuilt = head + "\n" + yaml_out + closing + "\n" + parts.body
    return restore(rebuilt, parts.bom, parts.newline)


def _same_data(yaml: Any, yaml_out: str, data: Any) -> bool:
    """Whether the spliced text reads back as ``data`` (e.g. not when the old front
    matter was a bare ``~`` or ``&a ~`` document, which a splice cannot keep)."""
    from ruamel.yaml.error import YAMLError

    try:
        return _fingerprint(yaml.load(yaml_out) or {}) == _fingerprint(data)
    except YAMLError:
        return False


def _dump_checked(
    yaml: Any, data: Any, changed: set[str], path: Path | str, line: int
) -> tuple[str, Any]:
    """ruamel's dump of ``data`` and that dump read back.

    ruamel can misplace an end-of-line comment of a key whose value was replaced (e.g.
    ``key: #`` over a block list), emitting YAML it cannot read itself. Then the comments
    attached to the changed keys are dropped and the dump retried; if even that is not
    valid YAML, the edit is refused and the file left as it is.
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    if not data:
        return _dump(yaml, data), CommentedMap()
    dumped = _dump(yaml, data)
    try:
        return dumped, yaml.load(dumped)
    except YAMLError:
        for key in changed:
            data.ca.items.pop(key, None)
        dumped = _dump(yaml, data)
    try:
        return dumped, yaml.load(dumped)
    except YAMLError:
        raise ParseError(
            "cannot rewrite this front matter without changing its meaning; edit it by hand",
            path=path,
            line=line,
        ) from None


def _dump(yaml: Any, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def flow_list(items: list[Any]) -> Any:
    """A list that a round-trip dump writes in flow style: ``[1, 2]``."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def flow_map(mapping: dict[str, Any]) -> Any:
    """A mapping that a round-trip dump writes in flow style: ``{rel: Amends, to: 5}``."""
    from ruamel.yaml.comments import CommentedMap

    result = CommentedMap(mapping)
    result.fa.set_flow_style()
    return result


def like(old: Any, value: str) -> Any:
    """``value`` in the style of ``old``: an unquoted date stays a date, quotes stay quotes."""
    import datetime as dt

    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(old, dt.date) and not isinstance(old, dt.datetime):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(old, ScalarString):
        return type(old)(value)
    return value


def load_config(text: str, path: Path) -> dict[str, Any]:
    """Load a config file (same safe loader as front matter)."""
    return load(text, path, 1)
