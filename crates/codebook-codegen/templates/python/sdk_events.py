{{ header|safe }}"""Helpers that take what centrifuge-python hands to its event handlers and say what the code
means and what to do, without importing the SDK: ``on_connecting``, ``on_disconnected``,
``on_subscribing`` and ``on_unsubscribed`` get a context with ``code`` and ``reason``, which
:class:`SdkEventContext` describes structurally (``on_error``'s contexts carry a ``code`` only,
:class:`SdkErrorContext`). Each event of centrifuge-python has one family in codes.yaml, its own
numbers where they differ from another SDK's; numbers its range rules give to another family,
such as the server's disconnect codes in a ``connecting`` event, are classified there.

The reason never changes the answer. centrifuge-js reconnects after a close code from 4500 to 4999
when the close reason is empty; codebook reads the code alone, as the server means it, and answers
stop.
"""

from __future__ import annotations

from typing import Callable, Dict, Optional

{% if !modules.is_empty() %}from . import (
{% for module in modules %}    {{ module }},
{% endfor %})
{% endif %}from ._runtime import {% if has_error_event %}SdkErrorContext, {% endif %}SdkEventAnswer, SdkEventContext{% if !modules.is_empty() %}, SdkEventTable, classify_sdk_event_code{% endif %}{% if error_family.is_some() %}, error_code_of{% endif %}

__all__ = [
{% for name in exports %}    {{ name|string }},
{% endfor %}]
{% for event in events %}
_{{ event.event }}_table = SdkEventTable(
    {{ event.own_module }}.FAMILY,
    (
{% for hand in event.hand_off %}        ({{ hand.from }}, {{ hand.to }}, {{ hand.family_module }}.FAMILY),
{% endfor %}    ),
)
{% endfor %}{% for event in events %}

def classify_{{ event.event }}_context(ctx: {% if event.kind == SdkEvent::Error %}SdkErrorContext{% else %}SdkEventContext{% endif %}) -> Optional[SdkEventAnswer]:
    """What the code of an SDK ``{{ event.event }}`` event means (the context of ``on_{{ event.event }}``): a
    code of family ``{{ event.own_id }}``{% if !event.hand_off.is_empty() %}, or of the family its range rules hand
    the number to{% endif %}. ``None`` when the number is no code at all.
    The reason does not change the answer.{% if !event.differences.is_empty() %}
{% for line in event.differences %}
    {{ line|safe }}{% endfor %}{% endif %}"""
    return classify_sdk_event_code(_{{ event.event }}_table, ctx.code)
{% endfor %}{% if let Some(error) = error_family %}

def classify_error_reply(code: int) -> Optional[SdkEventAnswer]:
    """What the code of a server's error reply means, in family ``{{ error.id }}``; ``None`` for
    a number that is no code."""
    return classify_sdk_event_code(SdkEventTable({{ error.names.module }}.FAMILY, ()), code)


def classify_error(error: object) -> Optional[SdkEventAnswer]:
    """What the server's error reply an exception carries means (centrifuge-python's
    ``ReplyError``, raised by a call or held in the ``error`` of an ``ErrorContext`` or
    ``SubscriptionErrorContext``), found by :func:`error_code_of`; ``None`` when it carries no
    code, or a number that is no code."""
    code = error_code_of(error)
    return None if code is None else classify_error_reply(code)
{% endif %}

BY_EVENT: Dict[str, Callable[[SdkEventContext], Optional[SdkEventAnswer]]] = {
{% for event in events %}    {{ event.event|string }}: classify_{{ event.event }}_context,
{% endfor %}}
"""Every helper by the event's name as the SDKs spell it (``"connecting"``)."""
