//! kefu (客服): a command-line case tracker for customer complaints.

pub mod cli;
pub mod commands;
pub mod ctx;
pub mod domain;
pub mod output;
pub mod prompt;
pub mod store;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use chrono::Timelike;

use crate::cli::{Cli, Command};
pub use crate::ctx::Ctx;
use crate::domain::time;
use crate::output::{i18n, safe, table};
use crate::store::{Workspace, git};

/// A command did everything it could but skipped some cases, each already named on
/// stderr (SPEC §17.1): exit status 3, "partly done".
#[derive(Debug, thiserror::Error)]
#[error("{}", i18n::tr("partly_done", &[("skipped", &skipped.to_string())]))]
pub struct PartlyDone {
    pub skipped: usize,
}

/// A value outside a set kefu itself fixes (a level, a status, …), found after the
/// command line was parsed: a usage error, exit 2, like clap's own (SPEC §17.1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// Parse the command line, run, print errors; the process exit code.
///
/// On Windows nothing sets the console's code page: Rust's stdout and stderr hand text
/// to a console as UTF-16 (WriteConsoleW), which shows under any code page, and write
/// UTF-8 bytes to files and pipes. The code page belongs to the console window, and a
/// change would outlast kefu in the user's shell.
pub fn main() -> ExitCode {
    let cli = match cli::command()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return stopped(e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // Ctrl-C at a prompt: like a shell's interrupted command, status 130, and
        // nothing was written (prompts come before any write).
        Err(err) if err.is::<prompt::Interrupted>() => {
            let lang = err
                .downcast_ref::<prompt::Interrupted>()
                .map(|i| i.0)
                .unwrap_or_default();
            eprintln!("{}", i18n::t(lang, "p_interrupted", &[]));
            ExitCode::from(130)
        }
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if err.is::<PartlyDone>() => {
            eprintln!("{}{err}", i18n::tr("warning_prefix", &[]));
            ExitCode::from(3)
        }
        Err(err) if err.is::<Usage>() => {
            eprintln!(
                "{}{}",
                i18n::tr("error_prefix", &[]),
                safe::terminal(&format!("{err:#}").replace('\n', " "))
            );
            ExitCode::from(2)
        }
        Err(err) => {
            // Messages quote file names, rows and values: escaped like any data.
            eprintln!(
                "{}{}",
                i18n::tr("error_prefix", &[]),
                safe::terminal(&format!("{err:#}").replace('\n', " "))
            );
            ExitCode::from(1)
        }
    }
}

/// The command line asked for help or a version, or is wrong: clap's text in English,
/// else the same parse again on the translated tree, worded in the clerk's language.
fn stopped(err: clap::Error) -> ExitCode {
    let lang = language_before_parsing();
    if lang == i18n::Lang::En {
        err.exit();
    }
    // kefu's own value parsers (a status, a remedy, …) word their refusals in it too
    // when the command line is parsed again below.
    i18n::set_lang(lang);
    let (text, to_stderr, code) = output::help::stopped(err, lang);
    let out = match to_stderr {
        true => writeln!(std::io::stderr(), "{}", text.trim_end()),
        false => writeln!(std::io::stdout(), "{}", text.trim_end()),
    };
    match out {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => ExitCode::from(1),
        _ => ExitCode::from(u8::try_from(code).unwrap_or(2)),
    }
}

/// The language for help and usage errors, found before the command line is parsed, in
/// SPEC §12.1's order: `--lang`, `KEFU_LANG`, the workspace's `[ui] language` (the
/// one `--root` / `KEFU_ROOT` names, or the nearest above); outside a workspace, the
/// locale's.
fn language_before_parsing() -> i18n::Lang {
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let flag = |name: &str| {
        let eq = format!("{name}=");
        args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix(&eq) {
            Some(v) => Some(v.to_string()),
            None if a == name => args.get(i + 1).cloned(),
            None => None,
        })
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(lang) = flag("--lang")
        .or_else(|| env("KEFU_LANG"))
        .and_then(|l| i18n::Lang::parse(&l))
    {
        return lang;
    }
    let root = flag("--root")
        .or_else(|| env("KEFU_ROOT"))
        .map(std::path::PathBuf::from);
    Workspace::find_root(root.as_deref())
        .ok()
        .and_then(|root| domain::config::Config::language_of(&root.join(store::CONFIG_FILE)))
        .unwrap_or_else(i18n::Lang::of_environment)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let io = e.downcast_ref::<std::io::Error>().map(|e| e.kind());
        // serde_json wraps the writer's error in its own.
        let json = e.downcast_ref::<serde_json::Error>().and_then(|e| e.io_error_kind());
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<std::io::Error>().is_some_and(is_closed_pipe)
    })
}

