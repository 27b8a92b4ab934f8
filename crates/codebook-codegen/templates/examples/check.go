// {{ notice|safe }}

package snippets

{% if whole %}{{ body|safe }}{% else %}{{ imports|safe }}

func handle_{{ stem }}({% if takes_code %}code uint16{% endif %}) {
{{ body|safe }}}
{% endif %}
