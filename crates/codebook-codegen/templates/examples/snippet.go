import {{ go_module|string }}

{% if let Some(code) = code -%}
c := codebook.{{ names.type_name }}(code) // the number the server sent
if c == codebook.{{ code.names.go_constant }} {
	// {{ code.number }} {{ code.message|quoted }}
}

// Any number, including codes newer than this build, classifies by its range.
{% else -%}
c := codebook.{{ names.type_name }}({{ number }})
_ = codebook.Classify{{ names.type_name }}({{ number }}).Known // false: its range decides
{% endif -%}
if c.{{ kind.predicate }}() {
	// {{ kind.yes }}
} else {
	// {{ kind.no }}
}
