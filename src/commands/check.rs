use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::config::Config;
use crate::store::{CONFIG_FILE, Workspace};

#[derive(Serialize)]
struct Report {
    cases: usize,
    problems: Vec<String>,
}

/// Every problem in the config and the case files, each on its own line.
pub fn run(root: Option<&Path>, json: bool) -> Result<()> {
    let root = Workspace::find_root(root)?;
    let mut problems = Vec::new();
    let config = match Config::load(&root.join(CONFIG_FILE)) {
        Ok(c) => Some(c),
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
            Config::parse(Path::new("(default)"), &crate::config::default_text()).expect("the default config is valid")
        }),
    };
    let mut cases = 0;
    let mut unknown = Vec::new();
    let bad = ws.scan(
        |case, _| {
            let Some(cfg) = config.as_ref() else {
                return Some(Vec::new());
            };
            let c = &case.classification;
            let checks = [
                ("channel", Some(&case.channel), cfg.channel(&case.channel).is_ok()),
                ("category", c.category.as_ref(), c.category.as_deref().is_none_or(|k| cfg.category(k).is_ok())),
                ("department", c.department.as_ref(), c.department.as_deref().is_none_or(|k| cfg.department(k).is_ok())),
            ];
            let problems: Vec<String> = checks
                .into_iter()
                .filter(|(_, _, ok)| !ok)
                .map(|(what, key, _)| format!("cases/{}.toml: {what} {:?} is not in {CONFIG_FILE}", case.id, key.map_or("", |k| k.as_str())))
                .collect();
            Some(problems)
        },
        |problems| {
            cases += 1;
            unknown.extend(problems);
            Ok(())
        },
    )?;
    problems.extend(bad.into_iter().map(|(_, m)| m));
    problems.extend(unknown);
    let report = Report { cases, problems };
    if json {
        crate::commands::show::print_json(&report)?;
    } else {
        let mut out = std::io::stdout().lock();
        for p in &report.problems {
            writeln!(out, "{p}").context("writing to stdout")?;
        }
    }
    if !report.problems.is_empty() {
        bail!(
            "{} problem(s) found in {} readable case(s) and the config",
            report.problems.len(),
            report.cases
        );
    }
    eprintln!("ok: the config and {} case file(s) are valid", report.cases);
    Ok(())
}
