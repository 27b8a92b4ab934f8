//! The SVG plot of a scenario: arrivals per 100 ms over time, one panel per run.

use std::fmt::Write as _;

use super::simulation::{Figures, Scenario};

/// Arrivals per 100 ms over time, one panel per run, on a shared time axis; each panel scaled to
/// its own peak (written beside it). Long runs are drawn at most 400 columns wide, each column the
/// largest tick it covers, so a peak is never averaged away.
pub fn plot(scenario: &Scenario, panels: &[(String, Vec<u64>, Figures)]) -> String {
    const WIDTH: f64 = 640.0;
    const LEFT: f64 = 60.0;
    const PANEL: f64 = 70.0;
    const GAP: f64 = 28.0;
    const COLUMNS: usize = 400;
    let ticks = panels.iter().map(|(_, arrivals, _)| arrivals.len()).max().unwrap_or(1).max(1);
    let per_column = ticks.div_ceil(COLUMNS);
    let columns = ticks.div_ceil(per_column);
    let column_width = WIDTH / columns as f64;
    let height = 40.0 + panels.len() as f64 * (PANEL + GAP) + 20.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n<title>{}</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<text x=\"{LEFT}\" y=\"18\" font-size=\"13\">Arrivals per 100 ms: {}</text>\n",
        xml(&scenario.title),
        xml(scenario.name),
        w = LEFT + WIDTH + 20.0,
    );
    for (index, (label, arrivals, figures)) in panels.iter().enumerate() {
        let top = 40.0 + index as f64 * (PANEL + GAP);
        let base = top + PANEL;
        let values: Vec<u64> = (0..columns)
            .map(|column| arrivals.iter().skip(column * per_column).take(per_column).copied().max().unwrap_or(0))
            .collect();
        let peak = values.iter().copied().max().unwrap_or(0).max(1) as f64;
        let mut path = format!("M{LEFT:.0},{base:.0}");
        for (column, value) in values.iter().enumerate() {
            let x = LEFT + column as f64 * column_width;
            let y = base - *value as f64 / peak * PANEL;
            let _ = write!(path, "V{y:.1}H{:.1}", x + column_width);
        }
        let _ = write!(path, "V{base:.0}Z");
        let ratio = figures.peak_over_mean.map_or_else(String::new, |ratio| format!(", peak/mean {ratio:.2}"));
        let _ = writeln!(
            svg,
            "<text x=\"{LEFT}\" y=\"{:.0}\">{}{ratio}, p99 {}</text>\n<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>\n<text x=\"{:.0}\" y=\"{base:.0}\" text-anchor=\"end\">0</text>\n<path d=\"{path}\" fill=\"#4a7ebb\"/>\n<line x1=\"{LEFT}\" y1=\"{base:.0}\" x2=\"{:.0}\" y2=\"{base:.0}\" stroke=\"#444\"/>",
            top - 4.0,
            xml(label),
            seconds(figures.p99_ms),
            LEFT - 4.0,
            top + 8.0,
            peak as u64,
            LEFT - 4.0,
            LEFT + WIDTH,
        );
    }
    let axis = 40.0 + panels.len() as f64 * (PANEL + GAP) - GAP + 14.0;
    let total_seconds = ticks as f64 / 10.0;
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0]
        .into_iter()
        .find(|step| total_seconds / step <= 10.0)
        .unwrap_or(1_800.0);
    let mut second = 0.0;
    while second <= total_seconds {
        let x = LEFT + second / total_seconds * WIDTH;
        let _ = writeln!(svg, "<text x=\"{x:.0}\" y=\"{axis:.0}\" text-anchor=\"middle\">{second} s</text>");
        second += step;
    }
    svg.push_str("</svg>\n");
    svg
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Seconds with two decimals, or `-` for "never".
pub fn seconds(ms: Option<f64>) -> String {
    ms.map_or_else(|| "-".to_string(), |ms| format!("{:.2} s", ms / 1_000.0))
}
