//! The drift check: every exported `Error*`, `Disconnect*` and `UnsubscribeCode*` value of the
//! pinned centrifuge release (read by the Go program in `interop/drift/`) against `codes.yaml`,
//! centrifuge-go's event codes against the SDK event families, and the code enums of the pinned
//! centrifuge-js (`errorCodes`, `connectingCodes`, ... of its `codes.d.ts`, read here) against
//! the families of the events centrifuge-js reports.
//!
//! Number, message, temporary flag and reconnect rule must agree; a value the library exports
//! that the registry lacks, and a registered code the library no longer exports, are both named.

use std::path::Path;

use anyhow::{Context, bail};
use codebook_model::{Behaviour, Registry, Sdk, SdkEvent};
use serde::Deserialize;

use crate::command::{Step, run_step};

/// centrifuge-js's code enums, in the package `interop/js` installs (its `package.json` pins the
/// version).
const CENTRIFUGE_JS_PACKAGE: &str = "interop/js/node_modules/centrifuge";

/// What `interop/drift` prints.
#[derive(Deserialize, Debug)]
pub struct UpstreamReport {
    pub module: String,
    pub version: String,
    pub values: Vec<UpstreamValue>,
    /// centrifuge-go's own event codes (codes.go).
    #[serde(default)]
    pub sdk: Option<SdkReport>,
}

/// The pinned centrifuge-go release and its event codes.
#[derive(Deserialize, Debug)]
pub struct SdkReport {
    pub module: String,
    pub version: String,
    pub codes: Vec<SdkCode>,
}

/// One event code constant of centrifuge-go (`connectingNoPing = 2`: event `connecting`, name `NoPing`).
#[derive(Deserialize, Debug)]
pub struct SdkCode {
    pub event: String,
    pub constant: String,
    pub name: String,
    pub code: u32,
}

/// One exported code of the library.
#[derive(Deserialize, Debug, Clone)]
pub struct UpstreamValue {
    /// `error`, `disconnect` or `unsubscribe`.
    pub kind: String,
    pub name: String,
    pub code: u32,
    /// Empty when the library defines no message or reason for the code.
    pub message: String,
    pub temporary: bool,
    pub reconnect: bool,
}

/// The registry family that mirrors each kind of library value.
fn family_of(kind: &str) -> Option<&'static str> {
    match kind {
        "error" => Some("centrifugo-error"),
        "disconnect" => Some("centrifugo-disconnect"),
        "unsubscribe" => Some("centrifugo-unsubscribe"),
        _ => None,
    }
}

/// Every disagreement between the library and the registry, one line each.
pub fn compare(report: &UpstreamReport, registry: &Registry) -> Vec<String> {
    let source = format!("{} {}", report.module.rsplit('/').next().unwrap_or(&report.module), report.version);
    let mut problems = Vec::new();
    for value in &report.values {
        let Some(family_id) = family_of(&value.kind) else {
            problems.push(format!("{source}: {} has an unknown kind `{}`", value.name, value.kind));
            continue;
        };
        let Some(family) = registry.family(family_id) else {
            problems.push(format!("{source}: codes.yaml has no family `{family_id}` for {}", value.name));
            continue;
        };
        let code = u16::try_from(value.code).ok().and_then(|number| family.code(number));
        let Some(code) = code else {
            problems.push(format!(
                "{source} exports {} ({} {:?}), which codes.yaml does not register in `{family_id}`",
                value.name, value.code, value.message
            ));
            continue;
        };
        if !value.message.is_empty() && code.message.fixed() != Some(value.message.as_str()) {
            let ours = match code.message.fixed() {
                Some(text) => format!("{text:?}"),
                None => "that its text varies".to_string(),
            };
            problems.push(format!(
                "{}: {source} {} says {:?}, codes.yaml code {} `{}` says {ours}",
                code.location, value.name, value.message, code.number, code.name
            ));
        }
        let (field, upstream, ours) = match value.kind.as_str() {
            "error" => ("temporary", value.temporary, code.behaviour == Behaviour::Temporary),
            _ => ("reconnect", value.reconnect, code.behaviour == Behaviour::Reconnect),
        };
        if upstream != ours {
            problems.push(format!(
                "{}: {source} {} ({}) has {field} {upstream}, codes.yaml code `{}` has {field} {ours}",
                code.location, value.name, value.code, code.name
            ));
        }
    }
    for family_id in ["centrifugo-error", "centrifugo-disconnect", "centrifugo-unsubscribe"] {
        let Some(family) = registry.family(family_id) else { continue };
        for code in &family.codes {
            let exported = report
                .values
                .iter()
                .any(|value| family_of(&value.kind) == Some(family_id) && value.code == u32::from(code.number));
            if !exported {
                problems.push(format!(
                    "{}: codes.yaml registers {} `{}` in `{family_id}`, which {source} does not export",
                    code.location, code.number, code.name
                ));
            }
        }
    }
    if let Some(sdk) = &report.sdk {
        problems.extend(compare_sdk(sdk, registry));
    }
    problems
}

