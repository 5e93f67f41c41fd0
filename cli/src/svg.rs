//! Small hand-written SVG charts for the report.
//!
//! Why not a plotting crate: `plotters`' SVG backend lays text out with a font backend (`ttf`
//! or `ab_glyph`, with font files or system fonts), and without one it panics ("The font
//! implementation is unable to draw text", plotters issue 695). Here every label is an SVG
//! `<text>` that the browser lays out, so the output needs no font, is the same bytes on
//! every machine (snapshot-testable), and has no panic path. The charts are a few lines,
//! points and rectangles on linear axes; that is less code than configuring a backend.

use std::fmt::Write;

/// A line or a set of points on a chart.
#[derive(Debug, Clone)]
pub struct Trace {
    /// Legend label.
    pub label: String,
    /// CSS colour.
    pub colour: &'static str,
    /// The points, (x, y).
    pub points: Vec<(f64, f64)>,
    /// Dashed line.
    pub dashed: bool,
    /// Draw the points as dots, without a line.
    pub dots_only: bool,
}

/// A marker at a point: a rupture (down triangle) or a repair (circle).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Marker {
    /// A rupture at (x, y).
    Rupture(f64, f64),
    /// A repair at (x, y).
    Repair(f64, f64),
}

/// A horizontal band, e.g. the range below a clinical cutoff.
#[derive(Debug, Clone)]
pub struct Band {
    /// From this y ...
    pub from: f64,
    /// ... to this y.
    pub to: f64,
    /// Its label.
    pub label: String,
}

/// A chart: axes, traces, markers, reference lines.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// Title above the plot.
    pub title: String,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// Fixed y range, else from the data.
    pub y_range: Option<(f64, f64)>,
    /// The traces.
    pub traces: Vec<Trace>,
    /// Markers.
    pub markers: Vec<Marker>,
    /// Bands.
    pub bands: Vec<Band>,
    /// Horizontal reference lines (y, label).
    pub lines: Vec<(f64, String)>,
}

const W: f64 = 560.0;
const H: f64 = 300.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 40.0;

/// Text for SVG/HTML: `&`, `<`, `>` and quotes escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// About five round tick values covering `[lo, hi]`.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

fn number(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

impl Chart {
    /// The chart as one `<svg>` element (no external reference).
    pub fn render(&self) -> String {
        let all = || self.traces.iter().flat_map(|t| t.points.iter().copied());
        let (mut x0, mut x1) = all().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (x, _)| {
            (a.min(x), b.max(x))
        });
        if !x0.is_finite() {
            (x0, x1) = (0.0, 1.0);
        }
        if x1 - x0 < 1e-9 {
            (x0, x1) = (x0 - 1.0, x1 + 1.0);
        }
        let (y0, y1) = self.y_range.unwrap_or_else(|| {
            let ys = all().map(|p| p.1).chain(self.lines.iter().map(|l| l.0));
            let (a, b) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
                (a.min(y), b.max(y))
            });
            if !a.is_finite() {
                (0.0, 1.0)
            } else {
                let pad = ((b - a) * 0.08).max(1e-6);
                (a - pad, b + pad)
            }
        });
        let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
        let sx = |x: f64| LEFT + (x - x0) / (x1 - x0) * pw;
        let sy = |y: f64| TOP + (1.0 - (y.clamp(y0, y1) - y0) / (y1 - y0)) * ph;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"#,
            escape(&self.title)
        );
        let _ = write!(
            s,
            r##"<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>"##
        );
        let _ = write!(
            s,
            r#"<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{}</text>"#,
            escape(&self.title)
        );
        let _ = write!(
            s,
            r##"<rect class="plot" x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#fbfbfb" stroke="#999999"/>"##
        );
        for b in &self.bands {
            let (top, bottom) = (sy(b.to.max(b.from)), sy(b.from.min(b.to)));
            let _ = write!(
                s,
                r##"<rect class="band" x="{LEFT}" y="{top:.1}" width="{pw}" height="{:.1}" fill="#f6d5d5"><title>{}</title></rect>"##,
                (bottom - top).max(0.0),
                escape(&b.label)
            );
        }
        for t in ticks(y0, y1) {
            let y = sy(t);
            let _ = write!(
                s,
                r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#e4e4e4"/>"##,
                LEFT + pw
            );
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                LEFT - 4.0,
                y + 4.0,
                number(t)
            );
        }
        // whole sessions on a session axis: no tick at 2.5
        let whole = all().all(|(x, _)| x == x.trunc());
        for t in ticks(x0, x1)
            .into_iter()
            .filter(|t| !whole || *t == t.trunc())
        {
            let x = sx(t);
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                TOP + ph + 14.0,
                number(t)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            LEFT + pw / 2.0,
            H - 6.0,
            escape(&self.x_label)
        );
        let _ = write!(
            s,
            r#"<text transform="translate(12 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
            TOP + ph / 2.0,
            escape(&self.y_label)
        );
        for (y, label) in &self.lines {
            let v = sy(*y);
            let _ = write!(
                s,
                r##"<line x1="{LEFT}" x2="{:.1}" y1="{v:.1}" y2="{v:.1}" stroke="#555555" stroke-dasharray="4 3"><title>{}</title></line>"##,
                LEFT + pw,
                escape(label)
            );
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
                LEFT + pw + 6.0,
                v + 4.0,
                escape(label)
            );
        }
        for (k, t) in self.traces.iter().enumerate() {
            if !t.dots_only && t.points.len() > 1 {
                let path: Vec<String> = t
                    .points
                    .iter()
                    .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
                    .collect();
                let dash = if t.dashed {
                    r#" stroke-dasharray="6 3""#
                } else {
                    ""
                };
                let _ = write!(
                    s,
                    r#"<polyline class="trace" points="{}" fill="none" stroke="{}" stroke-width="2.5"{dash}/>"#,
                    path.join(" "),
                    t.colour
                );
            }
            for &(x, y) in &t.points {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"/>"#,
                    sx(x),
                    sy(y),
                    t.colour
                );
            }
            if t.label.is_empty() {
                continue;
            }
            let ly = TOP + 8.0 + 16.0 * k as f64;
            let lx = LEFT + pw + 10.0;
            let _ = write!(
                s,
                r#"<line x1="{lx}" x2="{:.1}" y1="{ly}" y2="{ly}" stroke="{}" stroke-width="3"/>"#,
                lx + 16.0,
                t.colour
            );
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
                lx + 20.0,
                ly + 4.0,
                escape(&t.label)
            );
        }
        for m in &self.markers {
            match *m {
                Marker::Rupture(x, y) => {
                    let (cx, cy) = (sx(x), sy(y) + 12.0);
                    let _ = write!(
                        s,
                        r##"<path class="rupture" d="M{:.1},{:.1} L{:.1},{:.1} L{cx:.1},{:.1} Z" fill="#d62728"><title>rupture</title></path>"##,
                        cx - 7.0,
                        cy - 6.0,
                        cx + 7.0,
                        cy - 6.0,
                        cy + 6.0
                    );
                }
                Marker::Repair(x, y) => {
                    let _ = write!(
                        s,
                        r##"<circle class="repair" cx="{:.1}" cy="{:.1}" r="7" fill="none" stroke="#2ca02c" stroke-width="3"><title>repair</title></circle>"##,
                        sx(x),
                        sy(y)
                    );
                }
            }
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(1.0, 12.0), vec![2.5, 5.0, 7.5, 10.0]);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
