"""The types and functions every family module shares: classification, backoff delays, close-code
safety and close-reason truncation. The same for every registry; the family modules hold the codes.

The arithmetic matches the Rust, TypeScript and Go bindings bit for bit (the shared vectors in
``tests/vectors.json`` prove it): the delay calculator computes in IEEE doubles exactly as they do,
and Mulberry32 masks every step to 32 bits.
"""

from __future__ import annotations

import enum
import math
import secrets
import warnings
from dataclasses import dataclass
from typing import Any, Dict, Generic, Optional, Protocol, Tuple, Type, TypeVar, cast

from ._protocol import CLOSE_CODE_RULES, MAX_CLOSE_REASON_BYTES, Action, Behaviour, CloseCodeRule, Jitter, Origin, Scope

__all__ = [
    "BackoffHint",
    "BaseCodeEnum",
    "BaseCodeFamily",
    "BaseCodeInfo",
    "Behaviour",
    "Change",
    "Classification",
    "CloseSender",
    "Closed",
    "CodeEnum",
    "CodeFamily",
    "CodeInfo",
    "Jitter",
    "Mulberry32",
    "Origin",
    "Scope",
    "SdkErrorContext",
    "SdkEventAnswer",
    "SdkEventContext",
    "SdkEventTable",
    "Segment",
    "VaryingCodeEnum",
    "VaryingCodeFamily",
    "VaryingCodeInfo",
    "check_code_number",
    "classify_sdk_event_code",
    "close_code_rule",
    "error_code_of",
    "random_u32",
    "safe_close_code",
    "truncate_close_reason",
]

_U32_MAX = 0xFFFFFFFF
_TWO_TO_THE_32 = 4294967296.0


def _check_u32(what: str, value: object) -> int:
    if type(value) is bool or not isinstance(value, int) or not 0 <= value <= _U32_MAX:
        raise ValueError(f"{what} must be an int from 0 to {_U32_MAX}, got {value!r}")
    return value


def random_u32() -> int:
    """A random 32-bit unsigned integer from the operating system's cryptographic generator."""
    return secrets.randbits(32)


@dataclass(frozen=True)
class BackoffHint:
    """How long to wait before trying again, and when to give up (see :meth:`delay_ms`)."""

    min_ms: int
    """Delay of the first attempt; never zero in the registry (0 counts as 1)."""
    max_ms: int
    jitter: Jitter
    give_up_after_ms: Optional[int] = None
    """Give up once this much time has passed since the first failure; ``None``: never."""

    def __post_init__(self) -> None:
        _check_u32("min_ms", self.min_ms)
        _check_u32("max_ms", self.max_ms)
        if not isinstance(self.jitter, Jitter):
            raise ValueError(f"jitter must be a Jitter, got {self.jitter!r}")
        if self.give_up_after_ms is not None:
            _check_u32("give_up_after_ms", self.give_up_after_ms)

    def delay_ms(self, attempt: int, elapsed_ms: float, random: int) -> Optional[int]:
        """The delay before attempt ``attempt`` (0 for the first retry), given the milliseconds since
        the first failure, or ``None`` when it is time to give up.

        ``random`` is one 32-bit unsigned integer, an argument in every binding (never a hidden
        default): :func:`random_u32` draws one from the operating system (pass a :class:`Mulberry32`
        output only in tests: a shared seed makes a fleet reconnect in lockstep). The formula is the one every binding reproduces bit for bit: ``low =
        max(min_ms, 1)``, ``cap = max(max_ms, low)``; without jitter the delay is ``min(cap, low *
        2**min(attempt, 32))``; with full jitter ``high = min(cap, low * 2**min(attempt + 1, 32))``
        and the delay is ``low + floor(random / 2**32 * (high - low + 1))`` in IEEE doubles, so even
        the first retry of a fleet is spread over ``[low, 2 * low]``. A negative ``elapsed_ms`` (a
        clock stepped backwards) counts as 0.

        >>> hint = BackoffHint(min_ms=500, max_ms=8_000, jitter=Jitter.NONE, give_up_after_ms=60_000)
        >>> hint.delay_ms(3, 0, random_u32())
        4000
        >>> hint.delay_ms(2, 60_000, random_u32()) is None
        True
        >>> BackoffHint(500, 8_000, Jitter.FULL).delay_ms(0, 0, 2**31)
        750
        """
        if type(attempt) is bool or not isinstance(attempt, int) or attempt < 0:
            raise ValueError(f"attempt must be a non-negative int, got {attempt!r}")
        if type(elapsed_ms) is bool or not isinstance(elapsed_ms, (int, float)) or math.isnan(elapsed_ms):
            raise ValueError(f"elapsed_ms must be a number of milliseconds, got {elapsed_ms!r}")
        drawn = _check_u32("random", random)
        if self.give_up_after_ms is not None and max(elapsed_ms, 0) >= self.give_up_after_ms:
            return None
        low = max(self.min_ms, 1)
        cap = max(self.max_ms, low)
        if self.jitter is Jitter.NONE:
            return min(low << min(attempt, 32), cap)
        high = min(low << min(attempt + 1, 32), cap)
        span = float(high - low) + 1.0
        return low + math.floor(drawn / _TWO_TO_THE_32 * span)


