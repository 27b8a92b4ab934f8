//! The drift check: every exported `Error*`, `Disconnect*` and `UnsubscribeCode*` value of the
//! pinned centrifuge release (read by the Go program in `interop/drift/`) against `codes.yaml`.
//!
//! Number, message, temporary flag and reconnect rule must agree; a value the library exports
//! that the registry lacks, and a registered code the library no longer exports, are both named.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use codebook_model::{Behaviour, Registry, Sdk, SdkEvent};
use serde::Deserialize;

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
    // centrifuge-go's codes.go holds the state events' codes; its error event has no numbers.
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

/// Runs the Go program and compares its report with `codes.yaml`.
pub fn run(root: &Path) -> anyhow::Result<()> {
    let dir = root.join("interop/drift");
    // First: the parser reads every value the compiled package holds exactly as compiled.
    eprintln!("==> go vet ./... && go test ./... (in {})", dir.display());
    for args in [["vet", "./..."], ["test", "./..."]] {
        let status = Command::new("go")
            .args(args)
            .current_dir(&dir)
            .env("GOTOOLCHAIN", "local")
            .env("GOFLAGS", "-mod=readonly")
            .status()
            .context("cannot start `go`")?;
        if !status.success() {
            bail!("`go {}` failed in interop/drift", args.join(" "));
        }
    }
    eprintln!("==> go run . (in {})", dir.display());
    let output = Command::new("go")
        .args(["run", "."])
        .current_dir(&dir)
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=readonly")
        .output()
        .context("cannot start `go`")?;
    if !output.status.success() {
        bail!("interop/drift failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let report: UpstreamReport = serde_json::from_slice(&output.stdout).context("interop/drift printed no report")?;
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
        eprintln!("    {} event codes of {} {} agree with the SDK event families", sdk.codes.len(), sdk.module, sdk.version);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).unwrap()
    }

    fn value(kind: &str, name: &str, code: u32, message: &str, temporary: bool, reconnect: bool) -> UpstreamValue {
        UpstreamValue {
            kind: kind.into(),
            name: name.into(),
            code,
            message: message.into(),
            temporary,
            reconnect,
        }
    }

    /// The report centrifuge v0.40.1 gives, built from the registry itself.
    fn agreeing_report(registry: &Registry) -> UpstreamReport {
        let mut values = Vec::new();
        for (kind, id) in [("error", "centrifugo-error"), ("disconnect", "centrifugo-disconnect"), ("unsubscribe", "centrifugo-unsubscribe")] {
            for code in &registry.family(id).unwrap().codes {
                values.push(value(
                    kind,
                    &format!("X{}", code.name),
                    u32::from(code.number),
                    code.message.fixed().expect("the library's codes have fixed texts"),
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
        UpstreamReport { module: "github.com/centrifugal/centrifuge".into(), version: "v0.40.1".into(), values, sdk: Some(sdk) }
    }

    #[test]
    fn an_sdk_code_added_or_renamed_is_named() {
        let registry = registry();
        let mut report = agreeing_report(&registry);
        let sdk = report.sdk.as_mut().unwrap();
        sdk.codes.push(SdkCode { event: "connecting".into(), constant: "connectingNewThing".into(), name: "NewThing".into(), code: 5 });
        sdk.codes.iter_mut().find(|code| code.constant == "disconnectedDisconnectCalled").unwrap().name = "Called".into();
        let problems = compare(&report, &registry);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("connectingNewThing (5)") && problems[0].contains("centrifuge-sdk-connecting"), "{}", problems[0]);
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
}
