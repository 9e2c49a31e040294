//! kefu (客服): a command-line case tracker for customer complaints.

pub mod cache;
pub mod calendar;
pub mod case;
pub mod cli;
pub mod commands;
pub mod config;
pub mod documents;
pub mod documents_view;
pub mod git;
pub mod i18n;
pub mod merge;
pub mod page;
pub mod parse;
pub mod penalty;
pub mod render;
pub mod report;
pub mod report_view;
pub mod rules;
pub mod safe;
pub mod script;
pub mod store;
pub mod table;
pub mod time;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use chrono::Timelike;

use crate::cli::{Cli, Command};
use crate::store::{Lock, Workspace};
use crate::time::Time;

/// What every command gets: the workspace, the clock, the actor, the terminal.
pub struct Ctx {
    pub ws: Workspace,
    pub now: Time,
    pub actor: String,
    pub json: bool,
    pub commit: bool,
    /// Prompts are allowed: stdin and stderr are terminals.
    pub interactive: bool,
    /// How wide tables may be, and whether they are coloured.
    pub term: table::Term,
}

impl Ctx {
    pub fn by(&self) -> rules::By<'_> {
        rules::By {
            actor: &self.actor,
            now: self.now,
        }
    }

    /// A case as history says it stands now (SPEC §10.1): every read shows cases
    /// through this, so what it shows never depends on whether a sweep ran.
    pub fn as_of(&self, case: case::Case, s: case::State) -> Result<(case::Case, case::State)> {
        rules::as_of(case, s, &self.ws.config, self.now)
    }

    /// The station new case ids carry (SPEC §14.1), `""` for none: `KEFU_STATION`, else
    /// this clone's `kefu.station` git setting, else (outside git) `[shop] station`.
    /// Asked only by the commands that make ids, so the others start no git for it.
    pub fn station(&self) -> Result<String> {
        station(&self.ws)
    }

    /// Parse a user-given time in the shop's zone, in any form the clerk writes
    /// (SPEC §12.4); a date without a year is the latest one not after now. The error
    /// names the flag.
    pub fn time(&self, flag: &str, text: &str) -> Result<Time> {
        self.ws
            .config
            .zone
            .parse_at(text, self.now, time::Toward::Past)
            .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
    }

    /// A time to come (a promised call-back): a date without a year is the next one.
    pub fn time_ahead(&self, flag: &str, text: &str) -> Result<Time> {
        self.ws
            .config
            .zone
            .parse_at(text, self.now, time::Toward::Future)
            .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
    }

    /// Record a finished change in the audit trail: one git commit of exactly the files
    /// written, when the workspace is in a git work tree and committing is on. The
    /// caller holds the lock, so no other kefu touches git's index meanwhile.
    ///
    /// A commit that fails (a hook refuses, signing fails, git times out) undoes the
    /// write: changed files get their old bytes back, new ones are removed, and nothing
    /// stays staged (SPEC §9.1). So exit 1 means nothing changed, and a script that
    /// retries never records an event twice.
    pub fn commit(&self, lock: &Lock, written: &[store::Written], subject: &str, body: &str) -> Result<()> {
        if !self.commit || written.is_empty() {
            return Ok(());
        }
        let rel: Vec<PathBuf> = written.iter().map(|w| self.ws.rel(&w.path)).collect();
        let change = git::Change {
            actor: &self.actor,
            at: self.now,
            subject,
            body,
        };
        let repo = match git::Repo::find(&self.ws.root) {
            Ok(Some(repo)) => repo,
            Ok(None) => return Ok(()),
            Err(e) => {
                self.ws.undo(lock, written)?;
                return Err(e.context("nothing was saved"));
            }
        };
        if let Err(e) = repo.commit(&rel, &change) {
            let undone = self.ws.undo(lock, written).and_then(|_| repo.unstage(&rel));
            if let Err(u) = undone {
                return Err(e.context(format!("the commit failed and undoing the write failed too ({u:#})")));
            }
            return Err(e.context("the commit failed, so nothing was saved (--no-commit saves without committing)"));
        }
        Ok(())
    }
}

/// See [`Ctx::station`].
pub fn station(ws: &Workspace) -> Result<String> {
    let checked = |from: &str, s: String| {
        if case::is_station(&s) {
            Ok(s)
        } else {
            anyhow::bail!("{from}: expected a station of 1 to 3 lowercase letters (like \"b\"), got {s:?}")
        }
    };
    if let Some(s) = std::env::var_os("KEFU_STATION").filter(|s| !s.is_empty()) {
        return checked("KEFU_STATION", s.to_string_lossy().into_owned());
    }
    match git::Repo::find(&ws.root).ok().flatten() {
        Some(repo) => match repo.config_get("kefu.station")? {
            Some(s) => checked("git config kefu.station", s),
            None => Ok(String::new()),
        },
        None => Ok(ws.config.station.clone().unwrap_or_default()),
    }
}

/// A command did everything it could but skipped some cases, each already named on
/// stderr (SPEC §17.1): exit status 3, "partly done".
#[derive(Debug, thiserror::Error)]
#[error("{skipped} case file(s) skipped (named above); everything else was done")]
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
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if err.is::<PartlyDone>() => {
            eprintln!("warning: {err}");
            ExitCode::from(3)
        }
        Err(err) if err.is::<Usage>() => {
            eprintln!("error: {}", safe::terminal(&format!("{err:#}").replace('\n', " ")));
            ExitCode::from(2)
        }
        Err(err) => {
            // Messages quote file names, rows and values: escaped like any data.
            eprintln!("error: {}", safe::terminal(&format!("{err:#}").replace('\n', " ")));
            ExitCode::from(1)
        }
    }
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
        Command::Check => return commands::check::run(cli.root.as_deref(), cli.now.as_deref(), cli.json),
        _ => {}
    }
    let mut ws = Workspace::find(cli.root.as_deref())?;
    if let Some(lang) = cli.lang {
        ws.config.lang = lang;
    }
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
                    "--now / KEFU_NOW: {text:?} is relative; the clock must be an absolute time like 2026-11-23T10:15:00+08:00"
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
