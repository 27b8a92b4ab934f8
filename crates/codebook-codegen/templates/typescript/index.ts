{{ header|safe }}/**
 * Typed error and disconnect codes of codes.yaml: one module per family, re-exported here.
 */

export * from "./runtime.js";
{% for family in families %}export * from "./{{ family.id }}.js";
{% endfor %}{% if sdk_events %}export * from "./sdk-events.js";
{% endif %}
import type { CodeFamily } from "./runtime.js";
{% for family in families %}import { {{ family.names.lower_camel }}Family } from "./{{ family.id }}.js";
{% endfor %}
{% if varies %}/**
 * Every family of the registry, in file order (for tools that are generic over families); a
 * code's message is `undefined` where its text is built at run time.
 */{% else %}/** Every family of the registry, in file order (for tools that are generic over families). */{% endif %}
export const families: readonly CodeFamily{% if varies %}<number, string, string | undefined>{% endif %}[] = [{% for family in families %}{% if !loop.first %}, {% endif %}{{ family.names.lower_camel }}Family{% endfor %}];
