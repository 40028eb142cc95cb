"""The only importer of jinja2: repository templates first, then the shipped ones.

Templates are rendered in jinja2's sandbox whenever the repository supplies any (so
they cannot reach Python internals); only when every template is one adr ships is the
plain, faster environment used. User data is always passed as data. The Markdown
escaping helpers the templates' context is built with (and the ``md_cell`` filter)
live here too.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from functools import cache, cached_property
from pathlib import Path
from stat import S_ISDIR
from typing import Any

from adr_tool import confine
from adr_tool.config import status_label
from adr_tool.errors import AdrError, ConfigError, UsageError
from adr_tool.records import frontmatter
from adr_tool.stamp import user_cache_folder

SUFFIX = ".md.j2"
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TICKS = re.compile(r"`+")
_SPECIAL = re.compile(r"[\\<\[\]|`]")
_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
_URL_UNSAFE = re.compile(r"[^a-zA-Z0-9\-._~/]")  # any character not in _URL_SAFE


def shipped_templates() -> Path:
    """The templates folder: inside the package in a wheel, at the top level in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("the shipped templates are missing; reinstall adr-tool")  # pragma: no cover


def _code_spans(text: str) -> list[tuple[bool, str]]:
    """Split text into (is_code_span, piece) following CommonMark's backtick rule."""
    out: list[tuple[bool, str]] = []
    start = pos = 0
    while (opener := _TICKS.search(text, pos)) is not None:
        closer = next(
            (m for m in _TICKS.finditer(text, opener.end()) if len(m[0]) == len(opener[0])), None
        )
        if closer is None:
            pos = opener.end()
            continue
        out.append((False, text[start : opener.start()]))
        out.append((True, text[opener.start() : closer.end()]))
        start = pos = closer.end()
    out.append((False, text[start:]))
    return [(code, piece) for code, piece in out if piece]


def md_inline(value: object, *, cell: bool = False, quiet: bool = False) -> str:
    """User text as inline Markdown on one line: no raw HTML, no stray link brackets.

    Code spans stay code spans; in a table ``cell`` pipes are escaped everywhere.
    ``quiet`` (a bot's GitHub comment): ``@`` outside code spans is followed by a
    zero-width space (no ``@user`` mention) and ``&`` escaped (nor ``&#64;user``).
    """
    text = " ".join(str(value if value is not None else "").split())
    if not _SPECIAL.search(text) and not (quiet and ("@" in text or "&" in text)):
        return text
    out = []
    for code, piece in _code_spans(text):
        if not code:
            for char in "\\<[]":
                piece = piece.replace(char, "\\" + char)
            if quiet:
                piece = piece.replace("&", "\\&").replace("@", "@&#8203;")
        if cell:
            piece = piece.replace("|", "\\|")
        out.append(piece)
    return "".join(out)


def md_cell(value: object, *, quiet: bool = False) -> str:
    """User text for a GFM table cell: :func:`md_inline` with every pipe escaped."""
    return md_inline(value, cell=True, quiet=quiet)


class _Escaped(dict[object, str]):
    """Values and their escaped text: a value met before is found by the dict lookup
    itself (no Python call); one met first is escaped by ``__missing__``."""

    __slots__ = ("_escape",)

    def __init__(self, escape: Callable[[object], str]) -> None:
        super().__init__()
        self._escape = escape

    def __missing__(self, value: object) -> str:
        if type(value) is str:  # most values need no escaping: as md_inline's first lines
            text = " ".join(value.split())
            if not _SPECIAL.search(text):
                self[value] = text
                return text
        found = self[value] = self._escape(value)
        return found


