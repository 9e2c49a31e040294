//! SPEC §9.15: `cases/` on another file system, and a full disk. Each test mounts a
//! small tmpfs over `cases/2026/` of a workspace in a private mount namespace
//! (`unshare -rm`), runs kefu there, and leaves what it saw in files outside the mount.

use std::fs;
use std::process::Command;

use crate::env::Env;

/// Run `script` with `sh` in a private mount namespace where `cases/2026` is a tmpfs of
/// `size`; `$KEFU` is the binary. None (and a note) where namespaces are not allowed.
fn with_cases_on_tmpfs(env: &Env, size: &str, script: &str) -> Option<()> {
    let probe = Command::new("unshare")
        .args([
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=4k tmpfs /mnt 2>/dev/null || mount -t tmpfs -o size=4k tmpfs /tmp",
        ])
        .output();
    if !matches!(probe, Ok(ref out) if out.status.success()) {
        eprintln!("note: skipped, this system does not allow a private mount namespace (unshare -rm)");
        return None;
    }
    fs::create_dir_all(env.path("cases/2026")).unwrap();
    fs::create_dir_all(env.path("out")).unwrap();
    let whole = format!("set -u\nmount -t tmpfs -o size={size} tmpfs cases/2026\n{script}");
    let run = env.run_cmd(
        env.command_for("unshare")
            .env("KEFU", env!("CARGO_BIN_EXE_kefu"))
            .args(["-rm", "sh", "-c", &whole]),
        &["(namespace)"],
    );
    assert_eq!(run.code, 0, "script failed: {}\n{}", run.stdout, run.stderr);
    Some(())
}

fn out(env: &Env, name: &str) -> String {
    fs::read_to_string(env.path(&format!("out/{name}"))).unwrap_or_default()
}

#[test]
fn cases_on_another_file_system_are_written_committed_and_read() {
    let env = Env::new();
    let script = r#"
"$KEFU" intake --name 王小明 --channel phone --summary 燒餅烙糊了 >out/intake 2>&1; echo $? >out/intake.rc
"$KEFU" classify 001 --category quality --level general --department service >out/classify 2>&1; echo $? >out/classify.rc
"$KEFU" note 001 --text 已致電 >out/note 2>&1; echo $? >out/note.rc
"$KEFU" sweep >out/sweep 2>&1; echo $? >out/sweep.rc
"$KEFU" check >out/check 2>&1; echo $? >out/check.rc
"$KEFU" show 001 --json >out/show 2>&1
find cases/2026 -type f | sort >out/files
git log --format=%s >out/log
"#;
    if with_cases_on_tmpfs(&env, "1m", script).is_none() {
        return;
    }
    for step in ["intake", "classify", "note", "sweep", "check"] {
        assert_eq!(
            out(&env, &format!("{step}.rc")).trim(),
            "0",
            "{step}: {}",
            out(&env, step)
        );
    }
    let show: serde_json::Value = serde_json::from_str(&out(&env, "show")).expect("show --json");
    assert_eq!(show["status"], "classified");
    // Only the case file: no temporary file left beside it, none elsewhere under cases/.
    let files = out(&env, "files");
    let files: Vec<&str> = files.lines().filter(|f| !f.ends_with(".gitkeep")).collect();
    assert_eq!(files, [crate::env::case_file("20261123-001")]);
    // Every action is one commit after init's.
    let log = out(&env, "log");
    assert_eq!(log.lines().count(), 4, "{log}");
}

#[test]
fn a_full_disk_is_one_line_exit_1_and_changes_nothing() {
    let env = Env::new();
    let script = r#"
"$KEFU" intake --name 王小明 --channel phone --summary 燒餅烙糊了 >out/intake 2>&1
# Fill what is left of the file system.
dd if=/dev/zero of=cases/2026/filler bs=1k 2>/dev/null
cp cases/2026/11/20261123-001.toml out/before
git log --format=%s >out/log.before
"$KEFU" note 001 --text 已致電，客戶說明天再來 >out/note 2>&1; echo $? >out/note.rc
"$KEFU" intake --name 李四 --channel phone --summary 又糊了 >out/intake2 2>&1; echo $? >out/intake2.rc
printf 'name,channel,summary,source_ref\n甲,phone,燒餅太鹹,r1\n乙,phone,燒餅太硬,r2\n' >out/rows.csv
"$KEFU" import out/rows.csv >out/import 2>&1; echo $? >out/import.rc
cp cases/2026/11/20261123-001.toml out/after
find cases/2026 -type f | sort >out/files
git log --format=%s >out/log.after
git status --porcelain -- cases >out/status
rm cases/2026/filler
"$KEFU" note 001 --text 已致電 >out/note3 2>&1; echo $? >out/note3.rc
"#;
    if with_cases_on_tmpfs(&env, "64k", script).is_none() {
        return;
    }
    for step in ["note", "intake2", "import"] {
        assert_eq!(
            out(&env, &format!("{step}.rc")).trim(),
            "1",
            "{step}: {}",
            out(&env, step)
        );
        let err = out(&env, step);
        assert_eq!(err.trim_end().lines().count(), 1, "{step}: not one line: {err}");
        assert!(err.starts_with("error: "), "{step}: {err}");
        assert!(err.contains("cases/2026/11"), "{step}: names no file: {err}");
        assert!(
            err.to_lowercase().contains("space"),
            "{step}: does not say the disk is full: {err}"
        );
    }
    assert_eq!(out(&env, "before"), out(&env, "after"), "the case file changed");
    assert_eq!(out(&env, "log.before"), out(&env, "log.after"), "a commit was made");
    let status = out(&env, "status");
    assert_eq!(status.trim(), "?? cases/2026/filler", "the work tree is not clean");
    let files = out(&env, "files");
    assert_eq!(
        files.lines().filter(|f| !f.ends_with(".gitkeep")).collect::<Vec<_>>(),
        ["cases/2026/11/20261123-001.toml", "cases/2026/filler"],
        "a temporary file or a half case was left"
    );
    // With room again the same command works.
    assert_eq!(out(&env, "note3.rc").trim(), "0", "{}", out(&env, "note3"));
}
