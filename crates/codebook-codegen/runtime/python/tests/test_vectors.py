"""The shared conformance vectors (a copy in ``tests/vectors.json``), asserted row by row, and every
number from 0 to 65535 of every family against the vectors' segment tables: this package answers
exactly what the Rust, TypeScript, Go and Java bindings answer."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

from codebook_codes import (
    CLOSE_CODE_RULES,
    FAMILIES,
    MAX_CLOSE_REASON_BYTES,
    Action,
    BackoffHint,
    BaseCodeFamily,
    Behaviour,
    Closed,
    CloseSender,
    Jitter,
    Mulberry32,
    Origin,
    Scope,
    VaryingCodeEnum,
    close_code_rule,
    error_code_of,
    random_u32,
    safe_close_code,
    sdk_events,
    truncate_close_reason,
)

VECTORS: Dict[str, Any] = json.loads((Path(__file__).parent / "vectors.json").read_text(encoding="utf-8"))


def hint_of(row: Optional[Dict[str, Any]]) -> Optional[BackoffHint]:
    if row is None:
        return None
    return BackoffHint(row["min_ms"], row["max_ms"], Jitter(row["jitter"]), row["give_up_after_ms"])


def family_of(row: Dict[str, Any]) -> BaseCodeFamily[Any, Any]:
    family = FAMILIES[row["id"]]
    assert family.kind == row["kind"]
    return family


def test_every_family_of_the_vectors_is_generated() -> None:
    assert sorted(FAMILIES) == sorted(row["id"] for row in VECTORS["families"])


@pytest.mark.parametrize("row", VECTORS["families"], ids=lambda row: str(row["id"]))
def test_registered_codes(row: Dict[str, Any]) -> None:
    family = family_of(row)
    assert family.backoff == hint_of(row["backoff"])
    assert [info.code for info in family.infos] == [code["code"] for code in row["codes"]]
    assert len(family.enum_type.__members__) == len(row["codes"])
    for code in row["codes"]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            member = family.from_code(code["code"])
            classified = family.classify(code["code"])
        deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
        assert len(deprecations) == (2 if code["deprecated"] is not None else 0), code["code"]
        assert member is not None and int(member) == code["code"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            assert getattr(family.enum_type, member.name) is member
            assert family.from_name(code["name"]) is member
        assert member.code_name == code["name"]
        assert member.message == code["message"]
        if isinstance(member, VaryingCodeEnum):
            assert member.message_varies == code["message_varies"]
            assert list(member.known_messages) == code["known_messages"]
        else:
            assert code["message"] is not None and code["message_varies"] is None and code["known_messages"] == []
        assert member.description == code["description"]
        assert list(member.causes) == code["causes"]
        assert member.behaviour == Behaviour(code["behaviour"])
        assert member.behaviour.should_reconnect == code["should_reconnect"]
        assert member.behaviour.is_terminal == code["is_terminal"]
        assert member.behaviour.is_temporary == code["is_temporary"]
        assert member.local_only == code["local_only"]
        assert member.action == Action(code["action"])
        assert member.backoff == hint_of(code["backoff"])
        assert member.origin.value == code["origin"]
        assert member.since == code["since"]
        assert member.deprecated == code["deprecated"]
        assert [(c.version, c.note) for c in member.changes] == [(c["version"], c["note"]) for c in code["changes"]]
        assert member.doc_url == code["doc_url"]
        assert member.http_status == code.get("http_status")
        assert member.grpc_status == code.get("grpc_status")
        assert classified.known and classified.member is member
        assert classified.behaviour == member.behaviour
        assert classified.action == member.action
        assert classified.backoff == member.backoff


@pytest.mark.parametrize("row", VECTORS["families"], ids=lambda row: str(row["id"]))
def test_message_lookups(row: Dict[str, Any]) -> None:
    family = family_of(row)
    varying = any(code["message"] is None for code in row["codes"])
    assert issubclass(family.enum_type, VaryingCodeEnum) == varying
    lookups = row["message_lookups"]
    texts = {text for code in row["codes"] for text in ([code["message"]] if code["message"] is not None else code["known_messages"])}
    assert sorted(lookup["message"] for lookup in lookups) == sorted(texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for lookup in lookups:
            found = family.from_message(lookup["message"])
            assert found is not None and int(found) == lookup["code"], lookup
        # Nothing answers a text no code uses: the prose of a varying text is no wire string.
        unused = [code["message_varies"] for code in row["codes"] if code["message_varies"] is not None]
        unused += ["\u0000 no code sends this", ""]
        for text in unused:
            if text not in texts:
                assert family.from_message(text) is None, text


@pytest.mark.parametrize("row", VECTORS["families"], ids=lambda row: str(row["id"]))
def test_unregistered_numbers(row: Dict[str, Any]) -> None:
    family = family_of(row)
    for sample in row["unregistered"]:
        classified = family.classify(sample["code"])
        assert not classified.known and classified.member is None
        assert classified.behaviour == Behaviour(sample["behaviour"])
        assert classified.behaviour.should_reconnect == sample["should_reconnect"]
        assert classified.segment.scope.value == sample["scope"]
        assert classified.segment.label == sample["label"]
        assert classified.action == Action(sample["action"])
        assert classified.backoff == hint_of(sample["backoff"])


@pytest.mark.parametrize("row", VECTORS["families"], ids=lambda row: str(row["id"]))
def test_every_number_agrees_with_the_vectors(row: Dict[str, Any]) -> None:
    family = family_of(row)
    codes = {code["code"]: code for code in row["codes"]}
    segments = row["segments"]
    assert [(s.from_, s.to) for s in family.segments] == [(s["from"], s["to"]) for s in segments]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for segment in segments:
            expected_hint = hint_of(segment["backoff"])
            for number in range(segment["from"], segment["to"] + 1):
                classified = family.classify(number)
                assert classified.segment.label == segment["label"]
                expected = codes.get(number)
                if expected is None:
                    assert classified.member is None, number
                    assert classified.behaviour.value == segment["behaviour"], number
                    assert classified.action.value == segment["action"], number
                    assert classified.backoff == expected_hint, number
                else:
                    assert classified.member is not None, number
                    assert classified.behaviour.value == expected["behaviour"], number
                    assert classified.action.value == expected["action"], number


@pytest.mark.parametrize("bad", [True, False, -1, 65536, 2**64, 3000.0, float("nan"), "3000", None, b"1"])
def test_classify_refuses_what_is_not_a_code_number(bad: Any) -> None:
    for family in FAMILIES.values():
        with pytest.raises(ValueError, match="a code number must be an int from 0 to 65535"):
            family.classify(bad)
        with pytest.raises(ValueError):
            family.from_code(bad)


def test_actions() -> None:
    assert [action.value for action in Action] == [row["name"] for row in VECTORS["actions"]]
    for row in VECTORS["actions"]:
        action = Action(row["name"])
        assert action.advice == row["advice"]
        assert action.tries_again == row["tries_again"]


def test_close_code_rules_and_samples() -> None:
    vectors = VECTORS["close_codes"]
    assert vectors["max_reason_bytes"] == MAX_CLOSE_REASON_BYTES
    assert [
        (r.from_, r.to, r.label, r.endpoint_may_send, r.browser_may_send, r.never_on_wire, r.endpoint_forwards, r.browser_forwards)
        for r in CLOSE_CODE_RULES
    ] == [
        (r["from"], r["to"], r["label"], r["endpoint_may_send"], r["browser_may_send"], r["never_on_wire"], r["endpoint_forwards"], r["browser_forwards"])
        for r in vectors["rules"]
    ]
    for sample in vectors["samples"]:
        rule = close_code_rule(sample["code"])
        assert rule.label == sample["label"]
        assert rule.endpoint_may_send == sample["endpoint_may_send"]
        assert rule.browser_may_send == sample["browser_may_send"]
        assert rule.never_on_wire == sample["never_on_wire"]
        assert safe_close_code(sample["code"], CloseSender.ENDPOINT) == sample["safe_for_endpoint"]
        assert safe_close_code(sample["code"], CloseSender.BROWSER) == sample["safe_for_browser"]


def test_truncation() -> None:
    for row in VECTORS["close_codes"]["truncation"]:
        assert len(row["reason"].encode("utf-8")) == row["reason_bytes"]
        truncated = truncate_close_reason(row["reason"])
        assert truncated == row["truncated"]
        assert len(truncated.encode("utf-8")) == row["truncated_bytes"]


def test_mulberry32() -> None:
    for row in VECTORS["mulberry32"]:
        random = Mulberry32(row["seed"])
        assert [random.next_u32() for _ in row["outputs"]] == row["outputs"]


def test_delays() -> None:
    for sequence in VECTORS["delays"]:
        hint = hint_of(sequence["hint"])
        assert hint is not None
        random = Mulberry32(sequence["seed"])
        for step in sequence["steps"]:
            drawn = random.next_u32()
            assert drawn == step["random"]
            assert hint.delay_ms(step["attempt"], step["elapsed_ms"], drawn) == step["delay_ms"], (sequence["seed"], step)


def test_hostile_delays() -> None:
    assert len(VECTORS["hostile_delays"]) > 100
    for call in VECTORS["hostile_delays"]:
        hint = hint_of(call["hint"])
        assert hint is not None
        assert hint.delay_ms(call["attempt"], call["elapsed_ms"], call["random"]) == call["delay_ms"], call


def test_default_randomness_stays_within_the_hint() -> None:
    hint = BackoffHint(min_ms=100, max_ms=1_000, jitter=Jitter.FULL)
    draws = {random_u32() for _ in range(64)}
    assert len(draws) > 1 and all(0 <= draw <= 0xFFFFFFFF for draw in draws)
    for attempt in range(8):
        delay = hint.delay_ms(attempt, 0, random_u32())
        assert delay is not None and 100 <= delay <= min(100 << (attempt + 1), 1_000)


@pytest.mark.parametrize(
    "arguments",
    [(True, 0, 0), (-1, 0, 0), (0.5, 0, 0), (0, float("nan"), 0), (0, "0", 0), (0, 0, -1), (0, 0, 2**32), (0, 0, 1.0)],
)
def test_delay_refuses_bad_arguments(arguments: Any) -> None:
    hint = BackoffHint(min_ms=100, max_ms=1_000, jitter=Jitter.FULL)
    with pytest.raises(ValueError):
        hint.delay_ms(*arguments)


def test_a_careless_caller_gets_a_delay_not_an_exception() -> None:
    hint = BackoffHint(min_ms=100, max_ms=1_000, jitter=Jitter.FULL, give_up_after_ms=60_000)
    for elapsed in (-1, -0.5, -1e300, 0.25, 59_999.999):
        assert hint.delay_ms(3, elapsed, 7) == hint.delay_ms(3, 0, 7)
    assert hint.delay_ms(3, 60_000, 7) is None
    assert hint.delay_ms(2**64, 0, 2**32 - 1) == 1_000
    assert BackoffHint(0, 0, Jitter.NONE).delay_ms(0, 0, 0) == 1


def test_a_hint_refuses_bounds_outside_32_bits() -> None:
    with pytest.raises(ValueError):
        BackoffHint(min_ms=-1, max_ms=5, jitter=Jitter.NONE)
    with pytest.raises(ValueError):
        BackoffHint(min_ms=1, max_ms=2**32, jitter=Jitter.NONE)


def test_closed_of_a_close_family() -> None:
    closes = [family for family in FAMILIES.values() if family.kind == "websocket_close"]
    for family in closes:
        closed = Closed.of(family, 1006, "x" * 200, was_clean=False)
        assert closed.local_only and closed.reason_truncated
        assert len(closed.reason) == MAX_CLOSE_REASON_BYTES
        assert closed.action == family.classify(1006).action


@dataclass
class EventContext:
    """Shaped like centrifuge-python's ``ConnectingContext`` and its siblings (a dataclass with
    ``code`` and ``reason``): the helpers take it structurally."""

    code: int
    reason: str


SDK_EVENT_ROWS = [row for row in VECTORS.get("sdk_events", []) if "centrifuge-python" in row["sdks"]]


@pytest.mark.parametrize("row", SDK_EVENT_ROWS, ids=lambda row: f"{row['event']}-{row['code']}-{row['reason']!r}")
def test_sdk_event_helpers_follow_the_vectors(row: Dict[str, Any]) -> None:
    with warnings.catch_warnings():
        # A deprecated code warns when looked up; its answer is what is tested here.
        warnings.simplefilter("ignore", DeprecationWarning)
        answer = sdk_events.BY_EVENT[row["event"]](EventContext(row["code"], row["reason"]))
    if row["family"] is None:
        assert answer is None
        return
    assert answer is not None
    assert answer.family.id == row["family"]
    assert answer.known == row["known"]
    assert answer.action.value == row["action"]
    assert (answer.member.code_name if answer.member is not None else None) == row["name"]
    assert (answer.backoff is not None) == answer.action.tries_again


def test_every_sdk_event_of_centrifuge_python_has_a_helper() -> None:
    # Each helper reads centrifuge-python's own family of its event (its error numbers are not
    # centrifuge-js's); rows of another SDK's family are not asked here.
    assert {row["event"] for row in SDK_EVENT_ROWS} == set(sdk_events.BY_EVENT)


@pytest.mark.parametrize("code", [-1, 65536, 65536 + 42, True, 42.0, "42"])
def test_sdk_event_helpers_never_wrap_what_is_no_code(code: Any) -> None:
    for helper in sdk_events.BY_EVENT.values():
        assert helper(EventContext(code, "")) is None


class ReplyError(Exception):
    """Shaped like centrifuge-python's ``ReplyError``: ``code``, ``message`` and ``temporary``."""

    def __init__(self, code: int, message: str, temporary: bool) -> None:
        self.code = code
        self.message = message
        self.temporary = temporary
        super().__init__(f"Error {code}: {message} (temporary: {temporary})")


