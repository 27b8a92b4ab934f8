//! check-config on configs in every format Centrifugo reads, against the shipped registry.

use super::*;

fn registry() -> Registry {
    codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).expect("the shipped registry loads")
}

fn problems(name: &str, text: &str) -> Vec<Problem> {
    let root = parse_config(Path::new(name), text).expect("parses");
    check(&registry(), &root).expect("checks")
}

const BAD_JSON: &str = r#"{
  "client": {
    "proxy": {
      "connect": {
        "endpoint": "http://127.0.0.1:3000/connect",
        "http": {
          "status_to_code_transforms": [
            {"status_code": 403, "to_error": {"code": 403, "message": "forbidden"}},
            {"status_code": 409, "to_error": {"code": 3000, "message": "conflict"}},
            {"status_code": 410, "to_disconnect": {"code": 4444, "reason": "gone"}}
          ]
        }
      }
    }
  }
}
"#;

#[test]
fn error_3000_and_disconnect_4444_are_located_with_their_paths() {
    let found = problems("config.json", BAD_JSON);
    let summary: Vec<(Severity, u32, u32, &str, Option<i64>)> =
        found.iter().map(|p| (p.severity, p.line, p.column, p.path.as_str(), p.code)).collect();
    assert_eq!(
        summary,
        [
            (
                Severity::Warning,
                8,
                55,
                "client.proxy.connect.http.status_to_code_transforms[0].to_error.code",
                Some(403)
            ),
            (
                Severity::Error,
                9,
                55,
                "client.proxy.connect.http.status_to_code_transforms[1].to_error.code",
                Some(3000)
            ),
            (
                Severity::Warning,
                10,
                60,
                "client.proxy.connect.http.status_to_code_transforms[2].to_disconnect.code",
                Some(4444)
            ),
        ]
    );
    assert!(found[1].message.contains("400-1999"), "{}", found[1].message);
    assert!(found[1].message.contains("ConnectionClosed"), "{}", found[1].message);
    assert!(found[2].message.contains("4444") && found[2].message.contains("reconnect"), "{}", found[2].message);
    assert_eq!(exit_status(&found), EXIT_ERRORS);
    let text = render_text("config.json", &found);
    assert!(text.starts_with("config.json:8:55: warning: "), "{text}");
    assert!(text.contains("config.json:9:55: error: error 3000 is outside"), "{text}");
}

#[test]
fn registered_codes_with_their_own_texts_pass() {
    let yaml = "client:\n  proxy:\n    connect:\n      http:\n        status_to_code_transforms:\n          - status_code: 403\n            to_error:\n              code: 103\n              message: permission denied\n          - status_code: 404\n            to_disconnect:\n              code: 3501\n              reason: bad request\n";
    let found = problems("config.yaml", yaml);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(exit_status(&found), 0);
}

#[test]
fn a_changed_text_a_temporary_permanent_error_and_reserved_numbers() {
    let yaml = "proxies:\n  - name: auth\n    http:\n      status_to_code_transforms:\n        - status_code: 403\n          to_error: {code: 103, message: nope, temporary: true}\n        - status_code: 500\n          to_disconnect: {code: 5001, reason: x}\n        - status_code: 501\n          to_disconnect: {code: 3500, reason: bad token}\n";
    let found = problems("config.yml", yaml);
    let summary: Vec<(Severity, &str)> = found.iter().map(|p| (p.severity, p.path.as_str())).collect();
    assert_eq!(
        summary,
        [
            (Severity::Warning, "proxies[0].http.status_to_code_transforms[0].to_error.message"),
            (Severity::Warning, "proxies[0].http.status_to_code_transforms[0].to_error.temporary"),
            (Severity::Error, "proxies[0].http.status_to_code_transforms[1].to_disconnect.code"),
            (Severity::Warning, "proxies[0].http.status_to_code_transforms[2].to_disconnect.reason"),
        ]
    );
    assert!(found[2].message.contains("4000-4499, 4500-4999"), "{}", found[2].message);
}

#[test]
fn toml_and_unidirectional_transforms_are_located() {
    let toml = "[client]\n[client.connect_code_to_unidirectional_disconnect]\nenabled = true\n\n[[client.connect_code_to_unidirectional_disconnect.transforms]]\ncode = 4600\nto = { code = 2000, reason = \"x\" }\n";
    let found = problems("config.toml", toml);
    let summary: Vec<(Severity, u32, u32, &str)> =
        found.iter().map(|p| (p.severity, p.line, p.column, p.path.as_str())).collect();
    assert_eq!(
        summary,
        [
            (Severity::Warning, 6, 8, "client.connect_code_to_unidirectional_disconnect.transforms[0].code"),
            (Severity::Error, 7, 15, "client.connect_code_to_unidirectional_disconnect.transforms[0].to.code"),
        ]
    );
}

#[test]
fn output_formats_escape_and_count() {
    let found = problems("config.json", BAD_JSON);
    let github = render_github("dir,1/config.json", &found);
    assert!(
        github.starts_with("::warning file=dir%2C1/config.json,line=8,col=55,title=Centrifugo config%3A client.proxy"),
        "{github}"
    );
    assert_eq!(github.lines().count(), 3);
    let json: serde_json::Value = serde_json::from_str(&render_json("config.json", &found)).unwrap();
    assert_eq!((json["errors"].as_u64(), json["warnings"].as_u64()), (Some(1), Some(2)));
    assert_eq!(json["problems"][1]["code"], 3000);
}

#[test]
fn unparseable_and_unknown_files_are_refused_with_a_position() {
    let error = parse_config(Path::new("config.json"), "{\n  \"client\": [1,\n}").unwrap_err();
    assert!(error.starts_with("2:13: mismatched bracket"), "{error}");
    let error = parse_config(Path::new("config.toml"), "a = \n").unwrap_err();
    assert!(error.starts_with("1:"), "{error}");
    assert!(parse_config(Path::new("config.ini"), "").is_err());
}
