//! The Java binding (names from the registry's `bindings:` section; by default): a Maven module
//! (`dev.codebook:codebook-codes`, Java 17, no runtime
//! dependencies) with package `dev.codebook.codes`.
//!
//! The runtime (records, enums, the delay calculator, close-code safety) and the JUnit test driver
//! are real Java files under `crates/codebook-codegen/runtime/java/`, copied behind the provenance
//! lines; this backend writes what the registry or the protocol crate decides: one enum per
//! family, `Action`, the close-code table, the family index, the POM and a copy of the vectors.
//!
//! Registry text reaches Java only through [`string_literal`] and [`javadoc`]. javac turns every
//! `\uXXXX` into its character before it reads anything else, even inside comments, so a
//! `\u000a` in registry text would end a `//` line and a `\u002a/` would close a comment. The
//! literal escapes every non-ASCII character as `\uXXXX` (never one of an ASCII character) and
//! every ASCII control character as an octal escape; doubled backslashes cannot start a unicode
//! escape. In Javadoc every backslash, `@`, `*/`, `<`, `>` and `&` becomes an HTML entity.

use std::fmt::Write as _;

use codebook_model::{Action, BackoffHint, CLOSE_CODE_RULES, Family, FamilyKind, MAX_CLOSE_REASON_BYTES, Registry};

use super::vectors::{Sections, vectors_json};
use super::{Backend, GeneratedFile, Provenance, comment_text};

pub const VERSION: &str = "0.1.0";
/// The package the real files declare; the registry's `bindings:` section may choose another,
/// which replaces it in their `package` line.
const DEFAULT_PACKAGE: &str = "dev.codebook.codes";

/// The runtime's Java files, by name.
const RUNTIME: &[(&str, &str)] = &[
    ("BackoffHint.java", include_str!("../runtime/java/main/BackoffHint.java")),
    ("Behaviour.java", include_str!("../runtime/java/main/Behaviour.java")),
    ("Change.java", include_str!("../runtime/java/main/Change.java")),
    ("Classification.java", include_str!("../runtime/java/main/Classification.java")),
    ("CloseCodeRule.java", include_str!("../runtime/java/main/CloseCodeRule.java")),
    ("CloseCodes.java", include_str!("../runtime/java/main/CloseCodes.java")),
    ("CloseSender.java", include_str!("../runtime/java/main/CloseSender.java")),
    ("Closed.java", include_str!("../runtime/java/main/Closed.java")),
    ("Code.java", include_str!("../runtime/java/main/Code.java")),
    ("CodeFamily.java", include_str!("../runtime/java/main/CodeFamily.java")),
    ("CodeInfo.java", include_str!("../runtime/java/main/CodeInfo.java")),
    ("Jitter.java", include_str!("../runtime/java/main/Jitter.java")),
    ("Mulberry32.java", include_str!("../runtime/java/main/Mulberry32.java")),
    ("Origin.java", include_str!("../runtime/java/main/Origin.java")),
    ("Scope.java", include_str!("../runtime/java/main/Scope.java")),
    ("Segment.java", include_str!("../runtime/java/main/Segment.java")),
];

const VECTORS_TEST: &str = include_str!("../runtime/java/test/VectorsTest.java");

pub struct Java;