def test_error_code_of_reads_a_reply_error_and_what_raised_it() -> None:
    assert error_code_of(ReplyError(42, "denied", False)) == 42
    try:
        try:
            raise ReplyError(43, "expired", False)
        except ReplyError as inner:
            raise RuntimeError("subscribe failed") from inner
    except RuntimeError as outer:
        assert error_code_of(outer) == 43
    try:
        try:
            raise ReplyError(44, "broken", True)
        except ReplyError:
            raise RuntimeError("while handling")  # noqa: B904 (the implicit context is the point)
    except RuntimeError as outer:
        assert error_code_of(outer) == 44
    # A number that is no code comes back as it is, never wrapped onto one.
    assert error_code_of(ReplyError(65536 + 42, "x", False)) == 65536 + 42
    for nothing in [None, "42", 42, ValueError("42"), TimeoutError()]:
        assert error_code_of(nothing) is None
    flagged = ReplyError(42, "x", False)
    flagged.code = True
    assert error_code_of(flagged) is None


def test_classify_error_reads_the_server_family_and_refuses_what_is_no_code() -> None:
    classify_error = getattr(sdk_events, "classify_error", None)
    error_family = [family for family in VECTORS["families"] if "error_reply" in family["delivered_in"]]
    # The SDK helpers come only with a registry that declares SDK events (the vectors then carry
    # their rows) and exactly one family of error replies.
    if len(error_family) != 1 or not VECTORS.get("sdk_events"):
        assert classify_error is None
        return
    assert classify_error is not None
    family = FAMILIES[error_family[0]["id"]]
    registered = family.infos[0]
    answer = classify_error(ReplyError(registered.code, registered.name, False))
    assert answer is not None and answer.family is family and answer.known
    assert answer.action is registered.action
    assert classify_error(ReplyError(65536 + registered.code, "x", False)) is None
    assert classify_error(ValueError("no code")) is None


def test_segment_bounds_are_from_and_to_with_the_old_names_deprecated() -> None:
    segment = next(iter(FAMILIES.values())).segments[0]
    with pytest.warns(DeprecationWarning):
        assert (segment.start, segment.end) == (segment.from_, segment.to)
    rule = CLOSE_CODE_RULES[0]
    with pytest.warns(DeprecationWarning):
        assert (rule.start, rule.end) == (rule.from_, rule.to)


def test_printing_a_protocol_value_gives_its_wire_spelling() -> None:
    for value in [*Action, *Behaviour, *Scope, *Origin]:
        assert str(value) == value.value and f"{value}" == value.value