class Escapes:
    """:func:`md_inline` and :func:`md_cell` over a whole index, each distinct value escaped
    once (statuses, dates, badges repeat): ``inline``, ``cell``, lookups of two memos."""

    __slots__ = ("cell", "inline")

    def __init__(self) -> None:
        self.inline: Callable[[object], str] = _Escaped(md_inline).__getitem__
        self.cell: Callable[[object], str] = _Escaped(md_cell).__getitem__

    @staticmethod
    def both(value: str) -> tuple[str, str]:
        """``(md_inline(value), md_cell(value))`` for a value seen once (a title)."""
        text = " ".join(value.split())
        if not _SPECIAL.search(text):
            return text, text
        return md_inline(text), md_cell(text)


def url_path(path: str) -> str:
    """Percent-encode what would break a Markdown link target; keep non-ASCII readable."""
    if not _URL_UNSAFE.search(path):
        return path
    return "".join(
        c if c in _URL_SAFE or not c.isascii() else "".join(f"%{b:02X}" for b in c.encode())
        for c in path
    )


ESCAPES_HELD = 200_000  # distinct values an environment keeps escaped before starting afresh


class _Memo(dict[object, Any]):
    """Values of one exact type and their escaped ``Markup`` (see :func:`_escape`)."""

    __slots__ = ("_escape",)

    def __init__(self, escape: Callable[[object], Any]) -> None:
        super().__init__()
        self._escape = escape

    def __missing__(self, value: object) -> Any:
        if len(self) >= ESCAPES_HELD:
            self.clear()
        found = self[value] = self._escape(value)
        return found


def _escape() -> Callable[[object], Any]:
    """markupsafe's ``escape`` (the same ``Markup``), faster for values printed thousands of
    times: a ``str`` or ``int`` is escaped once, then found by a dict lookup (cheaper than
    ``Markup.__new__``); only exactly these types, so a ``Markup`` never finds a ``str``'s."""
    from markupsafe import Markup, escape

    strs, ints = _Memo(escape).__getitem__, _Memo(escape).__getitem__

    def escape_fast(value: object) -> Any:
        kind = type(value)
        if kind is str:
            return strs(value)
        if kind is int:
            return ints(value)
        if kind is Markup:
            return value
        return escape(value)

    return escape_fast


def _bytecode_cache() -> Any:
    """jinja2's compiled-template cache in the user cache folder (most of what `adr new`
    spends after its imports), or None. An entry is used only for the source it was compiled
    from (its SHA-1); the folder must be ours alone (as jinja2 demands): an entry is code."""
    import jinja2

    folder = user_cache_folder(os.environ)
    if folder is None or not hasattr(os, "getuid"):
        return None
    directory = os.path.join(folder, "templates")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        info = os.lstat(directory)
    except OSError:
        return None
    if not S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None

    class KeptTemplates(jinja2.FileSystemBytecodeCache):
        """Best effort: an entry that cannot be read or written means compiling again."""

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry (a truncated pickle raises anything)
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return KeptTemplates(directory, "%s.cache")


MAX_REPEAT, MAX_INT_BITS = 1_000_000, 100_000  # what ``*``/``**`` may build: items, bits


