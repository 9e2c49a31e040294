//! A printable document as plain blocks (headings, fields, tables, signature boxes,
//! bar charts), rendered to Markdown or to one self-contained HTML page (SPEC §11.3):
//! inline CSS and SVG, no script, nothing fetched, A4 print styles. Every piece of
//! data goes through `safe` on the way out; one model for both renderings keeps their
//! numbers the same.

use std::fmt::Write;

use crate::output::safe;

#[derive(Clone, Debug, Default)]
pub struct Page {
    pub title: String,
    /// Lines under the title (window, case, date).
    pub meta: Vec<String>,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug)]
pub enum Block {
    Heading(String),
    /// A paragraph; a line break in it is kept (SPEC §17.10).
    Text(String),
    /// Label and value, one per row.
    Fields(Vec<(String, String)>),
    Table(Table),
    Chart(Chart),
    /// Signature boxes: one labelled box each, with room to sign and date.
    Sign(Vec<String>),
}

#[derive(Clone, Debug, Default)]
pub struct Table {
    pub head: Vec<String>,
    /// Right-aligned (numeric) columns.
    pub numeric: Vec<usize>,
    pub rows: Vec<Vec<String>>,
    /// A last row in bold (totals).
    pub foot: Option<Vec<String>>,
}

/// Horizontal bars, each with its label and its value written out, so the chart
/// reads in black and white (no meaning carried by colour alone).
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub title: String,
    pub bars: Vec<(String, f64)>,
}

impl Page {
    pub fn new(title: &str) -> Page {
        Page {
            title: title.to_string(),
            ..Page::default()
        }
    }

    pub fn push(&mut self, block: Block) -> &mut Page {
        self.blocks.push(block);
        self
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n", safe::markdown_cell(&self.title));
        for m in &self.meta {
            let _ = writeln!(out, "{}  ", safe::markdown_cell(m));
        }
        if !self.meta.is_empty() {
            out.push('\n');
        }
        for b in &self.blocks {
            match b {
                Block::Heading(h) => {
                    let _ = writeln!(out, "## {}\n", safe::markdown_cell(h));
                }
                Block::Text(t) => {
                    let lines: Vec<String> = t.lines().map(safe::markdown_cell).collect();
                    let _ = writeln!(out, "{}\n", lines.join("  \n"));
                }
                Block::Fields(rows) => {
                    out.push_str("| | |\n|---|---|\n");
                    for (k, v) in rows {
                        let _ = writeln!(out, "| {} | {} |", safe::markdown_cell(k), safe::markdown_cell(v));
                    }
                    out.push('\n');
                }
                Block::Table(t) => {
                    let row = |cells: &[String]| {
                        let cells: Vec<String> = cells.iter().map(|c| safe::markdown_cell(c)).collect();
                        format!("| {} |\n", cells.join(" | "))
                    };
                    out.push_str(&row(&t.head));
                    let rule: Vec<&str> = (0..t.head.len())
                        .map(|i| if t.numeric.contains(&i) { "---:" } else { "---" })
                        .collect();
                    let _ = writeln!(out, "|{}|", rule.join("|"));
                    for r in &t.rows {
                        out.push_str(&row(r));
                    }
                    if let Some(f) = &t.foot {
                        let bold: Vec<String> = f
                            .iter()
                            .map(|c| {
                                if c.is_empty() {
                                    String::new()
                                } else {
                                    format!("**{}**", safe::markdown_cell(c))
                                }
                            })
                            .collect();
                        let _ = writeln!(out, "| {} |", bold.join(" | "));
                    }
                    out.push('\n');
                }
                // Markdown carries the numbers in the tables; the bars are for print.
                Block::Chart(_) => {}
                Block::Sign(labels) => {
                    let cells: Vec<String> = labels.iter().map(|l| safe::markdown_cell(l)).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                    let _ = writeln!(out, "|{}|", vec!["---"; labels.len()].join("|"));
                    let _ = writeln!(
                        out,
                        "|{}|",
                        vec![format!("  {}  ", crate::output::i18n::tr("sign_and_date", &[])); labels.len()].join("|")
                    );
                    out.push('\n');
                }
            }
        }
        out
    }