impl Backend for Java {
    fn name(&self) -> &'static str {
        "java"
    }

    fn generate(&self, registry: &Registry, provenance: &Provenance) -> Vec<GeneratedFile> {
        let header = provenance.line_comments("//");
        let identity = &registry.bindings;
        let package = identity.java_package.as_str();
        let directory = package.replace('.', "/");
        let source = format!("java/src/main/java/{directory}");
        let rename = |text: &str| text.replacen(&format!("package {DEFAULT_PACKAGE};"), &format!("package {package};"), 1);
        let mut files = vec![
            GeneratedFile::new("java/pom.xml", pom(provenance, &identity.java_group_id, &identity.java_artifact_id)),
            GeneratedFile::new("java/.gitignore", format!("{}target/\n", provenance.line_comments("#"))),
            GeneratedFile::new(format!("{source}/package-info.java"), package_info(&header, package)),
            GeneratedFile::new(format!("{source}/Action.java"), action(&header, package)),
            GeneratedFile::new(format!("{source}/CloseCodeRules.java"), close_code_rules(&header, package)),
            GeneratedFile::new(format!("{source}/Families.java"), families(registry, &header, package)),
            GeneratedFile::new(
                format!("java/src/test/java/{directory}/VectorsTest.java"),
                format!("{header}{}", rename(VECTORS_TEST)),
            ),
            GeneratedFile::new("java/src/test/resources/vectors.json", vectors_json(registry, provenance, Sections::All)),
        ];
        for (name, text) in RUNTIME {
            files.push(GeneratedFile::new(format!("{source}/{name}"), format!("{header}{}", rename(text))));
        }
        for family in &registry.families {
            files.push(GeneratedFile::new(
                format!("{source}/{}.java", family.names.type_name),
                family_enum(family, &header, package),
            ));
        }
        files
    }
}

/// A Java string literal holding exactly `text`, in ASCII. Non-ASCII characters become `\uXXXX`
/// escapes of their UTF-16 units; ASCII control characters, quotes and backslashes become
/// ordinary escapes, never unicode escapes (which javac would decode before lexing).
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\{:03o}", c as u32);
            }
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
    out
}

/// Registry prose as Javadoc text: HTML-escaped, with backslashes (which could start a unicode
/// escape), `@` (tags) and `/` (which could close the comment after a `*`) as entities, and no
/// control or bidirectional characters.
pub(crate) fn javadoc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in comment_text(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("&#64;"),
            '\\' => out.push_str("&#92;"),
            '/' => out.push_str("&#47;"),
            '*' => out.push_str("&#42;"),
            c => out.push(c),
        }
    }
    out
}

/// A Javadoc comment of `paragraphs` (already Javadoc text, may hold tags) indented by `indent`.
fn javadoc(paragraphs: &[String], indent: &str) -> String {
    let mut out = format!("{indent}/**\n");
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if index > 0 {
            let _ = writeln!(out, "{indent} *");
        }
        for line in paragraph.trim_end().lines() {
            let line = line.trim_end();
            if line.trim().is_empty() {
                let _ = writeln!(out, "{indent} *");
            } else {
                let _ = writeln!(out, "{indent} * {line}");
            }
        }
    }
    let _ = writeln!(out, "{indent} */");
    out
}

/// Registry prose as one Javadoc paragraph block: blank lines become `<p>` breaks.
fn prose(text: &str) -> String {
    javadoc_text(text.trim_end()).replace("\n\n", "\n<p>")
}

fn optional_string(text: Option<&str>) -> String {
    text.map_or_else(|| "Optional.empty()".to_string(), |text| format!("Optional.of({})", string_literal(text)))
}

fn hint_literal(hint: &BackoffHint) -> String {
    format!(
        "new BackoffHint({}L, {}L, Jitter.{}, {})",
        hint.min_ms,
        hint.max_ms,
        hint.jitter.as_str().to_uppercase(),
        hint.give_up_after_ms.map_or_else(|| "OptionalLong.empty()".to_string(), |ms| format!("OptionalLong.of({ms}L)"))
    )
}

fn hint_expression(hint: Option<&BackoffHint>, family_hint: &BackoffHint) -> String {
    match hint {
        None => "Optional.empty()".to_string(),
        Some(hint) if hint == family_hint => "Optional.of(Defaults.BACKOFF)".to_string(),
        Some(hint) => format!("Optional.of({})", hint_literal(hint)),
    }
}

fn action_constant(action: Action) -> String {
    format!("Action.{}", action.as_str().to_uppercase())
}

