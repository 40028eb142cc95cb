"""The only importer of jinja2: repository templates first, then the shipped ones.

Everything is rendered in jinja2's sandbox, so a template supplied by a repository
cannot reach Python internals, and user data is always passed as data.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from adr_tool import frontmatter
from adr_tool.errors import ConfigError, UsageError

SUFFIX = ".md.j2"


def shipped_templates() -> Path:
    """The templates folder: inside the package in a wheel, at the top level in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("the shipped templates are missing; reinstall adr-tool")  # pragma: no cover


def md_cell(value: Any) -> str:
    """Text that cannot break a GFM table cell: pipes escaped, newlines folded."""
    text = " ".join(str(value if value is not None else "").split())
    return text.replace("\\", "\\\\").replace("|", "\\|")


class Renderer:
    """Finds templates by name and language and renders them."""

    def __init__(self, override_dir: Path | None, lang: str = "en") -> None:
        self.override_dir = override_dir
        self.lang = lang

    @cached_property
    def env(self) -> Any:
        import jinja2
        from jinja2.sandbox import SandboxedEnvironment

        folders = [str(shipped_templates())]
        if self.override_dir is not None and self.override_dir.is_dir():
            folders.insert(0, str(self.override_dir))
        env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(folders),
            # Markdown templates are never escaped; HTML templates (the site) always are.
            autoescape=jinja2.select_autoescape(["html"], default_for_string=False),
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        env.filters["yaml"] = frontmatter.flow
        env.filters["md_cell"] = md_cell
        return env

    def candidates(self, name: str, suffix: str = SUFFIX) -> list[str]:
        """``tradeoff`` → [tradeoff.ko.md.j2, tradeoff.md.j2] for lang ko.

        Any file the repository provides wins over every shipped one, so a team's
        ``tradeoff.md.j2`` is used even when the language is Korean.
        """
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
        import jinja2

        try:
            template = self.env.select_template(names)
            return str(template.render(**context))
        except jinja2.TemplateNotFound:
            raise UsageError(
                f"no template named {name!r} (looked for {', '.join(names)})"
            ) from None
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or name
            line = getattr(exc, "lineno", None)
            raise ConfigError(
                f"template {where}{f':{line}' if line else ''} failed: {exc}"
            ) from None

    def render_file(self, path: Path, context: dict[str, Any]) -> str:
        """Render a template given by path (config ``template: path/to/file.md.j2``)."""
        import jinja2

        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"template: cannot read {path}: {exc}") from None
        try:
            return str(self.env.from_string(source).render(**context))
        except jinja2.TemplateError as exc:
            raise ConfigError(f"template {path} failed: {exc}") from None
