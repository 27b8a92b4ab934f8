//! What a server does with a code besides sending it: the HTTP and gRPC status it answers with
//! (a server API that maps its error codes onto its transport's statuses) and the Prometheus
//! counters that count the codes it sends. Both are optional facts any registry may state:
//! `http_status` and `grpc_status` on a code, `metrics` on a family.
//!
//! Validation of these fields lives here too, so the rest of the validator only calls in.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostic::Diagnostic;
use crate::location::{Location, at};

/// The HTTP statuses a code may map to: 100-599, the status classes RFC 9110 defines.
pub const HTTP_STATUS_RANGE: std::ops::RangeInclusive<u16> = 100..=599;

/// A gRPC status code (the canonical list in `github.com/grpc/grpc/blob/master/doc/statuscodes.md`), spelt in the
/// registry as Go's `google.golang.org/grpc/codes` names it (`NotFound`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum GrpcStatus {
    #[serde(rename = "OK")]
    Ok,
    Canceled,
    Unknown,
    InvalidArgument,
    DeadlineExceeded,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    ResourceExhausted,
    FailedPrecondition,
    Aborted,
    OutOfRange,
    Unimplemented,
    Internal,
    Unavailable,
    DataLoss,
    Unauthenticated,
}

impl GrpcStatus {
    /// Every status, in number order (`ALL[n].number() == n`).
    pub const ALL: [GrpcStatus; 17] = [
        GrpcStatus::Ok,
        GrpcStatus::Canceled,
        GrpcStatus::Unknown,
        GrpcStatus::InvalidArgument,
        GrpcStatus::DeadlineExceeded,
        GrpcStatus::NotFound,
        GrpcStatus::AlreadyExists,
        GrpcStatus::PermissionDenied,
        GrpcStatus::ResourceExhausted,
        GrpcStatus::FailedPrecondition,
        GrpcStatus::Aborted,
        GrpcStatus::OutOfRange,
        GrpcStatus::Unimplemented,
        GrpcStatus::Internal,
        GrpcStatus::Unavailable,
        GrpcStatus::DataLoss,
        GrpcStatus::Unauthenticated,
    ];

    /// The number on the wire (`grpc-status` trailer), 0-16.
    pub const fn number(self) -> u8 {
        self as u8
    }

    /// The name as written in `codes.yaml` and in Go (`NotFound`).
    pub const fn name(self) -> &'static str {
        match self {
            GrpcStatus::Ok => "OK",
            GrpcStatus::Canceled => "Canceled",
            GrpcStatus::Unknown => "Unknown",
            GrpcStatus::InvalidArgument => "InvalidArgument",
            GrpcStatus::DeadlineExceeded => "DeadlineExceeded",
            GrpcStatus::NotFound => "NotFound",
            GrpcStatus::AlreadyExists => "AlreadyExists",
            GrpcStatus::PermissionDenied => "PermissionDenied",
            GrpcStatus::ResourceExhausted => "ResourceExhausted",
            GrpcStatus::FailedPrecondition => "FailedPrecondition",
            GrpcStatus::Aborted => "Aborted",
            GrpcStatus::OutOfRange => "OutOfRange",
            GrpcStatus::Unimplemented => "Unimplemented",
            GrpcStatus::Internal => "Internal",
            GrpcStatus::Unavailable => "Unavailable",
            GrpcStatus::DataLoss => "DataLoss",
            GrpcStatus::Unauthenticated => "Unauthenticated",
        }
    }

    /// The status with this wire number.
    pub fn from_number(number: u32) -> Option<GrpcStatus> {
        usize::try_from(number).ok().and_then(|index| GrpcStatus::ALL.get(index).copied())
    }
}

/// A Prometheus counter that counts a family's codes: the value of `label` is the code's number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Metric {
    /// The metric name as the server exports it (`centrifugo_client_num_server_disconnects`).
    pub name: String,
    /// The label holding the number (`code`).
    pub label: String,
    pub location: Location,
}

/// One entry of a family's `metrics:` list, as written.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetricEntry {
    /// The metric name as the server exports it (`app_disconnects_total`).
    #[schemars(with = "String", regex(pattern = r"^[a-zA-Z_:][a-zA-Z0-9_:]*$"))]
    pub name: Spanned<String>,
    /// The label whose value is the code's number (`code`).
    #[schemars(with = "String", regex(pattern = r"^[a-zA-Z_][a-zA-Z0-9_]*$"))]
    pub label: Spanned<String>,
}

fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_alphabetic() || first == '_' || first == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with("__")
}

/// A code's `http_status`, checked: 100-599.
pub(crate) fn build_http_status(
    entry: Option<&Spanned<i64>>,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<u16> {
    let entry = entry?;
    match u16::try_from(entry.value).ok().filter(|status| HTTP_STATUS_RANGE.contains(status)) {
        Some(status) => Some(status),
        None => {
            problems.push(Diagnostic {
                location: at(entry),
                message: format!(
                    "http_status {} of {what} is not an HTTP status; use {}-{}",
                    entry.value,
                    HTTP_STATUS_RANGE.start(),
                    HTTP_STATUS_RANGE.end()
                ),
            });
            None
        }
    }
}

/// A family's `metrics:`, checked: Prometheus metric and label names, each metric named once in
/// the whole registry (`seen` maps a metric name to where it was first given), so a counter's
/// label always reads in one family.
pub(crate) fn build_metrics(
    entries: &[MetricEntry],
    family: &str,
    seen: &mut HashMap<String, (Location, String)>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Metric> {
    let mut metrics = Vec::with_capacity(entries.len());
    for entry in entries {
        let (name, label) = (&entry.name.value, &entry.label.value);
        let mut ok = true;
        if !is_metric_name(name) {
            problems.push(Diagnostic {
                location: at(&entry.name),
                message: format!(
                    "metric name {name:?} of family `{family}` is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)"
                ),
            });
            ok = false;
        }
        if !is_label_name(label) {
            problems.push(Diagnostic {
                location: at(&entry.label),
                message: format!(
                    "label {label:?} of metric {name:?} is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)"
                ),
            });
            ok = false;
        }
        if let Some((first, owner)) = seen.get(name) {
            problems.push(Diagnostic {
                location: at(&entry.name),
                message: format!(
                    "metric {name:?} is already listed by family `{owner}` at {first}; a counter's codes belong to one family"
                ),
            });
            ok = false;
        } else {
            seen.insert(name.clone(), (at(&entry.name), family.to_string()));
        }
        if ok {
            metrics.push(Metric { name: name.clone(), label: label.clone(), location: at(&entry.name) });
        }
    }
    metrics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_numbers_follow_the_canonical_list() {
        for (index, status) in GrpcStatus::ALL.iter().enumerate() {
            assert_eq!(usize::from(status.number()), index);
            assert_eq!(GrpcStatus::from_number(index as u32), Some(*status));
        }
        assert_eq!(GrpcStatus::NotFound.number(), 5);
        assert_eq!(GrpcStatus::OutOfRange.number(), 11);
        assert_eq!(GrpcStatus::Unauthenticated.number(), 16);
        assert_eq!(GrpcStatus::from_number(17), None);
    }

    #[test]
    fn prometheus_names() {
        assert!(is_metric_name("centrifugo_client_num_server_disconnects"));
        assert!(is_metric_name("ns:metric_total"));
        assert!(!is_metric_name("1metric"));
        assert!(!is_metric_name("with-dash"));
        assert!(!is_metric_name(""));
        assert!(is_label_name("code"));
        assert!(!is_label_name("__name__"));
        assert!(!is_label_name("a:b"));
    }
}
