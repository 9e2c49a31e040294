//! The command line's own words in the clerk's language (SPEC §12.1, §12.7): `--help`
//! of every command, and the usage errors clap finds (an unknown flag, a missing value).
//!
//! English is clap's, written as doc comments in [`crate::cli`]. Chinese comes from
//! `i18n/help.zh-Hant.ftl` (Simplified made from it), one message per text, keyed by
//! where the text sits in the command tree: `help-intake` is `intake`'s summary,
//! `help-intake-long` its long description, `help-intake--name` the help of `--name`,
//! `help-kefu--root` a global option's. [`texts`] lists every key with its English, and
//! a unit test fails when one has no translation.
//!
//! The translated tree is made only when help or an error is to be shown, so a command
//! that runs pays nothing for it.

use std::error::Error as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::output::i18n::{self, Lang};

/// The key of a text: `path` is the command's path below `kefu` (empty for kefu
/// itself), `arg` an argument's id, `long` the long form.
pub fn key(path: &[String], arg: Option<&str>, long: bool) -> String {
    let mut key = String::from("help-");
    key.push_str(&if path.is_empty() {
        "kefu".to_string()
    } else {
        path.join("-")
    });
    if let Some(arg) = arg {
        key.push_str("--");
        key.push_str(&arg.replace('_', "-"));
    }
    if long {
        key.push_str("-long");
    }
    key
}

/// Every text of the tree that a reader of help sees, with its key: (key, English).
/// Hidden arguments and commands are left out, and so are the texts clap adds itself
/// (`--help`, `--version`), which have fixed keys of their own.
pub fn texts(cmd: &Command) -> Vec<(String, String)> {
    let mut all = Vec::new();
    collect(cmd, &mut Vec::new(), &mut all);
    all
}

fn collect(cmd: &Command, path: &mut Vec<String>, all: &mut Vec<(String, String)>) {
    if let Some(about) = cmd.get_about() {
        all.push((key(path, None, false), about.to_string()));
    }
    if let Some(long) = cmd.get_long_about() {
        all.push((key(path, None, true), long.to_string()));
    }
    if let Some(after) = cmd.get_after_long_help() {
        all.push((after_key(path), after.to_string()));
    }
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let id = arg.get_id().as_str();
        if let Some(help) = arg.get_help() {
            all.push((key(path, Some(id), false), help.to_string()));
        }
        if let Some(long) = arg.get_long_help() {
            all.push((key(path, Some(id), true), long.to_string()));
        }
        let names = arg.get_value_names().filter(|_| arg.get_action().takes_values());
        for name in names.unwrap_or_default() {
            all.push((value_key(name), name.to_string()));
        }
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        path.push(sub.get_name().to_string());
        collect(sub, path, all);
        path.pop();
    }
}

fn after_key(path: &[String]) -> String {
    format!("{}-after", key(path, None, false))
}

fn value_key(name: &str) -> String {
    format!("help-value-{}", name.to_ascii_lowercase().replace(['_', '|', '.'], "-"))
}

/// The command tree with every text in `lang` (English: unchanged).
pub fn localize(cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    let t = |key: &str| i18n::t(lang, key, &[]);
    let cmd = cmd
        .term_width(width())
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t("help-flag-version")),
        )
        .disable_help_subcommand(true)
        // Worded like the rest of the tree, by localize_command: its summary is
        // `help-help`, its value name `help-value-command`.
        .subcommand(
            Command::new("help")
                .about("Print help")
                .arg(Arg::new("command").num_args(0..).value_name("COMMAND")),
        );
    localize_command(cmd, &mut Vec::new(), lang)
}