/// centrifuge-go's event codes against the SDK event families: same number, same name, both ways.
fn compare_sdk(sdk: &SdkReport, registry: &Registry) -> Vec<String> {
    let source = format!("{} {}", sdk.module.rsplit('/').next().unwrap_or(&sdk.module), sdk.version);
    let mut problems = Vec::new();
    // centrifuge-go has no numbers for an event only another SDK reports (centrifuge-js's `error`).
    for event in SdkEvent::ALL.into_iter().filter(|event| event.sdks().contains(&Sdk::CentrifugeGo)) {
        let Some(family) = registry.sdk_event_family(event) else {
            problems.push(format!("codes.yaml has no family with `sdk_event: {}`", event.as_str()));
            continue;
        };
        let constants: Vec<&SdkCode> = sdk.codes.iter().filter(|code| code.event == event.as_str()).collect();
        for constant in &constants {
            match u16::try_from(constant.code).ok().and_then(|number| family.code(number)) {
                None => problems.push(format!(
                    "{source} defines {} ({}), which codes.yaml does not register in `{}`",
                    constant.constant, constant.code, family.id
                )),
                Some(code) if code.name != constant.name => problems.push(format!(
                    "{}: {source} names {} `{}` ({}), codes.yaml `{}`",
                    code.location, constant.code, constant.name, constant.constant, code.name
                )),
                Some(_) => {}
            }
        }
        for code in &family.codes {
            if !constants.iter().any(|constant| constant.code == u32::from(code.number)) {
                problems.push(format!(
                    "{}: codes.yaml registers {} `{}` in `{}`, which {source} does not define",
                    code.location, code.number, code.name, family.id
                ));
            }
        }
    }
    problems
}

/// One `export declare enum` of centrifuge-js's `codes.d.ts`: `errorCodes { timeout = 1, ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsEnum {
    pub name: String,
    /// Members in file order: the SDK's lowerCamel name and the number.
    pub members: Vec<(String, u32)>,
}

/// Reads every `export declare enum` of a `codes.d.ts`. A line inside an enum that is not
/// `name = number` (a string member, a computed value) is an error naming it, so a change of the
/// file's shape fails loudly instead of hiding codes.
pub fn parse_js_enums(dts: &str) -> anyhow::Result<Vec<JsEnum>> {
    let mut enums = Vec::new();
    let mut current: Option<JsEnum> = None;
    for (index, line) in dts.lines().enumerate() {
        let line = line.trim();
        if let Some(open) = current.as_mut() {
            if line == "}" {
                enums.push(current.take().expect("inside an enum"));
                continue;
            }
            let member = line.trim_end_matches(',');
            let parsed = member.split_once('=').and_then(|(name, value)| {
                let name = name.trim();
                let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                Some((name.to_string(), value.trim().parse::<u32>().ok()?)).filter(|_| valid)
            });
            let Some(member) = parsed else {
                bail!(
                    "codes.d.ts:{}: cannot read {line:?} in enum {} (expected `name = number`)",
                    index + 1,
                    open.name
                );
            };
            open.members.push(member);
        } else if let Some(rest) = line.strip_prefix("export declare enum ") {
            let Some(name) = rest.strip_suffix('{').map(str::trim) else {
                bail!("codes.d.ts:{}: cannot read {line:?} (expected `export declare enum name {{`)", index + 1);
            };
            current = Some(JsEnum { name: name.to_string(), members: Vec::new() });
        }
    }
    if let Some(open) = current {
        bail!("codes.d.ts: enum {} is not closed", open.name);
    }
    Ok(enums)
}