class Mulberry32:
    """Mulberry32, a tiny seeded 32-bit generator: the random source of the shared test vectors.

    Never use it for real delays: a fleet seeded alike would reconnect in lockstep.

    >>> Mulberry32(42).next_u32()
    2581720956
    """

    def __init__(self, seed: int) -> None:
        self._state = _check_u32("seed", seed)

    def next_u32(self) -> int:
        """The next 32-bit unsigned integer."""
        self._state = (self._state + 0x6D2B79F5) & _U32_MAX
        t = self._state
        t = ((t ^ (t >> 15)) * (t | 1)) & _U32_MAX
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & _U32_MAX)) & _U32_MAX
        return (t ^ (t >> 14)) & _U32_MAX


@dataclass(frozen=True)
class Change:
    """One entry of a code's history."""

    version: str
    note: str


@dataclass(frozen=True)
class Segment:
    """A run of numbers that classify the same way when they are not registered."""

    from_: int
    """First number of the run (``from`` in the other bindings; ``from`` is a Python keyword)."""
    to: int
    """Last number of the run, inclusive."""
    scope: Scope
    behaviour: Behaviour
    action: Action
    """What to do with an unregistered number of this run."""
    backoff: Optional[BackoffHint]
    """Set exactly when ``action`` tries again."""
    label: str

    @property
    def start(self) -> int:
        """Deprecated: :attr:`from_`, the name every binding uses (``from`` is a keyword)."""
        warnings.warn("Segment.start is deprecated: use from_", DeprecationWarning, stacklevel=2)
        return self.from_

    @property
    def end(self) -> int:
        """Deprecated: :attr:`to`, the name every binding uses."""
        warnings.warn("Segment.end is deprecated: use to", DeprecationWarning, stacklevel=2)
        return self.to


M = TypeVar("M", str, Optional[str])


@dataclass(frozen=True)
class BaseCodeInfo(Generic[M]):
    """Everything the registry says about one registered code: :class:`CodeInfo` in a family whose
    codes all send a fixed message, :class:`VaryingCodeInfo` in a family where some code's message
    is built at run time."""

    code: int
    name: str
    """The name in ``codes.yaml`` (``InvalidToken``); the enum member is its upper-case form."""
    message: M
    """The exact message or close reason sent on the wire (``None`` when the sender builds it at run
    time)."""
    description: str
    """Markdown."""
    causes: Tuple[str, ...]
    behaviour: Behaviour
    local_only: bool
    """Reported locally by an endpoint and never sent in a close frame (RFC 6455, section 7.4.1)."""
    action: Action
    backoff: Optional[BackoffHint]
    """Set exactly when the action tries again."""
    origin: Origin
    since: Optional[str]
    deprecated: Optional[str]
    """What to use instead, when the code is deprecated."""
    changes: Tuple[Change, ...]
    doc_url: str
    """The portal's stable URL of the code, usable as an RFC 9457 problem ``type``."""
    http_status: Optional[int]
    """The HTTP status the server answers with when it returns the code as a transport error
    (``None`` when the registry does not say)."""
    grpc_status: Optional[int]
    """The gRPC status number (0-16) it answers with then (``None`` when the registry does not say)."""


