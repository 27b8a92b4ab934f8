//! The Rust API check: rustdoc's JSON (`cargo rustdoc -- --output-format json`, unstable, so run
//! with `RUSTC_BOOTSTRAP=1` on the stable toolchain) of a small crate whose `lib.rs` is
//! `codebook::include_codes!(path = "codes.yaml")`, the Rust binding of a registry, compared
//! item by item.
//!
//! Every public item reachable from the crate root is one entry, keyed by its path: modules,
//! enums (whether `#[non_exhaustive]`), variants (with their discriminant, the code's number),
//! and the items of every inherent and trait impl that is written out (not auto or blanket
//! impls), each with its signature. A removed or changed entry is a break, and so is a variant
//! added to an exhaustive enum; other new entries are additions. Ids, spans and docs are not part
//! of an entry, so a changed description changes nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::Value;

use crate::command::Step;

/// What the Rust check saw of one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Broken,
}

/// Builds the rustdoc JSON of a crate expanding `codes` in `dir`, sharing `target` between
/// calls, and returns a copy of it in `dir`.
pub fn rustdoc_json(root: &Path, target: &Path, codes: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(dir.join("src"))?;
    fs::copy(codes, dir.join("codes.yaml"))?;
    let codebook = root.join("crates/codebook");
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"registry-api\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ncodebook = {{ path = {:?} }}\n\n[workspace]\n",
            codebook.display().to_string()
        ),
    )?;
    fs::write(
        dir.join("src/lib.rs"),
        "//! A registry's Rust binding.\ncodebook::include_codes!(path = \"codes.yaml\");\n",
    )?;
    // The workspace's lock file, so the crate builds with the dependency versions the workspace tested.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    Step::new("cargo")
        .args(["rustdoc", "--lib", "--quiet", "--", "-Z", "unstable-options", "--output-format", "json"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", target)
        .dir(dir)
        .run()?;
    let json = dir.join("rustdoc.json");
    fs::copy(target.join("doc/registry_api.json"), &json).context("rustdoc wrote no JSON")?;
    Ok(json)
}

/// Every change from the `old` rustdoc JSON to the `new` one, with a line saying what it is.
pub fn compare(old: &Path, new: &Path) -> anyhow::Result<Vec<(Change, String)>> {
    let before = surface(&read(old)?)?;
    let after = surface(&read(new)?)?;
    Ok(judge(&before, &after))
}

fn read(path: &Path) -> anyhow::Result<Value> {
    let text = fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

/// One public item: what a caller sees of it, and for an enum whether it is exhaustive.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    seen: String,
    exhaustive_enum: bool,
}

/// Every public item of a rustdoc JSON document by path.
fn surface(document: &Value) -> anyhow::Result<BTreeMap<String, Entry>> {
    let index = document.get("index").and_then(Value::as_object).context("rustdoc JSON without an index")?;
    let item = |id: &Value| -> anyhow::Result<&Value> {
        let key = match id {
            Value::Number(number) => number.to_string(),
            Value::String(text) => text.clone(),
            other => bail!("unexpected id {other}"),
        };
        index.get(&key).with_context(|| format!("rustdoc JSON: no item {key}"))
    };
    let mut entries = BTreeMap::new();
    let mut pending = vec![(String::new(), document.get("root").context("rustdoc JSON without a root")?.clone())];
    while let Some((prefix, id)) = pending.pop() {
        let found = item(&id)?;
        if found.get("visibility").and_then(Value::as_str) != Some("public") {
            continue;
        }
        let name = found.get("name").and_then(Value::as_str).unwrap_or("");
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}::{name}") };
        let Some((kind, inner)) = found.get("inner").and_then(Value::as_object).and_then(|inner| inner.iter().next())
        else {
            continue;
        };
        match kind.as_str() {
            "module" => {
                entries.insert(path.clone(), Entry { seen: "module".into(), exhaustive_enum: false });
                for child in inner.get("items").and_then(Value::as_array).into_iter().flatten() {
                    pending.push((path.clone(), child.clone()));
                }
            }
            "enum" | "struct" | "union" | "trait" => {
                let non_exhaustive = found
                    .get("attrs")
                    .and_then(Value::as_array)
                    .is_some_and(|attrs| attrs.iter().any(|attr| attr.as_str() == Some("non_exhaustive")));
                entries.insert(
                    path.clone(),
                    Entry { seen: kind.clone(), exhaustive_enum: kind == "enum" && !non_exhaustive },
                );
                for variant in inner.get("variants").and_then(Value::as_array).into_iter().flatten() {
                    let variant = item(variant)?;
                    let variant_name = variant.get("name").and_then(Value::as_str).unwrap_or("");
                    entries.insert(
                        format!("{path}::{variant_name}"),
                        Entry { seen: signature(variant.get("inner")), exhaustive_enum: false },
                    );
                }
                for implementation in inner.get("impls").and_then(Value::as_array).into_iter().flatten() {
                    impl_entries(&path, item(implementation)?, &item, &mut entries)?;
                }
            }
            _ => {
                entries.insert(path, Entry { seen: signature(found.get("inner")), exhaustive_enum: false });
            }
        }
    }
    Ok(entries)
}

