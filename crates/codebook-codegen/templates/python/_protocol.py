{%- macro boolean(value) -%}{% if value %}True{% else %}False{% endif %}{%- endmacro -%}
{{ header|safe }}"""What every binding shares and the protocol crate states: the actions a client takes and the
close-code table (RFC 6455, section 7.4, and the WHATWG WebSocket rules)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Tuple

__all__ = ["CLOSE_CODE_RULES", "MAX_CLOSE_REASON_BYTES", "Action", "CloseCodeRule"]

MAX_CLOSE_REASON_BYTES = {{ max_close_reason_bytes }}
"""The longest close reason a close frame carries, in UTF-8 bytes (RFC 6455, section 5.5)."""


class Action(str, enum.Enum):
    """What a client should do next, beyond "reconnect or not": the closed set every binding shares."""

{% for action in actions %}    {{ action.as_str().to_uppercase() }} = {{ action.as_str()|string }}
{% endfor %}
    def __str__(self) -> str:
        """The wire spelling (``reconnect_after_backoff``), as every binding prints it."""
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    @property
    def advice(self) -> str:
        """The action in plain words, for a user interface or a log line."""
        return _ADVICE[self]

    @property
    def tries_again(self) -> bool:
        """Does a client with this action try again (and so wait for a backoff delay)?"""
        return self in _TRIES_AGAIN


_ADVICE = {
{% for action in actions %}    Action.{{ action.as_str().to_uppercase() }}: {{ action.advice()|string }},
{% endfor %}}

_TRIES_AGAIN = frozenset({
{% for action in actions %}{% if action.tries_again() %}    Action.{{ action.as_str().to_uppercase() }},
{% endif %}{% endfor %}})


@dataclass(frozen=True)
class CloseCodeRule:
    """What a run of close codes may be used for."""

    start: int
    end: int
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


CLOSE_CODE_RULES: Tuple[CloseCodeRule, ...] = (
{% for rule in rules %}    CloseCodeRule({{ rule.from }}, {{ rule.to }}, {{ rule.label|string }}, {% call boolean(rule.endpoint_may_send) %}{% endcall %}, {% call boolean(rule.browser_may_send) %}{% endcall %}, {% call boolean(rule.never_on_wire) %}{% endcall %}, {{ rule.endpoint_forwards }}, {{ rule.browser_forwards }}),
{% endfor %})
"""What every close code may be used for: sorted runs covering 0 to 65535."""
