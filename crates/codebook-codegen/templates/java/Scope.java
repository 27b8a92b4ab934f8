{% extends "java/protocol_enum.java" %}
{%- block doc %}Who a range of numbers belongs to; {@link #UNASSIGNED} when no range rule covers it.{% endblock -%}
