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
    key.push_str(&if path.is_empty() { "kefu".to_string() } else { path.join("-") });
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
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t("help-flag-version"))
                .help_heading(t("help-heading-options")),
        )
        .disable_help_subcommand(true)
        .subcommand(
            Command::new("help")
                .about(t("help-help"))
                .arg(Arg::new("command").num_args(0..).value_name(t("help-value-command"))),
        );
    localize_command(cmd, &mut Vec::new(), lang)
}

fn localize_command(mut cmd: Command, path: &mut Vec<String>, lang: Lang) -> Command {
    let t = |key: &str| i18n::t(lang, key, &[]);
    if cmd.get_about().is_some() {
        cmd = cmd.about(t(&key(path, None, false)));
    }
    if cmd.get_long_about().is_some() {
        cmd = cmd.long_about(t(&key(path, None, true)));
    }
    if cmd.get_after_long_help().is_some() {
        cmd = cmd.after_long_help(t(&after_key(path)));
    }
    let usage = t("help-usage");
    cmd = cmd
        .help_template(format!("{{about-with-newline}}\n{usage}{{usage}}\n\n{{all-args}}{{after-help}}"))
        .subcommand_help_heading(t("help-heading-commands"))
        .subcommand_value_name(t("help-value-command"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t("help-flag-help"))
                .help_heading(t("help-heading-options")),
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
    if !values.is_empty() && !arg.is_hide_possible_values_set() {
        notes.push(i18n::t(lang, "help-note-values", &[("values", &values.join(", "))]));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() && arg.get_action().takes_values() {
        notes.push(i18n::t(lang, "help-note-default", &[("value", &defaults.join(" "))]));
    }
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        notes.push(i18n::t(lang, "help-note-env", &[("name", &env.to_string_lossy())]));
    }
    let noted = |text: String| match notes.is_empty() {
        true => text,
        false => format!("{text} {}", notes.join(" ")),
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
    let heading = match arg.get_help_heading() {
        Some(_) => t("help-heading-global"),
        None if arg.is_positional() => t("help-heading-arguments"),
        None => t("help-heading-options"),
    };
    arg.help_heading(heading)
        .hide_possible_values(true)
        .hide_default_value(true)
        .hide_env(true)
}

/// A text clap rendered from a translated tree, with the words it writes itself
/// (`[OPTIONS]`) in `lang`.
fn finish(text: &str, lang: Lang) -> String {
    text.replace("[OPTIONS]", &i18n::t(lang, "help-value-options", &[]))
}

/// What to print for a parse that stopped: help, a version, or a usage error, in
/// `lang`. `cmd` is the translated tree the error came from.
pub fn message(err: &clap::Error, lang: Lang) -> String {
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
        ErrorKind::InvalidSubcommand => t("usage-unknown-command", &[("command", &get(ContextKind::InvalidSubcommand))]),
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
            // The reason comes from kefu's own parser, already in the language.
            let reason = err.source().map(|s| s.to_string()).unwrap_or_default();
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
    let suggestion = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand, ContextKind::SuggestedValue]
        .into_iter()
        .map(get)
        .find(|s| !s.is_empty());
    if let Some(s) = suggestion {
        line.push_str(&t("usage-did-you-mean", &[("suggestion", &s)]));
    }
    let mut text = format!("{}{line}\n", t("error_prefix", &[]));
    let usage = get(ContextKind::Usage);
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
        assert!(missing.is_empty(), "help texts with no zh-Hant message:\n{}", missing.join("\n"));
    }

    #[test]
    fn keys_follow_the_tree() {
        let path = vec!["penalty".to_string(), "list".to_string()];
        assert_eq!(key(&path, None, false), "help-penalty-list");
        assert_eq!(key(&path, Some("no_commit"), true), "help-penalty-list--no-commit-long");
        assert_eq!(key(&[], Some("root"), false), "help-kefu--root");
    }
}