/// The SDK's lowerCamel spelling as a registry name: `transportClosed` is `TransportClosed`.
fn upper_camel(sdk_name: &str) -> String {
    let mut chars = sdk_name.chars();
    chars.next().map_or_else(String::new, |first| first.to_ascii_uppercase().to_string() + chars.as_str())
}

/// centrifuge-js's code enums against the families of the events it reports: `<event>Codes`
/// (`errorCodes` is the `error` event's family, `centrifuge-js-error`) by number and name, both
/// ways; an enum `...Codes` no event mirrors is named too. Other enums (`subscriptionFlags`) are
/// not codes.
pub fn compare_js(source: &str, enums: &[JsEnum], registry: &Registry) -> Vec<String> {
    let mut problems = Vec::new();
    let events: Vec<SdkEvent> =
        SdkEvent::ALL.into_iter().filter(|event| event.sdks().contains(&Sdk::CentrifugeJs)).collect();
    for table in enums.iter().filter(|table| table.name.ends_with("Codes")) {
        if !events.iter().any(|event| format!("{}Codes", event.as_str()) == table.name) {
            problems.push(format!("{source} exports enum {}, which no `sdk_event` of codes.yaml mirrors", table.name));
        }
    }
    for event in events {
        let enum_name = format!("{}Codes", event.as_str());
        let Some(family) = registry.sdk_event_family(event) else {
            problems.push(format!("codes.yaml has no family with `sdk_event: {}`", event.as_str()));
            continue;
        };
        let Some(table) = enums.iter().find(|table| table.name == enum_name) else {
            problems.push(format!("{source} no longer exports enum {enum_name}, which `{}` mirrors", family.id));
            continue;
        };
        for (name, number) in &table.members {
            match u16::try_from(*number).ok().and_then(|number| family.code(number)) {
                None => problems.push(format!(
                    "{source} defines {enum_name}.{name} ({number}), which codes.yaml does not register in `{}`",
                    family.id
                )),
                Some(code) if code.name != upper_camel(name) => problems.push(format!(
                    "{}: {source} names {number} {enum_name}.{name}, codes.yaml `{}` (want `{}`)",
                    code.location,
                    code.name,
                    upper_camel(name)
                )),
                Some(_) => {}
            }
        }
        for code in &family.codes {
            if !table.members.iter().any(|(_, number)| *number == u32::from(code.number)) {
                problems.push(format!(
                    "{}: codes.yaml registers {} `{}` in `{}`, which {source} {enum_name} lacks",
                    code.location, code.number, code.name, family.id
                ));
            }
        }
    }
    problems
}

/// The installed centrifuge-js's `codes.d.ts` against `codes.yaml`; returns how many codes agree.
fn run_js(root: &Path, registry: &Registry) -> anyhow::Result<usize> {
    run_step("npm", &["ci", "--no-audit", "--no-fund", "--loglevel=error"], &root.join("interop/js"))?;
    let package = root.join(CENTRIFUGE_JS_PACKAGE);
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(package.join("package.json"))
            .with_context(|| format!("reading {}/package.json", package.display()))?,
    )?;
    let source = format!("centrifuge-js {}", manifest["version"].as_str().unwrap_or("(no version)"));
    let dts = std::fs::read_to_string(package.join("build/codes.d.ts"))
        .with_context(|| format!("reading {}/build/codes.d.ts", package.display()))?;
    let enums = parse_js_enums(&dts)?;
    let problems = compare_js(&source, &enums, registry);
    if !problems.is_empty() {
        bail!("codes.yaml drifted from {source}:\n{}", problems.join("\n"));
    }
    let compared = enums.iter().filter(|table| table.name.ends_with("Codes")).map(|table| table.members.len()).sum();
    eprintln!("    {compared} codes of {source}'s code enums agree with the SDK event families (number, name)");
    Ok(compared)
}

