//! The registry's release history as `codebook release` records it in the Keep-a-Changelog file
//! (`CHANGELOG.md` beside `codes.yaml`): every release with its date and its changes, each
//! classified by the rule named on its line. Read here, once, for everything that shows versions
//! (the portal's changelog, release comparisons, feed and the "came in / last changed" line of a
//! code page).
//!
//! The file is read as `codebook release` writes it: `## [X.Y.Z] - YYYY-MM-DD` headings, newest
//! first, and under them lines `- [**Breaking:** ]message ([target](url); rule)`, the rule either
//! `` `ID` `` or `` [`ID`](…#rule-ID) ``. Text outside release sections (the header) is skipped; a
//! release line that does not read that way, an unknown rule or a version out of order is an error
//! with its line number.

use crate::release::CHANGE_RULES;
use crate::{BREAK_RULES, Bump, ChangeClass, Version};

/// Every release of a registry, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReleaseHistory {
    pub releases: Vec<ReleaseRecord>,
}

/// One release: its version, date and changes in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseRecord {
    pub version: Version,
    /// `YYYY-MM-DD`, as written.
    pub date: String,
    pub changes: Vec<RecordedChange>,
}

/// One line of a release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedChange {
    pub class: ChangeClass,
    /// Keep a Changelog's heading it stands under (`Added`, `Changed`, `Removed`).
    pub heading: String,
    /// The text, with the changelog's Markdown escapes undone (code spans keep their backticks).
    pub message: String,
    /// The family the line links to.
    pub family: Option<String>,
    /// The code or number the line links to.
    pub number: Option<u16>,
}

/// When a code came and when it last changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeHistory {
    /// The release that added the code (or its family); `None` if no recorded release did.
    pub came: Option<Version>,
    /// The newest later release with a line about the code.
    pub last_changed: Option<Version>,
}

impl ReleaseRecord {
    /// The size of this release: the largest of its changes (`None` for a release without any).
    pub fn bump(&self) -> Option<Bump> {
        self.changes.iter().map(|change| change.class.bump()).max()
    }
}

impl ReleaseHistory {
    /// Reads a changelog (see the module doc); `name` prefixes error locations.
    pub fn read(name: &str, text: &str) -> Result<ReleaseHistory, String> {
        let mut releases: Vec<ReleaseRecord> = Vec::new();
        let mut heading = String::new();
        for (index, line) in text.lines().enumerate() {
            let at = |message: String| format!("{name}:{}: {message}", index + 1);
            if let Some(rest) = line.strip_prefix("## [") {
                let (version, date) =
                    rest.split_once("] - ").ok_or_else(|| at("expected `## [X.Y.Z] - YYYY-MM-DD`".into()))?;
                let version =
                    Version::parse(version).ok_or_else(|| at(format!("`{version}` is not MAJOR.MINOR.PATCH")))?;
                if let Some(newer) = releases.last()
                    && newer.version <= version
                {
                    return Err(at(format!("release {version} is listed below {}: newest first", newer.version)));
                }
                releases.push(ReleaseRecord { version, date: date.trim().to_string(), changes: Vec::new() });
                heading.clear();
            } else if let Some(title) = line.strip_prefix("### ") {
                heading = title.trim().to_string();
            } else if let Some(item) = line.strip_prefix("- ")
                && let Some(release) = releases.last_mut()
            {
                release.changes.push(read_line(item, &heading).map_err(at)?);
            }
        }
        Ok(ReleaseHistory { releases })
    }

    /// The release with this version.
    pub fn release(&self, version: Version) -> Option<&ReleaseRecord> {
        self.releases.iter().find(|release| release.version == version)
    }

