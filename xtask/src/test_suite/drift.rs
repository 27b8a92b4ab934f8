//! The drift check: every exported `Error*`, `Disconnect*` and `UnsubscribeCode*` value of the
//! pinned centrifuge release (read by the Go program in `interop/drift/`) against `codes.yaml`, and
//! each official SDK's own code table against the SDK event families that name that SDK
//! (`sdks:`): centrifuge-go's `codes.go` (read by `interop/drift/`), centrifuge-js's code enums
//! (`errorCodes`, `connectingCodes`, ... of its `codes.d.ts`), centrifuge-python's `codes.py`
//! (from its sdist on PyPI) and centrifuge-java's code constants (`Client.java`, from its sources
//! jar on Maven Central), the last two downloaded once and cached under `target/drift/`.
//!
//! Number, message, temporary flag and reconnect rule of the server's codes must agree; an SDK's
//! codes by number and name. A value the library exports that the registry lacks, and a
//! registered code the library no longer exports, are both named.

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

/// One code of an SDK's own table: the event it is for, the SDK's own spelling (`connectingNoPing`,
/// `errorCodes.timeout`, `_ErrorCode.CONNECT_ERROR`), the name codebook gives it and the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkConstant {
    pub event: SdkEvent,
    pub spelled: String,
    pub name: String,
    pub number: u32,
}

/// `sdk`'s code table against the families that give `sdk`'s events their numbers, by number and
/// name, both ways. A number the event's family hands to another family (`codes_of`) is looked
/// up there. `table` says where an event's codes sit in the SDK (for the messages); a code whose
/// `sdks` leave `sdk` out is not expected in its table.
pub fn compare_sdk_table(
    source: &str,
    sdk: Sdk,
    constants: &[SdkConstant],
    table: &dyn Fn(SdkEvent) -> String,
    registry: &Registry,
) -> Vec<String> {
    let mut problems = Vec::new();
    for event in SdkEvent::ALL {
        let own: Vec<&SdkConstant> = constants.iter().filter(|constant| constant.event == event).collect();
        let Some(family) = registry.sdk_event_family(event, sdk) else {
            if let Some(first) = own.first() {
                problems.push(format!(
                    "{source} defines {} ({}) for its `{}` event, which no family of codes.yaml gives {} (`sdks:`)",
                    first.spelled,
                    first.number,
                    event.as_str(),
                    sdk.as_str()
                ));
            }
            continue;
        };
        for constant in &own {
            let found = u16::try_from(constant.number).ok().and_then(|number| {
                let (answered, classified) = registry.classify_in(family, number);
                classified.code.map(|code| (answered, code))
            });
            match found {
                None => problems.push(format!(
                    "{source} defines {} ({}), which codes.yaml does not register in `{}`",
                    constant.spelled, constant.number, family.id
                )),
                Some((_, code)) if code.name != constant.name => problems.push(format!(
                    "{}: {source} names {} {}, codes.yaml `{}` (want `{}`)",
                    code.location, constant.number, constant.spelled, code.name, constant.name
                )),
                Some(_) => {}
            }
        }
        for code in family.codes.iter().filter(|code| code.sdks.contains(&sdk)) {
            if !own.iter().any(|constant| constant.number == u32::from(code.number)) {
                problems.push(format!(
                    "{}: codes.yaml registers {} `{}` in `{}`, which {source} {} lacks",
                    code.location,
                    code.number,
                    code.name,
                    family.id,
                    table(event)
                ));
            }
        }
    }
    problems
}