    pub fn html(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"zh-Hant\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
            safe::html(&self.title),
            safe::html(&self.title)
        );
        if !self.meta.is_empty() {
            out.push_str("<p class=\"meta\">");
            let lines: Vec<String> = self.meta.iter().map(|m| safe::html(m)).collect();
            out.push_str(&lines.join("<br>"));
            out.push_str("</p>\n");
        }
        for b in &self.blocks {
            match b {
                Block::Heading(h) => {
                    let _ = writeln!(out, "<h2>{}</h2>", safe::html(h));
                }
                Block::Text(t) => {
                    let lines: Vec<String> = t.lines().map(safe::html).collect();
                    let _ = writeln!(out, "<p>{}</p>", lines.join("<br>"));
                }
                Block::Fields(rows) => {
                    out.push_str("<table class=\"fields\">\n");
                    for (k, v) in rows {
                        let v: Vec<String> = v.lines().map(safe::html).collect();
                        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", safe::html(k), v.join("<br>"));
                    }
                    out.push_str("</table>\n");
                }
                Block::Table(t) => table_html(&mut out, t),
                Block::Chart(c) => chart_svg(&mut out, c),
                Block::Sign(labels) => {
                    out.push_str("<table class=\"sign\"><tr>");
                    for l in labels {
                        let _ = write!(out, "<th>{}</th>", safe::html(l));
                    }
                    out.push_str("</tr><tr>");
                    for _ in labels {
                        out.push_str("<td><span class=\"date\">日期 Date：</span></td>");
                    }
                    out.push_str("</tr></table>\n");
                }
            }
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

fn table_html(out: &mut String, t: &Table) {
    let cell = |out: &mut String, tag: &str, i: usize, text: &str| {
        let class = if t.numeric.contains(&i) { " class=\"n\"" } else { "" };
        let lines: Vec<String> = text.lines().map(safe::html).collect();
        let _ = write!(out, "<{tag}{class}>{}</{tag}>", lines.join("<br>"));
    };
    out.push_str("<table>\n<thead><tr>");
    for (i, h) in t.head.iter().enumerate() {
        cell(out, "th", i, h);
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            cell(out, "td", i, c);
        }
        out.push_str("</tr>\n");
    }
    if t.rows.is_empty() {
        let _ = writeln!(out, "<tr><td colspan=\"{}\">—</td></tr>", t.head.len().max(1));
    }
    out.push_str("</tbody>\n");
    if let Some(f) = &t.foot {
        out.push_str("<tfoot><tr>");
        for (i, c) in f.iter().enumerate() {
            cell(out, "td", i, c);
        }
        out.push_str("</tr></tfoot>\n");
    }
    out.push_str("</table>\n");
}

/// A number as the JSON prints it: integers without a fraction, ratios to 4 places.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn chart_svg(out: &mut String, c: &Chart) {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 170.0;
    const BAR_AREA: f64 = 380.0;
    const ROW: f64 = 22.0;
    let max = c.bars.iter().map(|(_, v)| v.abs()).fold(0.0, f64::max);
    let height = ROW * c.bars.len().max(1) as f64 + 10.0;
    let _ = write!(
        out,
        "<figure>\n<figcaption>{}</figcaption>\n<svg viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">\n",
        safe::html(&c.title),
        safe::html(&c.title)
    );
    let _ = writeln!(
        out,
        "<line x1=\"{LABEL}\" y1=\"0\" x2=\"{LABEL}\" y2=\"{height}\" stroke=\"#333\" stroke-width=\"1\"/>"
    );
    for (i, (label, v)) in c.bars.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let w = if max > 0.0 { BAR_AREA * v.max(0.0) / max } else { 0.0 };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            LABEL - 6.0,
            y + 14.0,
            safe::html(&crate::output::render::clip(label, 14))
        );
        let _ = writeln!(
            out,
            "<rect x=\"{LABEL}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"#9aa7b4\" stroke=\"#222\" stroke-width=\"0.8\"/>",
            y + 2.0,
            ROW - 6.0
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"12\">{}</text>",
            LABEL + w + 5.0,
            y + 14.0,
            number(*v)
        );
    }
    out.push_str("</svg>\n</figure>\n");
}

/// Print styles: A4 (Chromium prints US Letter otherwise), a CJK font stack that
/// Windows, macOS and Linux shops have, black on white.
const CSS: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
html { background: #fff; }
body { font-family: "Noto Sans CJK TC", "Noto Sans CJK SC", "Noto Sans TC", "Source Han Sans TC", "Microsoft JhengHei", "Microsoft YaHei", "PingFang TC", "PingFang SC", sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #111; max-width: 186mm; margin: 0 auto; padding: 6mm 0; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 3mm; letter-spacing: 0.05em; }
h2 { font-size: 12pt; border-bottom: 1.5px solid #333; margin: 6mm 0 2mm; padding-bottom: 1mm; page-break-after: avoid; }
p.meta { text-align: center; color: #333; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; }
th, td { border: 1px solid #555; padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #e8e8e8; font-size: 8.5pt; line-height: 1.25; }
table.fields th { width: 32%; background: #f2f2f2; font-weight: normal; }
.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: bold; border-top: 2px solid #333; }
tr, figure { page-break-inside: avoid; }
table.sign th { background: #f2f2f2; text-align: center; }
table.sign td { height: 22mm; vertical-align: bottom; }
.date { font-size: 9pt; color: #444; }
figure { margin: 3mm 0; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
svg { display: block; max-width: 100%; height: auto; }
@media print { body { padding: 0; max-width: none; } }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped_in_both_renderings() {
        let mut p = Page::new("<b>title</b>");
        p.push(Block::Fields(vec![("名".into(), "<script>alert(1)</script>|x".into())]));
        p.push(Block::Chart(Chart {
            title: "t".into(),
            bars: vec![("<i>".into(), 2.0)],
        }));
        let html = p.html();
        assert!(!html.contains("<script") && html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&lt;i&gt;"));
        assert!(p.markdown().contains("\\<script\\>alert(1)\\</script\\>\\|x"));
    }

    #[test]
    fn numbers_print_as_json_does() {
        assert_eq!(number(100.0), "100");
        assert_eq!(number(-50.0), "-50");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(1.0 / 3.0), "0.3333");
    }
}
