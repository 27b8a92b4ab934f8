//! Classification of any number, registered or not: the only place that applies range rules.
//!
//! A family's range rules and fallback are flattened once, at load time, into a sorted, gap-free
//! list of [`Segment`]s covering 0..=65535. [`crate::Family::classify`] searches it, and every
//! emitter writes the same table into its target language, so all of them agree by construction.
//! The types it answers with ([`Segment`], [`Classification`]) are part of the registry's data
//! (`registry.rs`); this module depends on the registry, never the other way round.

use codebook_protocol::{Action, BackoffHint, Scope};

use crate::registry::{Classification, Fallback, Family, RangeRule, RuleRef, Segment};

impl Family {
    /// Classifies any number: a registered code answers with its own behaviour, anything else
    /// with the behaviour of the range rule (or fallback) that covers it.
    pub fn classify(&self, number: u16) -> Classification<'_> {
        let code = self.code(number);
        let segment = self.segment_of(number);
        Classification {
            number,
            code,
            retired: self.retired(number),
            segment,
            behaviour: code.map_or(segment.behaviour, |code| code.behaviour),
        }
    }

    /// The segment that covers `number`; segments are total, so there always is one.
    pub fn segment_of(&self, number: u16) -> &Segment {
        let index = self.segments.partition_point(|segment| segment.to < number);
        &self.segments[index]
    }

    /// The rule that covers `number` if it were unregistered.
    pub fn rule_for(&self, number: u16) -> RuleRef<'_> {
        match self.segment_of(number).range_index {
            Some(index) => RuleRef::Range(&self.ranges[index]),
            None => RuleRef::Fallback(&self.fallback),
        }
    }
}

/// Flattens range rules (sorted by `from`, non-overlapping) and the fallback into segments that
/// cover every `u16` exactly once. `backoff` is the family's hint, attached to segments whose
/// action tries again.
pub(crate) fn build_segments(ranges: &[RangeRule], fallback: &Fallback, backoff: BackoffHint) -> Vec<Segment> {
    let hint = |action: Action| action.tries_again().then_some(backoff);
    let fallback_segment = |from: u16, to: u16| Segment {
        from,
        to,
        scope: Scope::Unassigned,
        behaviour: fallback.behaviour,
        action: fallback.action,
        backoff: hint(fallback.action),
        label: fallback.label.clone(),
        range_index: None,
    };
    let mut segments = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut next: u32 = 0;
    for (index, rule) in ranges.iter().enumerate() {
        if u32::from(rule.from) > next {
            segments.push(fallback_segment(next as u16, rule.from - 1));
        }
        let behaviour = rule.behaviour.unwrap_or(fallback.behaviour);
        let action = rule.action.unwrap_or(if rule.behaviour.is_some() {
            Action::default_for(behaviour)
        } else {
            fallback.action
        });
        segments.push(Segment {
            from: rule.from,
            to: rule.to,
            scope: rule.scope,
            behaviour,
            action,
            backoff: hint(action),
            label: rule.label.clone(),
            range_index: Some(index),
        });
        next = u32::from(rule.to) + 1;
    }
    if next <= u32::from(u16::MAX) {
        segments.push(fallback_segment(next as u16, u16::MAX));
    }
    segments
}

impl Family {
    /// The segments whose numbers belong to the application (`scope: application`): where a
    /// deployment's own custom codes go. A checker of a server's config reads the allowed custom
    /// numbers here instead of re-stating them.
    pub fn application_segments(&self) -> Vec<&Segment> {
        self.segments.iter().filter(|segment| segment.scope == codebook_protocol::Scope::Application).collect()
    }
}