fn localize_command(mut cmd: Command, path: &mut Vec<String>, lang: Lang) -> Command {
    let t = |key: &str| i18n::t(lang, key, &[]);
    if cmd.get_about().is_some() {
        cmd = cmd.about(unbreakable(&one_line(&t(&key(path, None, false)))));
    }
    if cmd.get_long_about().is_some() {
        cmd = cmd.long_about(unbreakable(&t(&key(path, None, true))));
    }
    if cmd.get_after_long_help().is_some() {
        cmd = cmd.after_long_help(unbreakable(&t(&after_key(path))));
    }
    let usage = t("help-usage");
    cmd = cmd
        .help_template(format!(
            "{{about-with-newline}}\n{usage}{{usage}}\n\n{{all-args}}{{after-help}}"
        ))
        .subcommand_help_heading(t("help-heading-commands"))
        .subcommand_value_name(t("help-value-command"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t("help-flag-help")),
        );
    let ids: Vec<String> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && a.get_id() != "help" && a.get_id() != "version")
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let (help, long) = (key(path, Some(&id), false), key(path, Some(&id), true));
        cmd = cmd.mut_arg(&id, |arg| localize_arg(arg, &help, &long, lang));
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        path.push(name.clone());
        cmd = cmd.mut_subcommand(&name, |sub| localize_command(sub, path, lang));
        path.pop();
    }
    cmd
}

fn localize_arg(mut arg: Arg, help: &str, long: &str, lang: Lang) -> Arg {
    let t = |key: &str| i18n::t(lang, key, &[]);
    // What clap would add in English ("[default: …]", "[env: …]", "[possible values:
    // …]") is added here in words of the language.
    let mut notes = Vec::new();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let takes_values = arg.get_action().takes_values();
    if takes_values && !values.is_empty() && !arg.is_hide_possible_values_set() {
        notes.push(i18n::t(lang, "help-note-values", &[("values", &values.join(", "))]));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        notes.push(i18n::t(lang, "help-note-default", &[("value", &defaults.join(" "))]));
    }
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        notes.push(i18n::t(lang, "help-note-env", &[("name", &env.to_string_lossy())]));
    }
    // A note is broken across lines only between its values: word joiners between its
    // other characters.
    let notes: Vec<String> = notes
        .iter()
        .map(|n| {
            let joined = n.chars().map(String::from).collect::<Vec<_>>().join("\u{2060}");
            joined
                .replace(' ', "\u{202f}")
                .replace(",\u{2060}\u{202f}\u{2060}", ",\u{a0}")
        })
        .collect();
    let noted = |text: String| match notes.is_empty() {
        true => unbreakable(&text),
        false => unbreakable(&format!("{text} {}", notes.join(" "))),
    };
    if arg.get_help().is_some() {
        arg = arg.help(noted(t(help)));
    }
    if arg.get_long_help().is_some() {
        arg = arg.long_help(noted(t(long)));
    }
    if let Some(names) = arg.get_value_names().filter(|_| arg.get_action().takes_values()) {
        let names: Vec<String> = names.iter().map(|n| t(&value_key(n))).collect();
        arg = arg.value_names(names);
    }
    // clap's own headings (Arguments, Options) keep their place, first, and are
    // worded by `finish`; the only other heading is the global options'.
    if arg.get_help_heading().is_some() {
        arg = arg.help_heading(t("help-heading-global"));
    }
    arg = arg.hide_env(true);
    // clap allows hiding these only on an argument that takes a value.
    match takes_values {
        true => arg.hide_possible_values(true).hide_default_value(true),
        false => arg,
    }
}

/// The width help is laid out in, found as clap finds it: the terminal's (of stdout,
/// else stderr or stdin, so that `kefu --help | less` fits too), else `COLUMNS`, else
/// 100; never wider than 100, `kefu`'s `max_term_width`.
fn width() -> usize {
    let columns = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
    };
    terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .or_else(columns)
        .filter(|w| *w > 0)
        .unwrap_or(100)
        .min(100)
}

/// A summary written over several lines as one, to be wrapped to the terminal: Chinese
/// lines join directly, a line ending or beginning in a Latin word with a space.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim) {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_graphic());
        let last = out.chars().last();
        let after_stop = last.is_some_and(|c| "。，、；：？！）」』》".contains(c));
        if !out.is_empty() && (latin(last) || (latin(line.chars().next()) && !after_stop)) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// A translated text as clap is to lay it out: clap wraps lines only at ASCII spaces,
