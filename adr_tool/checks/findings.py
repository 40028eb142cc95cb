"""What ``adr check`` reports: finding codes and their severities, a finding, what the
rules judge against, and the summary line. Pure data; the rules live in ``rules``.

Codes are stable; the README documents each one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from adr_tool import wording

ERROR = "error"
WARNING = "warning"

# code -> (severity, short name). The README table mirrors this.
CODES: dict[str, tuple[str, str]] = {
    "ADR001": (ERROR, "unparseable front matter or unreadable file"),
    "ADR002": (ERROR, "no H1 title"),
    "ADR003": (ERROR, "unknown or missing status"),
    "ADR004": (ERROR, "missing rationale"),
    "ADR005": (ERROR, "no trade-off recorded"),
    "ADR006": (ERROR, "trade-off with unknown axis or side"),
    "ADR007": (ERROR, "trade-off without cost"),
    "ADR008": (ERROR, "duplicate number"),
    "ADR009": (ERROR, "dangling link, supersedes or superseded-by"),
    "ADR010": (ERROR, "one-sided supersession"),
    "ADR011": (ERROR, "file name is not NNNN-slug.md"),
    "ADR012": (ERROR, "stale index"),
    "ADR013": (WARNING, "commit trailer names a missing record"),
    "ADR014": (WARNING, "review-by date has passed"),
    "ADR015": (ERROR, "front matter key has the wrong type"),
    "ADR016": (WARNING, "not understood in a foreign format"),
    "ADR017": (ERROR, "number also taken by another record on the base branch"),
    "ADR018": (ERROR, "supersession cycle"),
    "ADR019": (ERROR, "the same trade-off axis twice in one record"),
    "ADR020": (WARNING, "scope pattern matches no tracked file"),
    "ADR021": (WARNING, "trade-off tension between decisions in force"),
    "ADR022": (WARNING, "change under a decision's scope without a trailer naming it"),
    "ADR023": (WARNING, "record skipped: it leads outside the working tree"),
}

# The same short names in Korean. A finding's message is worded in the repository's
# language through ``adr_tool.wording``; one with no Korean text (a plain English message)
# reads ``CODE 이름: message`` under ``lang: ko``.
KOREAN_NAMES: dict[str, str] = {
    "ADR001": "읽을 수 없는 프런트 매터 또는 파일",
    "ADR002": "H1 제목 없음",
    "ADR003": "알 수 없거나 빠진 상태",
    "ADR004": "근거 누락",
    "ADR005": "트레이드오프 없음",
    "ADR006": "알 수 없는 축 또는 쪽",
    "ADR007": "대가가 없는 트레이드오프",
    "ADR008": "중복된 번호",
    "ADR009": "없는 기록을 가리키는 링크",
    "ADR010": "한쪽에만 적힌 대체 관계",
    "ADR011": "NNNN-slug.md 형식이 아닌 파일 이름",
    "ADR012": "오래된 색인",
    "ADR013": "없는 기록을 가리키는 커밋 트레일러",
    "ADR014": "review-by 날짜 지남",
    "ADR015": "프런트 매터 키의 형식이 틀림",
    "ADR016": "다른 형식에서 이해하지 못한 부분",
    "ADR017": "기준 브랜치의 다른 기록과 겹치는 번호",
    "ADR018": "대체 관계의 순환",
    "ADR019": "한 기록에 같은 트레이드오프 축이 두 번",
    "ADR020": "추적되는 파일과 맞지 않는 scope 패턴",
    "ADR021": "유효한 결정 사이의 트레이드오프 긴장",
    "ADR022": "결정의 scope 아래 변경에 그 결정을 밝히는 트레일러 없음",
    "ADR023": "작업 트리 밖을 가리켜 건너뛴 기록",
}


class Finding(NamedTuple):
    """One problem at one place: ``path:line:col: CODE message``.

    ``message`` is the English text; ``key`` and ``values`` (the message id in
    ``adr_tool.wording`` and what it quotes) word it in another language."""

    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str
    key: str = ""
    values: wording.Values = ()

    def said(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        if lang == "en":
            return self.message
        if wording.has(self.key, lang):
            return wording.say(self.key, self.values, lang)
        if lang == "ko" and self.code in KOREAN_NAMES:
            return f"{KOREAN_NAMES[self.code]}: {self.message}"
        return self.message

    def text(self, lang: str = "en") -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.said(lang)}"

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "message": self.said(lang),
        }


class TrailerCommit(NamedTuple):
    """A commit whose message names records in a trailer (``Decision: 7``)."""

    sha: str
    summary: str
    refs: tuple[int, ...]
    bad_refs: tuple[str, ...] = ()


class CheckInputs(NamedTuple):
    """Everything outside the records that the rules judge against.

    ``selected``: records whose per-record rules run (None = all).
    ``index_actual``/``index_expected``: the index on disk and as ``adr index`` would
    write it (both None when there is no index file).
    ``commits``: commits carrying decision trailers (None when git is not available).
    ``tracked``: the files git tracks, for the scope rules (None: those rules are off).
    ``branch``: files changed since ``--diff REF`` and the trailers naming records.
    """

    today: dt.date
    selected: frozenset[Path] | None = None
    index_actual: str | None = None
    index_expected: str | None = None
    commits: tuple[TrailerCommit, ...] | None = None
    extra_ignore: frozenset[str] = frozenset()
    tracked: tuple[str, ...] | None = None
    branch: BranchChanges | None = None


class BranchChanges(NamedTuple):
    """What ``adr check --diff REF`` judges the scope-trailer rule (ADR022) on: the files
    changed since the merge base, and the trailers of the commits in ``REF..HEAD``."""

    ref: str
    files: tuple[str, ...]
    named: frozenset[int]
    declined: bool = False


def severity_of(code: str) -> str:
    return CODES.get(code, (ERROR, ""))[0]


class Sink:
    """Collects findings for one record, with its path and per-record opt-outs."""

    def __init__(self, path: str, ignore: frozenset[str], out: list[Finding]) -> None:
        self.path = path
        self.ignore = ignore
        self.out = out

    def add(
        self,
        code: str,
        line: int,
        message: str,
        severity: str | None = None,
        key: str = "",
        values: wording.Values = (),
    ) -> None:
        self.prepare()
        if code in self.ignore:
            return
        severity = severity or severity_of(code)
        self.out.append(Finding(self.path, max(line, 1), 1, code, severity, message, key, values))

    def prepare(self) -> None:
        """Called before a finding is added (a subclass may work out its path here)."""

    def say(
        self, code: str, line: int, key: str, /, severity: str | None = None, **values: str
    ) -> None:
        """A finding worded by message ``key`` of ``adr_tool.wording``."""
        self.prepare()
        if code in self.ignore:
            return
        packed = wording.pack(**values)
        self.add(code, line, wording.say(key, packed), severity, key, packed)


def summary(findings: list[Finding], checked: int, strict: bool, lang: str = "en") -> str:
    """The last line of the text report."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors
    records = f"{checked} record{'s' if checked != 1 else ''}"
    if lang == "ko":
        if not findings:
            return f"모든 검사를 통과했습니다 (기록 {checked}건 검사)."
        parts = [f"오류 {errors}건"] if errors else []
        parts += [f"경고 {warnings}건"] if warnings else []
        tail = "" if errors or strict else " (경고는 --strict일 때만 실패로 봅니다)"
        return f"기록 {checked}건에서 {', '.join(parts)}을 찾았습니다.{tail}"
    if not findings:
        return f"All checks passed ({records} checked)."
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    tail = "" if errors or strict else " (warnings fail only with --strict)"
    return f"Found {' and '.join(parts)} in {records} checked.{tail}"


def failed(findings: list[Finding], strict: bool) -> bool:
    return any(f.severity == ERROR or strict for f in findings)
