//! The backoff hint as a picture: a small server-rendered SVG of the delay window of each attempt
//! (from the shortest to the longest delay it may draw) and when the client gives up. Inline in
//! the code page, with no script and no `style` attribute, so it stays within the portal's CSP;
//! colours come from classes in `assets/style.css`. Every number comes from the model's
//! [`BackoffHint::window`], so the picture is the formula every runtime computes.

use std::fmt::Write as _;

use codebook_model::{BackoffHint, Jitter, duration_in_words};

/// Attempts drawn at most: by then every shipped hint has reached its maximum.
const MAX_ROWS: u32 = 8;
/// Narrow enough that a 390 px phone shows it at nearly full size, so its 12 px labels stay 12 px.
const WIDTH: u32 = 360;
const LABEL: u32 = 70;
const ROW: u32 = 20;

/// One attempt's row: attempt (0 first), shortest and longest delay, and whether every later
/// attempt draws from the same window.
type Row = (u32, u32, u32, bool);

/// The attempts worth a row: each up to and including the first whose window is the last one
/// (every later attempt draws from it), at most [`MAX_ROWS`].
fn rows(hint: &BackoffHint) -> Vec<Row> {
    let last = hint.window(u32::MAX);
    let mut rows = Vec::new();
    for attempt in 0..MAX_ROWS {
        let window = hint.window(attempt);
        let settled = window == last;
        rows.push((attempt, window.low_ms, window.high_ms, settled));
        if settled {
            break;
        }
    }
    rows
}

/// The SVG for `hint`. Its text is made of numbers only, so it needs no escaping.
pub fn delay_chart(hint: &BackoffHint) -> String {
    let rows = rows(hint);
    let cap = hint.window(u32::MAX).high_ms.max(1);
    let plot = WIDTH - LABEL - 12;
    let x = |ms: u32| LABEL + (u64::from(ms) * u64::from(plot) / u64::from(cap)) as u32;
    let axis_y = 8 + rows.len() as u32 * ROW;
    let height = axis_y + 38;
    // Screen readers get the same numbers from [`delay_table`] beside it.
    let mut svg = format!(
        "<svg class=\"delay-chart\" aria-hidden=\"true\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\
<title>{}</title>",
        summary(hint, &rows)
    );
    for &(attempt, low, high, settled) in &rows {
        let y = 8 + attempt * ROW;
        let label = if settled { format!("retry {}+", attempt + 1) } else { format!("retry {}", attempt + 1) };
        let width = (x(high) - x(low)).max(2);
        let _ = write!(
            svg,
            "<text class=\"delay-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text>\
<rect class=\"delay-window\" x=\"{}\" y=\"{}\" width=\"{width}\" height=\"{}\"><title>{}</title></rect>",
            LABEL - 6,
            y + 14,
            x(low),
            y + 4,
            ROW - 7,
            window_in_words(attempt, low, high, settled),
        );
    }
    let _ = write!(
        svg,
        "<line class=\"delay-axis\" x1=\"{LABEL}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\"/>",
        LABEL + plot
    );
    for ms in axis_ticks(cap) {
        let _ = write!(
            svg,
            "<line class=\"delay-axis\" x1=\"{0}\" y1=\"{axis_y}\" x2=\"{0}\" y2=\"{1}\"/><text class=\"delay-label\" x=\"{0}\" y=\"{2}\" text-anchor=\"middle\">{3}</text>",
            x(ms),
            axis_y + 4,
            axis_y + 17,
            duration_in_words(ms),
        );
    }
    let give_up = match hint.give_up_after_ms {
        Some(limit) => format!("Gives up {} after the first failure.", duration_in_words(limit)),
        None => "Never gives up on its own.".to_string(),
    };
    let _ = write!(svg, "<text class=\"delay-label\" x=\"{LABEL}\" y=\"{}\">{give_up}</text></svg>", axis_y + 34);
    svg
}