/// which Chinese hardly has, so it gets none (no-break spaces instead), and
/// [`finish`] wraps the rendered help itself.
fn unbreakable(text: &str) -> String {
    text.replace(' ', "\u{a0}")
}

/// A text clap rendered from a translated tree: the words clap writes itself
/// (`[OPTIONS]`, the colon after a heading) in `lang`, and every line too wide for
/// the terminal wrapped where Chinese may break.
fn finish(text: &str, lang: Lang) -> String {
    let t = |key: &str| i18n::t(lang, key, &[]);
    let text = text.replace("[OPTIONS]", &t("help-value-options"));
    let headings: Vec<(String, String)> = [
        ("Arguments", "help-heading-arguments"),
        ("Options", "help-heading-options"),
        ("help-heading-commands", "help-heading-commands"),
        ("help-heading-global", "help-heading-global"),
    ]
    .iter()
    .map(|(clap, key)| {
        let clap = if clap.starts_with("help-") {
            t(clap)
        } else {
            clap.to_string()
        };
        (format!("{clap}:"), format!("{}：", t(key)))
    })
    .collect();
    let width = width();
    let mut out = String::new();
    for line in text.lines() {
        match headings.iter().find(|(h, _)| h == line.trim_end()) {
            Some((_, heading)) => out.push_str(heading),
            None => out.push_str(
                &wrap(line, width)
                    .replace(['\u{a0}', '\u{202f}'], " ")
                    .replace('\u{2060}', ""),
            ),
        }
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

/// `line` of rendered help in lines no wider than `width`. What clap laid out (the
/// indentation, an option and the spaces after it, all ASCII spaces) stays; the text
/// after it (its spaces no-break ones) is broken and each further line indented to
/// where the text began.
fn wrap(line: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if line.width() <= width {
        return line.to_string();
    }
    // The text begins after the last ASCII space, else after the indentation.
    let begin = match line.rfind(' ') {
        Some(i) => i + 1,
        None => line.len() - line.trim_start_matches(is_space).len(),
    };
    let (lead, text) = line.split_at(begin);
    let indent = " ".repeat(lead.width());
    let lines = break_text(text, width.saturating_sub(lead.width()).max(20));
    let mut out = lead.to_string();
    for (i, part) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&indent);
        }
        out.push_str(part);
    }
    out
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}'
}

/// `text` in lines no wider than `width` (a part that cannot be broken may be wider):
/// broken at a space, which goes, or between two characters one of which is Chinese,
/// but never before closing punctuation, after opening punctuation, after a digit or
/// between a date's unit and its number (11月24日 stays whole), nor inside quotes.
fn break_text(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let w = |c: char| c.width().unwrap_or(0);
    let wide = |c: char| w(c) == 2;
    let closing = |c: char| "，。、；：？！）」』》〉】…％,.;:!?)]}".contains(c);
    let opening = |c: char| "（「『《〈【([{".contains(c);
    let may_break = |a: char, b: char| {
        a != '\u{2060}'
            && b != '\u{2060}'
            && (wide(a) || wide(b))
            && !closing(b)
            && !opening(a)
            && !a.is_ascii_digit()
            && !(b.is_ascii_digit() && "年月日時點號".contains(a))
    };
    let chars: Vec<char> = text.chars().collect();
    // What is quoted in backquotes or double quotes (a command, a key, a time) is
    // typed as it stands: kept on one line.
    let quoted: Vec<bool> = chars
        .iter()
        .scan(false, |inside, &c| {
            // A closing quote belongs to its span, an opening one may begin a line.
            let was = *inside;
            if c == '`' || c == '"' {
                *inside = !*inside;
            }
            Some(was)
        })
        .collect();
    let mut lines = Vec::new();
    let (mut start, mut col, mut i) = (0, 0, 0);
    // Where the current line may end, and where the next one would begin.
    let mut cut: Option<(usize, usize)> = None;
    while i < chars.len() {
        let c = chars[i];
        if i > start && !quoted[i] {
            if is_space(c) {
                cut = Some((i, i + 1));
            } else if may_break(chars[i - 1], c) {
                cut = Some((i, i));
            }
        }
        if col + w(c) > width
            && !is_space(c)
            && let Some((end, next)) = cut.take()
        {
            let line: String = chars[start..end].iter().collect();
            lines.push(line.trim_end_matches(is_space).to_string());
            start = next;
            while start < chars.len() && is_space(chars[start]) {
                start += 1;
            }
            i = i.max(start);
            col = chars[start..i].iter().map(|c| w(*c)).sum();
            continue;
        }
        col += w(c);
        i += 1;
    }
    lines.push(chars[start..].iter().collect());
    lines
}

