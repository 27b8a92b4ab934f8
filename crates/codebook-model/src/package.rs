//! Package identity: what the generated bindings are called in each language's package world (the
//! npm package, the Go module and package, the Python distribution and import package, the Maven
//! coordinates and Java package), which of them `codebook gen` writes, where, and the source
//! repository the packages link to. One place for all of them: the optional `bindings:` section of
//! `codes.yaml`, validated here, with today's names as defaults. Backends and tools read
//! [`crate::Registry::bindings`]; none writes a package name of its own.

use serde::Serialize;
use serde_saphyr::Spanned;

use crate::closed_sets::BindingTarget;
use crate::diagnostic::Diagnostic;
use crate::naming::{GO_KEYWORDS, JAVA_KEYWORDS, PYTHON_KEYWORDS};
use crate::source::BindingsEntry;

/// What every binding is called where it is installed from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackageIdentity {
    /// The npm package of the TypeScript binding (`@codebook/codes`).
    pub npm_package: String,
    /// The Go module path (`github.com/codebook-dev/codebook/bindings/go/codebook`), with the
    /// `/vN` suffix Go requires from major version 2 of the registry on (`.../codebook/v2`).
    pub go_module: String,
    /// The Go package name every Go file declares: the last element of the module path
    /// (`codebook`), so no import needs an alias.
    pub go_package: String,
    /// The Python distribution name, as `pip install` spells it (`codebook-codes`).
    pub python_distribution: String,
    /// The Python import package (`codebook_codes`).
    pub python_package: String,
    /// The Maven groupId (`dev.codebook`).
    pub java_group_id: String,
    /// The Maven artifactId (`codebook-codes`).
    pub java_artifact_id: String,
    /// The Java package (`dev.codebook.codes`).
    pub java_package: String,
    /// The directory `codebook gen` writes into, relative to the registry file's directory
    /// (`bindings`): a relative path without `..`, `.` or empty parts.
    pub out: String,
    /// The outputs `codebook gen` writes, in the order written (all of them by default).
    pub targets: Vec<BindingTarget>,
    /// The source repository the packages link to (`https://github.com/codebook-dev/codebook`).
    pub repository: String,
}

impl Default for PackageIdentity {
    fn default() -> Self {
        PackageIdentity {
            npm_package: "@codebook/codes".into(),
            go_module: "github.com/codebook-dev/codebook/bindings/go/codebook".into(),
            go_package: "codebook".into(),
            python_distribution: "codebook-codes".into(),
            python_package: "codebook_codes".into(),
            java_group_id: "dev.codebook".into(),
            java_artifact_id: "codebook-codes".into(),
            java_package: "dev.codebook.codes".into(),
            out: "bindings".into(),
            targets: BindingTarget::ALL.to_vec(),
            repository: "https://github.com/codebook-dev/codebook".into(),
        }
    }
}

