use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::domain::config::Config;
use crate::store::{CASES_DIR, CONFIG_FILE, Workspace};

#[derive(Serialize)]
struct Report {
    cases: usize,
    problems: Vec<String>,
    /// Case files whose content the git trail does not hold (also listed in `problems`).
    uncommitted: Vec<String>,
    /// Open cases with deadlines counted under another business-hours calendar than
    /// the config's (SPEC §16, §17.4). Not a problem: stored deadlines stay as set.
    other_calendar: Vec<String>,
    /// Events a merge kept but the rules refuse in the merged order (SPEC §17.13). Not a
    /// problem of the file: a clerk decides what to record next.
    conflicts: Vec<String>,
}

/// Every problem in the config and the case files, each on its own line.
/// `lang` is `--lang`/`KEFU_LANG`; without it the config's language, once read.
pub fn run(root: Option<&Path>, now: Option<&str>, json: bool, lang: Option<crate::output::i18n::Lang>) -> Result<()> {
    let root = Workspace::find_root(root)?;
    let mut problems = Vec::new();
    let config = match Config::load(&root.join(CONFIG_FILE)) {
        Ok(c) => {
            crate::output::i18n::set_lang(lang.unwrap_or(c.lang));
            Some(c)
        }
        Err(e) => {
            problems.push(e.to_string());
            None
        }
    };
    // Case files are checked against their own history, which needs no config; with
    // a config they are also checked against its keys.
    let ws = Workspace {
        root,
        config: config.clone().unwrap_or_else(|| {
            Config::parse(Path::new("(default)"), &crate::domain::config::default_text())
                .expect("the default config is valid")
        }),
    };
    let mut cases = 0;
    let mut unknown = Vec::new();
    let mut other_calendar = Vec::new();
    let mut conflicts = Vec::new();
    let tag = config
        .as_ref()
        .and_then(|c| c.calendar.as_ref().map(|cal| cal.tag(&c.zone)));
    let bad = ws.scan(
        |case, _| {
            let Some(cfg) = config.as_ref() else {
                return Some((Vec::new(), None, Vec::new()));
            };
            let other = (case.status.is_open()
                && case.events.iter().any(|e| e.calendar.is_some() && e.calendar != tag))
            .then(|| case.id.clone());
            let c = &case.classification;
            let checks = [
                ("channel", Some(&case.channel), cfg.channel(&case.channel).is_ok()),
                (
                    "category",
                    c.category.as_ref(),
                    c.category.as_deref().is_none_or(|k| cfg.category(k).is_ok()),
                ),
                (
                    "department",
                    c.department.as_ref(),
                    c.department.as_deref().is_none_or(|k| cfg.department(k).is_ok()),
                ),
            ];
            let zone = cfg.zone;
            let now = match now {
                Some(text) => zone.parse(text).unwrap_or_else(|_| zone.fix(chrono::Utc::now())),
                None => zone.fix(chrono::Utc::now()),
            };
            let file = ws.rel(&ws.path_of(&case.id));
            let file = file.display();
            let audit = crate::domain::rules::audit(&case, cfg, now)
                .into_iter()
                .map(|p| format!("{file}: {p}"));
            let problems: Vec<String> = checks
                .into_iter()
                .filter(|(_, _, ok)| !ok)
                .map(|(what, key, _)| {
                    format!(
                        "{file}: {what} {:?} is not in {CONFIG_FILE}",
                        key.map_or("", |k| k.as_str())
                    )
                })
                .chain(audit)
                .collect();
            // Left by a merge (SPEC §17.13): not a fault of the file, but someone should look.
            let conflicts: Vec<String> = case
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.conflict)
                .map(|(i, e)| {
                    format!(
                        "{file}: event {} ({} by {} at {}) conflicts with the merged history; it is kept and ignored",
                        i + 1,
                        e.kind,
                        e.actor,
                        crate::domain::time::rfc3339(&e.at)
                    )
                })
                .collect();
            Some((problems, other, conflicts))
        },
        |(problems, other, found)| {
            cases += 1;
            unknown.extend(problems);
            other_calendar.extend(other);
            conflicts.extend(found);
            Ok(())
        },
    )?;
    problems.extend(bad.into_iter().map(|(_, m)| m));
    problems.extend(unknown);
    // With auto_commit off the clerk commits by hand, so uncommitted files are expected.
    let uncommitted = if config.as_ref().is_none_or(|c| c.auto_commit) {
        match uncommitted(&ws.root) {
            Ok(found) => found,
            Err(e) => {
                problems.push(format!("cannot check the git trail: {e:#}"));
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    problems.extend(uncommitted.iter().map(|(_, message)| message.clone()));
    other_calendar.sort();
    let report = Report {
        cases,
        problems,
        uncommitted: uncommitted.into_iter().map(|(path, _)| path).collect(),
        other_calendar,
        conflicts,
    };
    if json {
        crate::commands::show::print_json(&report)?;
    } else {
        let mut out = std::io::stdout().lock();
        for p in &report.problems {
            writeln!(out, "{}", crate::output::safe::terminal(&p.to_string()))
                .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))?;
        }
    }
    if !json && !report.other_calendar.is_empty() {
        let n = report.other_calendar.len();
        let mut ids = report
            .other_calendar
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if n > 10 {
            ids.push_str(", …");
        }
        eprintln!(
            "{}",
            crate::output::i18n::tr(
                "check_other_calendar",
                &[("n", &n.to_string()), ("ids", &ids), ("config", CONFIG_FILE)]
            )
        );
    }
    if !json {
        for c in &report.conflicts {
            eprintln!(
                "{}{}",
                crate::output::i18n::tr("note_prefix", &[]),
                crate::output::safe::terminal(c)
            );
        }
    }
    if !report.problems.is_empty() {
        bail!(
            "{}",
            crate::output::i18n::tr(
                "check_problems",
                &[
                    ("n", &report.problems.len().to_string()),
                    ("cases", &report.cases.to_string())
                ]
            )
        );
    }
    eprintln!(
        "{}",
        crate::output::i18n::tr("check_ok", &[("n", &report.cases.to_string())])
    );
    Ok(())
}

/// Case files changed outside kefu's commits (hand edits, a failed commit): each with
/// a one-line message naming it. None outside git.
fn uncommitted(root: &Path) -> Result<Vec<(String, String)>> {
    let Some(repo) = crate::store::git::Repo::find(root)? else {
        return Ok(Vec::new());
    };
    let found = repo.uncommitted(&format!("{CASES_DIR}/"))?;
    Ok(found
        .into_iter()
        .filter(|(path, _)| !path.ends_with("/.gitkeep"))
        .map(|(path, code)| {
            let message = match code.as_str() {
                "??" => format!("{path}: {}", crate::output::i18n::tr("untracked_case", &[])),
                c if c.contains('D') => format!("{path}: {}", crate::output::i18n::tr("deleted_case", &[])),
                _ => format!(
                    "{path}: {}",
                    crate::output::i18n::tr("changed_case", &[("path", &path)])
                ),
            };
            (path, message)
        })
        .collect())
}
