import codes {{ go_module|string }}

{% if let Some(code) = code -%}
c := codes.{{ names.type_name }}(code) // the number the server sent
if c == codes.{{ code.names.go_constant }} {
	// {{ code.number }} {{ code.message|quoted }}
}

// Any number, including codes newer than this build, classifies by its range.
{% else -%}
c := codes.{{ names.type_name }}({{ number }})
_ = codes.Classify{{ names.type_name }}({{ number }}).Known // false: its range decides
{% endif -%}
if c.{{ kind.predicate }}() {
	// {{ kind.yes }}
} else {
	// {{ kind.no }}
}
