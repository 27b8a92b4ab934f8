{%- macro boolean(value) -%}{% if value %}True{% else %}False{% endif %}{%- endmacro -%}
{%- macro members(values) -%}
{% for member in values %}{{ member.doc|comment("    ", "#: ") }}    {{ member.name }} = {{ member.spelling|string }}
{% endfor %}
{%- endmacro -%}
{%- macro printed_as(example) %}    def __str__(self) -> str:
        """The wire spelling (``{{ example }}``), as every binding prints it."""
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

{% endmacro -%}
{{ header|safe }}"""What every binding shares and the protocol crate states: the protocol's closed sets (behaviours,
scopes, origins, jitters, the actions a client takes) and the close-code table (RFC 6455, section
7.4, and the WHATWG WebSocket rules)."""

from __future__ import annotations

import enum
import warnings
from dataclasses import dataclass
from typing import Tuple

__all__ = ["CLOSE_CODE_RULES", "MAX_CLOSE_REASON_BYTES", "Action", "Behaviour", "CloseCodeRule", "Jitter", "Origin", "Scope"]

MAX_CLOSE_REASON_BYTES = {{ max_close_reason_bytes }}
"""The longest close reason a close frame carries, in UTF-8 bytes (RFC 6455, section 5.5)."""


class Behaviour(str, enum.Enum):
    """What a client should do with a code."""

{% call printed_as("reconnect") %}{% endcall %}{% call members(behaviours) %}{% endcall %}
    @property
    def should_reconnect(self) -> bool:
        return self is Behaviour.RECONNECT

    @property
    def is_terminal(self) -> bool:
        return self is Behaviour.TERMINAL

    @property
    def is_temporary(self) -> bool:
        return self is Behaviour.TEMPORARY


class Scope(str, enum.Enum):
    """Who a range of numbers belongs to; ``UNASSIGNED`` when no range rule covers it."""

{% call printed_as("protocol") %}{% endcall %}{% call members(scopes) %}{% endcall %}

class Origin(str, enum.Enum):
    """Who emits a code: the server, a client library, the user agent (never on the wire), or the
    server only recording it (``SERVER_INTERNAL``, never sent to a client)."""

{% call printed_as("server") %}{% endcall %}{% call members(origins) %}{% endcall %}
    @property
    def never_on_the_wire(self) -> bool:
        """Does a code of this origin never travel to a client in a close frame or message?"""
        return self in ({% for name in never_on_the_wire %}{% if !loop.first %}, {% endif %}Origin.{{ name }}{% endfor %})


class Jitter(str, enum.Enum):
    """``FULL``: a uniformly random delay from the minimum to the doubling ceiling; ``NONE``: the ceiling."""

{% call printed_as("full") %}{% endcall %}{% call members(jitters) %}{% endcall %}

class Action(str, enum.Enum):
    """What a client should do next, beyond "reconnect or not": the closed set every binding shares."""

{% call printed_as("reconnect_after_backoff") %}{% endcall %}{% call members(actions) %}{% endcall %}
    @property
    def advice(self) -> str:
        """The action in plain words, for a user interface or a log line."""
        return _ADVICE[self]

    @property
    def tries_again(self) -> bool:
        """Does a client with this action try again (and so wait for a backoff delay)?"""
        return self in _TRIES_AGAIN


_ADVICE = {
{% for action in action_values %}    Action.{{ action.as_str().to_uppercase() }}: {{ action.advice()|string }},
{% endfor %}}

_TRIES_AGAIN = frozenset({
{% for action in action_values %}{% if action.tries_again() %}    Action.{{ action.as_str().to_uppercase() }},
{% endif %}{% endfor %}})


@dataclass(frozen=True)
class CloseCodeRule:
    """What a run of close codes may be used for."""

    from_: int
    """First close code of the run (``from`` in the other bindings; ``from`` is a Python keyword)."""
    to: int
    """Last close code of the run, inclusive."""
    label: str
    endpoint_may_send: bool
    """A server or other endpoint may send it in a close frame."""
    browser_may_send: bool
    """A browser's ``WebSocket.close(code)`` accepts it; anything else throws."""
    never_on_wire: bool
    """It must never appear in a close frame (reported locally only, or not a close code at all)."""
    endpoint_forwards: int
    """What an endpoint sends instead when it may not send the code itself."""
    browser_forwards: int
    """What a browser passes to ``close()`` instead when it may not send the code itself."""

    @property
    def start(self) -> int:
        """Deprecated: :attr:`from_`, the name every binding uses (``from`` is a keyword)."""
        warnings.warn("CloseCodeRule.start is deprecated: use from_", DeprecationWarning, stacklevel=2)
        return self.from_

    @property
    def end(self) -> int:
        """Deprecated: :attr:`to`, the name every binding uses."""
        warnings.warn("CloseCodeRule.end is deprecated: use to", DeprecationWarning, stacklevel=2)
        return self.to


CLOSE_CODE_RULES: Tuple[CloseCodeRule, ...] = (
{% for rule in rules %}    CloseCodeRule({{ rule.from }}, {{ rule.to }}, {{ rule.label|string }}, {% call boolean(rule.endpoint_may_send) %}{% endcall %}, {% call boolean(rule.browser_may_send) %}{% endcall %}, {% call boolean(rule.never_on_wire) %}{% endcall %}, {{ rule.endpoint_forwards }}, {{ rule.browser_forwards }}),
{% endfor %})
"""What every close code may be used for: sorted runs covering 0 to 65535."""
