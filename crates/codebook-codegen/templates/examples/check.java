// {{ notice|safe }}
{% if whole %}{{ body|safe }}{% else %}{{ imports|safe }}

final class {{ stem }} {
    private {{ stem }}() {}

    static void handle({% if takes_code %}int code{% endif %}) {
{{ body|safe }}    }
}
{% endif %}
