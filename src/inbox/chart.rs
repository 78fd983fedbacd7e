//! Stacked bar charts as SVG strings, shared by the inbox page and the exports.
//!
//! Labels, tag names and titles are user text: every one goes through [`escape`], and
//! colours are used only when they are `#rrggbb`, so no input can add markup or
//! attributes. The chart stands alone (fonts, white background, sizes in the file), so
//! an exported SVG or a PNG rasterised from it looks like the page.

use super::stats::{Series, Stats};
use super::tags::is_color;
use super::time::Day;
use crate::text::lang::Lang;
use std::fmt::Write;

/// One stack segment colour and its values, aligned with [`Chart::labels`].
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSeries {
    pub name: String,
    pub color: String,
    pub values: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// One label per bar (days, weeks…).
    pub labels: Vec<String>,
    pub series: Vec<ChartSeries>,
    /// Shown when there is nothing to draw.
    pub empty_text: String,
    pub width: u32,
    pub height: u32,
}

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

/// A short day label: "May 1" / "1 mai".
pub fn day_label(day: Day, lang: Lang) -> String {
    let (_, m, d) = day.ymd();
    let i = (m as usize).saturating_sub(1).min(11);
    match lang {
        Lang::Fr => format!("{d} {}", MONTHS_FR[i]),
        _ => format!("{} {d}", MONTHS_EN[i]),
    }
}

/// Whether the chart shows days or weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
}

impl Stats {
    /// The per-day or per-week chart of these figures (series with no capture left out
    /// of the bars; the legend shows the rest with their totals).
    pub fn chart(&self, period: Period, lang: Lang) -> Chart {
        let (days, series, title) = match (period, lang) {
            (Period::Day, Lang::Fr) => (&self.days, &self.per_day, "Captures par tag et par jour"),
            (Period::Day, _) => (&self.days, &self.per_day, "Captures per tag per day"),
            (Period::Week, Lang::Fr) => (
                &self.weeks,
                &self.per_week,
                "Captures par tag et par semaine (du lundi)",
            ),
            (Period::Week, _) => (
                &self.weeks,
                &self.per_week,
                "Captures per tag per week (from Monday)",
            ),
        };
        let to_chart = |s: &Series| ChartSeries {
            name: s.name.clone(),
            color: s.color.clone(),
            values: s.counts.clone(),
        };
        Chart {
            title: title.into(),
            labels: days.iter().map(|&d| day_label(d, lang)).collect(),
            series: series
                .iter()
                .filter(|s| s.total > 0)
                .map(to_chart)
                .collect(),
            empty_text: match lang {
                Lang::Fr => "Aucune capture sur cette période".into(),
                _ => "No captures in this period".into(),
            },
            width: 720,
            height: 360,
        }
    }
}

/// `color` if it is `#rrggbb`, else grey: a colour lands in an attribute unescaped.
fn safe_color(color: &str) -> &str {
    if is_color(color) {
        color
    } else {
        "#757575"
    }
}

/// A step of 1, 2 or 5 × 10^k giving at most five gridlines up to `max`.
fn nice_step(max: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for m in [1, 2, 5] {
            let s = step.saturating_mul(m);
            if max.div_ceil(s.max(1)) <= 5 {
                return s.max(1);
            }
        }
        step = step.saturating_mul(10);
    }
}

/// Estimated width of a label in 12 px system fonts (no font metrics in the core).
fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * 7.0
}

