//! The benchmark tools (`kefu-bench`): what they generate must be what kefu writes.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use crate::env::{Env, stdout_of};

fn bench(args: &[&str]) -> String {
    stdout_of(Command::new(env!("CARGO_BIN_EXE_kefu-bench")).args(args))
}

fn generate(dir: &Path, cases: &str, seed: &str) {
    bench(&["generate", &dir.to_string_lossy(), "--cases", cases, "--seed", seed]);
}

#[test]
fn a_generated_workspace_passes_check_and_lists_every_case() {
    let env = Env::empty();
    generate(env.root(), "200", "7");
    env.run(&["check"]).ok();
    let list = env.run(&["list", "--json"]).ok().json();
    let cases = list.as_array().expect("list --json is an array");
    assert_eq!(cases.len(), 200);
    let statuses: HashSet<&str> = cases.iter().filter_map(|c| c["status"].as_str()).collect();
    assert!(
        statuses.contains("closed") && statuses.contains("rejected"),
        "{statuses:?}"
    );
}

#[test]
fn the_same_seed_makes_the_same_files_and_another_seed_others() {
    let (a, b, c) = (Env::empty(), Env::empty(), Env::empty());
    generate(a.root(), "120", "3");
    generate(b.root(), "120", "3");
    generate(c.root(), "120", "4");
    assert!(a.snapshot() == b.snapshot(), "seed 3 gave two different workspaces");
    assert!(a.snapshot() != c.snapshot());
}

#[test]
fn generate_refuses_to_write_into_a_workspace() {
    let env = Env::new();
    let out = Command::new(env!("CARGO_BIN_EXE_kefu-bench"))
        .args(["generate", &env.root().to_string_lossy(), "--cases", "5"])
        .output()
        .expect("run kefu-bench");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds a workspace"));
}

#[test]
fn read_counts_the_bytes_of_every_case_file() {
    let env = Env::empty();
    generate(env.root(), "50", "1");
    // Counted independently: `du`-style over every .toml under cases/ (month folders).
    let out = std::process::Command::new("find")
        .args([
            &env.path("cases").to_string_lossy(),
            "-name",
            "*.toml",
            "-printf",
            "%s\n",
        ])
        .output()
        .expect("find");
    let expected: u64 = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.parse::<u64>().expect("size"))
        .sum();
    assert!(expected > 0);
    for threads in ["1", "2", "3"] {
        let out = bench(&["read", &env.root().to_string_lossy(), "--threads", threads]);
        assert_eq!(out.trim(), expected.to_string());
    }
}

#[test]
fn the_import_csv_has_the_columns_and_a_distinct_source_ref_per_row() {
    let env = Env::empty();
    let file = env.path("rows.csv");
    bench(&["csv", "40", &file.to_string_lossy()]);
    let mut reader = csv::Reader::from_path(&file).expect("csv");
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(
        header.join(","),
        "name,contact,channel,summary,details,product,order,request,received_at,source_ref"
    );
    let refs: HashSet<String> = reader.records().map(|r| r.expect("row")[9].to_string()).collect();
    assert_eq!(refs.len(), 40);
}

#[test]
fn tasks_holds_every_case_once_with_its_category_as_project() {
    let env = Env::empty();
    generate(env.root(), "60", "2");
    let file = env.path("tasks.json");
    bench(&["tasks", &env.root().to_string_lossy(), &file.to_string_lossy()]);
    let tasks: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("tasks.json")).expect("JSON");
    let tasks = tasks.as_array().expect("an array");
    assert_eq!(tasks.len(), 60);
    let uuids: HashSet<&str> = tasks.iter().filter_map(|t| t["uuid"].as_str()).collect();
    assert_eq!(uuids.len(), 60);
    assert!(
        tasks
            .iter()
            .all(|t| t["description"].is_string() && t["entry"].is_string())
    );
    assert!(tasks.iter().any(|t| t["project"] == "quality"));
}