/// Runs the Go program and compares its report with `codes.yaml`, then centrifuge-js's enums.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let dir = root.join("interop/drift");
    // First: the parser reads every value the compiled package holds exactly as compiled.
    let go = |args: &[&str]| Step::go().args(args).dir(&dir).env("GOFLAGS", "-mod=readonly");
    go(&["vet", "./..."]).run()?;
    go(&["test", "./..."]).run()?;
    let output = go(&["run", "."]).stdout()?;
    let report: UpstreamReport = serde_json::from_str(&output).context("interop/drift printed no report")?;
    let registry = codebook_model::load_path(&root.join("codes.yaml")).map_err(|error| anyhow::anyhow!("{error}"))?;
    let problems = compare(&report, &registry);
    if !problems.is_empty() {
        bail!("codes.yaml drifted from {} {}:\n{}", report.module, report.version, problems.join("\n"));
    }
    eprintln!(
        "    {} values of {} {} agree with codes.yaml (number, message, temporary, reconnect)",
        report.values.len(),
        report.module,
        report.version
    );
    if let Some(sdk) = &report.sdk {
        eprintln!(
            "    {} event codes of {} {} agree with the SDK event families",
            sdk.codes.len(),
            sdk.module,
            sdk.version
        );
    }
    run_js(root, &registry).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap()
    }

    fn value(kind: &str, name: &str, code: u32, message: &str, temporary: bool, reconnect: bool) -> UpstreamValue {
        UpstreamValue { kind: kind.into(), name: name.into(), code, message: message.into(), temporary, reconnect }
    }

    /// The report centrifuge v0.40.1 gives, built from the registry itself.
    fn agreeing_report(registry: &Registry) -> UpstreamReport {
        let mut values = Vec::new();
        for (kind, id) in [
            ("error", "centrifugo-error"),
            ("disconnect", "centrifugo-disconnect"),
            ("unsubscribe", "centrifugo-unsubscribe"),
        ] {
            for code in &registry.family(id).unwrap().codes {
                values.push(value(
                    kind,
                    &format!("X{}", code.name),
                    u32::from(code.number),
                    code.message.fixed().unwrap_or_default(),
                    code.behaviour == Behaviour::Temporary,
                    code.behaviour == Behaviour::Reconnect,
                ));
            }
        }
        let mut codes = Vec::new();
        for event in SdkEvent::ALL.into_iter().filter(|event| event.sdks().contains(&Sdk::CentrifugeGo)) {
            for code in &registry.sdk_event_family(event).unwrap().codes {
                codes.push(SdkCode {
                    event: event.as_str().into(),
                    constant: format!("{}{}", event.as_str(), code.name),
                    name: code.name.clone(),
                    code: u32::from(code.number),
                });
            }
        }
        let sdk = SdkReport { module: "github.com/centrifugal/centrifuge-go".into(), version: "v0.12.1".into(), codes };
        UpstreamReport {
            module: "github.com/centrifugal/centrifuge".into(),
            version: "v0.40.1".into(),
            values,
            sdk: Some(sdk),
        }
    }

    #[test]
    fn an_sdk_code_added_or_renamed_is_named() {
        let registry = registry();
        let mut report = agreeing_report(&registry);
        let sdk = report.sdk.as_mut().unwrap();
        sdk.codes.push(SdkCode {
            event: "connecting".into(),
            constant: "connectingNewThing".into(),
            name: "NewThing".into(),
            code: 5,
        });
        sdk.codes.iter_mut().find(|code| code.constant == "disconnectedDisconnectCalled").unwrap().name =
            "Called".into();
        let problems = compare(&report, &registry);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains("connectingNewThing (5)") && problems[0].contains("centrifuge-sdk-connecting"),
            "{}",
            problems[0]
        );
        assert!(problems[1].contains("`Called`") && problems[1].contains("`DisconnectCalled`"), "{}", problems[1]);
    }

    #[test]
    fn an_agreeing_library_passes() {
        let registry = registry();
        assert_eq!(compare(&agreeing_report(&registry), &registry), Vec::<String>::new());
    }

    #[test]
    fn a_code_added_upstream_fails_with_its_name() {
        let registry = registry();
        let mut report = agreeing_report(&registry);
        report.values.push(value("disconnect", "DisconnectSomethingNew", 3015, "something new", false, true));
        report.values.push(value("error", "ErrorOutOfRange", 70_000, "big", false, false));
        let problems = compare(&report, &registry);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("DisconnectSomethingNew (3015 \"something new\")"), "{}", problems[0]);
        assert!(problems[0].contains("centrifuge v0.40.1 exports"), "{}", problems[0]);
        assert!(problems[1].contains("ErrorOutOfRange"), "{}", problems[1]);
    }

    #[test]
    fn a_changed_message_flag_or_removed_code_is_named() {
        let registry = registry();
        let mut report = agreeing_report(&registry);
        let shutdown = report.values.iter_mut().find(|v| v.code == 3001).unwrap();
        shutdown.message = "shutting down".into();
        let internal = report.values.iter_mut().find(|v| v.kind == "error" && v.code == 100).unwrap();
        internal.temporary = false;
        report.values.retain(|v| v.code != 3509);
        let problems = compare(&report, &registry);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("\"shutting down\"") && p.contains("`Shutdown`")));
        assert!(problems.iter().any(|p| p.contains("temporary false") && p.contains("`Internal` has temporary true")));
        assert!(problems.iter().any(|p| p.contains("3509 `TooManyErrors`") && p.contains("does not export")));
    }

    /// codes.d.ts as the registry says it should be: every event centrifuge-js reports, and an
    /// enum that is no code table.
    fn agreeing_dts(registry: &Registry) -> String {
        let mut text = String::new();
        for event in SdkEvent::ALL {
            text.push_str(&format!("export declare enum {}Codes {{\n", event.as_str()));
            let codes = registry.sdk_event_family(event).unwrap().codes_by_number();
            for (index, code) in codes.iter().enumerate() {
                let mut name = code.name.clone();
                name[..1].make_ascii_lowercase();
                let comma = if index + 1 < codes.len() { "," } else { "" };
                text.push_str(&format!("    {name} = {}{comma}\n", code.number));
            }
            text.push_str("}\n");
        }
        text.push_str(
            "export declare enum subscriptionFlags {\n    channelCompaction = 1,\n    rejectUnrecovered = 2\n}\n",
        );
        text
    }

    #[test]
    fn centrifuge_js_enums_that_agree_pass_and_the_shipped_error_table_is_read() {
        let registry = registry();
        let enums = parse_js_enums(&agreeing_dts(&registry)).unwrap();
        assert_eq!(enums.len(), SdkEvent::ALL.len() + 1);
        assert_eq!(compare_js("centrifuge-js 5.7.4", &enums, &registry), Vec::<String>::new());
        let errors = enums.iter().find(|table| table.name == "errorCodes").unwrap();
        assert_eq!(errors.members.first(), Some(&("timeout".to_string(), 1)));
        assert_eq!(errors.members.last(), Some(&("sharedPollGetSignature".to_string(), 14)));
    }

    #[test]
    fn a_centrifuge_js_code_added_renamed_or_removed_is_named() {
        let registry = registry();
        let dts = agreeing_dts(&registry)
            .replace(
                "    sharedPollGetSignature = 14\n",
                "    sharedPollGetSignature = 14,\n    clientSuspended = 15\n",
            )
            .replace("    transportClosed = 2,", "    transportHalted = 2,")
            .replace("    noPing = 2,\n", "");
        let enums =
            parse_js_enums(&format!("{dts}export declare enum pausedCodes {{\n    pauseCalled = 0\n}}\n")).unwrap();
        let problems = compare_js("centrifuge-js 5.7.4", &enums, &registry);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("pausedCodes") && p.contains("no `sdk_event`")), "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("errorCodes.clientSuspended (15)") && p.contains("`centrifuge-js-error`")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("errorCodes.transportHalted")
                && p.contains("`TransportClosed` (want `TransportHalted`)")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("2 `NoPing`") && p.contains("connectingCodes lacks")),
            "{problems:?}"
        );
    }

    #[test]
    fn an_unreadable_enum_member_fails_with_its_line() {
        let error = parse_js_enums("export declare enum errorCodes {\n    timeout = \"timeout\"\n}\n").unwrap_err();
        assert!(error.to_string().contains("codes.d.ts:2") && error.to_string().contains("errorCodes"), "{error}");
        assert!(parse_js_enums("export declare enum errorCodes {\n    timeout = 1\n").is_err());
    }
}