/// The items of one impl of the type at `path`, unless the compiler wrote the impl (auto traits,
/// blanket impls).
fn impl_entries<'a>(
    path: &str,
    implementation: &'a Value,
    item: &dyn Fn(&Value) -> anyhow::Result<&'a Value>,
    entries: &mut BTreeMap<String, Entry>,
) -> anyhow::Result<()> {
    let Some(inner) = implementation.get("inner").and_then(|inner| inner.get("impl")) else {
        return Ok(());
    };
    if inner.get("is_synthetic").and_then(Value::as_bool) == Some(true)
        || inner.get("blanket_impl").is_some_and(|blanket| !blanket.is_null())
    {
        return Ok(());
    }
    let owner = match inner.get("trait").and_then(|owner| owner.get("path")).and_then(Value::as_str) {
        Some(name) => format!("{path}::<impl {name}>"),
        None => path.to_string(),
    };
    entries.insert(owner.clone(), Entry { seen: "impl".into(), exhaustive_enum: false });
    for member in inner.get("items").and_then(Value::as_array).into_iter().flatten() {
        let member = item(member)?;
        let name = member.get("name").and_then(Value::as_str).unwrap_or("");
        entries
            .insert(format!("{owner}::{name}"), Entry { seen: signature(member.get("inner")), exhaustive_enum: false });
    }
    Ok(())
}

/// An item's `inner` as compact JSON without what differs between two builds of the same API:
/// ids (numbers the build assigns), spans, docs and a constant's value (a variant's
/// discriminant, its code's number, stays).
fn signature(inner: Option<&Value>) -> String {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(fields) => {
                for key in ["id", "span", "docs", "links", "value", "expr"] {
                    fields.remove(key);
                }
                for (key, inner) in fields.iter_mut() {
                    if key != "discriminant" {
                        strip(inner);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = inner.cloned().unwrap_or(Value::Null);
    strip(&mut value);
    value.to_string()
}

fn judge(before: &BTreeMap<String, Entry>, after: &BTreeMap<String, Entry>) -> Vec<(Change, String)> {
    let mut changes = Vec::new();
    let mut say = |found: Change, line: String| changes.push((found, line));
    for (path, was) in before {
        match after.get(path) {
            None => say(Change::Broken, format!("{path}: removed")),
            Some(now) if now != was => say(Change::Broken, format!("{path}: {} -> {}", was.seen, now.seen)),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|path| !before.contains_key(*path)) {
        let parent = path.rsplit_once("::").map_or("", |(parent, _)| parent);
        if before.get(parent).is_some_and(|owner| owner.exhaustive_enum) {
            say(Change::Broken, format!("{path}: a variant added to the exhaustive enum {parent}"));
        } else {
            say(Change::Added, format!("{path}: added"));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(changes: Vec<(Change, String)>) -> Option<Change> {
        changes.into_iter().map(|(change, _)| change).max()
    }

    fn entries(items: &[(&str, &str, bool)]) -> BTreeMap<String, Entry> {
        items
            .iter()
            .map(|(path, seen, exhaustive)| {
                (path.to_string(), Entry { seen: seen.to_string(), exhaustive_enum: *exhaustive })
            })
            .collect()
    }

    #[test]
    fn a_new_variant_is_an_addition_only_when_the_enum_is_non_exhaustive() {
        let old = entries(&[("chat::Chat", "enum", false), ("chat::Chat::Busy", "4000", false)]);
        let new = entries(&[
            ("chat::Chat", "enum", false),
            ("chat::Chat::Busy", "4000", false),
            ("chat::Chat::Kicked", "4001", false),
        ]);
        assert_eq!(verdict(judge(&old, &new)), Some(Change::Added));
        assert_eq!(verdict(judge(&old, &old)), None);
        assert_eq!(verdict(judge(&new, &old)), Some(Change::Broken), "a removed variant");
        let exhaustive = entries(&[("chat::Chat", "enum", true), ("chat::Chat::Busy", "4000", false)]);
        let grown = entries(&[
            ("chat::Chat", "enum", true),
            ("chat::Chat::Busy", "4000", false),
            ("chat::Chat::Kicked", "4001", false),
        ]);
        assert_eq!(verdict(judge(&exhaustive, &grown)), Some(Change::Broken));
    }

    #[test]
    fn signatures_ignore_ids_spans_and_docs() {
        let one = serde_json::json!({"function": {"sig": {"output": {"resolved_path": {"path": "Option", "id": 3}}}}, "span": 1});
        let two = serde_json::json!({"function": {"sig": {"output": {"resolved_path": {"path": "Option", "id": 9}}}}, "span": 2});
        assert_eq!(signature(Some(&one)), signature(Some(&two)));
        let three = serde_json::json!({"function": {"sig": {"output": {"resolved_path": {"path": "u16", "id": 9}}}}});
        assert_ne!(signature(Some(&one)), signature(Some(&three)));
    }
}
