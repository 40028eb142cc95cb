"""The aggregate as Markdown (``templates/aggregate.md.j2``) and as a static site
(``templates/org/*.html``), both rendered through :mod:`adr_tool.publish.render`.

Every piece of text from an export is escaped for where it lands (GFM cell, HTML by
the template's autoescape), so a record cannot change the shape of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adr_tool.errors import Refused
from adr_tool.model import Axis, TradeOff, favour_badge
from adr_tool.org.aggregate import Aggregate, OrgRecord, RepoLog, matrix, printable, record_url
from adr_tool.publish.render import Renderer, md_cell, md_inline, shipped_templates
from adr_tool.publish.tree import write_tree


def _cell(value: str) -> str:
    """Export text for a table cell: one line, no control characters, Markdown escaped."""
    return md_cell(printable(" ".join(value.split())))


def _inline(value: str) -> str:
    return md_inline(printable(" ".join(value.split())))


def _axes(repo: RepoLog) -> dict[str, Axis]:
    """The axes ``repo`` configured, by name: its badges' other sides."""
    return {a.name: a for a in repo.axes}


def _badges(rec: OrgRecord, axes: dict[str, Axis]) -> list[str]:
    return [favour_badge(TradeOff(t.axis, t.favours), axes) for t in rec.tradeoffs]


def _by_id(result: Aggregate) -> dict[str, tuple[RepoLog, OrgRecord]]:
    return {rec.id: (repo, rec) for repo in result.repos for rec in repo.records}


def _counts(result: Aggregate) -> dict[str, int]:
    records = [rec for repo in result.repos for rec in repo.records]
    return {
        "repositories": len(result.repos),
        "records": len(records),
        "in_force": sum(1 for rec in records if rec.in_force),
    }


def markdown_context(result: Aggregate) -> dict[str, Any]:
    """What ``aggregate.md.j2`` shows, escaped for GitHub-flavoured Markdown."""
    known = _by_id(result)

    def ref(to: str) -> str:
        found = known.get(to)
        url = record_url(*found) if found else ""
        return f"[{_cell(to)}]({url})" if url else _cell(to)

    repos = []
    for repo in result.repos:
        axes = _axes(repo)
        rows = [
            {
                "id": ref(rec.id),
                "title": _cell(rec.title or "(no title)"),
                "status": _cell(rec.status or "-"),
                "date": _cell(rec.date),
                "favours": [_cell(b) for b in _badges(rec, axes)],
                "links": [f"{_cell(rel)} {ref(to)}" for rel, to in rec.links],
            }
            for rec in repo.records
        ]
        repos.append(
            {
                "name": _inline(repo.name),
                "remote_url": _inline(repo.remote_url),
                "commit": _inline(repo.commit[:12]),
                "records": rows,
            }
        )
    across = [
        {"from": ref(rec.id), "rel": _cell(rel), "to": ref(to)}
        for repo in result.repos
        for rec in repo.records
        for rel, to in rec.links
        if not to.startswith(f"{repo.name}#")
    ]
    return {
        **_counts(result),
        "matrix": [
            {
                **block,
                "title": _inline(block["title"]),
                "sides": [_cell(s) for s in block["sides"]],
                "repositories": [
                    {**row, "leans": _cell(row["leans"])} for row in block["repositories"]
                ],
                "organisation": {
                    **block["organisation"],
                    "leans": _cell(block["organisation"]["leans"]),
                },
            }
            for block in matrix(result.repos)
        ],
        "repos": repos,
        "across": across,
        "findings": [_inline(f) for f in result.findings],
    }


def render_markdown(result: Aggregate, renderer: Renderer) -> str:
    return renderer.render("aggregate", markdown_context(result))


@dataclass(frozen=True)
class SiteResult:
    output: Path
    pages: int


def _page_name(repo: str) -> str:
    return f"repo/{repo}.html"


def site_context(result: Aggregate) -> dict[str, Any]:
    """Plain data for the site templates (they escape it as HTML)."""
    known = _by_id(result)

    def target(to: str) -> dict[str, str]:
        found = known.get(to)
        if found is None:
            return {"id": to, "href": "", "title": ""}
        repo, rec = found
        return {"id": to, "href": f"{_page_name(repo.name)}#r-{rec.number}", "title": rec.title}

    repos = []
    for repo in result.repos:
        axes = _axes(repo)
        records = [
            {
                "id": rec.id,
                "number": rec.number,
                "title": rec.title or "(no title)",
                "status": rec.status or "-",
                "date": rec.date,
                "decision_makers": list(rec.decision_makers),
                "tags": list(rec.tags),
                "tradeoffs": [
                    {
                        "badge": favour_badge(TradeOff(t.axis, t.favours), axes),
                        "cost": t.cost,
                        "revisit_when": t.revisit_when,
                    }
                    for t in rec.tradeoffs
                ],
                "links": [{"rel": rel, **target(to)} for rel, to in rec.links],
                "url": record_url(repo, rec),
            }
            for rec in repo.records
        ]
        repos.append(
            {
                "name": repo.name,
                "page": _page_name(repo.name),
                "remote_url": repo.remote_url,
                "commit": repo.commit[:12],
                "records": records,
                "in_force": sum(1 for rec in repo.records if rec.in_force),
            }
        )
    return {
        **_counts(result),
        "matrix": matrix(result.repos),
        "repos": repos,
        "findings": list(result.findings),
    }


MARKER = ".adr-aggregate"


def _check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise Refused(f"{output} is a file; choose a folder for --site")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise Refused(
            f"{output} is not empty and was not made by 'adr aggregate'; "
            "choose another --site folder or empty it"
        )


def write_site(result: Aggregate, renderer: Renderer, output: Path) -> SiteResult:
    """``index.html``, one page per repository and the stylesheet; ``output`` is replaced
    whole, and only if it is empty or an earlier aggregate site."""
    _check_output(output)
    context = site_context(result)
    files = {
        MARKER: "Made by `adr aggregate --site`; the whole folder is replaced on every build.\n",
        "index.html": renderer.render_named(
            ["org/index.html"], "org/index.html", {**context, "root": ""}
        ),
        "assets/site.css": (shipped_templates() / "site/assets/site.css").read_text("utf-8"),
    }
    for repo in context["repos"]:
        files[repo["page"]] = renderer.render_named(
            ["org/repository.html"], "org/repository.html", {**context, "repo": repo, "root": "../"}
        )
    write_tree(output, files, prefix=".adr-aggregate-")
    return SiteResult(output, len(context["repos"]))