@cache
def _bounded_sandbox() -> Any:
    """jinja2's sandbox, whose ``*`` and ``**`` refuse to build huge values (as ``range``)."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            size, bits, ints = 0, 0, isinstance(left, int) and isinstance(right, int)
            for seq, times in ((left, right), (right, left)):
                if operator == "*" and isinstance(times, int) and hasattr(seq, "__len__"):
                    size = len(seq) * times  # a str, list, tuple… repeated
            if operator == "*" and ints:
                bits = left.bit_length() + right.bit_length()
            elif ints and abs(left) > 1:  # a power: at most this; a negative one is a float
                bits = left.bit_length() * right
            if size > MAX_REPEAT or bits > MAX_INT_BITS:
                what = f"{size:,} items or characters" if size else f"up to {bits:,} bits"
                raise SecurityError(f"'{operator}' would build {what}, over adr's limit")
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


def _failure(exc: Exception, name: str, *, raw: bool) -> str:
    """One line: the template and line that failed (innermost in the traceback), and why."""
    where, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = None if where else exc.__traceback__
    while tb is not None:  # template code: as jinja2 rewrote it, or as compiled
        names, at = tb.tb_frame.f_globals, tb.tb_lineno
        if "__jinja_exception__" in names:
            where, line = tb.tb_frame.f_code.co_filename, at
        elif (template := names.get("__jinja_template__")) is not None:
            where, line = template.filename, template.get_corresponding_lineno(at)
        tb = tb.tb_next
    where = name if not where or where.startswith("<") else where  # "<template>": a string
    why = " ".join(str(exc).split())[:300]
    why = f"{type(exc).__name__}: {why}".rstrip(": ") if raw else why  # not a jinja2 error
    return f"template {where}{f':{line}' if line else ''} failed: {why}"


class Renderer:
    """Finds templates by name and language and renders them."""

    def __init__(
        self, override_dir: Path | None, lang: str = "en", root: Path | None = None
    ) -> None:
        self.override_dir = override_dir
        self.lang = lang
        self.root = root  # the working tree repository templates must stay inside

    def confined(self, path: Path) -> Path:
        """``path`` if it is the repository's to read (see :mod:`adr_tool.confine`)."""
        if self.root is None:
            return path
        return confine.require(path, self.root, "template")

    def source_path(self, name: str) -> Path | None:
        """The file ``render(name, …)`` would use, found without importing jinja2."""
        folders = [shipped_templates()]
        if self.override_dir is not None:
            folders.insert(0, self.override_dir)
        for candidate in self.candidates(name):
            for folder in folders:
                if (folder / candidate).is_file():
                    if folder == self.override_dir:
                        return self.confined(folder / candidate)
                    return folder / candidate
        return None

    def exact_path(self, name: str) -> Path | None:
        """The file jinja2 opens for exactly this template name (what a template imports or
        includes): the repository's, else the shipped one; None when neither exists."""
        for folder in (self.override_dir, shipped_templates()):
            if folder is not None and (folder / name).is_file():
                found = folder / name
                return self.confined(found) if folder == self.override_dir else found
        return None

    def repository_templates(self) -> bool:
        """Whether the repository's template folder holds anything (it may then shadow any
        shipped template, or be included by one)."""
        if self.override_dir is None or not self.override_dir.is_dir():
            return False
        if self.root is not None and not confine.allowed(self.override_dir, self.root):
            return True  # not listed: outside the tree; the sandbox (and the loader) refuse
        with os.scandir(self.override_dir) as entries:
            return next(entries, None) is not None

    @cached_property
    def env(self) -> Any:
        """Where templates are found and rendered: the sandbox once the repository brings a
        template; the plain one (twice as fast on attributes) when every one is adr's."""
        return self._environment(sandboxed=self.repository_templates())

    @cached_property
    def sandbox(self) -> Any:
        """Always the sandbox: for a template named by path in the configuration."""
        return self._environment(sandboxed=True)

    def _environment(self, *, sandboxed: bool) -> Any:
        import jinja2
        from jinja2.loaders import split_template_path

        folders = [str(shipped_templates())]
        if self.override_dir is not None and self.override_dir.is_dir():
            folders.insert(0, str(self.override_dir))
        renderer = self

        class ConfinedLoader(jinja2.FileSystemLoader):
            """Checks a repository template, and whatever it includes, extends or
            imports, before jinja2 opens it: a symlink out of the tree is refused."""

            def get_source(
                self, environment: jinja2.Environment, template: str
            ) -> tuple[str, str, Callable[[], bool]]:
                pieces = split_template_path(template)
                for folder in self.searchpath[:-1]:  # the last one is ours, shipped
                    candidate = Path(folder, *pieces)
                    if candidate.is_file():
                        renderer.confined(candidate)
                        break
                return super().get_source(environment, template)

        escape = _escape()

        class Template(jinja2.Template):
            """Its ``{{ … }}`` escape with :func:`_escape` (the compiled code's global)."""

            @classmethod
            def from_code(cls, *args: Any, **kwargs: Any) -> Any:
                template = super().from_code(*args, **kwargs)
                template.root_render_func.__globals__["escape"] = escape
                return template

        kind = _bounded_sandbox() if sandboxed else jinja2.Environment
        env = kind(
            loader=ConfinedLoader(folders),
            # compiled code kept between runs for adr's own templates only (a repository's
            # are compiled afresh by the sandbox every time)
            bytecode_cache=None if sandboxed else _bytecode_cache(),
            # Markdown templates are never escaped; HTML templates (the site) always are.
            autoescape=jinja2.select_autoescape(["html"], default_for_string=False),
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        env.template_class = Template
        env.filters["yaml"] = frontmatter.flow
        env.filters["md_cell"] = md_cell
        env.filters["status_label"] = lambda status: status_label(str(status), self.lang)
        return env

    def candidates(self, name: str, suffix: str = SUFFIX) -> list[str]:
        """``tradeoff`` → [tradeoff.ko.md.j2, tradeoff.md.j2] for lang ko; a file the
        repository provides wins over every shipped one (``tradeoff.md.j2``, in Korean too)."""
        names = [f"{name}{suffix}"]
        if self.lang != "en":
            names.insert(0, f"{name}.{self.lang}{suffix}")
        if self.override_dir is not None:
            ours = [n for n in names if (self.override_dir / n).is_file()]
            if ours:
                return ours[:1]
        return names

    def render(self, name: str, context: dict[str, Any]) -> str:
        return self.render_named(self.candidates(name), name, context)

    def render_named(self, names: list[str], name: str, context: dict[str, Any]) -> str:
        """Render the first template found among ``names`` (e.g. ``site/home.html``)."""
        with self._errors(names, name):
            return str(self.env.select_template(names).render(**context))

    def module(self, name: str) -> Any:
        """A template's top-level variables (``{% import name as M %}`` without context),
        made once: e.g. the site's labels, handed to every page."""
        with self._errors([name], name):
            return self.env.get_template(name).module

    def module_with(self, name: str, context: dict[str, Any]) -> Any:
        """A template's top-level variables, made with ``context`` (what ``{% set %}``
        captures in an HTML template is markup: escaped as it was rendered)."""
        with self._errors([name], name):
            return self.env.get_template(name).make_module(context)

    def stream_named(self, names: list[str], name: str, context: dict[str, Any]) -> Iterator[str]:
        """:meth:`render_named` piece by piece, for a page too big to hold whole."""
        with self._errors(names, name):
            yield from self.env.select_template(names).generate(**context)

    def errors(self, name: str) -> contextlib.AbstractContextManager[None]:
        """For code calling a template's macros itself: failures as in :meth:`render`."""
        return self._errors([name], name)

    @contextlib.contextmanager
    def _errors(self, names: list[str], name: str, *, trusted: bool = True) -> Iterator[None]:
        import jinja2

        try:
            yield
        except AdrError:
            raise  # already one line (e.g. a template that leads outside the tree)
        except Exception as exc:
            if isinstance(exc, jinja2.TemplateNotFound) and set(exc.templates) <= set(names):
                raise UsageError(
                    f"no template named {name!r} (looked for {', '.join(names)})"
                ) from None
            known = isinstance(exc, jinja2.TemplateError)  # else a repository's may raise any
            if not known and trusted and not self.repository_templates():
                raise  # with adr's own templates only: adr's bug, with its traceback
            raise ConfigError(_failure(exc, name, raw=not known)) from None

    def render_file(self, path: Path, context: dict[str, Any]) -> str:
        """Render a template given by path (config ``template: path/to/file.md.j2``)."""
        try:
            source = self.confined(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"template: cannot read {path}: {exc}") from None
        with self._errors([str(path)], str(path), trusted=False):
            return str(self.sandbox.from_string(source).render(**context))
