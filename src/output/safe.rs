//! Where data meets a terminal, a spreadsheet or a page (SPEC §9.3–9.6): the one place
//! that escapes it for output, and the one rule for what text a field may hold on input.
//!
//! Case files hold whatever a person or an import wrote. A name holding `ESC [2J`, an
//! OSC 52 clipboard write or a right-to-left override must reach the clerk's screen as
//! visible text, never as an instruction to the terminal; a summary starting with `=`
//! must reach a spreadsheet as text, never as a formula.

use crate::output::i18n::tr;
use std::borrow::Cow;

use anyhow::{Result, bail};

/// Bidirectional-text controls: they reorder what a terminal shows (U+202A–202E,
/// U+2066–2069), so a file name or an amount could read as something else.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character a terminal may act on: C0 controls, DEL, C1 controls, bidi controls.
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// Text for a terminal: every unsafe character but the line break becomes visible
/// (`\u{1b}`), so what the clerk sees is what the file holds.
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape(text, |c| c != '\n' && is_unsafe(c))
}

/// One table cell or one-line slot: a line break shows as `⏎` (SPEC §17.10), every
/// other unsafe character as in [`terminal`].
pub fn cell(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let joined = text.replace("\r\n", "\n").replace('\n', "⏎");
    Cow::Owned(terminal(&joined).into_owned())
}

fn escape(text: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV cell a spreadsheet will not run (OWASP "CSV injection"): a cell starting with
/// `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, unless it is made only of digits,
/// spaces and `+-()` — a phone number such as `+44 7700 900123` (SPEC §17.18).
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let phone = !text.is_empty()
        && text.chars().any(|c| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if risky && !phone {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The inverse of [`csv_cell`] for import: exactly one leading `'` is removed when one
/// of the characters it protects follows it.
pub fn csv_unprefix(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// Data in a Markdown table or paragraph: the characters Markdown acts on are escaped,
/// and a line break inside a table cell is `<br>`-free `⏎`.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in cell(text).chars() {
        if "\\`*_[]<>|#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Data in HTML text or an attribute value.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c != '\n' && is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A contact for a report others read: the first 3 and last 4 characters kept, the
/// rest starred (`138****0000`, SPEC §10.11, §17.19). Shorter text is starred whole
/// but for its first character, so a short name does not show either.
pub fn mask_contact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > 7 {
        let hidden = chars.len() - 7;
        chars[..3]
            .iter()
            .chain(std::iter::repeat_n(&'*', hidden))
            .chain(&chars[chars.len() - 4..])
            .collect()
    } else {
        chars
            .iter()
            .take(1)
            .chain(std::iter::repeat_n(&'*', chars.len().saturating_sub(1)))
            .collect()
    }
}

/// The input rule for a one-line field (name, contact, summary, product, order, actor,
/// receiver, reason, resolution, remedy, source_ref): no control character at all —
/// line breaks included — and no bidi control. `what` names the flag or column.
pub fn one_line(what: &str, text: &str) -> Result<()> {
    if let Some(c) = text.chars().find(|&c| is_unsafe(c)) {
        bail!("{what}: {}", tr("not_in_one_line", &[("what", &describe(c))]));
    }
    Ok(())
}

/// The input rule for a multi-line field (details, reply text, cause, countermeasure,
/// notes): line breaks and tabs are kept (CRLF and CR become LF); other controls and
/// bidi controls are refused.
pub fn multi_line(what: &str, text: &str) -> Result<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if let Some(c) = text.chars().find(|&c| c != '\n' && c != '\t' && is_unsafe(c)) {
        bail!("{what}: {}", tr("not_allowed", &[("what", &describe(c))]));
    }
    Ok(text)
}

/// A required value: not blank once trimmed.
pub fn required(what: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        bail!("{}", tr("required_blank", &[("what", what)]));
    }
    Ok(())
}

fn describe(c: char) -> String {
    match c {
        '\n' => tr("c_line_break", &[]),
        '\r' => tr("c_carriage_return", &[]),
        '\t' => tr("c_tab", &[]),
        c if is_bidi(c) => tr("c_bidi", &[("code", &format!("\\u{{{:x}}}", c as u32))]),
        c => tr("c_control", &[("code", &format!("\\u{{{:x}}}", c as u32))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_what_a_terminal_would_act_on() {
        assert_eq!(terminal("王先生"), "王先生");
        assert_eq!(terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(terminal("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(terminal("\u{9b}\u{7f}\r"), "\\u{9b}\\u{7f}\\u{d}");
        assert_eq!(terminal("two\nlines"), "two\nlines");
        assert_eq!(cell("two\nlines\t!"), "two⏎lines\\u{9}!");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_prefixed() {
        for risky in [
            "=HYPERLINK(\"x\")",
            "+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "-A1+1",
            "\tx",
            "\rx",
        ] {
            let safe = csv_cell(risky);
            assert_eq!(safe, format!("'{risky}"));
            assert_eq!(csv_unprefix(&safe), risky, "import takes the prefix off again");
        }
        for kept in ["+44 7700 900123", "(02) 2345-6789", "-12", "-2+3", "王先生", "a=b", ""] {
            assert_eq!(csv_cell(kept), kept);
        }
        assert_eq!(csv_unprefix("'plain"), "'plain", "only a protecting prefix is removed");
    }

    #[test]
    fn input_rules() {
        assert!(one_line("--name", "Bob\n\nSigned-off-by: x").is_err());
        assert!(one_line("--name", "王\u{202e}先生").is_err());
        assert!(one_line("--name", "王先生").is_ok());
        assert_eq!(multi_line("--details", "a\r\nb\rc\td").unwrap(), "a\nb\nc\td");
        assert!(multi_line("--details", "a\u{1b}b").is_err());
        assert!(required("--name", "  ").is_err());
    }

    #[test]
    fn contacts_are_masked_for_reports() {
        assert_eq!(mask_contact("13800000000"), "138****0000");
        assert_eq!(mask_contact("ann.lee@example.com"), "ann************.com");
        assert_eq!(mask_contact("王先生"), "王**");
    }

    #[test]
    fn html_and_markdown_escape_data() {
        assert_eq!(html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(markdown_cell("a|b*c\nd"), "a\\|b\\*c⏎d");
    }
}
