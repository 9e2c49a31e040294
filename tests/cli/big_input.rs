//! SPEC §9.13: an import streams. A cell far over the field limit is refused as it is
//! read, never held whole; memory does not follow the file's size.

use std::io::Write;

use crate::env::Env;

/// `kefu args` with its peak memory in KiB, measured by GNU time when it is installed.
fn run_measured(env: &Env, args: &[&str]) -> (crate::env::Run, Option<u64>) {
    let time = std::path::Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("note: /usr/bin/time is not installed; peak memory is not checked");
        return (env.run(args), None);
    }
    let report = env.path("peak");
    let mut cmd = env.command_for("/usr/bin/time");
    cmd.arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_kefu"))
        .args(args);
    let run = env.run_cmd(&mut cmd, args);
    let peak = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| t.trim().lines().last()?.parse().ok());
    (run, peak)
}

/// A file of `head`, a cell of `megabytes` MB of one character, and `tail`.
fn with_huge_cell(env: &Env, name: &str, head: &str, megabytes: usize, tail: &str) -> String {
    let path = env.path(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    let chunk = "烙".repeat(1 << 16);
    for _ in 0..(megabytes << 20) / chunk.len() {
        f.write_all(chunk.as_bytes()).unwrap();
    }
    f.write_all(tail.as_bytes()).unwrap();
    f.flush().unwrap();
    path.display().to_string()
}

#[test]
fn a_huge_cell_is_refused_without_being_held_whole() {
    let env = Env::new();
    let before = env.snapshot();
    let csv = with_huge_cell(
        &env,
        "huge.csv",
        "name,channel,summary\n王,phone,燒餅\n李,phone,\"",
        100,
        "\"\n",
    );
    let jsonl = with_huge_cell(
        &env,
        "huge.jsonl",
        "{\"name\":\"王\",\"channel\":\"phone\",\"summary\":\"燒餅\"}\n{\"name\":\"李\",\"channel\":\"phone\",\"summary\":\"",
        100,
        "\"}\n",
    );
    for (file, needle) in [
        (
            &csv,
            "huge.csv: line 3: a cell far over the 65536-byte limit for a field",
        ),
        (
            &jsonl,
            "huge.jsonl: line 2: a line far over the 1048576-byte limit for a case (max_case_bytes",
        ),
    ] {
        let (run, peak) = run_measured(&env, &["import", file]);
        run.fails(needle);
        if let Some(kib) = peak {
            assert!(
                kib < 64 * 1024,
                "{file}: peak memory {kib} KiB: the 100 MB cell was held"
            );
        }
    }
    std::fs::remove_file(&csv).unwrap();
    std::fs::remove_file(&jsonl).unwrap();
    std::fs::remove_file(env.path("peak")).ok();
    assert!(env.snapshot() == before, "something was written");
}

#[test]
fn standard_input_is_read_twice_from_a_spooled_copy() {
    let env = Env::new();
    let mut rows = String::from("name,channel,summary,source_ref\n");
    for i in 0..500 {
        rows.push_str(&format!("客戶{i},phone,燒餅烙糊了,r{i}\n"));
    }
    let mut child = env
        .command()
        .args(["import", "-", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(rows.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["created"], 500);
}
