# {{ notice|safe }}
{% if whole %}{{ body|safe }}{% else %}from __future__ import annotations

{{ imports|safe }}


def handle_{{ stem }}({% if takes_code %}code: int{% endif %}) -> None:
{{ body|safe }}{% endif %}
