"""What the commands say to a person, in the repository's language (``lang``).

Error messages from the rooms below stay English (they name keys and files); the
words around them, and the next steps, follow ``lang``.
"""

from __future__ import annotations

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
    table = MESSAGES[key]
    return table.get(lang, table["en"]).format(**values)


def next_steps(lang: str) -> str:
    """The three commands ``adr init`` ends with."""
    return say("next", lang)


def plural(count: int, word: str) -> str:
    """``1 record``, ``2 records``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
