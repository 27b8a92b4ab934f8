import {{ go_module|string }}

{% if let Some(code) = code -%}
c := {{ go_package }}.{{ names.type_name }}(code) // the number the server sent
if c == {{ go_package }}.{{ code.names.go_constant }} {
	// {{ code.number }} {% if let Some(text) = code.message.fixed() %}{{ text|quoted }}{% else %}{{ code.names.variant }}{% endif %}
}

// Any number, including codes newer than this build, classifies by its range.
{% else -%}
c := {{ go_package }}.{{ names.type_name }}({{ number }})
_ = {{ go_package }}.Classify{{ names.type_name }}({{ number }}).Known // false: its range decides
{% endif -%}
if c.{{ kind.predicate }}() {
	// {{ kind.yes }}
} else {
	// {{ kind.no }}
}