/// The chart's numbers as an HTML table (visually hidden next to the chart; read by screen
/// readers and printed). Numbers and fixed words only, so it needs no escaping.
pub fn delay_table(hint: &BackoffHint) -> String {
    let mut table = String::from(
        "<table class=\"delay-table\"><caption>Delay before each retry</caption>\
<thead><tr><th scope=\"col\">Retry</th><th scope=\"col\">Shortest wait</th><th scope=\"col\">Longest wait</th></tr></thead><tbody>",
    );
    for (attempt, low, high, settled) in rows(hint) {
        let which = if settled { format!("{} and later", attempt + 1) } else { (attempt + 1).to_string() };
        let _ = write!(
            table,
            "<tr><th scope=\"row\">{which}</th><td>{}</td><td>{}</td></tr>",
            duration_in_words(low),
            duration_in_words(high)
        );
    }
    let give_up = match hint.give_up_after_ms {
        Some(limit) => format!("Gives up {} after the first failure.", duration_in_words(limit)),
        None => "Never gives up on its own.".to_string(),
    };
    let _ = write!(table, "</tbody><tfoot><tr><td colspan=\"3\">{give_up}</td></tr></tfoot></table>");
    table
}

fn window_in_words(attempt: u32, low: u32, high: u32, and_later: bool) -> String {
    let which = if and_later { format!("Retry {} and later", attempt + 1) } else { format!("Retry {}", attempt + 1) };
    if low == high {
        format!("{which}: exactly {}", duration_in_words(low))
    } else {
        format!("{which}: {} to {}", duration_in_words(low), duration_in_words(high))
    }
}

/// The chart in one sentence, for screen readers.
fn summary(hint: &BackoffHint, rows: &[Row]) -> String {
    let jitter = match hint.jitter {
        Jitter::Full => "a random delay in each window",
        Jitter::None => "exactly the delay shown",
    };
    let windows: Vec<String> =
        rows.iter().map(|&(attempt, low, high, settled)| window_in_words(attempt, low, high, settled)).collect();
    format!("Delay before each retry, {jitter}: {}.", windows.join("; "))
}

/// Up to five round marks from 0 to `cap`.
fn axis_ticks(cap: u32) -> Vec<u32> {
    let steps = [
        100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000,
        3_600_000,
    ];
    let step = steps.into_iter().find(|step| cap / step <= 4).unwrap_or(cap.div_ceil(4).max(1));
    (0..=cap / step).map(|index| index * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_shows_one_row_per_window_until_the_cap() {
        let hint =
            BackoffHint { min_ms: 5_000, max_ms: 60_000, jitter: Jitter::Full, give_up_after_ms: Some(1_800_000) };
        assert_eq!(
            rows(&hint),
            [(0, 5_000, 10_000, false), (1, 5_000, 20_000, false), (2, 5_000, 40_000, false), (3, 5_000, 60_000, true)]
        );
        let svg = delay_chart(&hint);
        assert_eq!(svg.matches("<rect class=\"delay-window\"").count(), 4);
        assert!(svg.contains("Retry 1: 5 s to 10 s"), "{svg}");
        assert!(svg.contains("Retry 4 and later: 5 s to 60 s"));
        assert!(svg.contains("Gives up 30 min after the first failure."));
        let table = delay_table(&hint);
        assert_eq!(table.matches("<tr><th scope=\"row\">").count(), 4, "{table}");
        assert!(table.contains("<th scope=\"row\">4 and later</th><td>5 s</td><td>60 s</td>"), "{table}");
        assert!(table.contains("Gives up 30 min after the first failure."), "{table}");
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
        // The first window starts at the left edge of the plot plus 5/60 of it.
        assert!(svg.contains(&format!("x=\"{}\"", LABEL + 5 * (WIDTH - LABEL - 12) / 60)));
    }

    #[test]
    fn degenerate_hints_still_draw() {
        for hint in [
            BackoffHint { min_ms: 7, max_ms: 7, jitter: Jitter::Full, give_up_after_ms: None },
            BackoffHint { min_ms: 1, max_ms: u32::MAX, jitter: Jitter::None, give_up_after_ms: None },
            BackoffHint { min_ms: 0, max_ms: 0, jitter: Jitter::Full, give_up_after_ms: Some(0) },
        ] {
            let svg = delay_chart(&hint);
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!((1..=MAX_ROWS as usize).contains(&svg.matches("<rect").count()), "{svg}");
        }
        let none = BackoffHint { min_ms: 1_000, max_ms: 8_000, jitter: Jitter::None, give_up_after_ms: None };
        assert!(delay_chart(&none).contains("Retry 1: exactly 1 s"));
        assert!(delay_chart(&none).contains("Never gives up on its own."));
    }
}