/// Renders `chart` as a standalone SVG document.
pub fn render_svg(chart: &Chart) -> String {
    let (w, h) = (
        f64::from(chart.width.max(240)),
        f64::from(chart.height.max(160)),
    );
    let (left, right, top) = (44.0, 12.0, 36.0);
    // Legend rows under the axis labels.
    let mut legend = Vec::new();
    let (mut x, mut row) = (left, 0u32);
    for s in &chart.series {
        let text = format!("{} ({})", s.name, s.values.iter().sum::<u32>());
        let item_w = 18.0 + text_width(&text) + 16.0;
        if x + item_w > w - right && x > left {
            x = left;
            row += 1;
        }
        legend.push((x, row, safe_color(&s.color), text));
        x += item_w;
    }
    let legend_h = if legend.is_empty() {
        0.0
    } else {
        f64::from(row + 1) * 18.0 + 6.0
    };
    let bottom = 28.0 + legend_h;
    let plot_w = w - left - right;
    let plot_h = (h - top - bottom).max(40.0);
    let h = top + plot_h + bottom;
    let n = chart.labels.len();
    let totals: Vec<u32> = (0..n)
        .map(|i| {
            chart
                .series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let title = escape(&chart.title);

    let mut svg = String::with_capacity(4096 + n * 160);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{title}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12"><title>{title}</title><rect width="{w}" height="{h}" fill="#ffffff"/><text x="{left}" y="22" font-size="15" font-weight="600" fill="#212121">{title}</text>"##
    );
    if max == 0 {
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#616161">{}</text></svg>"##,
            w / 2.0,
            top + plot_h / 2.0,
            escape(&chart.empty_text)
        );
        return svg;
    }
    let step = nice_step(max);
    let y_max = f64::from(max.div_ceil(step) * step);
    let y_of = |v: f64| top + plot_h - v / y_max * plot_h;
    // Gridlines and y axis labels.
    let mut tick = 0u32;
    while f64::from(tick) <= y_max {
        let y = y_of(f64::from(tick));
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="{}"/><text x="{}" y="{:.1}" text-anchor="end" fill="#424242">{tick}</text>"##,
            w - right,
            if tick == 0 { "#616161" } else { "#e0e0e0" },
            left - 6.0,
            y + 4.0
        );
        tick += step;
    }
    // Bars, stacked in series order from the axis up, each with a hover title.
    let band = plot_w / n as f64;
    let bar_w = (band * 0.72).max(1.0);
    let every = ((n as f64 * 64.0 / plot_w).ceil() as usize).max(1);
    for (i, label) in chart.labels.iter().enumerate() {
        let x = left + band * i as f64 + (band - bar_w) / 2.0;
        let mut acc = 0u32;
        for s in &chart.series {
            let v = s.values.get(i).copied().unwrap_or(0);
            if v == 0 {
                continue;
            }
            let (y0, y1) = (y_of(f64::from(acc)), y_of(f64::from(acc + v)));
            acc += v;
            let color = safe_color(&s.color);
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y1:.1}" width="{bar_w:.1}" height="{:.1}" fill="{color}"><title>{} — {}: {v}</title></rect>"#,
                y0 - y1,
                escape(label),
                escape(&s.name)
            );
        }
        if i % every == 0 {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#424242">{}</text>"##,
                left + band * (i as f64 + 0.5),
                top + plot_h + 16.0,
                escape(label)
            );
        }
    }
    let legend_top = top + plot_h + 30.0;
    for (x, row, color, text) in legend {
        let y = legend_top + f64::from(row) * 18.0;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="12" height="12" rx="2" fill="{color}"/><text x="{:.1}" y="{:.1}" fill="#212121">{}</text>"##,
            x + 18.0,
            y + 10.5,
            escape(&text)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(names: &[&str], labels: &[&str]) -> Chart {
        Chart {
            title: "Per day <b>&</b>".into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            series: names
                .iter()
                .enumerate()
                .map(|(i, n)| ChartSeries {
                    name: n.to_string(),
                    color: if i == 0 {
                        "#C62828".into()
                    } else {
                        "red\" onclick=\"x".into()
                    },
                    values: (0..labels.len() as u32)
                        .map(|d| d * (i as u32 + 1))
                        .collect(),
                })
                .collect(),
            empty_text: "none".into(),
            width: 720,
            height: 360,
        }
    }

    /// Every `<` must open a tag we write, every `&` an entity: a crude well-formedness
    /// check that is enough to catch unescaped user text.
    fn assert_no_injection(svg: &str) {
        const TAGS: &[&str] = &[
            "<svg", "</svg", "<title", "</title", "<rect", "</rect", "<text", "</text", "<line",
        ];
        for (i, _) in svg.match_indices('<') {
            assert!(
                TAGS.iter().any(|t| svg[i..].starts_with(t)),
                "stray < at {}",
                &svg[i..]
            );
        }
        for (i, _) in svg.match_indices('&') {
            let rest = &svg[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| rest.starts_with(e)),
                "{rest}"
            );
        }
        assert!(!svg.contains("onclick"));
    }

    #[test]
    fn hostile_labels_are_escaped_and_bad_colours_dropped() {
        let names = ["<script>alert(1)</script>", "\"quoted\" & 'single'\u{1}"];
        let svg = render_svg(&chart(&names, &["a<b", "=1+1", "x&y"]));
        assert_no_injection(&svg);
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("&quot;quoted&quot; &amp; &apos;single&apos; (6)<"));
        assert!(svg.contains("Per day &lt;b&gt;&amp;&lt;/b&gt;"));
        assert!(
            svg.contains(r##"fill="#757575""##),
            "invalid colour replaced by grey"
        );
    }

    #[test]
    fn has_axes_legend_and_readable_day_labels() {
        let labels: Vec<String> = (0..90)
            .map(|d| day_label(Day(19_800 + d), Lang::Fr))
            .collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let svg = render_svg(&chart(&["Réclamation", "Lead"], &refs));
        assert_no_injection(&svg);
        // 90 bars with values except day 0 → 89 stacks of 2 segments.
        assert_eq!(
            svg.matches("<rect x=").count(),
            89 * 2 + 2,
            "bars + 2 legend swatches"
        );
        let shown = labels
            .iter()
            .filter(|l| svg.contains(&format!(">{l}</text>")))
            .count();
        assert!(
            (8..=12).contains(&shown),
            "{shown} day labels: enough to read, not overlapping"
        );
        assert!(svg.contains(">Réclamation (4005)</text>") && svg.contains(r##"fill="#C62828""##));
        assert!(svg.contains(">0</text>"), "y axis starts at 0");
        assert_eq!(
            day_label(Day::parse("2024-05-01").unwrap(), Lang::Fr),
            "1 mai"
        );
        assert_eq!(
            day_label(Day::parse("2024-12-25").unwrap(), Lang::En),
            "Dec 25"
        );
    }

    #[test]
    fn empty_and_tiny_charts_say_so() {
        let svg = render_svg(&chart(&["a"], &[]));
        assert!(svg.contains(">none</text>") && svg.ends_with("</svg>"));
        assert_eq!(nice_step(1), 1);
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(23), 5);
        assert_eq!(nice_step(4_000_000_000), 1_000_000_000);
    }

    #[test]
    fn stats_chart_keeps_tags_with_captures_in_their_colours() {
        let lead = Series {
            tag: "lead".into(),
            name: "Prospect".into(),
            color: "#2E7D32".into(),
            counts: vec![1, 2],
            total: 3,
        };
        let bug = Series {
            tag: "bug".into(),
            name: "Bug".into(),
            counts: vec![0, 0],
            total: 0,
            ..lead.clone()
        };
        let stats = Stats {
            days: vec![Day(0), Day(1)],
            weeks: vec![Day(-3)],
            per_day: vec![lead, bug],
            per_week: vec![],
            top_authors: vec![],
            total: 3,
            open: 3,
            done: 0,
        };
        let c = stats.chart(Period::Day, Lang::Fr);
        assert_eq!(c.labels, ["1 janv.", "2 janv."]);
        let svg = render_svg(&c);
        assert!(svg.contains(">Prospect (3)</text>") && !svg.contains("Bug"));
        assert!(svg.contains(">Captures par tag et par jour</text>"));
        assert!(svg.contains(r##"fill="#2E7D32"><title>2 janv. — Prospect: 2</title>"##));
    }
}