@dataclass(frozen=True)
class CodeInfo(BaseCodeInfo[str]):
    """A code of a family whose codes all send a fixed message: ``message`` is that exact text."""


@dataclass(frozen=True)
class VaryingCodeInfo(BaseCodeInfo[Optional[str]]):
    """A code of a family where some code's message is built at run time: ``message`` is the fixed
    text, or ``None`` when it varies (then ``message_varies`` says what the text is)."""

    message_varies: Optional[str]
    """What the sender puts in the text it builds at run time, in words (never a wire string);
    ``None`` for a fixed message."""
    known_messages: Tuple[str, ...]
    """Exact texts the sender is known to use for a varying message (empty for a fixed one)."""


def check_code_number(code: object) -> int:
    """``code`` itself when it is an int from 0 to 65535; otherwise a ``ValueError`` that says why.

    ``bool`` is refused although it is an ``int`` (``True`` is no code), and so are floats and
    strings, even ``3000.0`` or ``"3000"``: a caller must convert on purpose.
    """
    if type(code) is bool:
        raise ValueError(f"a code number must be an int from 0 to 65535, got the bool {code!r}")
    if not isinstance(code, int):
        raise ValueError(
            f"a code number must be an int from 0 to 65535, got {type(code).__name__} {code!r}"
        )
    if code < 0 or code > 65535:
        raise ValueError(f"a code number must be an int from 0 to 65535, got {int(code)}")
    return int(code)


def _warn_deprecated(info: BaseCodeInfo[Any], family_id: str) -> None:
    warnings.warn(
        f"code {info.code} ({info.name}) of family {family_id} is deprecated: {info.deprecated}",
        DeprecationWarning,
        stacklevel=3,
    )


_FAMILY_OF_ENUM: Dict[type, BaseCodeFamily[Any, Any]] = {}


class _CodeEnumMeta(enum.EnumMeta):
    """Warns with ``DeprecationWarning`` when a deprecated member is named (``Family.OLD``)."""

    def __getattribute__(cls, name: str) -> Any:
        value = super().__getattribute__(name)
        if not name.startswith("_") and isinstance(value, enum.IntEnum):
            family = _FAMILY_OF_ENUM.get(type(value))
            if family is not None:
                info = family.info_of(int(value))
                if info.deprecated is not None:
                    _warn_deprecated(info, family.id)
        return value


class BaseCodeEnum(enum.IntEnum, metaclass=_CodeEnumMeta):
    """Base of every family's ``IntEnum``: a registered code with what the registry says about it.
    A family derives from :class:`CodeEnum` when its codes all send a fixed message, from
    :class:`VaryingCodeEnum` when some code's message is built at run time."""

    @property
    def _entry(self) -> BaseCodeInfo[Any]:
        entry: BaseCodeInfo[Any] = _FAMILY_OF_ENUM[type(self)].info_of(int(self))
        return entry

    @property
    def family(self) -> BaseCodeFamily[Any, Any]:
        return _FAMILY_OF_ENUM[type(self)]

    @property
    def info(self) -> BaseCodeInfo[Any]:
        return self._entry

    @property
    def code_name(self) -> str:
        """The name in ``codes.yaml``, e.g. ``InvalidToken``."""
        return self._entry.name

    @property
    def message(self) -> Optional[str]:
        """The exact message sent on the wire, or ``None`` when the sender builds it at run time
        (only in a :class:`VaryingCodeEnum`)."""
        message: Optional[str] = self._entry.message
        return message

    @property
    def description(self) -> str:
        return self._entry.description

    @property
    def causes(self) -> Tuple[str, ...]:
        return self._entry.causes

    @property
    def behaviour(self) -> Behaviour:
        return self._entry.behaviour

    @property
    def action(self) -> Action:
        return self._entry.action

    @property
    def backoff(self) -> Optional[BackoffHint]:
        return self._entry.backoff

    @property
    def origin(self) -> Origin:
        return self._entry.origin

    @property
    def since(self) -> Optional[str]:
        return self._entry.since

    @property
    def deprecated(self) -> Optional[str]:
        return self._entry.deprecated

    @property
    def changes(self) -> Tuple[Change, ...]:
        return self._entry.changes

    @property
    def local_only(self) -> bool:
        return self._entry.local_only

    @property
    def doc_url(self) -> str:
        return self._entry.doc_url

    @property
    def http_status(self) -> Optional[int]:
        return self._entry.http_status

    @property
    def grpc_status(self) -> Optional[int]:
        return self._entry.grpc_status


