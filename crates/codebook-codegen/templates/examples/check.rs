// {{ notice|safe }}
#[allow(unused)]
pub fn handle_{{ stem }}({% if takes_code %}code: u16{% endif %}) {
{{ body|safe }}}