fn pom(provenance: &Provenance, group_id: &str, artifact_id: &str) -> String {
    format!(
        r#"<!-- {notice} -->
<!-- {hash} -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>

  <groupId>{group_id}</groupId>
  <artifactId>{artifact_id}</artifactId>
  <version>{VERSION}</version>
  <packaging>jar</packaging>
  <name>codebook codes</name>
  <description>Typed error and disconnect codes generated from codes.yaml</description>

  <licenses>
    <license>
      <name>MIT OR Apache-2.0</name>
    </license>
  </licenses>

  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <project.reporting.outputEncoding>UTF-8</project.reporting.outputEncoding>
    <project.build.outputTimestamp>2024-01-01T00:00:00Z</project.build.outputTimestamp>
  </properties>

  <!-- Test dependencies only: the jar needs nothing but the JDK. -->
  <dependencies>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.11.4</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>com.google.code.gson</groupId>
      <artifactId>gson</artifactId>
      <version>2.11.0</version>
      <scope>test</scope>
    </dependency>
  </dependencies>

  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-clean-plugin</artifactId>
        <version>3.4.0</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-resources-plugin</artifactId>
        <version>3.3.1</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
        <configuration>
          <compilerArgs>
            <arg>-Xlint:all</arg>
            <arg>-Werror</arg>
          </compilerArgs>
        </configuration>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.5.2</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-jar-plugin</artifactId>
        <version>3.4.2</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-install-plugin</artifactId>
        <version>3.1.3</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-javadoc-plugin</artifactId>
        <version>3.11.2</version>
        <configuration>
          <doclint>all</doclint>
          <failOnWarnings>true</failOnWarnings>
          <quiet>true</quiet>
        </configuration>
        <executions>
          <execution>
            <id>javadoc-without-warnings</id>
            <phase>package</phase>
            <goals>
              <goal>jar</goal>
            </goals>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
"#,
        notice = provenance.notice(),
        hash = provenance.hash_line(),
    )
}

fn package_info(header: &str, package: &str) -> String {
    format!(
        "{header}/**\n * Typed error and disconnect codes generated from codes.yaml: one enum per family, with\n \
         * classification of any number, backoff delays and close-code safety.\n *\n \
         * <p>Java has no unsigned integers: every 32-bit unsigned quantity (backoff bounds, attempt numbers,\n \
         * random draws) is a {{@code long}} checked to lie in 0..4294967295, and {{@link {package}.Mulberry32}}\n \
         * computes in {{@code int}}, whose wrapping arithmetic has the same bits as unsigned 32-bit arithmetic.\n \
         */\npackage {package};\n"
    )
}

