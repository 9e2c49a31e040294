//! The context every command runs in: the workspace, the clock, the actor, the
//! terminal, and the one way a command commits what it wrote.

use std::borrow::Cow;
use std::path::PathBuf;

use anyhow::Result;

use crate::domain::time::Time;
use crate::store::{self, Lock, Workspace};
use crate::{domain::case, domain::rules, domain::time, output::table, store::git};

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
        self.commit_paths(lock, &rel, || Cow::Borrowed(written), subject, body)
    }

    /// [`Ctx::commit`] of new cases, by id: what undoes them is made only if the commit
    /// fails, so a batch of 200,000 holds each path once.
    pub fn commit_created(&self, lock: &Lock, made: &store::Made, subject: &str, body: &str) -> Result<()> {
        if !self.commit || made.is_empty() {
            return Ok(());
        }
        let rel: Vec<PathBuf> = made.ids()?.map(|id| store::case_rel(&id)).collect();
        // Undone, if the commit fails, by removing each new file.
        let created = || {
            let written = rel.iter().map(|r| store::Written {
                path: self.ws.root.join(r),
                before: None,
            });
            Cow::Owned(written.collect())
        };
        self.commit_paths(lock, &rel, created, subject, body)
    }

    fn commit_paths<'a>(
        &self,
        lock: &Lock,
        rel: &[PathBuf],
        written: impl Fn() -> Cow<'a, [store::Written]>,
        subject: &str,
        body: &str,
    ) -> Result<()> {
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
                self.ws.undo(lock, &written())?;
                return Err(e.context(crate::output::i18n::tr("nothing_saved", &[])));
            }
        };
        if let Err(e) = repo.commit(rel, &change) {
            let undone = self.ws.undo(lock, &written()).and_then(|_| repo.unstage(rel));
            if let Err(u) = undone {
                return Err(e.context(crate::output::i18n::tr("undo_failed", &[("why", &format!("{u:#}"))])));
            }
            return Err(e.context(crate::output::i18n::tr("commit_failed", &[])));
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
            anyhow::bail!(
                "{}",
                crate::output::i18n::tr("bad_station", &[("flag", from), ("got", &format!("{s:?}"))])
            )
        }
    };
    if let Some(s) = std::env::var_os("KEFU_STATION").filter(|s| !s.is_empty()) {
        return checked("KEFU_STATION", s.to_string_lossy().into_owned());
    }
    match git::Repo::find(&ws.root).ok().flatten() {
        Some(repo) => match repo.station() {
            Some(s) => checked("git config kefu.station", s),
            None => Ok(String::new()),
        },
        None => Ok(ws.config.station.clone().unwrap_or_default()),
    }
}