/// What to print, where, and the exit status, for a parse that stopped with `err`:
/// the same command line parsed again on the translated tree, worded in `lang`.
/// `kefu help COMMAND…` parses there (its `help` is a plain subcommand), and is
/// answered with the long help it names, as clap's own `help` does.
pub fn stopped(err: clap::Error, lang: Lang) -> (String, bool, i32) {
    let mut cmd = localize(crate::cli::command(), lang);
    let parsed = cmd.try_get_matches_from_mut(std::env::args_os());
    cmd.build();
    let usage = usage_of(&mut cmd);
    let matches = match parsed {
        Err(e) => return (message(&e, lang, &usage), e.use_stderr(), e.exit_code()),
        Ok(matches) => matches,
    };
    let names: Vec<String> = match matches.subcommand() {
        Some(("help", sub)) => sub
            .get_many::<String>("command")
            .map(|v| v.cloned().collect())
            .unwrap_or_default(),
        _ => return (message(&err, lang, &usage), err.use_stderr(), err.exit_code()),
    };
    let mut target = &mut cmd;
    for name in &names {
        if target.find_subcommand(name).is_none() {
            let t = |key: &str, args: &[(&str, &str)]| i18n::t(lang, key, args);
            let usage = cmd
                .find_subcommand_mut("help")
                .map(|h| h.render_usage().to_string())
                .unwrap_or_default();
            let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim().to_string();
            let text = format!(
                "{}{}\n{}{}\n",
                t("error_prefix", &[]),
                t("usage-unknown-command", &[("command", name)]),
                t("help-usage", &[]),
                finish(&usage, lang)
            );
            return (text, true, 2);
        }
        target = target.find_subcommand_mut(name).expect("found above");
    }
    (finish(&target.render_long_help().to_string(), lang), false, 0)
}

/// The usage of the deepest command the command line names (`kefu penalty list …`:
/// `penalty list`'s), from the built tree `cmd`.
fn usage_of(cmd: &mut Command) -> String {
    let mut target = cmd;
    for arg in std::env::args().skip(1) {
        if target.find_subcommand(&arg).is_some() {
            target = target.find_subcommand_mut(&arg).expect("found above");
        }
    }
    target.render_usage().to_string()
}