    /// When the code `number` of `family` came and last changed.
    pub fn code_history(&self, family: &str, number: u16) -> CodeHistory {
        let about_code =
            |change: &RecordedChange| change.family.as_deref() == Some(family) && change.number == Some(number);
        let oldest_first = self.releases.iter().rev();
        let came = oldest_first
            .clone()
            .find(|release| {
                release.changes.iter().any(|change| change.class.id() == "CODE_ADDED" && about_code(change))
            })
            .or_else(|| {
                oldest_first.clone().find(|release| {
                    release
                        .changes
                        .iter()
                        .any(|change| change.class.id() == "FAMILY_ADDED" && change.family.as_deref() == Some(family))
                })
            })
            .map(|release| release.version);
        let last_changed = self
            .releases
            .iter()
            .filter(|release| Some(release.version) > came)
            .find(|release| release.changes.iter().any(about_code))
            .map(|release| release.version);
        CodeHistory { came, last_changed }
    }

    /// The releases after `from` up to and including `to`, oldest first; `None` unless both are
    /// recorded and `from` is older.
    pub fn between(&self, from: Version, to: Version) -> Option<Vec<&ReleaseRecord>> {
        if from >= to || self.release(from).is_none() || self.release(to).is_none() {
            return None;
        }
        Some(self.releases.iter().rev().filter(|release| release.version > from && release.version <= to).collect())
    }
}

/// The class of the rule with this id, breaking or not.
fn class_of(id: &str) -> Option<ChangeClass> {
    BREAK_RULES
        .iter()
        .find(|rule| rule.id == id)
        .map(|rule| ChangeClass::Break(*rule))
        .or_else(|| CHANGE_RULES.iter().find(|rule| rule.id == id).map(|rule| ChangeClass::Change(*rule)))
}

/// One `- …` line of a release section.
fn read_line(item: &str, heading: &str) -> Result<RecordedChange, String> {
    let shape = || format!("expected `- message ([target](url); RULE)`, found `- {item}`");
    let body = item.strip_suffix(')').ok_or_else(shape)?;
    let open = body.rfind(" ([").ok_or_else(shape)?;
    let (message, trailer) = (&body[..open], &body[open + 3..]);
    let (link, rule) = trailer.split_once("; ").ok_or_else(shape)?;
    let url = link.split_once("](").map(|(_, url)| url.trim_end_matches(')')).ok_or_else(shape)?;
    let rule = rule.trim_start_matches('[').trim_start_matches('`');
    let rule = rule.split('`').next().unwrap_or_default();
    let class = class_of(rule).ok_or_else(|| format!("unknown rule `{rule}`"))?;
    let message = message.strip_prefix("**Breaking:** ").unwrap_or(message);
    let (family, number) = target_of(url);
    Ok(RecordedChange { class, heading: heading.to_string(), message: unescape(message), family, number })
}

/// The family and number a portal URL names (`…/codes/<family>/<number>`, `…/families/<family>`).
fn target_of(url: &str) -> (Option<String>, Option<u16>) {
    if let Some((_, rest)) = url.rsplit_once("/codes/")
        && let Some((family, number)) = rest.split_once('/')
    {
        return (Some(family.to_string()), number.parse().ok());
    }
    match url.rsplit_once("/families/") {
        Some((_, family)) => (Some(family.to_string()), None),
        None => (None, None),
    }
}

