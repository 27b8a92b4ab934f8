{% extends "java/protocol_enum.java" %}
{%- block doc %}Who emits a code.{% endblock -%}
{%- block methods %}
    /**
     * Does a code of this origin never travel to a client in a close frame or message?
     *
     * @return true for {% for name in never_on_the_wire %}{% if !loop.first %} and {% endif %}{@link #{{ name }}}{% endfor %}
     */
    public boolean neverOnTheWire() {
        return {% for name in never_on_the_wire %}{% if !loop.first %} || {% endif %}this == {{ name }}{% endfor %};
    }
{% endblock -%}
