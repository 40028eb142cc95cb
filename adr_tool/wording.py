"""What the checks say, per language (``adr check``'s findings, ``adr index --check``, a
status change the checks refuse): one template per message id, with ``{name}``
placeholders for the values a finding quotes (keys, values, file names, commands stay as
written). Pure data and ``str.format``; imports nothing, so any room may use it.

A finding or a problem keeps its message id and values and is worded in the
repository's ``lang`` when it is shown; English is the fallback and the stored text.
"""

from __future__ import annotations

Values = tuple[tuple[str, str], ...]

# message id -> language -> template. Korean words follow the templates and the site
# labels: 대가 (cost), 근거 (rationale), 트레이드오프, 결정, 기록, 축, 쪽, 프런트 매터, 색인.
TEXTS: dict[str, dict[str, str]] = {
    # --- reading a record (ADR001, ADR015, ADR016) ----------------------------------
    "unreadable": {
        "en": "cannot read: {reason}",
        "ko": "읽을 수 없는 파일: {reason}",
    },
    "unreadable-record": {
        "en": "cannot read this record: {reason}",
        "ko": "읽을 수 없는 기록: {reason}",
    },
    "not-utf8": {
        "en": "file is not valid UTF-8",
        "ko": "파일이 올바른 UTF-8이 아닙니다",
    },
    "nul-bytes": {
        "en": "file contains NUL bytes",
        "ko": "파일에 NUL 바이트가 들어 있습니다",
    },
    "fm-unclosed": {
        "en": "front matter opened with '---' is never closed; add a '---' line after it",
        "ko": "'---'로 연 프런트 매터가 닫히지 않았습니다. 그 뒤에 '---' 줄을 추가하세요",
    },
    "fm-too-large": {
        "en": "front matter is larger than {kib} KiB; move prose to the body",
        "ko": "프런트 매터가 {kib} KiB보다 큽니다. 긴 글은 본문으로 옮기세요",
    },
    "fm-tab": {
        "en": "front matter indents with a tab; YAML needs spaces",
        "ko": "프런트 매터가 탭으로 들여쓰여 있습니다. YAML은 공백으로 들여써야 합니다",
    },
    "fm-yaml": {
        "en": "front matter is not valid YAML: {detail}",
        "ko": "프런트 매터가 올바른 YAML이 아닙니다: {detail}",
    },
    "fm-unreadable": {
        "en": "front matter cannot be read: {detail}",
        "ko": "프런트 매터를 읽을 수 없습니다: {detail}",
    },
    "fm-not-mapping": {
        "en": "front matter must be a mapping of keys to values",
        "ko": "프런트 매터는 키와 값의 매핑이어야 합니다",
    },
    "fm-too-deep": {
        "en": "front matter nests deeper than {levels} levels",
        "ko": "프런트 매터가 {levels}단계보다 깊게 중첩되어 있습니다",
    },
    "fm-alias-deep": {
        "en": "front matter nests deeper than {levels} levels (through aliases)",
        "ko": "프런트 매터가 별칭을 거쳐 {levels}단계보다 깊게 중첩됩니다",
    },
    "fm-alias-self": {
        "en": "front matter contains an alias that refers to itself",
        "ko": "프런트 매터에 자기 자신을 가리키는 별칭이 있습니다",
    },
    "fm-alias-bomb": {
        "en": "front matter expands to more than {nodes} nodes through aliases; write the "
        "values out instead of repeating '*anchor' references",
        "ko": "프런트 매터가 별칭을 거쳐 노드 {nodes}개보다 많이 펼쳐집니다. "
        "'*anchor' 참조를 되풀이하지 말고 값을 직접 쓰세요",
    },
    "field-single": {
        "en": "'{key}' must be a single value",
        "ko": "'{key}'에는 값을 하나만 써야 합니다",
    },
    "field-names": {
        "en": "'{key}' must be a list of names",
        "ko": "'{key}'은(는) 이름 목록이어야 합니다",
    },
    "field-date": {
        "en": "'{key}' must be a date: write '{key}: YYYY-MM-DD' (got {value!r})",
        "ko": "'{key}'은(는) 날짜여야 합니다: '{key}: YYYY-MM-DD' 형식으로 쓰세요 "
        "(지금 값: {value!r})",
    },
    "field-numbers": {
        "en": "'{key}' must be a list of record numbers, e.g. [3, 5]",
        "ko": "'{key}'은(는) 기록 번호 목록이어야 합니다 (예: [3, 5])",
    },
    "field-tradeoffs": {
        "en": "'{key}' must be a list of {{axis, favours, cost, revisit-when}} items",
        "ko": "'{key}'은(는) {{axis, favours, cost, revisit-when}} 항목의 목록이어야 합니다",
    },
    "field-plain": {
        "en": "'{key}' must be a list of items whose values are plain text",
        "ko": "'{key}'은(는) 값이 평범한 텍스트인 항목의 목록이어야 합니다",
    },
    "field-scope": {
        "en": "'{key}' must be a list of at most {most} gitignore-style patterns "
        "(each under {length} characters), e.g. [src/orders/**]",
        "ko": "'{key}'은(는) gitignore 형식 패턴을 {most}개까지 담은 목록이어야 합니다 "
        "(패턴마다 {length}자 미만, 예: [src/orders/**])",
    },
    "field-links": {
        "en": "'{key}' must be a list of {{rel: Amends, to: 5}} items (or to: repo#5)",
        "ko": "'{key}'은(는) {{rel: Amends, to: 5}} 항목의 목록이어야 합니다 (또는 to: repo#5)",
    },
    "body-date": {
        "en": "date {value!r} is not understood; write it as YYYY-MM-DD",
        "ko": "날짜 {value!r}을(를) 이해하지 못했습니다. YYYY-MM-DD 형식으로 쓰세요",
    },
    "body-status": {
        "en": "status {value!r} is not understood",
        "ko": "상태 {value!r}을(를) 이해하지 못했습니다",
    },
    "body-status-section": {
        "en": "the Status section starts with {start!r}, not a status",
        "ko": "Status 절이 상태가 아닌 {start!r}(으)로 시작합니다",
    },
    "body-link": {
        "en": "link to {href!r}: cannot tell which record it is",
        "ko": "{href!r} 링크: 어느 기록인지 알 수 없습니다",
    },
    "body-slug": {
        "en": "links to {slug!r}, which is not a record in this folder",
        "ko": "{slug!r}을(를) 가리키지만 이 폴더에 그런 기록이 없습니다",
    },
    # --- one record (ADR002-ADR007, ADR011, ADR014, ADR015, ADR019) ------------------
    "title": {
        "en": "no H1 title: add a line '# <what was decided>' right after the front matter",
        "ko": "H1 제목 없음: 프런트 매터 바로 다음에 '# <결정한 내용>' 줄을 추가하세요",
    },
    "title-nygard": {
        "en": "no H1 title: add a first line '# N. <what was decided>'",
        "ko": "H1 제목 없음: 첫 줄에 '# N. <결정한 내용>'을 추가하세요",
    },
    "status-missing": {
        "en": "no status: write 'status: {default}' in the front matter (one of {allowed})",
        "ko": "상태 없음: 프런트 매터에 'status: {default}'을(를) 쓰세요 ({allowed} 중 하나)",
    },
    "status-missing-nygard": {
        "en": "no status: write 'status: {default}' under '## Status' (one of {allowed})",
        "ko": "상태 없음: '## Status' 아래에 'status: {default}'을(를) 쓰세요 ({allowed} 중 하나)",
    },
    "status-unknown": {
        "en": "unknown status {status!r}: use one of {allowed} in the front matter",
        "ko": "알 수 없는 상태 {status!r}: 프런트 매터에 {allowed} 중 하나를 쓰세요",
    },
    "status-unknown-nygard": {
        "en": "unknown status {status!r}: use one of {allowed} under '## Status'",
        "ko": "알 수 없는 상태 {status!r}: '## Status' 아래에 {allowed} 중 하나를 쓰세요",
    },
    "name-unnumbered": {
        "en": "file name {name!r} has no record number: rename it to NNNN-slug.md, "
        "e.g. with the next free number from 'adr new'",
        "ko": "파일 이름 {name!r}에 기록 번호가 없습니다: 'adr new'가 고르는 다음 빈 번호 "
        "등으로 NNNN-slug.md 형식의 이름으로 바꾸세요",
    },
    "name-shape": {
        "en": "file name {name!r} is not NNNN-slug.md: rename it to {suggestion}",
        "ko": "파일 이름 {name!r}이(가) NNNN-slug.md 형식이 아닙니다: "
        "{suggestion}(으)로 이름을 바꾸세요",
    },
    "rationale-section": {
        "en": "missing rationale: add a section \"## {heading}\" and write '{sentence}' under it",
        "ko": "근거 누락: \"## {heading}\" 절을 추가하고 그 아래에 '{sentence}'을(를) 쓰세요",
    },
    "rationale-sentence": {
        "en": "missing rationale: write '{sentence}' under \"## {heading}\"",
        "ko": "근거 누락: \"## {heading}\" 아래에 '{sentence}'을(를) 쓰세요",
    },
    "tradeoff-missing": {
        "en": "{status} record without a trade-off: add to the front matter "
        "'tradeoffs: [{example}]' (axes: {axes})",
        "ko": "트레이드오프 없음: 'status: {status}'인 기록에는 트레이드오프가 있어야 합니다. "
        "프런트 매터에 'tradeoffs: [{example}]'을(를) 추가하세요 (축: {axes})",
    },
    "tradeoff-no-place": {
        "en": "{status} record without a trade-off: this format has no place for one; "
        "run 'adr migrate --write' and then add a 'tradeoffs' item",
        "ko": "트레이드오프 없음: 'status: {status}'인 기록에는 트레이드오프가 있어야 하지만 "
        "이 형식에는 적을 자리가 없습니다. 'adr migrate --write'를 실행한 뒤 "
        "'tradeoffs' 항목을 추가하세요",
    },
    "axis-unknown": {
        "en": "unknown trade-off axis {axis!r}: use one of {known} "
        "(or add it under 'axes' in .adr.yaml)",
        "ko": "알 수 없는 트레이드오프 축 {axis!r}: {known} 중 하나를 쓰세요 "
        "(또는 .adr.yaml의 'axes'에 추가하세요)",
    },
    "side-unknown": {
        "en": "'favours: {favours}' is not a side of {axis}: "
        "write 'favours: {first}' or 'favours: {second}'",
        "ko": "'favours: {favours}'은(는) {axis} 축의 쪽이 아닙니다: "
        "'favours: {first}' 또는 'favours: {second}'을(를) 쓰세요",
    },
    "cost-missing": {
        "en": "trade-off on {axis} has no cost: "
        "write 'cost: <what favouring {favours} over {other} costs you>'",
        "ko": "{axis} 축의 트레이드오프에 대가가 없습니다: "
        "'cost: <{other}보다 {favours} 쪽을 택하면서 감수하는 대가>'을(를) 쓰세요",
    },
    "axis-twice": {
        "en": "trade-off axis {axis!r} appears twice: a record takes one side of an axis; "
        "merge the two items into one",
        "ko": "트레이드오프 축 {axis!r}이(가) 두 번 나옵니다: 한 기록은 한 축에서 한쪽만 "
        "택합니다. 두 항목을 하나로 합치세요",
    },
    "review-by-date": {
        "en": "'review-by' must be a date: write 'review-by: YYYY-MM-DD' (got {value!r})",
        "ko": "'review-by'는 날짜여야 합니다: 'review-by: YYYY-MM-DD' 형식으로 쓰세요 "
        "(지금 값: {value!r})",
    },
    "review-by-passed": {
        "en": "review-by {date} has passed: review the decision, then set a new 'review-by' "
        "date, or supersede or deprecate it",
        "ko": "review-by 날짜 {date}이(가) 지났습니다: 결정을 재검토한 뒤 새 'review-by' "
        "날짜를 정하거나, 결정을 대체하거나 폐기하세요",
    },
    # --- the folder (ADR008-ADR010, ADR012, ADR013, ADR017, ADR018, ADR023) -----------
    "number-twice": {
        "en": "number {id} is also used by {others}: run 'adr renumber' to move the later one",
        "ko": "번호 {id}을(를) {others}도 쓰고 있습니다: 'adr renumber'를 실행해 나중에 "
        "추가된 기록을 옮기세요",
    },
    "link-dangling": {
        "en": "'{key}' names {id}, which does not exist: fix the number in '{key}' or remove it",
        "ko": "'{key}'에 적힌 {id} 기록이 없습니다: '{key}'의 번호를 고치거나 지우세요",
    },
    "link-dangling-nygard": {
        "en": "'{key}' names {id}, which does not exist: "
        "fix the number in the '## Status' line or remove it",
        "ko": "'{key}'에 적힌 {id} 기록이 없습니다: '## Status' 줄의 번호를 고치거나 지우세요",
    },
    "superseded-status": {
        "en": "superseded by {ids} but the status is {status!r}: set the status to superseded",
        "ko": "{ids}이(가) 대체한 기록인데 상태가 {status!r}입니다: 상태를 superseded로 바꾸세요",
    },
    "superseded-status-empty": {
        "en": "superseded by {ids} but the status is 'empty': set the status to superseded",
        "ko": "{ids}이(가) 대체한 기록인데 상태가 비어 있습니다: 상태를 superseded로 바꾸세요",
    },
    "unsaid-superseded-by": {
        "en": "{name} supersedes this record but it does not say so: "
        "add 'superseded-by: [{number}]' to the front matter",
        "ko": "{name}이(가) 이 기록을 대체하지만 이 기록에는 그 사실이 없습니다: "
        "프런트 매터에 'superseded-by: [{number}]'을(를) 추가하세요",
    },
    "unsaid-superseded-by-nygard": {
        "en": "{name} supersedes this record but it does not say so: "
        "add the line 'Superseded by [{number}. {title}]({name})' under '## Status'",
        "ko": "{name}이(가) 이 기록을 대체하지만 이 기록에는 그 사실이 없습니다: "
        "'## Status' 아래에 'Superseded by [{number}. {title}]({name})' 줄을 추가하세요",
    },
    "unsaid-supersedes": {
        "en": "{name} says it is superseded by this record, which does not say so: "
        "add 'supersedes: [{number}]' to the front matter",
        "ko": "{name}에는 이 기록이 자신을 대체한다고 적혀 있지만 이 기록에는 그 사실이 "
        "없습니다: 프런트 매터에 'supersedes: [{number}]'을(를) 추가하세요",
    },
    "unsaid-supersedes-nygard": {
        "en": "{name} says it is superseded by this record, which does not say so: "
        "add the line 'Supersedes [{number}. {title}]({name})' under '## Status'",
        "ko": "{name}에는 이 기록이 자신을 대체한다고 적혀 있지만 이 기록에는 그 사실이 "
        "없습니다: '## Status' 아래에 'Supersedes [{number}. {title}]({name})' 줄을 "
        "추가하세요",
    },
    "cycle": {
        "en": "supersession cycle {ring}: a decision cannot be replaced by one it replaced; "
        "remove the wrong 'supersedes'/'superseded-by' entry",
        "ko": "대체 관계의 순환 {ring}: 결정은 자신이 대체한 결정으로 다시 대체될 수 "
        "없습니다. 잘못된 'supersedes'/'superseded-by' 항목을 지우세요",
    },
    "index-stale": {
        "en": "index is stale from line {line}: run 'adr index' and commit the result",
        "ko": "색인이 {line}번째 줄부터 오래되었습니다: 'adr index'를 실행하고 결과를 커밋하세요",
    },
    "trailer-missing": {
        "en": "commit {sha} ({summary!r}) has '{key}: {ref}' but there is no record {id}: "
        "restore the record, or add ADR013 to 'check: {{ignore: [...]}}'",
        "ko": "커밋 {sha} ({summary!r})에 '{key}: {ref}'이(가) 있지만 {id} 기록이 "
        "없습니다: 기록을 되살리거나, 'check: {{ignore: [...]}}'에 ADR013을 추가하세요",
    },
    "trailer-bad": {
        "en": "commit {sha} ({summary!r}) has '{key}: {value}', which names no record: "
        "write '{key}: 7' or '{key}: none - <reason>' in later commits",
        "ko": "커밋 {sha} ({summary!r})의 '{key}: {value}'은(는) 어떤 기록도 가리키지 "
        "않습니다: 이후 커밋에는 '{key}: 7' 또는 '{key}: none - <이유>'를 쓰세요",
    },
    "number-clash": {
        "en": "number {id} is also taken on {ref} by {theirs}: the merge would give two "
        "records {id}; move this one to {free} (the next number free on both sides) with "
        "'adr renumber --base {ref}'",
        "ko": "번호 {id}을(를) {ref}의 {theirs}도 쓰고 있습니다: 병합하면 {id} 기록이 둘이 "
        "됩니다. 'adr renumber --base {ref}'를 실행해 이 기록을 양쪽 모두에서 비어 있는 "
        "다음 번호인 {free}(으)로 옮기세요",
    },
    "symlink-outside": {
        "en": "{name} is a symlink that resolves outside the working tree or into the git "
        "directory; it was not read (make it a regular file in the repository)",
        "ko": "{name}은(는) 작업 트리 밖이나 git 디렉터리 안을 가리키는 심볼릭 링크라서 "
        "읽지 않았습니다 (저장소 안의 일반 파일로 바꾸세요)",
    },
    # --- scopes (ADR015, ADR020-ADR022) ----------------------------------------------
    "scope-unreadable": {
        "en": "scope pattern {pattern!r} cannot be read: {reason}",
        "ko": "scope 패턴 {pattern!r}을(를) 읽을 수 없습니다: {reason}",
    },
    "scope-unmatched": {
        "en": "scope pattern {pattern!r} matches no tracked file: fix the path "
        "(relative to the repository root), or remove it if the code is gone",
        "ko": "scope 패턴 {pattern!r}에 맞는 추적 파일이 없습니다: 경로를 (저장소 루트 "
        "기준으로) 고치거나, 코드가 사라졌다면 패턴을 지우세요",
    },
    "tension": {
        "en": "trade-off tension with {first} on {axis} over {overlap} file(s) such as "
        "{example}: {second} favours {second_side} (cost: {second_cost}), {first} favours "
        "{first_side} (cost: {first_cost}); link them with "
        "'adr link {second_number} Relates {first_number}' once the conflict is "
        "understood, or supersede one",
        "ko": "{first}와(과) {axis} 축에서 트레이드오프 긴장: {example} 등 파일 {overlap}개가 "
        "겹칩니다. {second}은(는) {second_side} 쪽을 택했고 (대가: {second_cost}), "
        "{first}은(는) {first_side} 쪽을 택했습니다 (대가: {first_cost}). 충돌을 이해했다면 "
        "'adr link {second_number} Relates {first_number}'로 두 결정을 연결하거나, "
        "한쪽을 대체하세요",
    },
    "scope-trailer": {
        "en": "changed since {ref} under the scope of {names} ({shown}), but no commit "
        "since then has a '{key}:' trailer naming it: add '{key}: {first}' to a commit "
        "message, or '{key}: none - <reason>'",
        "ko": "{ref} 이후 {names}의 scope 아래 파일이 바뀌었지만 ({shown}) 그 뒤의 어느 "
        "커밋에도 이 결정을 밝히는 '{key}:' 트레일러가 없습니다: 커밋 메시지에 "
        "'{key}: {first}' 또는 '{key}: none - <이유>'를 추가하세요",
    },
    "scope-trailer-more": {
        "en": "changed since {ref} under the scope of {names} ({shown} and {more} more), "
        "but no commit since then has a '{key}:' trailer naming it: add '{key}: {first}' "
        "to a commit message, or '{key}: none - <reason>'",
        "ko": "{ref} 이후 {names}의 scope 아래 파일이 바뀌었지만 ({shown} 외 {more}개) 그 "
        "뒤의 어느 커밋에도 이 결정을 밝히는 '{key}:' 트레일러가 없습니다: 커밋 메시지에 "
        "'{key}: {first}' 또는 '{key}: none - <이유>'를 추가하세요",
    },
    # --- adr index --check: how the index on disk differs from the expected one ------
    "diff-on-disk": {"en": "{name} (on disk)", "ko": "{name} (디스크에 있는 것)"},
    "diff-expected": {"en": "{name} (expected)", "ko": "{name} (있어야 할 것)"},
    "diff-more": {"en": "... {count} more diff lines", "ko": "... 차이 {count}줄 더"},
    "diff-count": {
        "en": "{added} line(s) to add, {removed} to remove",
        "ko": "추가할 줄 {added}개, 지울 줄 {removed}개",
    },
    # --- a status change the checks refuse (adr accept, adr status) -------------------
    "status-gated": {
        "en": "record {number} cannot become {status} until the checks for {status} "
        "records pass (or pass --force):\n{findings}",
        "ko": "{number}번 결정을 {label} 상태로 바꿀 수 없습니다. 이 상태에 필요한 검사를 "
        "먼저 통과하세요 (또는 --force를 주세요):\n{findings}",
    },
}


def pack(**values: str) -> Values:
    """The values of one message, as the hashable tuple findings and problems keep."""
    return tuple(values.items())


def say(
    key: str, values: Values, lang: str = "en", texts: dict[str, dict[str, str]] = TEXTS
) -> str:
    """Message ``key`` in ``lang`` with ``values`` filled in; English when the message
    has no text in ``lang``. An unknown id or a missing value (a tampered parse cache)
    gives the id and the values as they are, never an exception. ``texts``: another
    table of the same shape (the commands' own words, ``cli.messages``)."""
    try:
        table = texts[key]
        return (table.get(lang) or table["en"]).format_map(dict(values))
    except (KeyError, IndexError, ValueError, TypeError):
        return f"{key}: {values!r}"


def has(key: str, lang: str) -> bool:
    """Whether message ``key`` has its own text in ``lang``."""
    return isinstance(key, str) and lang in TEXTS.get(key, {})
