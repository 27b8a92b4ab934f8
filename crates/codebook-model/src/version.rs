//! The registry's version: `version:` in `codes.yaml`, the one place every package's version comes
//! from (the npm package, the wheel, the Maven artifact, the Go module's tag, the Rust crates).
//!
//! Only `MAJOR.MINOR.PATCH` of semantic versioning is accepted: a pre-release or build suffix is
//! spelt differently by npm, PyPI (PEP 440) and Maven, so one declared string could not stamp
//! every package the same way.

use serde::Serialize;

/// A semantic version without pre-release or build metadata (`1.4.0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

/// How far a release moves the version (semantic versioning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Only text changed (descriptions, causes): nothing a program sees behaves differently.
    Patch,
    /// Something was added (a code, a family, a known message): old programs keep working.
    Minor,
    /// A breaking rule fired: a client in the field may do the wrong thing.
    Major,
}

impl Bump {
    pub const fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

impl Version {
    /// The version of a registry that declares none: an unreleased one.
    pub const UNRELEASED: Version = Version { major: 0, minor: 1, patch: 0 };

    /// Reads `MAJOR.MINOR.PATCH`: three decimal numbers without leading zeros (semver 2.0.0,
    /// section 2). Returns `None` for anything else, pre-releases and build metadata included.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.split('.');
        let mut number = || -> Option<u64> {
            let part = parts.next()?;
            let digits_only = !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
            if !digits_only || (part.len() > 1 && part.starts_with('0')) {
                return None;
            }
            part.parse().ok()
        };
        let version = Version { major: number()?, minor: number()?, patch: number()? };
        if parts.next().is_some() { None } else { Some(version) }
    }

    /// The next version after a change of this size: the first stable release is 1.0.0 at the
    /// least (before 1.0.0 semver lets anything change; a registry fleets depend on starts at 1).
    pub fn bumped(self, bump: Bump) -> Version {
        match bump {
            Bump::Major => Version { major: self.major + 1, minor: 0, patch: 0 },
            Bump::Minor => Version { minor: self.minor + 1, patch: 0, ..self },
            Bump::Patch => Version { patch: self.patch + 1, ..self },
        }
    }

    /// The size of the step from `self` to `next`, if `next` is exactly one step ahead.
    pub fn step_to(self, next: Version) -> Option<Bump> {
        [Bump::Major, Bump::Minor, Bump::Patch].into_iter().find(|&bump| self.bumped(bump) == next)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_plain_semver() {
        assert_eq!(Version::parse("1.20.3"), Some(Version { major: 1, minor: 20, patch: 3 }));
        assert_eq!(Version::parse("0.0.0").unwrap().to_string(), "0.0.0");
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.02.3",
            "1.2.3-rc.1",
            "1.2.3+build",
            "v1.2.3",
            "1..3",
            " 1.2.3",
            "1.2.-3",
            "99999999999999999999.0.0",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn bumps_reset_the_lower_parts() {
        let version = Version::parse("1.4.2").unwrap();
        assert_eq!(version.bumped(Bump::Major).to_string(), "2.0.0");
        assert_eq!(version.bumped(Bump::Minor).to_string(), "1.5.0");
        assert_eq!(version.bumped(Bump::Patch).to_string(), "1.4.3");
        assert_eq!(version.step_to(Version::parse("1.5.0").unwrap()), Some(Bump::Minor));
        assert_eq!(version.step_to(Version::parse("1.6.0").unwrap()), None);
        assert_eq!(version.step_to(version), None);
    }
}