class CodeEnum(BaseCodeEnum):
    """Base of the ``IntEnum`` of a family whose codes all send a fixed message."""

    @property
    def family(self) -> CodeFamily[Any]:
        return cast("CodeFamily[Any]", _FAMILY_OF_ENUM[type(self)])

    @property
    def info(self) -> CodeInfo:
        return cast(CodeInfo, self._entry)

    @property
    def message(self) -> str:
        """The exact message or close reason sent on the wire."""
        return self.info.message


class VaryingCodeEnum(BaseCodeEnum):
    """Base of the ``IntEnum`` of a family where some code's message is built at run time by its
    sender: ``message`` is ``None`` for such a code, ``message_varies`` says what the text is and
    ``known_messages`` lists the exact texts the sender is known to use. ``repr()`` shows the name
    and the number, ``str()`` the number (the name before Python 3.11): never a made-up text."""

    @property
    def family(self) -> VaryingCodeFamily[Any]:
        return cast("VaryingCodeFamily[Any]", _FAMILY_OF_ENUM[type(self)])

    @property
    def info(self) -> VaryingCodeInfo:
        return cast(VaryingCodeInfo, self._entry)

    @property
    def message(self) -> Optional[str]:
        """The exact message sent on the wire, or ``None`` when the sender builds it at run time."""
        return self.info.message

    @property
    def message_varies(self) -> Optional[str]:
        """What the sender puts in the text it builds at run time, in words; ``None`` for a fixed message."""
        return self.info.message_varies

    @property
    def known_messages(self) -> Tuple[str, ...]:
        """Exact texts the sender is known to use for a varying message (empty for a fixed one)."""
        return self.info.known_messages


E = TypeVar("E", bound=BaseCodeEnum)
InfoT = TypeVar("InfoT", bound=BaseCodeInfo[Any])
C = TypeVar("C", bound=CodeEnum)
V = TypeVar("V", bound=VaryingCodeEnum)


@dataclass(frozen=True)
class Classification(Generic[E]):
    """What any number means in a family: a registered code (``member`` set) or an unregistered
    number (``member`` is ``None``), both with the segment, behaviour, action and hint to act on."""

    code: int
    member: Optional[E]
    segment: Segment
    behaviour: Behaviour
    action: Action
    backoff: Optional[BackoffHint]
    """Set exactly when ``action`` tries again."""

    @property
    def known(self) -> bool:
        """Is the number a registered code of the family?"""
        return self.member is not None


