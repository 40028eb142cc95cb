"""What the commands say to a person, in the repository's language (``lang``).

Error messages from the rooms below stay English (they name keys and files); the
words around them, and the next steps, follow ``lang``. What ``adr check`` says (its
findings, and the refusal of a status change that lists them) is worded in
``adr_tool.wording``, which the rooms below share.
"""

from __future__ import annotations

from adr_tool import wording

MESSAGES: dict[str, dict[str, str]] = {
    "next": {
        "en": (
            "\nNext:\n"
            '  adr new "Cache product pages in Redis" \\\n'
            "      --tradeoff performance-vs-development-speed=performance \\\n"
            '      --cost "a second store to run"     # write the rationale, then\n'
            "  adr accept 2\n"
            '  git add -A && git commit -m "Record decision 2" -m "Decision: 2"'
        ),
        "ko": (
            "\n다음 단계:\n"
            '  adr new "상품 페이지를 Redis에 캐시" \\\n'
            "      --tradeoff performance-vs-development-speed=performance \\\n"
            '      --cost "운영할 저장소가 하나 늘어남"     # 근거를 적은 뒤\n'
            "  adr accept 2\n"
            '  git add -A && git commit -m "결정 2 기록" -m "Decision: 2"'
        ),
    },
    "unchanged": {
        "en": "record {number} is already {status}; nothing changed",
        "ko": "{number}번 결정은 이미 {status} 상태입니다. 바뀐 것이 없습니다",
    },
    "written": {"en": "{path} written", "ko": "{path}을(를) 썼습니다"},
    "stale": {
        "en": "adr: {path} is out of date; run 'adr index'\n",
        "ko": "adr: {path}이(가) 최신이 아닙니다. 'adr index'를 실행하세요\n",
    },
    "not-refreshed": {
        "en": "adr: note: the index was not refreshed: {error}",
        "ko": "adr: note: 색인을 새로 만들지 못했습니다: {error}",
    },
    "born-failing": {
        "en": "adr: note: {id} is {status}; until it is filled in, 'adr check' reports {finding}",
        "ko": "adr: note: {id}번 결정은 {status} 상태입니다. 채우기 전까지 'adr check'가 "
        "보고합니다: {finding}",
    },
    "forced": {
        "en": "adr: note: --force overrode {finding}",
        "ko": "adr: note: --force로 무시한 검사: {finding}",
    },
    "retired": {"en": "{path} (superseded by {number})", "ko": "{path} ({number}번 결정이 대체함)"},
    "has-commit": {
        "en": "record {number} already links commit {sha}; nothing changed",
        "ko": "{number}번 결정은 이미 커밋 {sha}에 연결되어 있습니다. 바뀐 것이 없습니다",
    },
    "has-link": {
        "en": "record {number} already has that link; nothing changed",
        "ko": "{number}번 결정에는 이미 그 링크가 있습니다. 바뀐 것이 없습니다",
    },
    "no-duplicates": {
        "en": "no duplicate numbers; nothing to do",
        "ko": "중복된 번호가 없습니다. 할 일이 없습니다",
    },
    "move": {"en": "move {old} -> {new}", "ko": "옮김: {old} -> {new}"},
    "would-move": {"en": "would move {old} -> {new}", "ko": "옮길 예정: {old} -> {new}"},
    "rewrite": {"en": "rewrite {path}", "ko": "고침: {path}"},
    "would-rewrite": {"en": "would rewrite {path}", "ko": "고칠 예정: {path}"},
    "fresh": {"en": "{path} is up to date", "ko": "{path}은(는) 최신입니다"},
    "site": {"en": "{path} ({count})", "ko": "{path} (결정 {count}건)"},
    "site-current": {
        "en": "{path} ({count}; already current, nothing written)",
        "ko": "{path} (결정 {count}건, 이미 최신이라 쓴 파일이 없습니다)",
    },
    "site-updated": {
        "en": "{path} ({count}; {written} files written, {removed} removed)",
        "ko": "{path} (결정 {count}건, 파일 {written}개를 쓰고 {removed}개를 지웠습니다)",
    },
    "ask-title": {"en": "Title", "ko": "제목"},
    "ask-axis": {"en": "Axis this decision moves along", "ko": "이 결정이 걸친 축"},
    "ask-side": {"en": "Side favoured on {axis}", "ko": "{axis}에서 택한 쪽"},
    "ask-cost": {
        "en": "Cost of favouring {side} over {other}",
        "ko": "{other}보다 {side}을(를) 택한 대가",
    },
    "ask-revisit": {
        "en": "Revisit when (the signal that should reopen it)",
        "ko": "재검토 조건 (이 선택을 다시 열게 할 신호)",
    },
    "ask-more": {"en": "Another trade-off?", "ko": "트레이드오프를 더 추가할까요?"},
}


def say(key: str, lang: str, **values: object) -> str:
    """Message ``key`` of the table above in ``lang`` (worded as findings are)."""
    return wording.say(key, wording.pack(**{k: str(v) for k, v in values.items()}), lang, MESSAGES)


def next_steps(lang: str) -> str:
    """The three commands ``adr init`` ends with."""
    return say("next", lang)


def plural(count: int, word: str) -> str:
    """``1 record``, ``2 records``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
