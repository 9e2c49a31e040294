//! The case layout (SPEC §13.1): `cases/YYYY/MM/<id>.toml`, and `kefu upgrade` for
//! workspaces made before month folders.

use std::fs;

use crate::env::{Env, case_file};
use crate::git::{commits, git, head_files};

/// A workspace as kefu kept it before month folders: the same cases, committed flat.
fn flat_workspace() -> (Env, Vec<String>) {
    let env = Env::new();
    let ids = vec![
        env.intake("王先生", &["--received-at", "2026-10-31 23:00"]),
        env.intake("李女士", &[]),
        env.classified("陳先生"),
    ];
    for id in &ids {
        git(&env, &["mv", &case_file(id), "cases/"]);
    }
    env.commit_by_hand(&["-m", "flat"]);
    (env, ids)
}

#[test]
fn new_cases_go_to_the_month_of_receipt() {
    let env = Env::new();
    let october = env.intake("王先生", &["--received-at", "2026-10-31 23:00"]);
    let november = env.intake("李女士", &[]);
    assert_eq!(case_file(&october), format!("cases/2026/10/{october}.toml"));
    assert!(env.path(&case_file(&october)).is_file());
    assert!(env.path(&case_file(&november)).is_file());
    assert_eq!(head_files(&env), [case_file(&november)]);
    let listed = env.run(&["list", "--json"]).ok().json();
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    // A suffix still finds a case in its month folder.
    assert_eq!(env.show(&october[4..])["id"], october.as_str());
}

#[test]
fn a_flat_workspace_is_read_with_a_warning_and_written_only_after_upgrade() {
    let (env, ids) = flat_workspace();
    let listed = env.run(&["list", "--json"]).ok();
    assert_eq!(listed.json().as_array().map(Vec::len), Some(3));
    assert!(listed.stderr.contains("kefu upgrade"), "{}", listed.stderr);
    assert_eq!(env.show(&ids[0])["customer"]["name"], "王先生");

    let before = env.snapshot();
    let refused = env
        .run(&["note", &ids[1], "--text", "客戶再來電"])
        .fails("kefu upgrade");
    assert_eq!(refused.code, 1);
    env.run(&["intake", "--name", "張", "--channel", "phone", "--summary", "壞了"])
        .fails("old flat layout");
    assert!(env.snapshot() == before, "nothing written before the upgrade");

    // Something of the user's own is staged: the upgrade neither commits nor unstages it.
    fs::write(env.path("notes.txt"), "the shop's own notes\n").expect("write");
    git(&env, &["add", "notes.txt"]);
    let count = commits(&env);
    env.run(&["upgrade"]).ok();
    assert_eq!(commits(&env), count + 1, "one commit");
    let moved = git(&env, &["show", "--name-status", "--format=", "-M", "HEAD"]);
    let mut lines: Vec<&str> = moved.lines().filter(|l| !l.is_empty()).collect();
    lines.sort();
    let mut expected: Vec<String> = ids
        .iter()
        .map(|id| format!("R100\tcases/{id}.toml\t{}", case_file(id)))
        .collect();
    expected.sort();
    assert_eq!(lines, expected, "only the moves, contents unchanged");
    assert_eq!(git(&env, &["diff", "--cached", "--name-only"]).trim(), "notes.txt");
    assert!(git(&env, &["status", "--porcelain", "--", "cases/"]).is_empty());

    // Every case's history stays reachable: its intake from before the move, and the move.
    for id in &ids {
        let log = env.run(&["log", id, "--json"]).ok().json();
        let subjects: Vec<&str> = log
            .as_array()
            .expect("entries")
            .iter()
            .filter_map(|e| e["subject"].as_str())
            .collect();
        assert!(
            subjects.iter().any(|s| s.starts_with(&format!("kefu: intake {id}"))),
            "{subjects:?}"
        );
        assert!(
            subjects.iter().any(|s| s.starts_with("kefu: upgrade 3 case file(s)")),
            "{subjects:?}"
        );
    }
    let after = env.run(&["note", &ids[1], "--text", "客戶再來電"]).ok();
    assert!(!after.stderr.contains("flat layout"), "{}", after.stderr);
    assert_eq!(head_files(&env), [case_file(&ids[1])]);
    env.run(&["check"]).ok();
    env.run(&["upgrade"]).ok().stdout.contains("nothing to do");
}

#[test]
fn upgrade_without_git_moves_the_files() {
    let env = Env::empty();
    env.run(&["init", "--no-git"]).ok();
    let id = env.intake("王先生", &[]);
    fs::rename(env.path(&case_file(&id)), env.path(&format!("cases/{id}.toml"))).expect("flatten");
    env.run(&["upgrade"]).ok();
    assert!(env.path(&case_file(&id)).is_file());
    assert!(!env.path(&format!("cases/{id}.toml")).exists());
    env.run(&["note", &id, "--text", "已聯絡"]).ok();
}

#[test]
fn a_case_file_in_the_wrong_month_folder_is_named_by_check() {
    let env = Env::new();
    let id = env.intake("王先生", &[]);
    let wrong = format!("cases/2026/12/{id}.toml");
    fs::create_dir_all(env.path("cases/2026/12")).expect("mkdir");
    fs::rename(env.path(&case_file(&id)), env.path(&wrong)).expect("move");
    let run = env.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(&format!("{wrong}: in the wrong folder")) && run.stdout.contains("cases/2026/11"),
        "{}",
        run.stdout
    );
}
