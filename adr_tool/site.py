"""The static decision site behind ``adr site``: pages, a search index and an SVG graph.

Pages are rendered by the Renderer from ``templates/site/*.html`` with autoescaping on;
record bodies go through markdown-it-py with raw HTML shown as text and HTML comments
dropped. Every link is relative, so the folder works from ``file://``, GitHub Pages or
any base path. Same records, same bytes: no clock, sorted inputs.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from adr_tool import frontmatter
from adr_tool.config import Settings
from adr_tool.errors import ParseError, Refused, UsageError
from adr_tool.model import Axis, Decision, format_id
from adr_tool.render import Renderer, shipped_templates

MARKER = ".adr-site"
ASSETS = ("site.css", "site.js")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
NODE_W, NODE_H, GAP_X, GAP_Y, PAD = 230, 46, 56, 26, 10


@dataclass(frozen=True)
class CommitInfo:
    """A commit linked to a decision; subject/date/author only when git history was read."""

    sha: str
    subject: str = ""
    date: str = ""
    author: str = ""
    timestamp: int = 0


@dataclass(frozen=True)
class SiteResult:
    output: Path
    pages: int
    files: int
    notes: tuple[str, ...] = ()


# --- Markdown ---------------------------------------------------------------------------


class MarkdownRenderer:
    """CommonMark + tables via markdown-it-py; raw HTML escaped, comments dropped."""

    def __init__(self, record_pages: Mapping[str, str]) -> None:
        from markdown_it import MarkdownIt

        self.record_pages = record_pages  # "0003-x.md" -> "0003-x.html"
        # html=True so raw HTML becomes html_* tokens we control (escape or drop).
        self.md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        self.md.add_render_rule("html_block", _html_block)
        self.md.add_render_rule("html_inline", _html_inline)

    def render(self, body: str) -> tuple[str, str]:
        """``(html, plain text for search)``; the first H1 (the title) is left out."""
        tokens = self.md.parse(body)
        for index, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag == "h1":
                del tokens[index : index + 3]
                break
        words: list[str] = []
        for token in tokens:
            if token.type in ("fence", "code_block"):
                words.append(token.content)
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type == "link_open":
                    child.attrSet("href", self._rewrite(str(child.attrGet("href") or "")))
        text = " ".join(" ".join(words).split())
        return self.md.renderer.render(tokens, self.md.options, {}), text

    def _rewrite(self, href: str) -> str:
        """A link to another record file points at its page instead."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            return href
        page = self.record_pages.get(parts.path.rsplit("/", 1)[-1])
        if page is None:
            return href
        return page + (f"#{parts.fragment}" if parts.fragment else "")