/// Undoes the changelog's backslash escapes outside code spans.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '`' {
            in_code = !in_code;
        } else if character == '\\' && !in_code && characters.peek().is_some() {
            out.extend(characters.next());
            continue;
        }
        out.push(character);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGELOG: &str = "# Changelog\n\nSome header text.\n\n## [2.0.0] - 2026-12-09\n\n### Changed\n\n- **Breaking:** code 4000 `Busy` of `chat`: backoff minimum lowered ([4000](https://codes.example/codes/chat/4000); [`BACKOFF_MIN_NO_DECREASE`](https://codes.example/changelog#rule-BACKOFF_MIN_NO_DECREASE))\n\n## [1.1.0] - 2026-12-08\n\n### Added\n\n- code 4001 `Kicked` of `chat` added ([4001](/codes/chat/4001); `CODE_ADDED`)\n- the text says \\[not a link\\] \\<b\\> ([chat](/families/chat); `TEXT_CHANGED`)\n\n## [1.0.0] - 2026-12-07\n\n### Added\n\n- family `chat` added with 1 code ([chat](/families/chat); `FAMILY_ADDED`)\n";

    #[test]
    fn reads_releases_newest_first_with_their_rules() {
        let history = ReleaseHistory::read("CHANGELOG.md", CHANGELOG).unwrap();
        let versions: Vec<String> = history.releases.iter().map(|release| release.version.to_string()).collect();
        assert_eq!(versions, ["2.0.0", "1.1.0", "1.0.0"]);
        let cut = &history.releases[0].changes[0];
        assert_eq!(cut.class.id(), "BACKOFF_MIN_NO_DECREASE");
        assert_eq!((cut.family.as_deref(), cut.number), (Some("chat"), Some(4000)));
        assert_eq!(cut.message, "code 4000 `Busy` of `chat`: backoff minimum lowered");
        assert_eq!(history.releases[0].bump(), Some(Bump::Major));
        assert_eq!(history.releases[1].bump(), Some(Bump::Minor));
        assert_eq!(history.releases[1].changes[1].message, "the text says [not a link] <b>");
        assert_eq!(history.releases[1].changes[0].heading, "Added");
    }

    #[test]
    fn a_code_came_with_its_family_or_by_itself_and_last_changed_later() {
        let history = ReleaseHistory::read("CHANGELOG.md", CHANGELOG).unwrap();
        let version = |text| Version::parse(text);
        assert_eq!(
            history.code_history("chat", 4000),
            CodeHistory { came: version("1.0.0"), last_changed: version("2.0.0") }
        );
        assert_eq!(history.code_history("chat", 4001), CodeHistory { came: version("1.1.0"), last_changed: None });
        assert_eq!(history.code_history("other", 1), CodeHistory { came: None, last_changed: None });
    }

    #[test]
    fn compares_any_two_recorded_releases_oldest_first() {
        let history = ReleaseHistory::read("CHANGELOG.md", CHANGELOG).unwrap();
        let between = history.between(Version::parse("1.0.0").unwrap(), Version::parse("2.0.0").unwrap()).unwrap();
        let versions: Vec<String> = between.iter().map(|release| release.version.to_string()).collect();
        assert_eq!(versions, ["1.1.0", "2.0.0"]);
        assert!(history.between(Version::parse("2.0.0").unwrap(), Version::parse("1.0.0").unwrap()).is_none());
        assert!(history.between(Version::parse("1.0.0").unwrap(), Version::parse("3.0.0").unwrap()).is_none());
    }

    #[test]
    fn a_line_that_does_not_read_is_located() {
        let bad = "## [1.0.0] - 2026-12-07\n\n### Added\n\n- something without a link\n";
        assert_eq!(
            ReleaseHistory::read("CHANGELOG.md", bad).unwrap_err(),
            "CHANGELOG.md:5: expected `- message ([target](url); RULE)`, found `- something without a link`"
        );
        let unknown = "## [1.0.0] - 2026-12-07\n- x ([chat](/families/chat); `NO_SUCH_RULE`)\n";
        assert_eq!(
            ReleaseHistory::read("CHANGELOG.md", unknown).unwrap_err(),
            "CHANGELOG.md:2: unknown rule `NO_SUCH_RULE`"
        );
        let order = "## [1.0.0] - 2026-12-07\n## [1.1.0] - 2026-12-08\n";
        assert!(ReleaseHistory::read("CHANGELOG.md", order).unwrap_err().starts_with("CHANGELOG.md:2: release 1.1.0"));
    }

    #[test]
    fn the_shipped_changelog_reads() {
        let history = ReleaseHistory::read("CHANGELOG.md", crate::EMBEDDED_CHANGELOG).unwrap();
        assert!(!history.releases.is_empty());
    }
}
