{{ header|safe }}"""Typed error and disconnect codes generated from codes.yaml: one ``IntEnum`` per family, with
classification of any number, backoff delays and close-code safety.

>>> from {{ package }} import FAMILIES
>>> FAMILIES[{{ first_id|string }}].classify(65535).code
65535
"""

from __future__ import annotations

from typing import Any, Dict

from . import (
{% for family in by_module %}    {{ family.names.module }},
{% endfor %})
from ._protocol import CLOSE_CODE_RULES, MAX_CLOSE_REASON_BYTES, Action, CloseCodeRule
from ._runtime import (
    BackoffHint,
    BaseCodeEnum,
    BaseCodeFamily,
    BaseCodeInfo,
    Behaviour,
    Change,
    Classification,
    Closed,
    CloseSender,
    CodeEnum,
    CodeFamily,
    CodeInfo,
    Jitter,
    Mulberry32,
    Origin,
    Scope,
    SdkErrorContext,
    SdkEventAnswer,
    SdkEventContext,
    SdkEventTable,
    Segment,
    VaryingCodeEnum,
    VaryingCodeFamily,
    VaryingCodeInfo,
    check_code_number,
    classify_sdk_event_code,
    close_code_rule,
    error_code_of,
    random_u32,
    safe_close_code,
    truncate_close_reason,
)
{% for family in by_module %}from .{{ family.names.module }} import {{ family.names.type_name }}
{% endfor %}
FAMILIES: Dict[str, BaseCodeFamily[Any, Any]] = {
{% for family in families %}    {{ family.id|string }}: {{ family.names.module }}.FAMILY,
{% endfor %}}
"""Every family by its id in codes.yaml."""

__all__ = [
{% for name in names %}    {{ name|string }},
{% endfor %}]