/// Windows reports a reader that went away as "the pipe is being closed" (232, which
/// Rust calls BrokenPipe) or, from some pipes, "no process is on the other end" (233,
/// which it does not): both mean the same as EPIPE.
#[cfg(windows)]
fn is_closed_pipe(e: &std::io::Error) -> bool {
    const ERROR_PIPE_NOT_CONNECTED: i32 = 233;
    e.raw_os_error() == Some(ERROR_PIPE_NOT_CONNECTED)
}

#[cfg(not(windows))]
fn is_closed_pipe(_: &std::io::Error) -> bool {
    false
}

pub fn run(cli: Cli) -> Result<()> {
    // Errors made before the config is read (a missing workspace) speak --lang /
    // KEFU_LANG, else the locale's language; the shop's own as soon as its config names
    // it, even when the rest of the config is broken.
    match cli.lang {
        Some(lang) => i18n::pin_lang(lang),
        None => i18n::set_lang(i18n::lang()),
    }
    match &cli.command {
        Command::Init(args) => {
            return commands::init::run(args.dir.as_deref().or(cli.root.as_deref()), args, &cli);
        }
        // These need no workspace (SPEC §17.12).
        Command::Completions(args) => return commands::docs::completions(args.shell),
        Command::Man(args) => return commands::docs::man(&args.dir),
        // git runs the merge driver in the middle of a merge: it needs no workspace.
        Command::MergeFile(args) => return commands::merge_file::run(args),
        // check must report a broken config, so it reads it itself.
        Command::Check => return commands::check::run(cli.root.as_deref(), cli.now.as_deref(), cli.json, cli.lang),
        _ => {}
    }
    let mut ws = Workspace::find(cli.root.as_deref())?;
    if let Some(lang) = cli.lang {
        ws.config.lang = lang;
    }
    i18n::set_lang(ws.config.lang);
    git::set_timeout(ws.config.git_timeout);
    let zone = ws.config.zone;
    let now = match &cli.now {
        Some(text) => zone.parse(text).map_err(|e| {
            // The clock cannot be read relative to itself (SPEC §17.15).
            let relative = zone
                .parse_at(text, zone.fix(chrono::Utc::now()), time::Toward::Past)
                .is_ok();
            match relative {
                true => anyhow::anyhow!(
                    "--now / KEFU_NOW: {}",
                    i18n::tr("now_relative", &[("got", &format!("{text:?}"))])
                ),
                false => anyhow::anyhow!("--now / KEFU_NOW: {e}"),
            }
        })?,
        // Case files keep whole seconds; a time with a fraction would not read back.
        None => zone.fix(chrono::Utc::now().with_nanosecond(0).unwrap_or_default()),
    };
    let actor = cli.actor.clone().unwrap_or_else(|| ws.config.clerk.clone());
    safe::required("--actor", &actor)?;
    safe::one_line("--actor", &actor)?;
    let ctx = Ctx {
        actor,
        commit: !cli.no_commit && ws.config.auto_commit,
        ws,
        now,
        json: cli.json,
        interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
        term: table::Term::detect(cli.wide, cli.color),
    };
    use commands::*;
    match cli.command {
        Command::Init(_) | Command::Check | Command::Completions(_) | Command::Man(_) | Command::MergeFile(_) => Ok(()),
        Command::Intake(args) => intake::run(&ctx, args),
        Command::Classify(args) => classify::run(&ctx, args),
        Command::Handoff(args) => handoff::run(&ctx, args),
        Command::Ack(args) => ack::run(&ctx, args),
        Command::Reply(args) => reply::run(&ctx, args),
        Command::Close(args) => close::run(&ctx, args),
        Command::Defer(args) => defer::run(&ctx, args),
        Command::Reject(args) => reject::run(&ctx, args),
        Command::Reopen(args) => reopen::run(&ctx, args),
        Command::Note(args) => note::run(&ctx, args),
        Command::Edit(args) => edit::run(&ctx, args),
        Command::List(args) => list::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Due(args) => due::run(&ctx, args),
        Command::Sweep => sweep::run(&ctx),
        Command::Friday(args) => friday::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::Log(args) => log::run(&ctx, args),
        Command::Upgrade => upgrade::run(&ctx),
        Command::Calendar(args) => calendar::run(&ctx, args),
        Command::Penalty(args) => penalty::run(&ctx, args),
        Command::Circular(args) => circular::run(&ctx, args),
        Command::Notice(args) => notice::run(&ctx, args),
        Command::Receivers(args) => receivers::run(&ctx, args),
        Command::Letter(args) => letter::run(&ctx, args),
        Command::Phrases => phrases::run(&ctx),
        Command::Station(args) => station::run(&ctx, args),
        Command::Sync(args) => sync::run(&ctx, args),
    }
}
