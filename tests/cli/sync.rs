//! Several clerks over a git remote (SPEC §14): stations, `merge-file`, `sync`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::env::{Env, Run, case_file, class, git_in, intake_args, run_output};

/// A bare remote and clones of one workspace, each with its own station.
struct Shops {
    dir: tempfile::TempDir,
}

impl Shops {
    fn new() -> Shops {
        let shops = Shops {
            dir: tempfile::Builder::new()
                .prefix("kefu-sync")
                .tempdir()
                .expect("temp dir"),
        };
        let git = |args: &[&str]| git_in(shops.dir.path(), shops.dir.path(), args);
        git(&["init", "-q", "--bare", "remote.git"]);
        shops
            .run("a", "2026-11-23T08:00:00+08:00", &["init", "a", "--station", "a"])
            .ok();
        git(&["-C", "a", "remote", "add", "origin", "../remote.git"]);
        shops.run("a", "2026-11-23T08:00:00+08:00", &["sync"]).ok();
        for s in ["b", "c"] {
            git(&["clone", "-q", "remote.git", s]);
            shops.run(s, "2026-11-23T08:00:00+08:00", &["station", s]).ok();
        }
        shops
    }

    fn path(&self, clone: &str) -> PathBuf {
        self.dir.path().join(clone)
    }

    /// kefu in clone `clone` (or, for `init`, in the shops' folder) at `now`.
    fn run(&self, clone: &str, now: &str, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kefu"));
        let dir = if args.first() == Some(&"init") {
            self.dir.path().to_path_buf()
        } else {
            self.path(clone)
        };
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("KEFU_NOW", now)
            .env("KEFU_ACTOR", format!("clerk-{clone}"))
            .env("TZ", "UTC")
            .env("LANG", "C.UTF-8")
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .current_dir(dir)
            .stdin(Stdio::null())
            .args(args);
        run_output(&mut cmd, args)
    }

    /// Every file under the clone's `cases/`, with its bytes.
    fn cases(&self, clone: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, base, out);
                } else {
                    out.insert(
                        path.strip_prefix(base).unwrap().to_path_buf(),
                        std::fs::read(&path).unwrap(),
                    );
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.path(clone).join("cases"), &self.path(clone), &mut out);
        out
    }

    /// The people's events of a case in a clone (0 when the clone lacks it).
    fn people(&self, clone: &str, id: &str) -> usize {
        let Ok(text) = std::fs::read_to_string(self.path(clone).join(case_file(id))) else {
            return 0;
        };
        let case: kefu::domain::case::Case = toml::from_str(&text).expect("a case file");
        case.events.iter().filter(|e| !e.kind.is_derived()).count()
    }
}

