"""The package's API beyond the vectors: members are ints, deprecated codes warn when named or looked
up, classification refuses what is not a code number with a clear message, closes classify."""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import pytest

from codebook_codes import (
    FAMILIES,
    Action,
    BaseCodeEnum,
    BaseCodeFamily,
    Behaviour,
    Closed,
    CodeEnum,
    CodeInfo,
    Jitter,
    Origin,
    Scope,
    VaryingCodeEnum,
    VaryingCodeInfo,
    check_code_number,
)


def test_members_are_ints_of_their_family() -> None:
    for family in FAMILIES.values():
        for member in family.enum_type:
            assert isinstance(member, BaseCodeEnum) and isinstance(member, int)
            assert isinstance(member, CodeEnum) != isinstance(member, VaryingCodeEnum)
            assert isinstance(member.info, VaryingCodeInfo if isinstance(member, VaryingCodeEnum) else CodeInfo)
            assert member.family is family
            assert member == int(member) == member.info.code
            assert member.doc_url == member.info.doc_url


def test_a_classification_is_frozen() -> None:
    family = next(iter(FAMILIES.values()))
    classified = family.classify(65535)
    with pytest.raises(dataclasses.FrozenInstanceError):
        classified.code = 1  # type: ignore[misc]


def test_deprecated_codes_warn_when_named_or_looked_up_and_others_do_not() -> None:
    for family in FAMILIES.values():
        for info in family.infos:
            member_name = next(member.name for member in family.enum_type if int(member) == info.code)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                getattr(family.enum_type, member_name)
                family.from_code(info.code)
            warned = [w for w in caught if issubclass(w.category, DeprecationWarning)]
            if info.deprecated is None:
                assert warned == [], info.code
            else:
                assert len(warned) == 2, info.code
                assert f"code {info.code}" in str(warned[0].message)
                assert info.deprecated in str(warned[0].message)


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (True, "got the bool True"),
        (-1, "got -1"),
        (65536, "got 65536"),
        (1000.0, "got float 1000.0"),
        ("1000", "got str '1000'"),
    ],
)
def test_the_message_says_what_was_wrong(bad: object, says: str) -> None:
    with pytest.raises(ValueError, match="a code number must be an int from 0 to 65535") as raised:
        check_code_number(bad)
    assert says in str(raised.value)


def test_closed_never_copies_a_local_only_code_as_sent() -> None:
    closes: list[BaseCodeFamily[Any, Any]] = [family for family in FAMILIES.values() if family.kind == "websocket_close"]
    for family in closes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            for code in (1005, 1006, 1015, 0, 5000):
                assert Closed.of(family, code).local_only, code
            short = Closed.of(family, 4000, "short reason")
        assert short.reason == "short reason" and not short.reason_truncated


def test_a_varying_code_shows_its_number_and_name_never_a_made_up_text() -> None:
    varying = [member for family in FAMILIES.values() for member in family.enum_type if isinstance(member, VaryingCodeEnum)]
    for member in varying:
        assert repr(member) == f"<{type(member).__name__}.{member.name}: {int(member)}>"
        assert str(member) in (str(int(member)), f"{type(member).__name__}.{member.name}")
        if member.message is None:
            assert member.message_varies is not None
            shown = repr(member) + str(member) + format(member)
            for text in (member.message_varies, *member.known_messages):
                assert text not in shown or text in (member.name, str(int(member))), text
        else:
            assert member.message_varies is None and member.known_messages == ()


def test_printing_a_protocol_value_gives_its_wire_spelling() -> None:
    for enum_type in (Action, Behaviour, Origin, Scope, Jitter):
        for value in enum_type:
            assert str(value) == value.value
            assert f"{value}" == value.value
            assert f"{value:>30}" == f"{value.value:>30}"
