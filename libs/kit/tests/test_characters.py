"""Which characters text may hold: tab, LF, CR and every printable character pass; other C0 controls and lone
surrogates are found wherever they sit in a JSON value, keys included."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.characters import check_value, first_offence
from kit.problems import InvalidInput

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from("\t\n\r\x7f")),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=5).filter(lambda k: first_offence(k) is None), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON)
def test_text_without_control_characters_passes(value: object) -> None:
    assert first_offence(value) is None
    check_value(value, ("body",))


@given(JSON, st.sampled_from([chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\ud800", "\udfff"]))
def test_a_control_character_is_found_at_its_place(value: object, bad: str) -> None:
    document = {"items": [value, {"note": f"a{bad}b"}]}
    assert first_offence(document, ("body",)) == (("body", "items", 1, "note"), bad)
    with pytest.raises(InvalidInput) as raised:
        check_value({f"k{bad}": 1}, ("query",))
    assert raised.value.extra["errors"][0]["loc"] == ["query", f"k{bad}"]
