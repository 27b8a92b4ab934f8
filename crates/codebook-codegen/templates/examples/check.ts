// {{ notice|safe }}
{% if whole %}{{ body|safe }}{% else %}{{ imports|safe }}

export function handle_{{ stem }}({% if takes_code %}code: number{% endif %}): void {
{{ body|safe }}}
{% endif %}
