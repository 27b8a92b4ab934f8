{%- macro hint(h) -%}
new BackoffHint({{ h.min_ms }}L, {{ h.max_ms }}L, Jitter.{{ h.jitter.as_str().to_uppercase() }}, {% if let Some(ms) = h.give_up_after_ms %}OptionalLong.of({{ ms }}L){% else %}OptionalLong.empty(){% endif %})
{%- endmacro -%}
{%- macro hint_or_family(h) -%}
{% if let Some(h) = h %}{% if *h == family.backoff %}Optional.of(Defaults.BACKOFF){% else %}Optional.of({% call hint(h) %}{% endcall %}){% endif %}{% else %}Optional.empty(){% endif %}
{%- endmacro -%}
{%- macro optional(text) -%}
{% if let Some(text) = text %}Optional.of({{ text|string }}){% else %}Optional.empty(){% endif %}
{%- endmacro -%}
{{ header|safe }}package {{ package }};

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
{{ family.title|doc_text|doc("", "") }} *
{{ family.description|prose|doc("", "") }} *
 * Family {@code {{ family.id|doc_text }}} of codes.yaml: every registered code as a constant.
 */
public enum {{ t }} implements {{ code_interface }} {
{% for row in rows %}{% let code = row.code %}    /**
{{ code.description|prose|doc("    ", row.lead) }}     *
     * What to do: {@code {{ code.action.as_str() }}}. {{ code.action.advice()|doc_text }}
{% if let Some(deprecated) = code.deprecated %}     *
{{ deprecated|doc_text|doc("    ", "@deprecated ") }}{% endif %}     */
{% if code.deprecated.is_some() %}    @Deprecated
{% endif %}    {{ code.names.screaming }}{% if loop.last %};{% else %},{% endif %}
{% endfor %}
    @Override
    public {{ info_type }} info() {
        return Infos.ALL.get(ordinal());
    }

    /**
     * Every constant's entry, in constant order. Built in parts of bounded size, each its own
     * class, so no method outgrows the JVM's 64 KB limit and no class its constant pool, however
     * many codes the family has.
     */
    private static final class Infos {
        static final List<{{ info_type }}> ALL = build();

        private static List<{{ info_type }}> build() {
            java.util.ArrayList<{{ info_type }}> all = new java.util.ArrayList<>({{ rows.len() }});
{% for chunk in chunks %}            InfosPart{{ loop.index0 }}.add(all);
{% endfor %}            return java.util.Collections.unmodifiableList(all);
        }
    }
{% for chunk in chunks %}
    private static final class InfosPart{{ loop.index0 }} {
        static void add(java.util.List<{{ info_type }}> all) {
{% for code in chunk %}            all.add(new {{ info_type }}({{ code.number }}, {{ code.name|string }}, {% if varying %}{% call optional(code.message.fixed()) %}{% endcall %}, {% call optional(code.message.varies()) %}{% endcall %}, List.of({% for text in code.message.known() %}{% if !loop.first %}, {% endif %}{{ text|string }}{% endfor %}){% else %}{{ code.message.fixed().unwrap_or_default()|string }}{% endif %}, {{ code.description.trim_end()|string }}, List.of({% for cause in code.causes %}{% if !loop.first %}, {% endif %}{{ cause|string }}{% endfor %}), Behaviour.{{ code.behaviour.as_str().to_uppercase() }}, {{ code.local_only }}, Action.{{ code.action.as_str().to_uppercase() }}, {% call hint_or_family(code.backoff) %}{% endcall %}, Origin.{{ code.origin.as_str().to_uppercase() }}, {% call optional(code.since) %}{% endcall %}, {% call optional(code.deprecated) %}{% endcall %}, List.of({% for change in code.changes %}{% if !loop.first %}, {% endif %}new Change({{ change.version|string }}, {{ change.note|string }}){% endfor %}), {{ code.doc_url|string }}, {% if let Some(status) = code.http_status %}OptionalInt.of({{ status }}){% else %}OptionalInt.empty(){% endif %}, {% if let Some(status) = code.grpc_status %}OptionalInt.of({{ status.number() }}){% else %}OptionalInt.empty(){% endif %}));
{% endfor %}        }
    }
{% endfor %}
    /** The family's default hint, apart from the constants so they can name it. */
    private static final class Defaults {
        static final BackoffHint BACKOFF = {% call hint(family.backoff) %}{% endcall %};
    }

    /** The family's table, built once the constants exist. */
    private static final class Table {
        static final CodeFamily<{{ t }}> FAMILY = new CodeFamily<>({{ family.id|string }}, {{ family.title|string }}, {{ kind|string }}, Defaults.BACKOFF, {{ t }}.class, List.of(
{% for segment in family.segments %}                new Segment({{ segment.from }}, {{ segment.to }}, Scope.{{ segment.scope.as_str().to_uppercase() }}, Behaviour.{{ segment.behaviour.as_str().to_uppercase() }}, Action.{{ segment.action.as_str().to_uppercase() }}, {% call hint_or_family(segment.backoff) %}{% endcall %}, {{ segment.label|string }}){% if !loop.last %},
{% endif %}{% endfor %}), Messages.BY_TEXT);
    }

    /**
     * Every text a lookup by message resolves and the number it finds (the lowest number when
     * codes share a text), built in parts of bounded size like the entries.
     */
    private static final class Messages {
        static final java.util.Map<String, Integer> BY_TEXT = build();

        private static java.util.Map<String, Integer> build() {
            java.util.Map<String, Integer> all = new java.util.HashMap<>({{ lookup_count }} * 2);
{% for part in lookup_parts %}            MessagesPart{{ loop.index0 }}.add(all);
{% endfor %}            return all;
        }
    }{% for part in lookup_parts %}

    private static final class MessagesPart{{ loop.index0 }} {
        static void add(java.util.Map<String, Integer> all) {
{% for (text, number) in part %}            all.put({{ text|string }}, {{ number }});
{% endfor %}        }
    }{% endfor %}

    /**
     * The family as a value: its codes, segments and lookups.
     *
     * @return the family
     */
    public static CodeFamily<{{ t }}> family() {
        return Table.FAMILY;
    }

    /**
     * The registered code with this number.
     *
     * @param code a number from 0 to 65535
     * @return the code, or empty for an unregistered number
     * @throws IllegalArgumentException when the number is out of range
     */
    public static Optional<{{ t }}> fromCode(int code) {
        return Table.FAMILY.fromCode(code);
    }

    /**
     * The registered code with this name as in codes.yaml.
     *
     * @param name a name such as {@code {{ first.name }}}
     * @return the code, or empty
     */
    public static Optional<{{ t }}> fromName(String name) {
        return Table.FAMILY.fromName(name);
    }

    /**
     * Classifies any number: a registered code by its own entry, anything else by the family's
     * range rules, so a code from a newer server is still handled.
     *
     * @param code a number from 0 to 65535
     * @return its classification
     * @throws IllegalArgumentException when the number is out of range
     */
    public static Classification<{{ t }}> classify(int code) {
        return Table.FAMILY.classify(code);
    }
}