/// A small deterministic generator: the same week every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn three_clones_doing_a_week_of_work_on_shared_cases_end_identical() {
    let shops = Shops::new();
    let clones = ["a", "b", "c"];
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    // Monday 09:00 to Friday 18:00, in steps of 20 to 100 minutes.
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00+08:00").unwrap();
    let mut minutes = 0i64;
    let mut known: Vec<String> = Vec::new();
    let mut recorded = 0usize;
    let mut syncs = 0;
    let mut conflicts_possible = 0;
    while minutes < 4 * 24 * 60 + 9 * 60 {
        minutes += 20 + dice.next(80) as i64;
        let now = (start + chrono::Duration::minutes(minutes)).to_rfc3339();
        let clone = clones[dice.next(3)];
        // The cases this clone has seen.
        let mine: Vec<String> = known.iter().filter(|id| shops.people(clone, id) > 0).cloned().collect();
        let pick = if mine.is_empty() {
            None
        } else {
            Some(mine[dice.next(mine.len())].clone())
        };
        let action = if pick.is_none() { 0 } else { dice.next(10) };
        let (id, args): (Option<String>, Vec<String>) = match (action, pick) {
            (0, _) | (_, None) => (None, Vec::new()),
            (1, Some(id)) => (
                Some(id.clone()),
                vec!["handoff".into(), id, "--to".into(), "service".into()],
            ),
            (2, Some(id)) => (Some(id.clone()), vec!["ack".into(), id]),
            (3, Some(id)) => (
                Some(id.clone()),
                vec![
                    "reply".into(),
                    id,
                    "--from".into(),
                    "service".into(),
                    "--text".into(),
                    "on it".into(),
                ],
            ),
            (4, Some(id)) => (
                Some(id.clone()),
                vec!["reply".into(), id, "--text".into(), "called".into()],
            ),
            (5, Some(id)) => (
                Some(id.clone()),
                vec!["note".into(), id, "--text".into(), format!("note {minutes}")],
            ),
            (6, Some(id)) => (
                Some(id.clone()),
                [
                    "close",
                    &id,
                    "--resolution",
                    "fixed",
                    "--remedy",
                    "repair",
                    "--satisfaction",
                    "satisfied",
                ]
                .map(String::from)
                .to_vec(),
            ),
            (7, Some(id)) => (
                Some(id.clone()),
                ["close", &id, "--request", "--resolution", "fixed", "--remedy", "repair"]
                    .map(String::from)
                    .to_vec(),
            ),
            (8, Some(id)) => (
                Some(id.clone()),
                vec!["reopen".into(), id, "--reason".into(), "back again".into()],
            ),
            (_, Some(id)) => (
                Some(id.clone()),
                vec!["close".into(), id, "--satisfaction".into(), "accepted".into()],
            ),
        };
        match id {
            None => {
                let level = ["general", "moderate", "severe"][dice.next(3)];
                let run = shops
                    .run(clone, &now, &intake_args("王先生", &class("quality", level, "service")))
                    .ok();
                let id = run.id();
                recorded += shops.people(clone, &id);
                known.push(id);
            }
            Some(id) => {
                let before = shops.people(clone, &id);
                let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                let run = shops.run(clone, &now, &argv);
                assert!(run.code == 0 || run.code == 1, "{run:?}");
                recorded += shops.people(clone, &id) - before;
                conflicts_possible += usize::from(run.code == 0);
            }
        }
        if dice.next(3) == 0 {
            let who = clones[dice.next(3)];
            shops.run(who, &now, &["sync"]).ok();
            syncs += 1;
        }
    }
    // Everyone syncs until everyone has everything.
    let end = "2026-11-30T09:00:00+08:00";
    for clone in ["a", "b", "c", "a", "b"] {
        shops.run(clone, end, &["sync"]).ok();
    }
    assert!(syncs > 10 && known.len() > 5 && conflicts_possible > 10, "a real week");

    let cases = shops.cases("a");
    for clone in ["b", "c"] {
        assert!(shops.cases(clone) == cases, "clone {clone} differs from clone a");
    }
    for (path, bytes) in &cases {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("<<<<<<<") && !text.contains(">>>>>>>"),
            "{} holds conflict markers",
            path.display()
        );
    }
    // Clerks of different clones worked on the same cases.
    let shared = known
        .iter()
        .filter(|id| {
            let text = std::fs::read_to_string(shops.path("a").join(case_file(id))).unwrap();
            let case: kefu::domain::case::Case = toml::from_str(&text).unwrap();
            let mut actors: Vec<&str> = case
                .events
                .iter()
                .map(|e| e.actor.as_str())
                .filter(|a| !a.is_empty())
                .collect();
            actors.sort();
            actors.dedup();
            actors.len() > 1
        })
        .count();
    assert!(shared > 3, "only {shared} cases were worked on in two clones");
    let held: usize = known.iter().map(|id| shops.people("a", id)).sum();
    assert_eq!(held, recorded, "every event recorded in any clone is there once");
    let fridays: Vec<Value> = clones
        .iter()
        .map(|clone| {
            shops.run(clone, end, &["check"]).ok();
            let run = shops
                .run(clone, end, &["--json", "friday", "--week", "2026-W48", "--no-sweep"])
                .ok();
            run.json()
        })
        .collect();
    assert_eq!(fridays[0], fridays[1]);
    assert_eq!(fridays[0], fridays[2]);
    let by_station = &fridays[0]["by_station"];
    let intake: u64 = ["a", "b", "c"]
        .iter()
        .map(|s| by_station[s]["intake"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(intake, known.len() as u64, "{by_station}");
}

#[test]
fn station_ids_are_numbered_per_day_and_station_and_matched_by_suffix() {
    let env = Env::new();
    let plain = env.intake("王先生", &[]);
    assert_eq!(plain, "20261123-001");
    env.run(&["station", "b"]).ok();
    assert_eq!(env.run(&["station"]).ok().stdout, "b\n");
    let b1 = env.intake("李小姐", &[]);
    let b2 = env.intake("張先生", &[]);
    assert_eq!((b1.as_str(), b2.as_str()), ("20261123-b001", "20261123-b002"));
    let mut cmd = env.command();
    cmd.env("KEFU_STATION", "xy");
    let xy = env
        .run_cmd(
            cmd.args(["intake", "--name", "趙", "--channel", "phone", "--summary", "s"]),
            &[],
        )
        .ok();
    assert_eq!(xy.id(), "20261123-xy001");
    // Suffixes match the id's text; ids list by date, station, number.
    assert_eq!(env.show("b002")["id"], "20261123-b002");
    assert_eq!(env.show("1123-b001")["id"], "20261123-b001");
    env.run(&["show", "001"]).fails("ambiguous");
    assert_eq!(
        env.list_ids(&[]),
        ["20261123-001", "20261123-b001", "20261123-b002", "20261123-xy001"]
    );
    let only_b = env.run(&["--json", "list", "--station", "b"]).ok().json();
    assert_eq!(only_b.as_array().unwrap().len(), 2);
    let none = env.run(&["--json", "list", "--station", ""]).ok().json();
    assert_eq!(none[0]["id"], "20261123-001");
    env.run(&["list", "--station", "B1"]).fails("--station");
    env.run(&["station", "abcd"]).fails("1 to 3 lowercase letters");
    // The station stays with the clone: the shared history does not carry it.
    let config = std::fs::read_to_string(env.path("config/kefu.toml")).unwrap();
    assert!(!config.lines().any(|l| l.starts_with("station")), "{config}");
}

#[test]
fn friday_counts_by_station_and_filters_by_it() {
    let mut env = Env::new();
    env.intake("王先生", &[]);
    env.run(&["station", "b"]).ok();
    env.intake("李小姐", &[]);
    env.intake("張先生", &[]);
    env.set_now("2026-11-30T10:00:00+08:00");
    let report = env.run(&["--json", "friday", "--no-sweep"]).ok().json();
    assert_eq!(report["intake"]["total"], 3);
    assert_eq!(report["by_station"][""]["intake"], 1);
    assert_eq!(report["by_station"]["b"]["intake"], 2);
    let only_b = env
        .run(&["--json", "friday", "--no-sweep", "--station", "b"])
        .ok()
        .json();
    assert_eq!(only_b["intake"]["total"], 2);
}

#[test]
fn a_workspace_outside_git_takes_its_station_from_the_config() {
    let env = Env::empty();
    env.run(&["init", "--no-git", "--station", "q"]).ok();
    assert_eq!(env.intake("王先生", &[]), "20261123-q001");
    env.run(&["station", "r"]).fails("[shop] station");
}

#[test]
fn init_installs_the_merge_driver_and_its_attributes() {
    let env = Env::new();
    let attributes = std::fs::read_to_string(env.path(".gitattributes")).unwrap();
    assert!(
        attributes.lines().any(|l| l == "cases/** merge=kefu eol=lf"),
        "{attributes}"
    );
    let driver = env.git(&["config", "--local", "merge.kefu.driver"]);
    assert!(driver.ends_with(" merge-file %O %A %B %P\n"), "{driver}");
}

/// Two copies of one case, each with its own change, through the driver directly.
#[test]
fn merge_file_joins_two_event_logs_and_marks_a_refused_event_as_a_conflict() {
    let env = Env::new();
    let id = env.classified("王先生");
    let base = env.case_text(&id);
    env.run(&["handoff", &id, "--to", "service"]).ok();
    env.close(&id, "satisfied", None).ok();
    let ours = env.case_text(&id);
    std::fs::write(env.path(&case_file(&id)), &base).unwrap();
    env.run(&["--no-commit", "reject", &id, "--reason", "other shop"]).ok();
    let theirs = env.case_text(&id);
    let write = |name: &str, text: &str| {
        std::fs::write(env.path(name), text).unwrap();
        name.to_string()
    };
    let (b, o, t) = (
        write("base.toml", &base),
        write("ours.toml", &ours),
        write("theirs.toml", &theirs),
    );
    env.run(&["merge-file", &b, &o, &t, &case_file(&id)]).ok();
    let merged = std::fs::read_to_string(env.path(&o)).unwrap();
    // Both ways round, the same bytes.
    let (o2, t2) = (write("ours2.toml", &theirs), write("theirs2.toml", &ours));
    env.run(&["merge-file", &b, &o2, &t2, &case_file(&id)]).ok();
    assert_eq!(std::fs::read_to_string(env.path(&o2)).unwrap(), merged);
    let case: kefu::domain::case::Case = toml::from_str(&merged).unwrap();
    let kinds: Vec<(&str, bool)> = case.events.iter().map(|e| (e.kind.key(), e.conflict)).collect();
    // The close and the rejection were recorded at the same instant: the close comes
    // first in the lifecycle, so the rejection is the one refused.
    assert_eq!(
        kinds,
        [
            ("intake", false),
            ("classify", false),
            ("handoff", false),
            ("close", false),
            ("reject", true)
        ]
    );
    assert_eq!(case.status, kefu::domain::case::Status::Closed);
    std::fs::write(env.path(&case_file(&id)), &merged).unwrap();
    let check = env.run(&["--no-commit", "check"]);
    assert!(check.stderr.contains("event 5 (reject"), "{check:?}");
    assert!(env.run(&["show", &id]).ok().stdout.contains("conflict"));
}

#[test]
fn merge_file_refuses_two_different_cases_under_one_id() {
    let env = Env::new();
    let id = env.intake("王先生", &["--no-commit"]);
    let ours = env.case_text(&id);
    std::fs::remove_file(env.path(&case_file(&id))).unwrap();
    std::fs::remove_dir_all(env.path(".kefu")).ok();
    env.run(&[
        "--no-commit",
        "intake",
        "--name",
        "李小姐",
        "--channel",
        "phone",
        "--summary",
        "s",
    ])
    .ok();
    let theirs = env.case_text(&id);
    std::fs::write(env.path("o.toml"), &ours).unwrap();
    std::fs::write(env.path("t.toml"), &theirs).unwrap();
    std::fs::write(env.path("b.toml"), "").unwrap();
    env.run(&["merge-file", "b.toml", "o.toml", "t.toml", &case_file(&id)])
        .fails("two different intake events");
    assert_eq!(
        std::fs::read_to_string(env.path("o.toml")).unwrap(),
        ours,
        "OURS untouched"
    );
}

#[test]
fn sync_needs_a_station_and_a_reachable_remote_and_loses_nothing_offline() {
    let env = Env::new();
    env.run(&["sync"]).fails("needs a station");
    env.run(&["station", "a"]).ok();
    env.git(&["remote", "add", "origin", "/nonexistent/remote.git"]);
    let id = env.intake("王先生", &[]);
    let before = env.snapshot();
    env.run(&["sync"]).fails("cannot reach origin");
    assert_eq!(env.snapshot(), before, "nothing changed");
    assert_eq!(env.show(&id)["id"], id);
}

#[test]
fn a_refused_push_is_tried_again_after_a_new_fetch() {
    let shops = Shops::new();
    let now = "2026-11-23T10:00:00+08:00";
    // The remote moves while clone a pushes: clone b's push gets in first, once.
    let hook = shops.dir.path().join("remote.git/hooks/pre-receive");
    let b_id = shops.run("b", now, &intake_args("李小姐", &[])).ok().id();
    let script = format!(
        "#!/bin/sh\ncat >/dev/null\nif [ ! -e {dir}/moved ]; then touch {dir}/moved; exit 1; fi\nexit 0\n",
        dir = shops.dir.path().display()
    );
    std::fs::write(&hook, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let a_id = shops.run("a", now, &intake_args("王先生", &[])).ok().id();
    let run = shops.run("a", now, &["sync"]).ok();
    assert!(run.stderr.contains("moved meanwhile; fetching again"), "{run:?}");
    assert!(run.stdout.contains("out: 1 commit(s)"), "{run:?}");
    std::fs::remove_file(&hook).unwrap();
    shops.run("b", now, &["sync"]).ok();
    shops.run("a", now, &["sync"]).ok();
    assert_eq!(shops.cases("a"), shops.cases("b"));
    assert!(shops.people("a", &b_id) == 1 && shops.people("b", &a_id) == 1);
}

#[test]
fn sync_refuses_a_remote_that_brings_back_the_flat_layout() {
    let shops = Shops::new();
    let now = "2026-11-23T10:00:00+08:00";
    // Clone b holds a case file in the flat layout of older workspaces and pushes it.
    let b = shops.path("b");
    let id = shops.run("b", now, &intake_args("李小姐", &[])).ok().id();
    let git = |args: &[&str]| git_in(&b, shops.dir.path(), args);
    git(&["mv", &case_file(&id), &format!("cases/{id}.toml")]);
    git(&["commit", "-q", "-m", "flat"]);
    git(&["push", "-q", "origin", "HEAD"]);
    let before = shops.cases("a");
    shops.run("a", now, &["sync"]).fails("old flat layout");
    assert_eq!(shops.cases("a"), before, "nothing changed");
}