/// centrifuge-go's event codes against the SDK event families: same number, same name, both ways.
fn compare_sdk(sdk: &SdkReport, registry: &Registry) -> Vec<String> {
    let source = format!("{} {}", sdk.module.rsplit('/').next().unwrap_or(&sdk.module), sdk.version);
    let mut problems = Vec::new();
    let mut constants = Vec::new();
    for code in &sdk.codes {
        match code.event.parse::<SdkEvent>().ok() {
            Some(event) => constants.push(SdkConstant {
                event,
                spelled: code.constant.clone(),
                name: code.name.clone(),
                number: code.code,
            }),
            None => problems.push(format!("{source} defines {} for an unknown event `{}`", code.constant, code.event)),
        }
    }
    problems.extend(compare_sdk_table(&source, Sdk::CentrifugeGo, &constants, &|_| "codes.go".to_string(), registry));
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
/// (`errorCodes` is the `error` event's, `centrifuge-js-error`) by number and name, both ways; an
/// enum `...Codes` no event mirrors is named too. Other enums (`subscriptionFlags`) are not codes.
pub fn compare_js(source: &str, enums: &[JsEnum], registry: &Registry) -> Vec<String> {
    let mut problems = Vec::new();
    let mut constants = Vec::new();
    for table in enums.iter().filter(|table| table.name.ends_with("Codes")) {
        let Some(event) = SdkEvent::ALL.into_iter().find(|event| format!("{}Codes", event.as_str()) == table.name)
        else {
            problems.push(format!("{source} exports enum {}, which no `sdk_event` of codes.yaml mirrors", table.name));
            continue;
        };
        constants.extend(table.members.iter().map(|(name, number)| SdkConstant {
            event,
            spelled: format!("{}.{name}", table.name),
            name: upper_camel(name),
            number: *number,
        }));
    }
    for event in SdkEvent::ALL {
        let enum_name = format!("{}Codes", event.as_str());
        if registry.sdk_event_family(event, Sdk::CentrifugeJs).is_some()
            && !enums.iter().any(|table| table.name == enum_name)
        {
            problems.push(format!("{source} no longer exports enum {enum_name}, which codes.yaml mirrors"));
        }
    }
    problems.extend(compare_sdk_table(
        source,
        Sdk::CentrifugeJs,
        &constants,
        &|event| format!("{}Codes", event.as_str()),
        registry,
    ));
    problems
}

/// An SDK's SCREAMING_SNAKE spelling as a registry name: `CONNECT_CALLED` is `ConnectCalled`.
fn upper_camel_of_snake(sdk_name: &str) -> String {
    sdk_name
        .split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            upper_camel(&lower)
        })
        .collect()
}

/// The state events by the upper-case word the Python and Java SDKs prefix their codes with.
fn state_event_of(prefix: &str) -> Option<SdkEvent> {
    SdkEvent::ALL.into_iter().find(|event| *event != SdkEvent::Error && event.as_str().eq_ignore_ascii_case(prefix))
}

/// centrifuge-python's `codes.py`: each `class _<Event>Code(Enum)` member (`_ErrorCode` is the
/// `error` event's) and each module constant `_<STATE EVENT>_<NAME> = number`
/// (`_DISCONNECTED_STATE_INVALIDATED = 3014`). Other classes and constants (subscription flags)
/// are not codes. A line of a code class that is not `NAME = number` fails, naming it.
pub fn parse_python_codes(source: &str) -> anyhow::Result<Vec<SdkConstant>> {
    let mut constants = Vec::new();
    let mut class: Option<(String, SdkEvent)> = None;
    for (index, raw) in source.lines().enumerate() {
        let line = raw.trim();
        if !raw.starts_with(' ') && !line.is_empty() {
            class = None;
        }
        if let Some(rest) = line.strip_prefix("class _").and_then(|rest| rest.strip_suffix("Code(Enum):")) {
            let event = SdkEvent::ALL.into_iter().find(|event| event.upper_camel() == rest);
            let Some(event) = event else {
                bail!("codes.py:{}: class _{rest}Code names no SDK event of codes.yaml", index + 1);
            };
            class = Some((format!("_{rest}Code"), event));
            continue;
        }
        let assignment = line.split_once('=').map(|(name, value)| (name.trim(), value.trim()));
        if let Some((class_name, event)) = &class {
            if line.is_empty() || line.starts_with('#') || line.starts_with("\"\"\"") || !raw.starts_with("    ") {
                continue;
            }
            let parsed = assignment.and_then(|(name, value)| {
                let valid =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                Some((name, value.parse::<u32>().ok()?)).filter(|_| valid)
            });
            match parsed {
                Some((name, number)) => constants.push(SdkConstant {
                    event: *event,
                    spelled: format!("{class_name}.{name}"),
                    name: upper_camel_of_snake(name),
                    number,
                }),
                // Docstring lines of the class.
                None if assignment.is_none() => {}
                None => bail!(
                    "codes.py:{}: cannot read {line:?} in class {class_name} (expected `NAME = number`)",
                    index + 1
                ),
            }
            continue;
        }
        if let Some((name, value)) = assignment
            && let Some(rest) = name.strip_prefix('_')
            && let Some((prefix, code_name)) = rest.split_once('_')
            && let Some(event) = state_event_of(prefix)
        {
            let Ok(number) = value.parse::<u32>() else {
                bail!("codes.py:{}: cannot read {line:?} (expected `_{prefix}_NAME = number`)", index + 1);
            };
            constants.push(SdkConstant {
                event,
                spelled: name.to_string(),
                name: upper_camel_of_snake(code_name),
                number,
            });
        }
    }
    if constants.is_empty() {
        bail!("codes.py holds no code class; its shape changed");
    }
    Ok(constants)
}

