{%- macro hint(h) -%}
BackoffHint({{ h.min_ms }}, {{ h.max_ms }}, Jitter.{{ h.jitter.as_str().to_uppercase() }}, {% if let Some(ms) = h.give_up_after_ms %}{{ ms }}{% else %}None{% endif %})
{%- endmacro -%}
{%- macro hint_or_family(h) -%}
{% if let Some(h) = h %}{% if *h == family.backoff %}_BACKOFF{% else %}{% call hint(h) %}{% endcall %}{% endif %}{% else %}None{% endif %}
{%- endmacro -%}
{{ header|safe }}{{ docstring|string }}

from __future__ import annotations

from typing import Dict, Optional, Tuple

from ._protocol import Action
from ._runtime import (
{% for name in imports %}    {{ name }},
{% endfor %})

__all__ = ["FAMILY", "SEGMENTS", {{ t|string }}, "classify", "from_code", "from_message", "from_name"]

# The hint of the family's codes and ranges that try again, unless a code states its own.
_BACKOFF = {% call hint(family.backoff) %}{% endcall %}


class {{ t }}({{ names.enum_base }}):
    {{ enum_doc|string }}

{% for row in rows %}{{ row.comment|comment("    ", "#: ") }}    {{ row.code.names.screaming }} = {{ family.display_number(row.code.number) }}
{% endfor %}

_INFOS: Tuple[{{ names.info }}, ...] = (
{% for row in rows %}{% let code = row.code %}    {{ names.info }}({{ code.number }}, {{ code.name|string }}, {% if let Some(text) = code.message.fixed() %}{{ text|string }}{% else %}None{% endif %}, {{ code.description.trim_end()|string }}, ({% for cause in code.causes %}{% if !loop.first %}, {% endif %}{{ cause|string }}{% endfor %}{% if code.causes.len() == 1 %},{% endif %}), Behaviour.{{ code.behaviour.as_str().to_uppercase() }}, {% if code.local_only %}True{% else %}False{% endif %}, Action.{{ code.action.as_str().to_uppercase() }}, {% call hint_or_family(code.backoff) %}{% endcall %}, Origin.{{ code.origin.as_str().to_uppercase() }}, {{ code.since|optional }}, {{ code.deprecated|optional }}, ({% for change in code.changes %}{% if !loop.first %}, {% endif %}Change({{ change.version|string }}, {{ change.note|string }}){% endfor %}{% if code.changes.len() == 1 %},{% endif %}), {{ code.doc_url|string }}, {% if let Some(status) = code.http_status %}{{ status }}{% else %}None{% endif %}, {% if let Some(status) = code.grpc_status %}{{ status.number() }}{% else %}None{% endif %}{% if varying %}, {% if let Some(what) = code.message.varies() %}{{ what|string }}{% else %}None{% endif %}, ({% for text in code.message.known() %}{% if !loop.first %}, {% endif %}{{ text|string }}{% endfor %}{% if code.message.known().len() == 1 %},{% endif %}){% endif %}),
{% endfor %})

SEGMENTS: Tuple[Segment, ...] = (
{% for segment in family.segments %}    Segment({{ segment.from }}, {{ segment.to }}, Scope.{{ segment.scope.as_str().to_uppercase() }}, Behaviour.{{ segment.behaviour.as_str().to_uppercase() }}, Action.{{ segment.action.as_str().to_uppercase() }}, {% call hint_or_family(segment.backoff) %}{% endcall %}, {{ segment.label|string }}),
{% endfor %})
"""How numbers of the family classify when they are not registered: sorted runs covering 0 to 65535."""

# Every text a lookup by message resolves and the number it finds: the lowest number when codes
# share a text.
_BY_MESSAGE: Dict[str, int] = {
{% for (text, number) in lookups %}    {{ text|string }}: {{ number }},
{% endfor %}}

FAMILY: {{ names.family }}[{{ t }}] = {{ names.family }}(
    id={{ family.id|string }},
    title={{ family.title|string }},
    kind={{ kind|string }},
    backoff=_BACKOFF,
    enum_type={{ t }},
    infos=_INFOS,
    segments=SEGMENTS,
    messages=_BY_MESSAGE,
)


def classify(code: int) -> Classification[{{ t }}]:
    """Classifies any number: a registered code by its own entry, anything else by the family's
    range rules. Raises ``ValueError`` for ``bool``, negatives, numbers above 65535, floats and
    strings; warns with ``DeprecationWarning`` for a deprecated code.

{% if let Some(code) = example %}    >>> classify({{ code.number }}).member is {{ t }}.{{ code.names.screaming }}
    True{% else %}    >>> FAMILY.segment_of({{ first.number }}).from_ <= {{ first.number }}
    True{% endif %}
    """
    return FAMILY.classify(code)


def from_code(code: int) -> Optional[{{ t }}]:
    """The registered code with this number, or ``None``."""
    return FAMILY.from_code(code)


def from_name(name: str) -> Optional[{{ t }}]:
    """The registered code with this name as in codes.yaml (e.g. ``{{ first.name }}``), or ``None``."""
    return FAMILY.from_name(name)


def from_message(message: str) -> Optional[{{ t }}]:
{% if family.has_varying_messages() %}    """The registered code sent with this exact wire message, or with this known text of a message
    built at run time (the lowest number if several share it), or ``None``."""{% else %}    """The registered code sent with this exact wire message (the lowest number if several share it)."""{% endif %}
    return FAMILY.from_message(message)
