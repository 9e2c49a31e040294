//! Concurrent writers (SPEC §2, §7): parallel intakes never share an id or tear a file,
//! parallel replies to one case are never lost, and a writer blocked on the lock says
//! so and gives up after `KEFU_LOCK_TIMEOUT` instead of hanging.
//!
//! The full-size runs (8 processes × 100 intakes, 8 × 25 replies) are ignored by
//! default; `cargo test --release --test cli concurrency -- --ignored` runs them. The
//! same checks run on every `cargo test` at a smaller size.

use std::collections::BTreeMap;
use std::fs::File;
use std::process::Stdio;

use crate::env::{Env, intake_args};

/// `procs` processes each recording `each` complaints at once.
fn parallel_intakes(procs: usize, each: usize) {
    let env = uncommitted_env();
    let printed = at_once(&env, procs, each, |p| {
        format!("\"$KEFU\" intake --name p{p}-$i --channel phone --summary s{p}-$i")
    });
    let total = procs * each;
    let distinct: std::collections::BTreeSet<&String> = printed.iter().collect();
    assert_eq!(printed.len(), total, "every intake printed its id");
    assert_eq!(distinct.len(), total, "ids are distinct");
    let loaded = env.run(&["list", "--json"]).ok().json();
    let listed = loaded.as_array().expect("list").len();
    assert_eq!(listed, total, "every case file is whole and listed");
    // Each customer is in exactly one file.
    let mut names = BTreeMap::new();
    for case in loaded.as_array().unwrap() {
        *names
            .entry(case["customer"]["name"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    assert_eq!(names.len(), total);
    assert!(names.values().all(|&n| n == 1));
    env.run(&["check"]).ok();
}

/// `procs` processes each appending `each` replies to the same case.
fn parallel_replies(procs: usize, each: usize) {
    let env = uncommitted_env();
    let id = env.classified("王先生");
    env.run(&["--no-commit", "handoff", &id, "--to", "service"]).ok();
    at_once(&env, procs, each, |p| {
        format!("\"$KEFU\" reply {id} --from service --text reply-{p}-$i")
    });
    let case = env.show(&id);
    let mut texts = BTreeMap::new();
    for e in case["events"].as_array().unwrap() {
        if e["kind"] == "reply" {
            *texts.entry(e["text"].as_str().unwrap().to_string()).or_insert(0) += 1;
        }
    }
    for p in 0..procs {
        for i in 1..=each {
            assert_eq!(texts.get(&format!("reply-{p}-{i}")), Some(&1), "reply-{p}-{i}");
        }
    }
    assert_eq!(texts.len(), procs * each);
    env.run(&["check"]).ok();
}

/// A workspace whose writes are not committed: git's own speed is not the subject.
fn uncommitted_env() -> Env {
    let env = Env::new();
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, text.replace("auto_commit = true", "auto_commit = false")).expect("config");
    env
}

/// A shell running `script` with the workspace's clean environment and `$KEFU`.
/// `procs` shells at once, shell `p` running `step(p)` `each` times (with `$i` counting
/// from 1) and stopping at the first failure; every shell must succeed. What they
/// printed, line by line.
fn at_once(env: &Env, procs: usize, each: usize, step: impl Fn(usize) -> String) -> Vec<String> {
    let children: Vec<_> = (0..procs)
        .map(|p| {
            sh(
                env,
                &format!("for i in $(seq 1 {each}); do {} || exit 1; done", step(p)),
            )
        })
        .collect();
    let mut printed = Vec::new();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        printed.extend(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string));
    }
    printed
}

fn sh(env: &Env, script: &str) -> std::process::Child {
    env.command_for("sh")
        .env("KEFU", env!("CARGO_BIN_EXE_kefu"))
        .env("KEFU_LOCK_TIMEOUT", "120")
        .args(["-c", script])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sh")
}

#[test]
fn parallel_intakes_get_distinct_ids_and_whole_files() {
    parallel_intakes(8, 4);
}

#[test]
#[ignore = "8 × 100 processes; run with --ignored (see docs/reliability.md)"]
fn eight_hundred_parallel_intakes_get_distinct_ids_and_whole_files() {
    parallel_intakes(8, 100);
}

#[test]
fn parallel_replies_are_each_recorded_once() {
    parallel_replies(8, 3);
}

#[test]
#[ignore = "8 × 25 processes on one case; run with --ignored (see docs/reliability.md)"]
fn two_hundred_parallel_replies_are_each_recorded_once() {
    parallel_replies(8, 25);
}

/// Holds `.kefu/lock` the way another kefu would.
fn hold_lock(env: &Env) -> File {
    std::fs::create_dir_all(env.path(".kefu")).expect("mkdir .kefu");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.path(".kefu/lock"))
        .expect("open lock");
    file.lock().expect("take the lock");
    file
}

#[test]
fn a_blocked_writer_says_so_and_gives_up_after_the_timeout() {
    let env = Env::new();
    let before = env.snapshot();
    let lock = hold_lock(&env);
    let run = env.run_cmd(
        env.command()
            .env("KEFU_LOCK_TIMEOUT", "1")
            .args(intake_args("王先生", &[])),
        &["intake"],
    );
    drop(lock);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert!(lines[0].starts_with("waiting for another kefu"), "{run:?}");
    assert!(
        lines[1].starts_with("error: another kefu has held the workspace lock (.kefu/lock) for over 1 s"),
        "{run:?}"
    );
    assert!(run.stdout.is_empty());
    assert_eq!(env.snapshot(), before, "nothing written");
}

#[test]
fn a_blocked_writer_goes_on_when_the_lock_is_released() {
    let env = Env::new();
    let lock = hold_lock(&env);
    let mut child = env
        .command()
        .env("KEFU_LOCK_TIMEOUT", "60")
        .args(["intake", "--name", "王先生", "--channel", "phone", "--summary", "s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait for it to say it is waiting (it does after 200 ms), then let it go.
    let mut stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut first).expect("read stderr");
    assert!(first.starts_with("waiting for another kefu"), "{first}");
    drop(lock);
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{first}");
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(env.show(&id)["customer"]["name"], "王先生");
}
