//! Facts every loaded registry must satisfy, checked after the fact: used by the fuzz targets and
//! their regression tests to prove that whatever the loader accepts is coherent.

use std::collections::HashSet;

use crate::registry::Registry;

/// Returns the first broken invariant of a loaded registry, if any.
pub fn check_invariants(registry: &Registry) -> Result<(), String> {
    let mut package_scope = HashSet::new();
    for family in &registry.families {
        let segments = &family.segments;
        if segments.first().map(|s| s.from) != Some(0) || segments.last().map(|s| s.to) != Some(u16::MAX) {
            return Err(format!("segments of `{}` do not span 0..=65535", family.id));
        }
        for pair in segments.windows(2) {
            if u32::from(pair[0].to) + 1 != u32::from(pair[1].from) {
                return Err(format!("segments of `{}` have a gap or overlap at {}", family.id, pair[1].from));
            }
        }
        if !package_scope.insert(family.names.type_name.clone()) {
            return Err(format!("type name {} generated twice", family.names.type_name));
        }
        let mut numbers = HashSet::new();
        for code in &family.codes {
            if !numbers.insert(code.number) {
                return Err(format!("code {} of `{}` registered twice", code.number, family.id));
            }
            if !family.allowed_numbers().contains(&code.number) {
                return Err(format!("code {} of `{}` outside its kind", code.number, family.id));
            }
            if family.classify(code.number).behaviour != code.behaviour {
                return Err(format!("code {} of `{}` classifies unlike itself", code.number, family.id));
            }
            if code.message.texts().iter().any(|text| text.is_empty() || text.chars().any(char::is_control))
                || code.message.varies().is_some_and(|what| what.trim().is_empty())
            {
                return Err(format!("code {} of `{}` has a bad message", code.number, family.id));
            }
            if family.retired(code.number).is_some() {
                return Err(format!("code {} of `{}` is retired", code.number, family.id));
            }
            if !package_scope.insert(code.names.go_constant.clone()) {
                return Err(format!("identifier {} generated twice", code.names.go_constant));
            }
        }
    }
    Ok(())
}