def _html_block(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    rest = _COMMENT.sub("", tokens[idx].content).strip()
    return f"<p>{html.escape(rest)}</p>\n" if rest else ""


def _html_inline(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return html.escape(_COMMENT.sub("", tokens[idx].content))


def read_body(decision: Decision) -> str:
    """The Markdown body of a record (front matter removed); empty if unreadable."""
    try:
        text = decision.path.read_bytes().decode("utf-8", errors="replace").replace("\x00", "")
    except OSError:
        return ""
    try:
        return frontmatter.split(text, decision.path).body
    except ParseError:
        return frontmatter.normalise(text)[0]


# --- Context ----------------------------------------------------------------------------


def page_name(decision: Decision) -> str:
    return f"{decision.path.stem}.html"


def _hash(**params: str) -> str:
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in params.items() if value)


def _axes(settings: Settings, decisions: Sequence[Decision]) -> list[Axis]:
    axes = list(settings.localised_axes())
    known = {a.name for a in axes}
    for d in decisions:  # an axis used in records but not configured still shows
        for t in d.tradeoffs:
            if t.axis not in known and "-vs-" in t.axis:
                left, right = t.axis.split("-vs-", 1)
                axes.append(Axis(t.axis, (left, right)))
                known.add(t.axis)
    return axes


def chart(axes: Sequence[Axis], decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    """Per axis: how many decisions in force favour each side, with filtered-list links."""
    out = []
    for axis in axes:
        counts = [
            sum(
                1
                for d in decisions
                if d.in_force and any(t.axis == axis.name and t.favours == s for t in d.tradeoffs)
            )
            for s in axis.sides
        ]
        total = sum(counts)
        segments = [
            {
                "side": side,
                "label": axis.side_label(side),
                "count": count,
                "percent": round(100 * count / total) if total else 0,
                "href": "decisions.html#" + _hash(inforce="1", side=f"{axis.name}:{side}"),
            }
            for side, count in zip(axis.sides, counts, strict=True)
        ]
        out.append({"name": axis.name, "title": axis.title, "total": total, "segments": segments})
    return out


def graph(decisions: Sequence[Decision], pages: Mapping[int, str]) -> dict[str, Any]:
    """A layered layout: a supersession chain runs left to right on one row (column =
    depth in the chain); records without any relation are packed in a grid below."""
    from adr_tool.index import edges as relations

    by_number = {d.number: d for d in reversed(decisions)}  # the first record wins a number
    found = {
        (e.target, e.source, e.rel) if e.rel == "supersedes" else (e.source, e.target, e.rel)
        for e in relations(list(by_number.values()))
        if e.source in by_number and e.target in by_number and e.source != e.target
    }
    edges = sorted(found)  # supersession drawn old -> new
    preds: dict[int, set[int]] = {}
    for src, dst, rel in edges:
        if rel == "supersedes":
            preds.setdefault(dst, set()).add(src)
    depth: dict[int, int] = {}

    def depth_of(n: int, seen: frozenset[int] = frozenset()) -> int:
        if n not in depth:
            parents = [p for p in preds.get(n, ()) if p not in seen]
            depth[n] = 1 + max((depth_of(p, seen | {n}) for p in parents), default=-1)
        return depth[n]

    linked = sorted({n for e in edges for n in e[:2]}, key=lambda n: (depth_of(n), n))
    cell: dict[int, tuple[int, int]] = {}
    rows = 0
    for n in linked:
        col = depth_of(n)
        free = [cell[p][0] for p in sorted(preds.get(n, ())) if p in cell]
        row = next((r for r in free if (r, col) not in cell.values()), rows)
        rows = max(rows, row + 1)
        cell[n] = (row, col)
    cols = max([c for _, c in cell.values()] + [3]) + 1
    loose = [n for n in sorted(by_number) if n not in cell]
    for index, n in enumerate(loose):
        cell[n] = (rows + index // cols, index % cols)
    rows += -(-len(loose) // cols)

    def xy(n: int) -> tuple[int, int]:
        row, col = cell[n]
        return PAD + col * (NODE_W + GAP_X), PAD + row * (NODE_H + GAP_Y)

    nodes = []
    for n in sorted(by_number):
        d, (x, y) = by_number[n], xy(n)
        short = d.title if len(d.title) <= 30 else d.title[:29].rstrip() + "…"
        nodes.append(
            {
                "x": x,
                "y": y,
                "id": d.id,
                "title": d.title,
                "short": short,
                "status": d.status or "unknown",
                "href": pages[n],
            }
        )
    lines = []
    for src, dst, rel in edges:
        label = (
            f"{format_id(dst)} supersedes {format_id(src)}"
            if rel == "supersedes"
            else (f"{format_id(src)} {rel} {format_id(dst)}")
        )
        lines.append(
            {
                "path": _curve(xy(src), xy(dst)),
                "supersedes": rel == "supersedes",
                "label": label,
            }
        )
    width = PAD * 2 + cols * (NODE_W + GAP_X) - GAP_X
    height = PAD * 2 + max(rows, 1) * (NODE_H + GAP_Y) - GAP_Y
    return {
        "nodes": nodes,
        "edges": lines,
        "width": width,
        "height": height,
        "node_w": NODE_W,
        "node_h": NODE_H,
    }


def _curve(source: tuple[int, int], target: tuple[int, int]) -> str:
    """An SVG path between two node boxes (top-left corners): sideways when the target
    lies to the right, otherwise from one box's bottom (or top) edge to the other's."""
    (x1, y1), (x2, y2) = source, target
    if x2 > x1:
        a, b = (x1 + NODE_W, y1 + NODE_H // 2), (x2, y2 + NODE_H // 2)
        bend = max(24, (b[0] - a[0]) // 2)
        return f"M{a[0]},{a[1]} C{a[0] + bend},{a[1]} {b[0] - bend},{b[1]} {b[0]},{b[1]}"
    if y1 == y2:
        a, b = (x1, y1 + NODE_H // 2), (x2 + NODE_W, y2 + NODE_H // 2)
        bend = max(24, (a[0] - b[0]) // 2)
        return f"M{a[0]},{a[1]} C{a[0] - bend},{a[1]} {b[0] + bend},{b[1]} {b[0]},{b[1]}"
    down = 1 if y2 > y1 else -1
    a = (x1 + NODE_W // 2, y1 + (NODE_H if down > 0 else 0))
    b = (x2 + NODE_W // 2, y2 + (0 if down > 0 else NODE_H))
    bend = down * max(12, abs(b[1] - a[1]) // 2)
    return f"M{a[0]},{a[1]} C{a[0]},{a[1] + bend} {b[0]},{b[1] - bend} {b[0]},{b[1]}"


def _commits(d: Decision, history: Mapping[int, Sequence[CommitInfo]]) -> list[dict[str, str]]:
    known = {c.sha: c for c in history.get(d.number, ())}
    for rev in d.commits:
        sha = rev.strip().lower()
        if sha and not any(k.startswith(sha) or sha.startswith(k) for k in known):
            known[sha] = CommitInfo(sha)
    ordered = sorted(known.values(), key=lambda c: (c.timestamp, c.sha), reverse=True)
    return [
        {
            "sha": c.sha,
            "short": c.sha[:10],
            "subject": c.subject,
            "date": c.date,
            "author": c.author,
        }
        for c in ordered
    ]


def build_context(
    settings: Settings,
    decisions: Sequence[Decision],
    bodies: Mapping[int, tuple[str, str]],
    history: Mapping[int, Sequence[CommitInfo]],
) -> dict[str, Any]:
    """Everything the templates show. ``bodies`` maps a position in ``decisions`` to
    (html, text); ``history`` maps a record number to its commits from git."""
    axes = _axes(settings, decisions)
    axis_by_name = {a.name: a for a in axes}
    pages = {}
    for d in reversed(decisions):
        pages[d.number] = quote(page_name(d))
    titles = {d.number: d for d in reversed(decisions)}
    statuses = list(settings.statuses) + sorted(
        {d.status for d in decisions if d.status and d.status not in settings.statuses}
    )
    counts = [
        {
            "status": s,
            "count": sum(1 for d in decisions if d.status == s),
            "href": "decisions.html#" + _hash(status=s),
        }
        for s in statuses
    ]

    def ref(n: int, rel: str) -> dict[str, Any]:
        other = titles.get(n)
        return {
            "rel": rel,
            "id": format_id(n),
            "title": other.title if other else None,
            "href": pages.get(n),
        }

    records = []
    for position, d in enumerate(decisions):
        body_html, text = bodies.get(position, ("", ""))
        tradeoffs = []
        for t in d.tradeoffs:
            axis = axis_by_name.get(t.axis)
            ok = axis is not None and t.favours in axis.sides
            tradeoffs.append(
                {
                    "axis": axis.title if axis else t.axis,
                    "axis_name": t.axis,
                    "favours": axis.side_label(t.favours) if axis and ok else t.favours,
                    "over": axis.side_label(axis.other(t.favours)) if axis and ok else "",
                    "cost": t.cost,
                    "revisit": t.revisit_when,
                    "href": "../decisions.html#" + _hash(side=f"{t.axis}:{t.favours}"),
                }
            )
        relations = [ref(n, "Supersedes") for n in d.supersedes]
        relations += [ref(n, "Superseded by") for n in d.superseded_by]
        relations += [ref(link.to, link.rel) for link in d.links]
        records.append(
            {
                "number": d.number,
                "id": d.id,
                "title": d.title,
                "status": d.status or "",
                "in_force": d.in_force,
                "date": d.date,
                "review_by": d.review_by,
                "makers": list(d.decision_makers),
                "tags": list(d.tags),
                "sides": sorted({f"{t.axis}:{t.favours}" for t in d.tradeoffs}),
                "badges": d.favoured(),
                "tradeoffs": tradeoffs,
                "relations": relations,
                "successors": [ref(n, "Superseded by") for n in d.superseded_by],
                "commits": _commits(d, history),
                "body": body_html,
                "text": text,
                "source": settings.relative(d.path),
                "page": quote(page_name(d)),
                "costs": " ".join(t.cost for t in d.tradeoffs),
            }
        )
    for i, record in enumerate(records):
        record["prev"] = records[i - 1] if i else None
        record["next"] = records[i + 1] if i + 1 < len(records) else None
    timeline = sorted(records, key=lambda r: (r["date"], r["number"]), reverse=True)
    tags = sorted({t for d in decisions for t in d.tags})
    sides = [
        {"value": f"{a.name}:{s}", "label": f"{a.title}: {a.side_label(s)}"}
        for a in axes
        for s in a.sides
    ]
    return {
        "title": settings.root.name,
        "lang": settings.lang,
        "records": records,
        "timeline": timeline,
        "counts": counts,
        "total": len(records),
        "in_force": sum(1 for d in decisions if d.in_force),
        "chart": chart(axes, decisions),
        "statuses": statuses,
        "tags": tags,
        "sides": sides,
        "graph": graph(decisions, pages),
        "recent": timeline[:8],
    }


def search_index(context: Mapping[str, Any]) -> str:
    """``assets/search-index.js``: a global, so it loads from file:// where fetch() cannot."""
    entries = [
        {
            "id": r["id"],
            "title": r["title"],
            "status": r["status"],
            "tags": r["tags"],
            "costs": r["costs"],
            "text": r["text"],
            "url": "decisions/" + r["page"],
        }
        for r in context["records"]
    ]
    data = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = data.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.ADR_SEARCH = {data};\n"


# --- Build ------------------------------------------------------------------------------


def git_history(
    settings: Settings, decisions: Sequence[Decision]
) -> tuple[dict[int, list[CommitInfo]], list[str]]:
    """Commits per decision (trailers and explicit ``commits``) from one pass over the log;
    the same links ``adr log`` and the index count."""
    if settings.git_root is None:
        return {}, []
    from adr_tool import trace, vcs

    history = vcs.read_history(settings.git_root, settings.trailer)
    if not history.available or history.empty:
        return {}, []
    by_sha = history.by_sha()
    out: dict[int, list[CommitInfo]] = {}
    for number, shas in trace.linked_shas(list(decisions), history).items():
        found = [by_sha.get(sha) for sha in sorted(shas)]
        out[number] = [
            CommitInfo(c.sha, c.subject, c.day, c.author, c.timestamp) if c else CommitInfo(sha)
            for sha, c in zip(sorted(shas), found, strict=True)
        ]
    return out, list(history.notes)


def check_base_url(base_url: str | None) -> str:
    if not base_url:
        return ""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--base-url {base_url!r}: expected an http(s) URL, e.g. https://example.org/adr/"
        )
    return base_url if base_url.endswith("/") else base_url + "/"


def render_files(
    settings: Settings,
    decisions: Sequence[Decision],
    renderer: Renderer,
    *,
    base_url: str = "",
    history: Mapping[int, Sequence[CommitInfo]] | None = None,
) -> dict[str, str]:
    """Every file of the site, by relative path."""
    record_pages = {d.path.name: quote(page_name(d)) for d in decisions}
    markdown = MarkdownRenderer(record_pages)
    bodies = {i: markdown.render(read_body(d)) for i, d in enumerate(decisions)}
    context = build_context(settings, decisions, bodies, history or {})
    labels = _labels(renderer, settings.lang)
    base = {"site": context, "labels": labels, "base_url": base_url}
    files = {
        "index.html": _page(renderer, "home", base, "", "index.html"),
        "decisions.html": _page(renderer, "list", base, "", "decisions.html"),
        "graph.html": _page(renderer, "graph", base, "", "graph.html"),
        "assets/search-index.js": search_index(context),
        MARKER: "Made by `adr site`; the whole folder is replaced on every build.\n",
    }
    for record in context["records"]:
        path = "decisions/" + page_name_from_quoted(record["page"])
        files[path] = _page(renderer, "decision", {**base, "d": record}, "../", path)
    for asset in ASSETS:
        files[f"assets/{asset}"] = _asset(renderer, asset)
    return files


def page_name_from_quoted(page: str) -> str:
    from urllib.parse import unquote

    return unquote(page)


def _page(renderer: Renderer, name: str, base: dict[str, Any], root: str, path: str) -> str:
    canonical = base["base_url"] + quote(path) if base["base_url"] else ""
    context = {**base, "root": root, "canonical": canonical, "page": name}
    return renderer.render_named([f"site/{name}.html"], f"site/{name}.html", context)


def _labels(renderer: Renderer, lang: str) -> str:
    for folder in (renderer.override_dir, shipped_templates()):
        if folder is not None and (folder / "site" / f"labels.{lang}.html").is_file():
            return f"site/labels.{lang}.html"
    return "site/labels.en.html"


def _asset(renderer: Renderer, name: str) -> str:
    for folder in (renderer.override_dir, shipped_templates()):
        path = None if folder is None else folder / "site" / "assets" / name
        if path is not None and path.is_file():
            return path.read_text(encoding="utf-8")
    raise UsageError(f"site asset {name} is missing; reinstall adr-tool")  # pragma: no cover


def check_output(settings: Settings, output: Path) -> None:
    """Refuse to replace a folder that ``adr site`` did not make, or one holding records."""
    output = output.resolve()
    if output.exists() and not output.is_dir():
        raise Refused(f"{output} is a file; choose a folder for --output")
    for inside in (settings.directory.resolve(), settings.root.resolve()):
        if inside == output or output in inside.parents:
            raise Refused(f"refusing to write the site over {inside}; choose another --output")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise Refused(
            f"{output} is not empty and was not made by 'adr site'; "
            "choose another --output or empty it"
        )


def write_tree(output: Path, files: Mapping[str, str]) -> None:
    """Write into a temporary sibling folder, then swap it in: readers never see half a site."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=".adr-site-", dir=output.parent))
    try:
        os.chmod(temp, 0o755)
        for relative in sorted(files):
            target = temp / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[relative], encoding="utf-8", newline="\n")
        if output.exists():
            old = temp.with_name(temp.name + "-old")
            os.rename(output, old)
            os.rename(temp, output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(temp, output)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def build_site(
    settings: Settings,
    decisions: Sequence[Decision],
    renderer: Renderer,
    output: Path,
    *,
    base_url: str | None = None,
    with_git: bool = True,
) -> SiteResult:
    """``adr site``: render every page and replace ``output`` with the new site."""
    base = check_base_url(base_url)
    check_output(settings, output)
    history, notes = git_history(settings, decisions) if with_git else ({}, [])
    files = render_files(settings, decisions, renderer, base_url=base, history=history)
    write_tree(output, files)
    return SiteResult(output.resolve(), len(decisions), len(files), tuple(notes))