/// centrifuge-java's code constants in `Client.java`: `static final int <STATE EVENT>_<NAME> =
/// number;` (`CONNECTING_NO_PING = 2`). centrifuge-java numbers no error event.
pub fn parse_java_codes(source: &str) -> anyhow::Result<Vec<SdkConstant>> {
    let mut constants = Vec::new();
    for (index, raw) in source.lines().enumerate() {
        let line = raw.trim();
        let Some(rest) = line.strip_prefix("static final int ") else { continue };
        let Some((name, value)) = rest.strip_suffix(';').and_then(|rest| rest.split_once('=')) else {
            bail!("Client.java:{}: cannot read {line:?} (expected `static final int NAME = number;`)", index + 1);
        };
        let name = name.trim();
        let Some((prefix, code_name)) = name.split_once('_') else { continue };
        let Some(event) = state_event_of(prefix) else { continue };
        let Ok(number) = value.trim().parse::<u32>() else {
            bail!("Client.java:{}: cannot read the number of {name}", index + 1);
        };
        constants.push(SdkConstant {
            event,
            spelled: format!("Client.{name}"),
            name: upper_camel_of_snake(code_name),
            number,
        });
    }
    if constants.is_empty() {
        bail!("Client.java holds no code constant; its shape changed");
    }
    Ok(constants)
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

/// The centrifuge-java release the drift check reads, as `interop/java/pom.xml` pins it (a test
/// holds the two equal).
const CENTRIFUGE_JAVA: (&str, &str, &str) = ("io.github.centrifugal", "centrifuge-java", "0.4.1");

/// The file of centrifuge-java's sources jar that holds its code constants.
const CENTRIFUGE_JAVA_CODES: &str = "io/github/centrifugal/centrifuge/Client.java";

/// centrifuge-python's pinned `name==version` (the one the Python step installs).
fn centrifuge_python_pin() -> (&'static str, &'static str) {
    let pin = crate::test_suite::python_java::CENTRIFUGE_PYTHON[0];
    pin.split_once("==").expect("the pin is name==version")
}

/// centrifuge-python's `codes.py` (in its `centrifuge` package), from its sdist on PyPI (downloaded once with pip,
/// cached under `target/drift/`).
fn centrifuge_python_codes() -> anyhow::Result<(String, String)> {
    let (name, version) = centrifuge_python_pin();
    let cache = crate::workspace::scratch("drift/centrifuge-python");
    let unpacked = cache.join(format!("centrifuge_python-{version}"));
    let codes = unpacked.join("centrifuge/codes.py");
    if !codes.exists() {
        let _ = std::fs::remove_dir_all(&cache);
        std::fs::create_dir_all(&cache)?;
        Step::new("python3")
            .args(["-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", "--dest", "."])
            .arg(format!("{name}=={version}"))
            .dir(&cache)
            .run()?;
        let sdist = format!("centrifuge_python-{version}.tar.gz");
        Step::new("tar").args(["-xzf", &sdist]).dir(&cache).run()?;
    }
    let text = std::fs::read_to_string(&codes).with_context(|| format!("reading {}", codes.display()))?;
    Ok((format!("{name} {version}"), text))
}

/// centrifuge-java's `Client.java`, from its sources jar on Maven Central (fetched once with
/// Maven into the local repository, unpacked under `target/drift/`).
fn centrifuge_java_codes() -> anyhow::Result<(String, String)> {
    let (group, artifact, version) = CENTRIFUGE_JAVA;
    let cache = crate::workspace::scratch("drift/centrifuge-java");
    let codes = cache.join(CENTRIFUGE_JAVA_CODES);
    if !codes.exists() {
        let _ = std::fs::remove_dir_all(&cache);
        std::fs::create_dir_all(&cache)?;
        Step::new("mvn")
            .args(["-B", "--no-transfer-progress", "-q", "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy"])
            .arg(format!("-Dartifact={group}:{artifact}:{version}:jar:sources"))
            .arg(format!("-DoutputDirectory={}", crate::workspace::text(&cache)?))
            .dir(&cache)
            .quiet()?;
        let jar = format!("{artifact}-{version}-sources.jar");
        Step::new("jar").args(["xf", &jar, CENTRIFUGE_JAVA_CODES]).dir(&cache).run()?;
    }
    let text = std::fs::read_to_string(&codes).with_context(|| format!("reading {}", codes.display()))?;
    Ok((format!("{artifact} {version}"), text))
}

/// centrifuge-python's and centrifuge-java's code tables against `codes.yaml`.
fn run_python_and_java(registry: &Registry) -> anyhow::Result<()> {
    let (source, text) = centrifuge_python_codes()?;
    let constants = parse_python_codes(&text)?;
    let table = |event: SdkEvent| format!("_{}Code", event.upper_camel());
    let problems = compare_sdk_table(&source, Sdk::CentrifugePython, &constants, &table, registry);
    if !problems.is_empty() {
        bail!("codes.yaml drifted from {source}:\n{}", problems.join("\n"));
    }
    eprintln!("    {} codes of {source}'s codes.py agree with its SDK event families (number, name)", constants.len());
    let (source, text) = centrifuge_java_codes()?;
    let constants = parse_java_codes(&text)?;
    let table = |event: SdkEvent| format!("Client.java's {}_ constants", event.as_str().to_ascii_uppercase());
    let problems = compare_sdk_table(&source, Sdk::CentrifugeJava, &constants, &table, registry);
    if !problems.is_empty() {
        bail!("codes.yaml drifted from {source}:\n{}", problems.join("\n"));
    }
    eprintln!(
        "    {} code constants of {source}'s Client.java agree with its SDK event families (number, name)",
        constants.len()
    );
    Ok(())
}

/// Runs the Go program and compares its report with `codes.yaml`, then centrifuge-js's enums,
/// centrifuge-python's `codes.py` and centrifuge-java's constants.
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
    run_js(root, &registry)?;
    run_python_and_java(&registry)
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
        for event in SdkEvent::ALL {
            let Some(family) = registry.sdk_event_family(event, Sdk::CentrifugeGo) else { continue };
            for code in family.codes.iter().filter(|code| code.sdks.contains(&Sdk::CentrifugeGo)) {
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
            let codes = registry.sdk_event_family(event, Sdk::CentrifugeJs).unwrap().codes_by_number();
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

    /// codes.py as centrifuge-python 0.7.0 ships it, in shape: enum classes with docstrings, the
    /// module constants of the state events, and constants that are not codes.
    const PYTHON_CODES: &str = r#"from enum import Enum


class _ConnectingCode(Enum):
    """Known client side codes for connection moving to connecting state.
    In most cases just for logging purposes.
    """

    CONNECT_CALLED = 0
    TRANSPORT_CLOSED = 1
    NO_PING = 2
    SUBSCRIBE_TIMEOUT = 3
    UNSUBSCRIBE_ERROR = 4


class _DisconnectedCode(Enum):
    DISCONNECT_CALLED = 0
    UNAUTHORIZED = 1
    BAD_PROTOCOL = 2
    MESSAGE_SIZE_LIMIT = 3


class _SubscribingCode(Enum):
    SUBSCRIBE_CALLED = 0
    TRANSPORT_CLOSED = 1


class _UnsubscribedCode(Enum):
    UNSUBSCRIBE_CALLED = 0
    UNAUTHORIZED = 1
    CLIENT_CLOSED = 2


class _ErrorCode(Enum):
    TIMEOUT = 1
    TRANSPORT_CLOSED = 2
    CLIENT_DISCONNECTED = 3
    CLIENT_CLOSED = 4
    CLIENT_CONNECT_TOKEN = 5
    CLIENT_REFRESH_TOKEN = 6
    SUBSCRIPTION_UNSUBSCRIBED = 7
    SUBSCRIPTION_SUBSCRIBE_TOKEN = 8
    SUBSCRIPTION_REFRESH_TOKEN = 9
    TRANSPORT_WRITE_ERROR = 10
    CONNECTION_CLOSED = 11
    BAD_CONFIGURATION = 12
    CONNECT_ERROR = 13
    SUBSCRIBE_ERROR = 14
    SUBSCRIPTION_GET_STATE = 15

    # Errors with code > 100 are errors from server.
    TOKEN_EXPIRED = 109


_SUBSCRIPTION_FLAG_CHANNEL_COMPACTION = 1
_SUBSCRIPTION_FLAG_REJECT_UNRECOVERED = 2
_ERROR_CODE_UNRECOVERABLE_POSITION = 112
_UNSUBSCRIBED_STATE_INVALIDATED = 2502
_DISCONNECTED_STATE_INVALIDATED = 3014
"#;

    fn python_table(event: SdkEvent) -> String {
        format!("_{}Code", event.upper_camel())
    }

    #[test]
    fn centrifuge_python_codes_are_read_and_agree_with_its_own_families() {
        let registry = registry();
        let constants = parse_python_codes(PYTHON_CODES).unwrap();
        assert_eq!(constants.len(), 5 + 5 + 2 + 4 + 16);
        let connect_error = constants.iter().find(|constant| constant.spelled == "_ErrorCode.CONNECT_ERROR").unwrap();
        assert_eq!(
            (connect_error.event, connect_error.name.as_str(), connect_error.number),
            (SdkEvent::Error, "ConnectError", 13)
        );
        let invalidated = constants.iter().find(|constant| constant.number == 3014).unwrap();
        assert_eq!((invalidated.event, invalidated.name.as_str()), (SdkEvent::Disconnected, "StateInvalidated"));
        let problems =
            compare_sdk_table("centrifuge-python 0.7.0", Sdk::CentrifugePython, &constants, &python_table, &registry);
        assert_eq!(problems, Vec::<String>::new());
        // Read against centrifuge-js's numbering, its 13 to 15 disagree: that is why it has its own family.
        let mut as_js = constants.clone();
        as_js.retain(|constant| constant.event == SdkEvent::Error);
        let problems =
            compare_sdk_table("centrifuge-python 0.7.0", Sdk::CentrifugeJs, &as_js, &python_table, &registry);
        assert!(
            problems.iter().any(|p| p.contains("13 _ErrorCode.CONNECT_ERROR") && p.contains("`SubscriptionGetState`")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_centrifuge_python_code_added_renamed_or_removed_is_named() {
        let registry = registry();
        let text = PYTHON_CODES
            .replace(
                "    SUBSCRIPTION_GET_STATE = 15\n",
                "    SUBSCRIPTION_GET_STATE = 15\n    CLIENT_SUSPENDED = 16\n",
            )
            .replace("    CONNECT_ERROR = 13\n", "    CONNECTION_ERROR = 13\n")
            .replace("    NO_PING = 2\n", "");
        let constants = parse_python_codes(&text).unwrap();
        let problems =
            compare_sdk_table("centrifuge-python 0.7.0", Sdk::CentrifugePython, &constants, &python_table, &registry);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("_ErrorCode.CLIENT_SUSPENDED (16)") && p.contains("`centrifuge-python-error`")),
            "{problems:?}"
        );
        assert!(problems.iter().any(|p| p.contains("`ConnectError` (want `ConnectionError`)")), "{problems:?}");
        assert!(
            problems.iter().any(|p| p.contains("2 `NoPing`") && p.contains("_ConnectingCode lacks")),
            "{problems:?}"
        );
        let error = parse_python_codes("class _ErrorCode(Enum):\n    TIMEOUT = \"timeout\"\n").unwrap_err();
        assert!(error.to_string().contains("codes.py:2") && error.to_string().contains("_ErrorCode"), "{error}");
        assert!(parse_python_codes("class _PausedCode(Enum):\n    PAUSE_CALLED = 0\n").is_err());
    }

    /// The code constants of centrifuge-java 0.4.1's Client.java, with the lines around them.
    const JAVA_CODES: &str = "    private static final int NORMAL_CLOSURE_STATUS = 1000;
    private static final int MESSAGE_SIZE_LIMIT_EXCEEDED_STATUS = 1009;

    static final int DISCONNECTED_DISCONNECT_CALLED = 0;
    static final int DISCONNECTED_UNAUTHORIZED = 1;
    static final int DISCONNECTED_BAD_PROTOCOL = 2;
    static final int DISCONNECTED_MESSAGE_SIZE_LIMIT = 3;

    static final int CONNECTING_CONNECT_CALLED = 0;
    static final int CONNECTING_TRANSPORT_CLOSED = 1;
    static final int CONNECTING_NO_PING = 2;
    static final int CONNECTING_SUBSCRIBE_TIMEOUT = 3;
    static final int CONNECTING_UNSUBSCRIBE_ERROR = 4;

    static final int SUBSCRIBING_SUBSCRIBE_CALLED = 0;
    static final int SUBSCRIBING_TRANSPORT_CLOSED = 1;

    static final int UNSUBSCRIBED_UNSUBSCRIBE_CALLED = 0;
    static final int UNSUBSCRIBED_UNAUTHORIZED = 1;
    static final int UNSUBSCRIBED_CLIENT_CLOSED = 2;
";

    fn java_table(event: SdkEvent) -> String {
        format!("Client.java's {}_ constants", event.as_str().to_ascii_uppercase())
    }

    #[test]
    fn centrifuge_java_codes_agree_without_the_state_invalidated_codes_it_lacks() {
        let registry = registry();
        let constants = parse_java_codes(JAVA_CODES).unwrap();
        assert_eq!(constants.len(), 14);
        let problems =
            compare_sdk_table("centrifuge-java 0.4.1", Sdk::CentrifugeJava, &constants, &java_table, &registry);
        assert_eq!(problems, Vec::<String>::new());
        // Were 3014 expected of it too (as of centrifuge-go), its absence would be named.
        let problems =
            compare_sdk_table("centrifuge-java 0.4.1", Sdk::CentrifugeGo, &constants, &java_table, &registry);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("3014 `StateInvalidated`") && p.contains("DISCONNECTED_ constants lacks")),
            "{problems:?}"
        );
        // A constant for an event centrifuge-java gets no family of is named.
        let mut with_error = constants.clone();
        with_error.push(SdkConstant {
            event: SdkEvent::Error,
            spelled: "Client.ERROR_TIMEOUT".into(),
            name: "Timeout".into(),
            number: 1,
        });
        let problems =
            compare_sdk_table("centrifuge-java 0.4.1", Sdk::CentrifugeJava, &with_error, &java_table, &registry);
        assert!(problems.iter().any(|p| p.contains("Client.ERROR_TIMEOUT") && p.contains("no family")), "{problems:?}");
        assert!(parse_java_codes("static final int CONNECTING_NO_PING = two;\n").is_err());
    }

    #[test]
    fn the_pinned_centrifuge_java_is_the_interop_runners() {
        let pom = std::fs::read_to_string(crate::workspace::root().join("interop/java/pom.xml")).unwrap();
        let (_, artifact, version) = CENTRIFUGE_JAVA;
        let dependency = format!("<artifactId>{artifact}</artifactId>\n      <version>{version}</version>");
        assert!(pom.contains(&dependency), "interop/java/pom.xml does not pin {artifact} {version}");
    }
}