/// What to print for a parse that stopped: help, a version, or a usage error, in
/// `lang`. `cmd` is the translated tree the error came from.
pub fn message(err: &clap::Error, lang: Lang, usage: &str) -> String {
    let t = |key: &str, args: &[(&str, &str)]| i18n::t(lang, key, args);
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return finish(&err.render().to_string(), lang);
        }
        _ => {}
    }
    let get = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(all)) => all.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(all)) => all.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut line = match err.kind() {
        ErrorKind::UnknownArgument => t("usage-unknown-argument", &[("arg", &arg)]),
        ErrorKind::InvalidSubcommand => t(
            "usage-unknown-command",
            &[("command", &get(ContextKind::InvalidSubcommand))],
        ),
        ErrorKind::InvalidValue if value.is_empty() => t("usage-missing-value", &[("arg", &arg)]),
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            match valid.is_empty() {
                true => t("usage-invalid-value", &[("arg", &arg), ("value", &value)]),
                false => t(
                    "usage-invalid-choice",
                    &[("arg", &arg), ("value", &value), ("valid", &valid)],
                ),
            }
        }
        ErrorKind::ValueValidation => {
            // The reason comes from kefu's own parser, already in the language; a
            // number's from Rust's, in English, so it is said here.
            let reason = match err.source() {
                Some(e) if e.is::<std::num::ParseIntError>() => t("usage-not-a-number", &[]),
                Some(e) => e.to_string(),
                None => String::new(),
            };
            t("usage-invalid-value", &[("arg", &arg), ("value", &value)]) + &reason_suffix(&reason, lang)
        }
        ErrorKind::MissingRequiredArgument => t("usage-missing-required", &[("arg", &arg)]),
        ErrorKind::MissingSubcommand => t("usage-missing-command", &[]),
        ErrorKind::ArgumentConflict => t(
            "usage-conflict",
            &[("arg", &arg), ("other", &get(ContextKind::PriorArg))],
        ),
        ErrorKind::NoEquals => t("usage-no-equals", &[("arg", &arg)]),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            t("usage-value-count", &[("arg", &arg)])
        }
        ErrorKind::InvalidUtf8 => t("usage-not-utf8", &[]),
        _ => t("usage-other", &[]),
    };
    let suggestion = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(get)
    .find(|s| !s.is_empty());
    if let Some(s) = suggestion {
        line.push_str(&t("usage-did-you-mean", &[("suggestion", &s)]));
    }
    let mut text = format!("{}{line}\n", t("error_prefix", &[]));
    // clap gives the usage with some errors only; the others get the command's.
    let own = get(ContextKind::Usage);
    let usage = if own.trim().is_empty() { usage } else { &own };
    if let Some(usage) = usage.lines().map(str::trim).find(|l| !l.is_empty()) {
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        text.push_str(&format!("{}{}\n", t("help-usage", &[]), finish(usage, lang)));
    }
    text
}

fn reason_suffix(reason: &str, lang: Lang) -> String {
    match reason.is_empty() {
        true => String::new(),
        false => i18n::t(lang, "usage-because", &[("reason", reason)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_help_text_has_a_chinese_translation() {
        let cmd = crate::cli::command();
        let mut missing = Vec::new();
        for (key, english) in texts(&cmd) {
            if !i18n::has(Lang::ZhHant, &key) {
                missing.push(format!("{key} = {}", english.replace('\n', "\n    ")));
            }
        }
        assert!(
            missing.is_empty(),
            "help texts with no zh-Hant message:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn chinese_breaks_between_characters_but_not_at_punctuation_quotes_or_numbers() {
        assert_eq!(break_text("一二三四五六", 6), ["一二三", "四五六"]);
        // A comma never begins a line: the character before it goes along.
        assert_eq!(break_text("一二，三四", 4), ["一", "二，", "三四"]);
        // Spaces break and go; what is quoted and a date stay whole.
        assert_eq!(
            break_text("請用 `kefu station b` 設定", 12),
            ["請用", "`kefu station b`", "設定"]
        );
        assert_eq!(break_text("例如 11月24日 上午", 10), ["例如", "11月24日", "上午"]);
        assert_eq!(break_text("甲乙11月24日", 8), ["甲乙", "11月24日"]);
    }

    #[test]
    fn a_wrapped_line_keeps_its_hanging_indent() {
        let line = "  --x <值>  一二三四五六七八九十甲乙";
        assert_eq!(wrap(line, 34), "  --x <值>  一二三四五六七八九十甲\n            乙");
        assert_eq!(wrap("short", 34), "short");
    }

    #[test]
    fn keys_follow_the_tree() {
        let path = vec!["penalty".to_string(), "list".to_string()];
        assert_eq!(key(&path, None, false), "help-penalty-list");
        assert_eq!(key(&path, Some("no_commit"), true), "help-penalty-list--no-commit-long");
        assert_eq!(key(&[], Some("root"), false), "help-kefu--root");
    }
}