fn lower_identifier(text: &str) -> bool {
    matches!(text.chars().next(), Some('a'..='z'))
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `@scope/name` or `name`: lowercase, URL-safe, at most 214 characters (npm's rules).
fn is_npm_name(text: &str) -> bool {
    let part = |part: &str| {
        !part.is_empty()
            && !part.starts_with(['.', '_'])
            && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_' | '~'))
    };
    let valid = match text.strip_prefix('@') {
        Some(scoped) => scoped.split_once('/').is_some_and(|(scope, name)| part(scope) && part(name)),
        None => part(text),
    };
    valid && text.len() <= 214
}

/// A Go module path: `/`-separated elements of letters, digits and `-._~`, the first a domain
/// (it holds a dot), none empty or starting or ending with a dot.
fn is_go_module(text: &str) -> bool {
    let mut elements = text.split('/');
    let first_is_domain = elements.clone().next().is_some_and(|first| first.contains('.'));
    first_is_domain
        && elements.all(|element| {
            !element.is_empty()
                && !element.starts_with('.')
                && !element.ends_with('.')
                && element.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
        })
}

/// A Python distribution name (PEP 508): letters and digits, with `-`, `_` or `.` inside.
fn is_python_distribution(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text.ends_with(|c: char| c.is_ascii_alphanumeric())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Dotted lowercase identifiers none of which is a keyword of the language.
fn is_dotted_name(text: &str, keywords: &[&str]) -> bool {
    text.split('.').all(|part| lower_identifier(part) && !keywords.contains(&part))
}

/// A Maven artifactId: lowercase letters, digits and `-._`, starting with a letter or digit.
fn is_artifact_id(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_'))
}

/// A directory below the registry's own: relative, `/`-separated, no empty, `.` or `..` part, and
/// only characters every file system and shell takes as they are.
fn is_output_dir(text: &str) -> bool {
    !text.is_empty()
        && text.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

/// An `https://` URL of a host and an optional path, with nothing a manifest would need escaped.
fn is_repository_url(text: &str) -> bool {
    text.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split('/').next().unwrap_or_default();
        host.contains('.')
            && rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/' | ':'))
    }) && text.len() <= 2048
}

/// Reads the `bindings:` section: every name given is checked against its language's rules (each
/// problem located), every name left out keeps its default.
pub(crate) fn build_identity(entry: Option<&BindingsEntry>, problems: &mut Vec<Diagnostic>) -> PackageIdentity {
    let mut identity = PackageIdentity::default();
    let Some(entry) = entry else { return identity };
    let mut take = |target: &mut String, value: Option<&Spanned<String>>, field: &str, rule: &str, valid: bool| {
        if let Some(value) = value {
            if valid {
                *target = value.value.clone();
            } else {
                problems.push(Diagnostic {
                    location: crate::source::at(value),
                    message: format!("bindings.{field} {:?} is not {rule}", value.value),
                });
            }
        }
    };
    macro_rules! field {
        ($section:ident . $name:ident => $target:ident, $rule:literal, $check:expr) => {
            if let Some(section) = &entry.$section {
                let value = section.$name.as_ref();
                let valid = value.is_some_and(|value| $check(value.value.as_str()));
                take(&mut identity.$target, value, concat!(stringify!($section), ".", stringify!($name)), $rule, valid);
            }
        };
    }
    field!(typescript.package => npm_package, "an npm package name (`@scope/name`, lowercase)", is_npm_name);
    field!(go.module => go_module, "a Go module path (`example.com/path`)", is_go_module);
    field!(go.package => go_package, "a lowercase Go package name that is no keyword", |text: &str| lower_identifier(text)
        && !GO_KEYWORDS.contains(&text));
    field!(python.distribution => python_distribution, "a Python distribution name (PEP 508)", is_python_distribution);
    field!(python.package => python_package, "a lowercase Python import package (dotted identifiers, no keyword)", |text: &str| {
        is_dotted_name(text, PYTHON_KEYWORDS)
    });
    field!(java.group_id => java_group_id, "a Maven groupId (dotted lowercase identifiers)", |text: &str| {
        is_dotted_name(text, JAVA_KEYWORDS)
    });
    field!(java.artifact_id => java_artifact_id, "a Maven artifactId (lowercase, digits, `-._`)", is_artifact_id);
    field!(java.package => java_package, "a Java package (dotted lowercase identifiers, no keyword)", |text: &str| {
        is_dotted_name(text, JAVA_KEYWORDS)
    });
    check_go_package_is_last_element(entry, &mut identity, problems);
    if let Some(out) = &entry.out {
        if is_output_dir(&out.value) {
            identity.out = out.value.clone();
        } else {
            problems.push(Diagnostic {
                location: crate::source::at(out),
                message: format!(
                    "bindings.out {:?} is not a directory below the registry's (relative, `/`-separated, no `.`, `..` or empty part; letters, digits, `-`, `_`, `.`)",
                    out.value
                ),
            });
        }
    }
    if let Some(targets) = &entry.targets {
        identity.targets = read_targets(targets, problems);
    }
    if let Some(repository) = &entry.repository {
        if is_repository_url(&repository.value) {
            identity.repository = repository.value.clone();
        } else {
            problems.push(Diagnostic {
                location: crate::source::at(repository),
                message: format!("bindings.repository {:?} is not an https:// URL of a host", repository.value),
            });
        }
    }
    identity
}

/// The `targets:` list: at least one, each once (a repeat is located at its second mention).
fn read_targets(list: &Spanned<Vec<Spanned<BindingTarget>>>, problems: &mut Vec<Diagnostic>) -> Vec<BindingTarget> {
    let targets = &list.value;
    let mut chosen: Vec<BindingTarget> = Vec::new();
    for (index, target) in targets.iter().enumerate() {
        if let Some(first) = targets[..index].iter().find(|earlier| earlier.value == target.value) {
            let at = crate::source::at(first);
            problems.push(Diagnostic {
                location: crate::source::at(target),
                message: format!("bindings.targets lists `{}` twice, first at {at}", target.value.as_str()),
            });
        } else {
            chosen.push(target.value);
        }
    }
    if targets.is_empty() {
        problems.push(Diagnostic {
            location: crate::source::at(list),
            message: "bindings.targets is empty: list at least one output, or leave the field out for all of them"
                .into(),
        });
    }
    chosen
}

/// The Go package must be the last element of the module path, so every import reads
/// `import "<module>"` with no alias. A module given without a package names the package by its
/// last element.
fn check_go_package_is_last_element(
    entry: &BindingsEntry,
    identity: &mut PackageIdentity,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(go) = &entry.go else { return };
    let last = identity.go_module.rsplit('/').next().unwrap_or_default().to_string();
    match (&go.module, &go.package) {
        (Some(_), None) if lower_identifier(&last) && !GO_KEYWORDS.contains(&last.as_str()) => {
            identity.go_package = last
        }
        _ if identity.go_package == last => {}
        (module, package) => {
            let Some(at) = package.as_ref().or(module.as_ref()) else { return };
            let rename = if lower_identifier(&last) && !GO_KEYWORDS.contains(&last.as_str()) {
                format!("name the package `{last}` or end the path in `/{}`", identity.go_package)
            } else {
                format!("end the path in `/{}`", identity.go_package)
            };
            problems.push(Diagnostic {
                location: crate::source::at(at),
                message: format!(
                    "bindings.go.package `{}` is not the last element of the module path `{}`, so every import would need an alias; {rename}",
                    identity.go_package, identity.go_module
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_each_package_world_s_rules() {
        assert!(is_npm_name("@codebook/codes") && is_npm_name("codes") && !is_npm_name("@Codebook/codes"));
        assert!(!is_npm_name("@scope") && !is_npm_name("a b") && !is_npm_name(".hidden"));
        assert!(
            is_go_module("github.com/codebook-dev/codebook/bindings/go/codebook")
                && !is_go_module("codes")
                && !is_go_module("a.b//c")
        );
        assert!(is_python_distribution("codebook-codes") && !is_python_distribution("-codes"));
        assert!(is_dotted_name("codebook_codes", PYTHON_KEYWORDS) && !is_dotted_name("import", PYTHON_KEYWORDS));
        assert!(
            is_dotted_name("dev.codebook.codes", JAVA_KEYWORDS) && !is_dotted_name("dev.class.codes", JAVA_KEYWORDS)
        );
        assert!(is_artifact_id("codebook-codes") && !is_artifact_id("Codebook"));
    }
}