/// `Action.java`: the actions, with their advice, from the protocol crate.
fn action(header: &str, package: &str) -> String {
    let mut out = format!(
        "{header}package {package};\n\nimport java.util.Optional;\n\n\
         /** What a client should do next, beyond \"reconnect or not\": the closed set every binding shares. */\npublic enum Action {{\n"
    );
    let count = Action::ALL.len();
    for (index, action) in Action::ALL.iter().enumerate() {
        out.push_str(&javadoc(&[javadoc_text(action.advice())], "    "));
        let _ = writeln!(
            out,
            "    {}({}, {}, {}){}",
            action.as_str().to_uppercase(),
            string_literal(action.as_str()),
            string_literal(action.advice()),
            action.tries_again(),
            if index + 1 == count { ";" } else { "," }
        );
    }
    out.push_str(
        r#"
    private final String wire;
    private final String advice;
    private final boolean triesAgain;

    Action(String wire, String advice, boolean triesAgain) {
        this.wire = wire;
        this.advice = advice;
        this.triesAgain = triesAgain;
    }

    /**
     * The spelling used in codes.yaml and every binding.
     *
     * @return the word, e.g. {@code "reconnect_after_backoff"}
     */
    public String wire() {
        return wire;
    }

    /**
     * The action in plain words, for a user interface or a log line.
     *
     * @return one sentence
     */
    public String advice() {
        return advice;
    }

    /**
     * Does a client with this action try again (and so wait for a backoff delay)?
     *
     * @return true when the action tries again
     */
    public boolean triesAgain() {
        return triesAgain;
    }

    /**
     * The action with this spelling.
     *
     * @param wire a word such as {@code "stop"}
     * @return the action, or empty
     */
    public static Optional<Action> fromWire(String wire) {
        for (Action action : values()) {
            if (action.wire.equals(wire)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
"#,
    );
    out
}

fn close_code_rules(header: &str, package: &str) -> String {
    let mut out = format!(
        "{header}package {package};\n\nimport java.util.List;\n\n\
         /** The close-code table of the protocol crate: sorted runs covering 0 to 65535. */\n\
         final class CloseCodeRules {{\n    static final int MAX_CLOSE_REASON_BYTES = {MAX_CLOSE_REASON_BYTES};\n\n    \
         static final List<CloseCodeRule> ALL = List.of(\n"
    );
    let rows: Vec<String> = CLOSE_CODE_RULES
        .iter()
        .map(|rule| {
            format!(
                "            new CloseCodeRule({}, {}, {}, {}, {}, {}, {}, {})",
                rule.from,
                rule.to,
                string_literal(rule.label),
                rule.endpoint_may_send,
                rule.browser_may_send,
                rule.never_on_wire,
                rule.endpoint_forwards,
                rule.browser_forwards
            )
        })
        .collect();
    out.push_str(&rows.join(",\n"));
    out.push_str(");\n\n    private CloseCodeRules() {}\n}\n");
    out
}

fn families(registry: &Registry, header: &str, package: &str) -> String {
    let mut out = format!(
        "{header}package {package};\n\nimport java.util.LinkedHashMap;\nimport java.util.Map;\n\n\
         /** Every family of the registry, for code that is generic over families. */\npublic final class Families {{\n    \
         /** Every family by its id in codes.yaml, in file order. */\n    \
         public static final Map<String, CodeFamily<?>> ALL = all();\n\n    private Families() {{}}\n\n    \
         private static Map<String, CodeFamily<?>> all() {{\n        Map<String, CodeFamily<?>> all = new LinkedHashMap<>();\n"
    );
    for family in &registry.families {
        let _ = writeln!(out, "        all.put({}, {}.family());", string_literal(&family.id), family.names.type_name);
    }
    out.push_str("        return java.util.Collections.unmodifiableMap(all);\n    }\n}\n");
    out
}

fn family_enum(family: &Family, header: &str, package: &str) -> String {
    let t = &family.names.type_name;
    let codes = family.codes_by_number();
    let mut out = format!("{header}package {package};\n\nimport java.util.List;\nimport java.util.Optional;\nimport java.util.OptionalLong;\n\n");
    out.push_str(&javadoc(
        &[
            javadoc_text(&family.title),
            prose(&family.description),
            format!("Family {{@code {}}} of codes.yaml: every registered code as a constant.", javadoc_text(&family.id)),
        ],
        "",
    ));
    let _ = writeln!(out, "public enum {t} implements Code {{");
    let count = codes.len();
    for (index, code) in codes.iter().enumerate() {
        let mut paragraphs = vec![
            format!("{} \"{}\": {}", code.number, javadoc_text(&code.message), prose(&code.description)),
            format!("What to do: {{@code {}}}. {}", code.action.as_str(), javadoc_text(code.action.advice())),
        ];
        if let Some(deprecated) = &code.deprecated {
            paragraphs.push(format!("@deprecated {}", javadoc_text(deprecated)));
        }
        out.push_str(&javadoc(&paragraphs, "    "));
        if code.deprecated.is_some() {
            out.push_str("    @Deprecated\n");
        }
        let causes: Vec<String> = code.causes.iter().map(|cause| string_literal(cause)).collect();
        let changes: Vec<String> = code
            .changes
            .iter()
            .map(|change| format!("new Change({}, {})", string_literal(&change.version), string_literal(&change.note)))
            .collect();
        let _ = writeln!(
            out,
            "    {}(new CodeInfo({}, {}, {}, {}, List.of({}), Behaviour.{}, {}, {}, {}, Origin.{}, {}, {}, List.of({}), {})){}",
            code.names.screaming,
            code.number,
            string_literal(&code.name),
            string_literal(&code.message),
            string_literal(code.description.trim_end()),
            causes.join(", "),
            code.behaviour.as_str().to_uppercase(),
            code.local_only,
            action_constant(code.action),
            hint_expression(code.backoff.as_ref(), &family.backoff),
            code.origin.as_str().to_uppercase(),
            optional_string(code.since.as_deref()),
            optional_string(code.deprecated.as_deref()),
            changes.join(", "),
            string_literal(&code.doc_url),
            if index + 1 == count { ";" } else { "," }
        );
    }
    let kind = match family.kind {
        FamilyKind::WebsocketClose => "websocket_close",
        FamilyKind::Error => "error",
    };
    let segments: Vec<String> = family
        .segments
        .iter()
        .map(|segment| {
            format!(
                "                new Segment({}, {}, Scope.{}, Behaviour.{}, {}, {}, {})",
                segment.from,
                segment.to,
                segment.scope.as_str().to_uppercase(),
                segment.behaviour.as_str().to_uppercase(),
                action_constant(segment.action),
                hint_expression(segment.backoff.as_ref(), &family.backoff),
                string_literal(&segment.label)
            )
        })
        .collect();
    let _ = write!(
        out,
        r#"
    private final CodeInfo info;

    {t}(CodeInfo info) {{
        this.info = info;
    }}

    @Override
    public CodeInfo info() {{
        return info;
    }}

    /** The family's default hint, apart from the constants so they can name it. */
    private static final class Defaults {{
        static final BackoffHint BACKOFF = {backoff};
    }}

    /** The family's table, built once the constants exist. */
    private static final class Table {{
        static final CodeFamily<{t}> FAMILY = new CodeFamily<>({id}, {title}, {kind}, Defaults.BACKOFF, {t}.class, List.of(
{segments}));
    }}

    /**
     * The family as a value: its codes, segments and lookups.
     *
     * @return the family
     */
    public static CodeFamily<{t}> family() {{
        return Table.FAMILY;
    }}

    /**
     * The registered code with this number.
     *
     * @param code a number from 0 to 65535
     * @return the code, or empty for an unregistered number
     * @throws IllegalArgumentException when the number is out of range
     */
    public static Optional<{t}> fromCode(int code) {{
        return Table.FAMILY.fromCode(code);
    }}

    /**
     * The registered code with this name as in codes.yaml.
     *
     * @param name a name such as {{@code {first_name}}}
     * @return the code, or empty
     */
    public static Optional<{t}> fromName(String name) {{
        return Table.FAMILY.fromName(name);
    }}

    /**
     * Classifies any number: a registered code by its own entry, anything else by the family's
     * range rules, so a code from a newer server is still handled.
     *
     * @param code a number from 0 to 65535
     * @return its classification
     * @throws IllegalArgumentException when the number is out of range
     */
    public static Classification<{t}> classify(int code) {{
        return Table.FAMILY.classify(code);
    }}
}}
"#,
        backoff = hint_literal(&family.backoff),
        id = string_literal(&family.id),
        title = string_literal(&family.title),
        kind = string_literal(kind),
        segments = segments.join(",\n"),
        first_name = codes[0].name,
    );
    // Only import what the file uses (javac's -Xlint:all -Werror does not mind, but readers do).
    if !out.contains("OptionalLong.") {
        out = out.replacen("import java.util.OptionalLong;\n", "", 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_never_hold_a_unicode_escape_of_an_ascii_character() {
        let literal = string_literal("a\"b\\u000a\n\u{7}\u{0}\u{202E}🚀é*/");
        assert!(literal.is_ascii());
        assert_eq!(literal, r#""a\"b\\u000a\n\007\000\u202e\ud83d\ude80\u00e9*/""#);
        for escape in ["\\u000a", "\\u000d", "\\u0022", "\\u005c"] {
            assert!(!string_literal("\n\r\"\\").contains(escape));
        }
    }

    #[test]
    fn javadoc_text_cannot_close_the_comment_or_start_an_escape_or_a_tag() {
        let text = javadoc_text("*/ \\u002a/ @param {@code x} <b>&</b>");
        assert!(!text.contains("*/") && !text.contains('\\') && !text.contains('@') && !text.contains('<'));
        assert_eq!(text, "&#42;&#47; &#92;u002a&#47; &#64;param {&#64;code x} &lt;b&gt;&amp;&lt;&#47;b&gt;");
    }
}
