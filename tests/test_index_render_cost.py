"""The cheaper ways the index is rendered give what the plain ones gave (issue 19)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adr_tool.publish.graph import _MERMAID_CODES, _MERMAID_WORDS, mermaid_text

LABELS = st.text(alphabet=st.sampled_from('ab #"<>`&%;\t\nstyleclassDef한'), max_size=40)


def _translated(value: str) -> str:
    """``mermaid_text`` as one simultaneous ``str.translate``, as it was written first."""
    text = " ".join(value.split()).translate(str.maketrans(_MERMAID_CODES))
    for word, code in _MERMAID_WORDS.items():
        text = text.replace(word, code)
    return text


@given(LABELS)
def test_mermaid_text_replaces_as_one_translate_would(value: str) -> None:
    assert mermaid_text(value) == _translated(value)


def test_mermaid_text_codes_a_hash_once() -> None:
    assert mermaid_text('#5 "a" <b> 100%') == "#35;5 #quot;a#quot; #lt;b#gt; 100#37;"