class BaseCodeFamily(Generic[E, InfoT]):
    """One family as a value: its codes, its segments and the lookups over them. A family is a
    :class:`CodeFamily` when its codes all send a fixed message, a :class:`VaryingCodeFamily` when
    some code's message is built at run time."""

    def __init__(
        self,
        *,
        id: str,
        title: str,
        kind: str,
        backoff: BackoffHint,
        enum_type: Type[E],
        infos: Tuple[InfoT, ...],
        segments: Tuple[Segment, ...],
        messages: Dict[str, int],
    ) -> None:
        self.id = id
        self.title = title
        self.kind = kind
        """``websocket_close`` or ``error``."""
        self.backoff = backoff
        """The hint of the family's codes and ranges that try again, unless a code states its own."""
        self.enum_type = enum_type
        self.infos = infos
        """Every registered code, sorted by number."""
        self.segments = segments
        """Sorted runs covering 0 to 65535."""
        self._info_by_code = {info.code: info for info in infos}
        self._code_by_text = messages
        """Every text a lookup by message resolves and the number it finds (the lowest number if
        several codes share a text), as the model's rule lists them."""
        self._starts = [segment.from_ for segment in segments]
        _FAMILY_OF_ENUM[enum_type] = self

    def info_of(self, code: int) -> InfoT:
        return self._info_by_code[code]

    def segment_of(self, code: int) -> Segment:
        """The segment covering ``code``; raises ``ValueError`` for a value that is not a code number."""
        number = check_code_number(code)
        low, high = 0, len(self._starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self._starts[middle] <= number:
                low = middle
            else:
                high = middle - 1
        return self.segments[low]

    def from_code(self, code: int) -> Optional[E]:
        """The registered code with this number, or ``None``; warns when the code is deprecated."""
        number = check_code_number(code)
        info = self._info_by_code.get(number)
        if info is None:
            return None
        if info.deprecated is not None:
            _warn_deprecated(info, self.id)
        return self.enum_type(number)

    def from_name(self, name: str) -> Optional[E]:
        """The registered code with this name as in ``codes.yaml`` (``InvalidToken``), or ``None``."""
        for info in self.infos:
            if info.name == name:
                return self.from_code(info.code)
        return None

    def from_message(self, message: str) -> Optional[E]:
        """The registered code sent with this exact wire message, or with this known text of a
        message built at run time (the lowest number if several share it), or ``None``."""
        code = self._code_by_text.get(message)
        return None if code is None else self.from_code(code)

    def classify(self, code: int) -> Classification[E]:
        """Classifies any number: a registered code by its own entry, anything else by the family's
        range rules, so a code from a newer server is still handled. Raises ``ValueError`` for a
        value that is not an int from 0 to 65535 (``bool``, negatives, floats, strings)."""
        segment = self.segment_of(code)
        number = int(code)
        member = self.from_code(number)
        if member is None:
            return Classification(number, None, segment, segment.behaviour, segment.action, segment.backoff)
        info = self._info_by_code[number]
        return Classification(number, member, segment, info.behaviour, info.action, info.backoff)


class CodeFamily(BaseCodeFamily[C, CodeInfo]):
    """A family whose codes all send a fixed message."""


class VaryingCodeFamily(BaseCodeFamily[V, VaryingCodeInfo]):
    """A family where some code's message is built at run time by its sender."""


class CloseSender(str, enum.Enum):
    """Who passes a close code on: browser code calling ``WebSocket.close``, or a server or proxy."""

    BROWSER = "browser"
    ENDPOINT = "endpoint"


def close_code_rule(code: int) -> CloseCodeRule:
    """The rule covering a close code; raises ``ValueError`` for a value that is not a code number."""
    number = check_code_number(code)
    for rule in CLOSE_CODE_RULES:
        if rule.from_ <= number <= rule.to:
            return rule
    raise AssertionError("the close-code rules cover 0 to 65535")


def safe_close_code(code: int, sender: CloseSender) -> int:
    """The code to pass on after receiving ``code``: itself when ``sender`` may send it, otherwise a
    safe replacement (copying 1006 into ``WebSocket.close()`` would throw).

    >>> safe_close_code(1006, CloseSender.ENDPOINT)
    1001
    """
    rule = close_code_rule(code)
    if sender is CloseSender.BROWSER:
        return int(code) if rule.browser_may_send else rule.browser_forwards
    return int(code) if rule.endpoint_may_send else rule.endpoint_forwards


def truncate_close_reason(reason: str) -> str:
    """The longest prefix of ``reason`` that fits a close frame (123 UTF-8 bytes), cut between
    characters, never inside one's UTF-8 sequence.

    >>> len(truncate_close_reason("\\u00e9" * 100).encode())
    122
    """
    if len(reason) * 4 <= MAX_CLOSE_REASON_BYTES:
        return reason
    used = 0
    for index, character in enumerate(reason):
        size = len(character.encode("utf-8", "surrogatepass"))
        if used + size > MAX_CLOSE_REASON_BYTES:
            return reason[:index]
        used += size
    return reason


@dataclass(frozen=True)
class Closed(Generic[E]):
    """A classified close: the family's classification of the code plus what the close said."""

    classification: Classification[E]
    reason: str
    """The reason, truncated to fit a close frame if it was longer."""
    reason_truncated: bool
    was_clean: bool
    local_only: bool
    """The code did not come from the peer: reported locally (1005, 1006, 1015) or never on the wire."""

    @property
    def action(self) -> Action:
        return self.classification.action

    @property
    def backoff(self) -> Optional[BackoffHint]:
        return self.classification.backoff

    @staticmethod
    def of(family: BaseCodeFamily[E, Any], code: int, reason: str = "", was_clean: bool = True) -> Closed[E]:
        """Classifies a close (code, reason, clean or not) by a close-code family."""
        classification = family.classify(code)
        truncated = truncate_close_reason(reason)
        member = classification.member
        local_only = (member is not None and member.local_only) or close_code_rule(code).never_on_wire
        return Closed(classification, truncated, truncated != reason, was_clean, local_only)


class SdkEventContext(Protocol):
    """What an official SDK hands to a state event's handler: a ``code`` and a ``reason``.

    centrifuge-python's ``ConnectingContext``, ``DisconnectedContext``, ``SubscribingContext`` and
    ``UnsubscribedContext`` fit it as they are (it is a structural type: nothing to import from
    the SDK, nothing to subclass)."""

    @property
    def code(self) -> int: ...

    @property
    def reason(self) -> str: ...


class SdkErrorContext(Protocol):
    """What centrifuge-python hands to an ``on_error`` handler, as far as a code goes: its
    ``ErrorContext`` and ``SubscriptionErrorContext`` carry a ``code`` (centrifuge-python's own
    number) and the exception in ``error``, no ``reason``."""

    @property
    def code(self) -> int: ...


@dataclass(frozen=True)
class SdkEventAnswer:
    """What the code of an SDK event means: the family that answered (the SDK's own, or the
    server's family the SDK passed the number on from) and its classification there."""

    family: BaseCodeFamily[Any, Any]
    classification: Classification[Any]

    @property
    def known(self) -> bool:
        """Is the number a registered code of :attr:`family`?"""
        return self.classification.member is not None

    @property
    def member(self) -> Optional[BaseCodeEnum]:
        """The registered code, or ``None`` for a number the family's ranges classify."""
        member: Optional[BaseCodeEnum] = self.classification.member
        return member

    @property
    def behaviour(self) -> Behaviour:
        return self.classification.behaviour

    @property
    def action(self) -> Action:
        return self.classification.action

    @property
    def backoff(self) -> Optional[BackoffHint]:
        """Set exactly when :attr:`action` tries again."""
        return self.classification.backoff


@dataclass(frozen=True)
class SdkEventTable:
    """One SDK event's numbers: its own family, and the ranges of it that hold another family's
    codes (``codes_of`` in codes.yaml), as ``(from, to, family)``."""

    own: BaseCodeFamily[Any, Any]
    hand_off: Tuple[Tuple[int, int, BaseCodeFamily[Any, Any]], ...]


def classify_sdk_event_code(table: SdkEventTable, code: object) -> Optional[SdkEventAnswer]:
    """Classifies an SDK event's number in the event's own family, or, when the own family does
    not register it and a range hands it on, in that range's family. ``None`` for anything that is
    no code number (above 65535, negative, ``bool``, not an ``int``): a number is never wrapped."""
    if isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= 0xFFFF:
        return None
    own = table.own.classify(code)
    if own.member is None:
        for start, end, family in table.hand_off:
            if start <= code <= end:
                return SdkEventAnswer(family, family.classify(code))
    return SdkEventAnswer(table.own, own)


def error_code_of(error: object) -> Optional[int]:
    """The error code an exception carries, or one it was raised from or during (``__cause__``,
    ``__context__``), or ``None``.

    It recognises, without importing any SDK, an exception with an ``int`` attribute ``code`` and
    a ``str`` attribute ``message``: centrifuge-python's ``ReplyError`` (the server's error reply,
    raised by ``publish``, ``rpc``, ``history``, ... and carried in the ``error`` of its
    ``ErrorContext`` and ``SubscriptionErrorContext``). The number is returned as the exception
    holds it, so a number that is no code (above 65535) is never wrapped onto one; the ``classify``
    functions refuse it."""
    seen = set()
    current: object = error
    while isinstance(current, BaseException) and id(current) not in seen:
        seen.add(id(current))
        code = getattr(current, "code", None)
        if isinstance(code, int) and not isinstance(code, bool) and isinstance(getattr(current, "message", None), str):
            return code
        current = current.__cause__ if current.__cause__ is not None else current.__context__
    return None
