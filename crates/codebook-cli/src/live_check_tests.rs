//! live-check on expositions and logs shaped like Centrifugo v6.9.1's, and on endpoints that are
//! down, slow or answer garbage.

use super::*;

fn registry() -> Registry {
    codebook_model::load_str("codes.yaml", codebook_model::EMBEDDED_CODES_YAML).expect("the shipped registry loads")
}

const EXPOSITION: &str = "\
# HELP centrifugo_client_num_server_disconnects Number of server initiated disconnects.
# TYPE centrifugo_client_num_server_disconnects counter
centrifugo_client_num_server_disconnects{code=\"3500\"} 2
centrifugo_client_num_server_disconnects{code=\"4444\"} 1
centrifugo_client_num_server_disconnects{code=\"3002\"} 1
centrifugo_client_num_server_disconnects{code=\"2999\"} 0
# HELP centrifugo_transport_outgoing_close_count Number of close frames sent to clients, by transport and code.
# TYPE centrifugo_transport_outgoing_close_count counter
centrifugo_transport_outgoing_close_count{code=\"3500\",transport=\"websocket\"} 2
centrifugo_transport_outgoing_close_count{code=\"4444\",transport=\"websocket\"} 1
centrifugo_transport_outgoing_close_count{code=\"3001\",transport=\"sse\"} 1
# HELP centrifugo_api_command_errors_total Total errors in API commands.
# TYPE centrifugo_api_command_errors_total counter
centrifugo_api_command_errors_total{error=\"102\",method=\"publish\",protocol=\"http\"} 3
centrifugo_api_command_errors_total{error=\"102\",method=\"history\",protocol=\"grpc\"} 1
centrifugo_node_num_clients 4
";

#[test]
fn every_counted_code_is_reported_with_its_meaning() {
    let registry = registry();
    let mut tally = Tally::default();
    tally.add_exposition(&registry, EXPOSITION).unwrap();
    let report = tally.report(&registry);
    let seen: Vec<(&str, u16, Option<&str>, u64, &str)> = report
        .codes
        .iter()
        .map(|seen| (seen.family.as_str(), seen.code, seen.name.as_deref(), seen.count, seen.status))
        .collect();
    assert_eq!(
        seen,
        [
            ("centrifugo-disconnect", 3001, Some("Shutdown"), 1, "registered"),
            ("centrifugo-disconnect", 3002, None, 1, "retired"),
            ("centrifugo-disconnect", 3500, Some("InvalidToken"), 2, "registered"),
            ("centrifugo-disconnect", 4444, None, 1, "unregistered"),
            ("centrifugo-server-api-error", 102, Some("UnknownChannel"), 4, "registered"),
        ]
    );
    // The server API errors of both protocols add up within one counter.
    assert_eq!(report.codes[4].by_source["centrifugo_api_command_errors_total"], 4);
    let findings: Vec<(Severity, Option<u16>)> = report.findings.iter().map(|f| (f.severity, f.code)).collect();
    assert_eq!(findings, [(Severity::Error, Some(3002)), (Severity::Warning, Some(4444))]);
    let shares: Vec<(&str, u64, u64)> =
        report.terminal_share.iter().map(|s| (s.metric.as_str(), s.terminal, s.total)).collect();
    assert!(shares.contains(&("centrifugo_client_num_server_disconnects", 2, 4)), "{shares:?}");
    assert!(shares.contains(&("centrifugo_transport_outgoing_close_count", 2, 4)), "{shares:?}");
    assert_eq!(status_for(&report, Severity::Error), EXIT_FINDINGS);
    let json: serde_json::Value = serde_json::from_str(&render_json(&report)).unwrap();
    assert_eq!(json["codes"][2]["name"], "InvalidToken");
    assert!(render_text(&report).contains("centrifugo-disconnect 4444 (unregistered) x1"));
}

#[test]
fn logs_add_command_errors_and_disconnect_reasons() {
    let registry = registry();
    let logs = concat!(
        "{\"level\":\"info\",\"code\":103,\"error\":\"permission denied\",\"message\":\"client command error\"}\n",
        "{\"level\":\"info\",\"client\":\"c1\",\"reason\":\"invalid token\",\"message\":\"disconnect after handling command\"}\n",
        "{\"level\":\"debug\",\"client\":\"c1\",\"reason\":\"invalid token\",\"message\":\"closing client connection\"}\n",
        "{\"level\":\"debug\",\"reason\":\"made up\",\"message\":\"closing client connection\"}\n",
        "not json at all\n",
    );
    let mut tally = Tally::default();
    tally.add_logs(&registry, logs.as_bytes()).unwrap();
    let report = tally.report(&registry);
    let seen: Vec<(&str, u16, u64)> =
        report.codes.iter().map(|seen| (seen.family.as_str(), seen.code, seen.by_source["logs"])).collect();
    assert_eq!(seen, [("centrifugo-disconnect", 3500, 1), ("centrifugo-error", 103, 1)]);
    assert_eq!(report.log_lines_read, 4);
    assert_eq!(report.findings.len(), 1);
    assert!(report.findings[0].message.contains("made up"));
    assert_eq!(status_for(&report, Severity::Error), 0);
    assert_eq!(status_for(&report, Severity::Warning), EXIT_FINDINGS);
}

#[test]
fn garbage_is_not_metrics() {
    let registry = registry();
    let mut tally = Tally::default();
    let error = tally.add_exposition(&registry, "<html><body>login</body></html>\n").unwrap_err();
    assert_eq!(error.exit_status(), EXIT_NOT_METRICS);
    assert!(error.to_string().contains("line 1"), "{error}");
}

/// A listener that accepts and then answers with `answer` after `delay` (or never).
fn serve_once(answer: &'static [u8], delay: Duration) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            use std::io::{Read, Write};
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            std::thread::sleep(delay);
            let _ = stream.write_all(answer);
        }
    });
    format!("http://{address}/metrics")
}

#[test]
fn down_slow_and_failing_endpoints_have_their_own_exit_status() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        format!("http://{address}/metrics")
    };
    let error = fetch(&closed, Duration::from_secs(2)).unwrap_err();
    assert_eq!(error.exit_status(), EXIT_UNREACHABLE, "{error}");

    let slow = serve_once(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", Duration::from_secs(3));
    let error = fetch(&slow, Duration::from_millis(300)).unwrap_err();
    assert_eq!(error.exit_status(), EXIT_TIMEOUT, "{error}");

    let failing = serve_once(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\n\r\ndown", Duration::ZERO);
    let error = fetch(&failing, Duration::from_secs(2)).unwrap_err();
    assert_eq!(error.exit_status(), EXIT_NOT_METRICS, "{error}");

    let good = serve_once(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 55\r\n\r\ncentrifugo_client_num_server_disconnects{code=\"3500\"} 1\n",
        Duration::ZERO,
    );
    assert!(fetch(&good, Duration::from_secs(2)).unwrap().contains("3500"));
}
