//! The audit trail: every write command is one commit of exactly its case files, by the
//! actor; nothing the user staged or modified is swept in; no git, no commits.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::env::{Env, NOW, State, case_file, strings};

/// Run git in the workspace as the test harness runs kefu: no system or global config.
pub fn git(env: &Env, args: &[&str]) -> String {
    env.git(args)
}

pub fn commits(env: &Env) -> usize {
    git(env, &["rev-list", "--count", "--all"])
        .trim()
        .parse()
        .expect("a count")
}

/// The files of the newest commit.
pub fn head_files(env: &Env) -> Vec<String> {
    git(env, &["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn head_subject(env: &Env) -> String {
    git(env, &["log", "-1", "--format=%s"]).trim().to_string()
}

/// Run a kefu command that must add exactly one commit holding exactly `id`'s file,
/// with a subject starting `kefu: <action> <id>`.
fn one_commit(env: &Env, args: &[&str], id: &str, action: &str) {
    let before = commits(env);
    env.run(args).ok();
    assert_eq!(commits(env), before + 1, "kefu {args:?} should make one commit");
    assert_eq!(head_files(env), [case_file(id)], "kefu {args:?}");
    let subject = head_subject(env);
    assert!(
        subject.starts_with(&format!("kefu: {action} {id}")),
        "kefu {args:?}: subject {subject:?}"
    );
    let status = git(env, &["status", "--porcelain", "--", "cases/"]);
    assert!(status.is_empty(), "kefu {args:?}: {status}");
}

#[test]
fn init_commits_the_new_workspace_unless_told_not_to() {
    let env = Env::new();
    assert_eq!(commits(&env), 1);
    assert_eq!(
        head_files(&env),
        [".gitattributes", ".gitignore", "cases/.gitkeep", "config/kefu.toml"]
    );
    assert_eq!(head_subject(&env), "kefu: start the complaint book");
    assert_eq!(git(&env, &["log", "-1", "--format=%an"]).trim(), "客服專員");
    assert!(git(&env, &["status", "--porcelain"]).is_empty());
    // A split index: a commit then rewrites a small file, not one entry per case.
    assert_eq!(git(&env, &["config", "core.splitIndex"]).trim(), "true");

    let env = Env::empty();
    env.run(&["init", "--no-commit"]).ok();
    assert_eq!(commits(&env), 0);
}

#[test]
fn each_write_command_makes_one_commit_of_exactly_its_file() {
    let env = Env::new();
    let before = commits(&env);
    let a = env.intake("王先生", &[]);
    assert_eq!(commits(&env), before + 1);
    assert_eq!(head_files(&env), [case_file(&a)]);
    assert_eq!(head_subject(&env), format!("kefu: intake {a} (王先生)"));

    let classify = ["--category", "quality", "--level", "general", "--department", "service"];
    let mut args = vec!["classify", a.as_str()];
    args.extend(classify);
    one_commit(&env, &args, &a, "classify");
    one_commit(&env, &["handoff", &a, "--to", "service"], &a, "handoff");
    one_commit(&env, &["ack", &a, "--by", "李站長"], &a, "ack");
    one_commit(
        &env,
        &["reply", &a, "--from", "service", "--text", "換了一個"],
        &a,
        "reply",
    );
    one_commit(
        &env,
        &[
            "close",
            &a,
            "--resolution",
            "replaced",
            "--remedy",
            "exchange",
            "--satisfaction",
            "satisfied",
        ],
        &a,
        "close",
    );

    let b = env.classified("張女士");
    one_commit(
        &env,
        &[
            "defer",
            &b,
            "--reason",
            "waiting for the maker",
            "--follow-up",
            "monitor",
        ],
        &b,
        "defer",
    );
    let c = env.intake("趙先生", &[]);
    one_commit(&env, &["reject", &c, "--reason", "bought elsewhere"], &c, "reject");
    one_commit(&env, &["reopen", &c, "--reason", "came back"], &c, "reopen");
}

#[test]
fn a_sweep_is_one_commit_of_the_cases_it_changed_and_a_second_sweep_none() {
    let mut env = Env::new();
    let a = env.classified("王先生");
    let b = env.classified("張女士");
    env.intake("趙先生", &[]); // not classified: no deadline, nothing to sweep
    env.set_now("2026-12-20T09:00:00+08:00");
    let before = commits(&env);
    env.run(&["sweep"]).ok();
    assert_eq!(commits(&env), before + 1);
    assert_eq!(head_files(&env), [case_file(&a), case_file(&b)]);
    assert!(
        head_subject(&env).starts_with("kefu: sweep: "),
        "{}",
        head_subject(&env)
    );
    let body = git(&env, &["log", "-1", "--format=%b"]);
    assert!(body.contains(&format!("{a} ")) && body.contains("penalty"), "{body}");

    env.run(&["sweep"]).ok();
    assert_eq!(commits(&env), before + 1, "nothing changed: no commit");
}

#[test]
fn what_the_user_staged_or_modified_stays_out_of_the_commit() {
    let env = Env::new();
    // A tracked file the user modifies without staging, and a new file they staged.
    std::fs::write(env.path(".gitignore"), ".kefu/\n*.bak\n").unwrap();
    std::fs::write(env.path("notes.txt"), "to do\n").unwrap();
    git(&env, &["add", "notes.txt"]);

    let id = env.intake("王先生", &[]);
    assert_eq!(head_files(&env), [case_file(&id)]);
    let status = git(&env, &["status", "--porcelain", "--untracked-files=no"]);
    assert!(
        status.contains("A  notes.txt"),
        "still staged, not committed:\n{status}"
    );
    assert!(
        status.contains(" M .gitignore"),
        "still modified, not staged:\n{status}"
    );
    assert!(!status.contains("cases/"), "{status}");

    // The same holds for a change to a file git already tracks.
    let mut args = vec!["classify", id.as_str()];
    args.extend(["--category", "quality", "--level", "general", "--department", "service"]);
    env.run(&args).ok();
    assert_eq!(head_files(&env), [case_file(&id)]);
    assert_eq!(git(&env, &["status", "--porcelain", "--untracked-files=no"]), status);
}

#[test]
fn no_commit_flag_and_auto_commit_off_make_no_commit() {
    let env = Env::new();
    let before = commits(&env);
    let id = env.intake("王先生", &["--no-commit"]);
    assert_eq!(commits(&env), before);
    assert!(env.path(&case_file(&id)).is_file());

    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("auto_commit = true"));
    std::fs::write(&config, text.replace("auto_commit = true", "auto_commit = false")).unwrap();
    env.intake("張女士", &[]);
    env.run(&["reject", &id, "--reason", "bought elsewhere"]).ok();
    assert_eq!(commits(&env), before);
    // Committing by hand is the clerk's business then: check does not complain.
    env.run(&["check"]).ok();
}

#[test]
fn a_workspace_outside_git_works_without_commits_or_warnings() {
    let env = Env::new();
    std::fs::remove_dir_all(env.path(".git")).unwrap();
    let run = env.intake_run("王先生", &[]).ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let id = run.id();
    let mut args = vec!["classify", id.as_str()];
    args.extend(["--category", "quality", "--level", "general", "--department", "service"]);
    let run = env.run(&args).ok();
    assert!(
        !run.stderr.contains("git") && !run.stderr.contains("warning"),
        "{}",
        run.stderr
    );
    env.run(&["check"]).ok();
    env.run(&["log", &id]).fails("is not in a git work tree");
    assert!(!env.path(".git").exists());
}

#[test]
fn the_author_is_the_actor_and_the_committer_git_s_identity_if_it_has_one() {
    let env = Env::new();
    env.intake("王先生", &["--actor", "小李"]);
    let who = git(&env, &["log", "-1", "--format=%an <%ae>|%cn <%ce>|%aI"]);
    assert_eq!(
        who.trim(),
        format!("小李 <kefu@kefu.invalid>|小李 <kefu@kefu.invalid>|{NOW}")
    );

    // Without --actor: the clerk named in the config.
    env.intake("張女士", &[]);
    assert_eq!(git(&env, &["log", "-1", "--format=%an"]).trim(), "客服專員");

    git(&env, &["config", "user.name", "小王"]);
    git(&env, &["config", "user.email", "wang@example.com"]);
    env.intake("趙先生", &["--actor", "小李"]);
    let who = git(&env, &["log", "-1", "--format=%an <%ae>|%cn <%ce>"]);
    assert_eq!(who.trim(), "小李 <kefu@kefu.invalid>|小王 <wang@example.com>");
    // The actor git knows: their own address.
    env.intake("錢女士", &["--actor", "小王"]);
    let who = git(&env, &["log", "-1", "--format=%an <%ae>"]);
    assert_eq!(who.trim(), "小王 <wang@example.com>");
}

/// SPEC §9.1 (replacing the first round's "a failed commit keeps the change on disk"):
/// exit 1 means nothing changed, so a script that retries never doubles an event.
/// `kefu ack ID` whose commit is refused: it fails saying `message`, and leaves no
/// commit, the case file's old bytes and the index as it was.
fn refused_ack_changes_nothing(env: &Env, id: &str, message: &str) {
    let before = commits(env);
    let files_before = env.snapshot();
    let index_before = git(env, &["ls-files", "--stage"]);
    env.run(&["ack", id, "--by", "李站長"]).fails(message);
    assert_eq!(commits(env), before);
    assert!(env.snapshot() == files_before, "the case file got its old bytes back");
    assert_eq!(git(env, &["ls-files", "--stage"]), index_before, "nothing stays staged");
    assert!(git(env, &["status", "--porcelain", "--", "cases/"]).is_empty());
}

#[test]
fn a_refused_commit_undoes_the_write_and_a_retry_records_the_event_once() {
    let env = Env::new();
    let id = env.case("王先生", State::HandedOff);
    let hook = env.path(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\necho 'lint: not today' >&2\nexit 1\n").unwrap();
    make_executable(&hook);
    let files_before = env.snapshot();
    refused_ack_changes_nothing(
        &env,
        &id,
        "the commit failed, so nothing was saved (--no-commit saves without committing): git commit failed: lint: not today",
    );
    assert_eq!(env.show(&id)["status"], "handed_off");

    // A refused intake leaves no file and uses no number.
    env.run(&["intake", "--name", "張女士", "--channel", "phone", "--summary", "s"])
        .fails("the commit failed, so nothing was saved");
    assert!(env.snapshot() == files_before);

    // The script retries once the hook lets it: one ack, not two.
    std::fs::remove_file(&hook).unwrap();
    assert_eq!(env.intake("張女士", &[]), "20261123-002");
    env.run(&["ack", &id, "--by", "李站長"]).ok();
    let acks = env.show(&id)["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "ack")
        .count();
    assert_eq!(acks, 1);
    env.run(&["check"]).ok();
}

/// Without hooks, the commit is written by one git while another updates the user's
/// index: when the commit is refused (here: the branch is locked, as by another git
/// moving it), the file and the index entry are both put back.
#[test]
fn a_commit_refused_without_hooks_puts_the_file_and_the_index_entry_back() {
    let env = Env::new();
    let id = env.case("王先生", State::HandedOff);
    let branch = git(&env, &["symbolic-ref", "HEAD"]);
    let lock = env.path(&format!(".git/{}.lock", branch.trim()));
    std::fs::write(&lock, "").unwrap();
    refused_ack_changes_nothing(&env, &id, "the commit failed, so nothing was saved");

    std::fs::remove_file(&lock).unwrap();
    one_commit(&env, &["ack", &id, "--by", "李站長"], &id, "ack");
}

/// Every tracked file an hour old and its index entry refreshed, then all of them moved
/// into the shared index: no entry is as new as the index, so kefu writes its commits'
/// entries into the split index itself instead of starting `git update-index`.
fn age_tracked_files(env: &Env) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for file in git(env, &["ls-files"]).lines() {
        let file = std::fs::File::options().write(true).open(env.path(file)).unwrap();
        file.set_modified(hour_ago).unwrap();
    }
    git(env, &["status", "--porcelain"]);
    git(env, &["update-index", "--split-index"]);
}

#[test]
fn commits_written_into_the_split_index_keep_what_the_user_staged() {
    let env = Env::new();
    let first = env.case("王先生", State::HandedOff);
    let third = env.case("張先生", State::HandedOff);
    // The user's own: a new file staged, an edit staged, a file taken out of the index.
    std::fs::write(env.path("notes.txt"), "to do\n").unwrap();
    let attributes = std::fs::read_to_string(env.path(".gitattributes")).unwrap();
    std::fs::write(env.path(".gitattributes"), format!("{attributes}# mine\n")).unwrap();
    git(&env, &["add", "notes.txt", ".gitattributes"]);
    git(&env, &["rm", "-q", "--cached", ".gitignore"]);
    age_tracked_files(&env);
    let staged = git(&env, &["diff", "--cached", "--name-status"]);
    assert_eq!(staged, "M\t.gitattributes\nD\t.gitignore\nA\tnotes.txt\n");

    // A new entry, then a shared one replaced.
    let second = env.intake("李小姐", &[]);
    assert_eq!(head_files(&env), [case_file(&second)]);
    one_commit(&env, &["ack", &first, "--by", "李站長"], &first, "ack");
    assert_eq!(git(&env, &["diff", "--cached", "--name-status"]), staged);
    // git reads the index as one of its own (`fsck` checks its checksum too), and the
    // trees it caches name what the index holds.
    git(&env, &["fsck", "--no-dangling", "--no-progress"]);
    let head = git(&env, &["rev-parse", "HEAD^{tree}"]);
    git(&env, &["rm", "-q", "--cached", "notes.txt"]);
    git(&env, &["reset", "-q", "--", ".gitattributes", ".gitignore"]);
    assert_eq!(git(&env, &["write-tree"]), head);
    git(&env, &["add", "notes.txt", ".gitattributes"]);
    git(&env, &["rm", "-q", "--cached", ".gitignore"]);

    // A refused commit puts back the entry kefu wrote.
    age_tracked_files(&env);
    let branch = git(&env, &["symbolic-ref", "HEAD"]);
    let lock = env.path(&format!(".git/{}.lock", branch.trim()));
    std::fs::write(&lock, "").unwrap();
    refused_ack_changes_nothing(&env, &third, "the commit failed, so nothing was saved");
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(git(&env, &["diff", "--cached", "--name-status"]), staged);
}

/// Each commit kefu writes is a small pack of its own; from 16 packs on, git's geometric
/// repack rolls the small ones together in the background (unless the user turned git's
/// housekeeping off), so they never pile up.
#[test]
fn small_packs_are_rolled_together_unless_housekeeping_is_off() {
    let env = Env::new();
    let packs = || {
        std::fs::read_dir(env.path(".git/objects/pack"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "pack"))
            .count()
    };
    let before = commits(&env);
    for i in 0..20 {
        env.intake(&format!("客戶{i}"), &[]);
    }
    assert_eq!(commits(&env), before + 20);
    // The repack is not waited for by kefu; here it is, for up to a minute.
    let mut waited = 0;
    while packs() >= 16 && waited < 600 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    assert!(packs() < 16, "{} packs", packs());
    git(&env, &["fsck", "--no-dangling", "--no-progress"]);

    git(&env, &["config", "gc.auto", "0"]);
    let left = packs();
    for i in 0..20 {
        env.intake(&format!("客戶{i}"), &[]);
    }
    assert_eq!(packs(), left + 20);
}

/// After every tracked file's times changed (a copy, a restore), git keeps all their
/// entries in the split index's own part and reads the index twice on every update
/// from then on; kefu's next commit folds them back into a new shared index.
#[test]
fn a_split_index_grown_by_refreshed_entries_is_folded_back_by_the_next_commit() {
    let env = Env::new();
    std::fs::create_dir(env.path("notes")).unwrap();
    for i in 0..1500 {
        std::fs::write(env.path(&format!("notes/n{i:04}.txt")), format!("{i}\n")).unwrap();
    }
    git(&env, &["add", "notes"]);
    env.commit_by_hand(&["-m", "notes"]);
    let size = |name: &str| std::fs::metadata(env.path(&format!(".git/{name}"))).unwrap().len();
    let shared = || {
        std::fs::read_dir(env.path(".git"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("sharedindex."))
            .map(|n| size(&n))
            .max()
            .unwrap()
    };
    // Every file's times change (to an hour ago: an entry as new as the index itself
    // is kept out of the shared index by git, whatever kefu asks), and git refreshes
    // every entry.
    let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for i in 0..1500 {
        let file = std::fs::File::options()
            .write(true)
            .open(env.path(&format!("notes/n{i:04}.txt")))
            .unwrap();
        file.set_modified(earlier).unwrap();
    }
    git(&env, &["status", "--porcelain"]);
    assert!(size("index") * 2 >= shared(), "{} vs {}", size("index"), shared());

    let id = env.intake("王先生", &[]);
    assert_eq!(head_files(&env), [case_file(&id)]);
    assert!(size("index") * 10 < shared(), "{} vs {}", size("index"), shared());
    assert!(git(&env, &["status", "--porcelain"]).is_empty());
}

#[test]
fn inside_git_without_a_git_program_nothing_is_saved_and_the_error_says_so() {
    let env = Env::new();
    let id = env.classified("王先生");
    let empty = tempfile::tempdir().unwrap();
    let args = ["handoff", id.as_str(), "--to", "service"];
    env.run_cmd(env.command().env("PATH", empty.path()).args(args), &args)
        .fails("nothing was saved: the workspace is inside a git work tree, but no `git` program was found");
    assert_eq!(env.show(&id)["status"], "classified");
    // --no-commit saves without git.
    let args = ["handoff", id.as_str(), "--to", "service", "--no-commit"];
    env.run_cmd(env.command().env("PATH", empty.path()).args(args), &args)
        .ok();
    assert_eq!(env.show(&id)["status"], "handed_off");
}

#[test]
fn a_broken_git_folder_refuses_writes_and_no_commit_bypasses_it() {
    let env = Env::new();
    let id = env.classified("王先生");
    std::fs::write(env.path(".git/HEAD"), "garbage\n").unwrap();
    let before = env.snapshot();
    env.run(&["handoff", &id, "--to", "service"])
        .fails("but git cannot read it");
    assert!(env.snapshot() == before);
    env.run(&["handoff", &id, "--to", "service", "--no-commit"]).ok();
}

#[test]
fn a_hanging_hook_is_stopped_at_the_git_timeout_and_the_write_undone() {
    let env = Env::new();
    let id = env.classified("王先生");
    let config = env.path("config/kefu.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replacen("timeout = \"30s\"", "timeout = \"1s\"", 1)).unwrap();
    env.commit_by_hand(&["-am", "timeout"]);
    let hook = env.path(".git/hooks/pre-commit");
    // The hook starts a process of its own, as a signing agent or a linter would.
    std::fs::write(&hook, "#!/bin/sh\nsleep 37 &\nsleep 38\n").unwrap();
    make_executable(&hook);
    let before = env.snapshot();
    env.run(&["handoff", &id, "--to", "service"])
        .fails("did not finish within 1 s ([git] timeout) and was stopped");
    assert!(env.snapshot() == before);
    // Nothing git started is left running, and git's index lock is not left behind.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let left = Command::new("pgrep")
        .args(["-f", "^sleep 3[78]$"])
        .output()
        .expect("pgrep");
    assert!(
        left.stdout.is_empty(),
        "left running: {}",
        String::from_utf8_lossy(&left.stdout)
    );
    assert!(!env.path(".git/index.lock").exists());
    std::fs::remove_file(&hook).unwrap();
    env.run(&["handoff", &id, "--to", "service"]).ok();
    assert!(git(&env, &["status", "--porcelain", "--", "cases/"]).is_empty());
}

#[test]
fn log_lists_the_case_s_commits_oldest_first() {
    let mut env = Env::new();
    let id = env.intake("王先生", &["--actor", "小李"]);
    env.set_now("2026-11-23T11:00:00+08:00");
    let mut args = vec!["classify", id.as_str()];
    args.extend(["--category", "quality", "--level", "general", "--department", "service"]);
    env.run(&args).ok();
    env.set_now("2026-11-23T11:30:00+08:00");
    env.run(&["handoff", &id, "--to", "service"]).ok();
    env.intake("張女士", &[]); // another case's commit is not in this one's log

    let json = env.run(&["log", &id, "--json"]).ok().json();
    let entries = json.as_array().expect("an array");
    let subjects: Vec<&str> = entries.iter().map(|e| e["subject"].as_str().unwrap()).collect();
    assert_eq!(
        subjects,
        [
            format!("kefu: intake {id} (王先生)"),
            format!("kefu: classify {id} as general quality for service (王先生)"),
            format!("kefu: handoff {id} to service (王先生)"),
        ]
    );
    assert_eq!(entries[0]["author"], "小李");
    assert_eq!(entries[1]["author"], "客服專員");
    assert_eq!(entries[0]["time"], NOW);
    assert_eq!(entries[2]["time"], "2026-11-23T11:30:00+08:00");
    assert_eq!(entries[0]["commit"].as_str().unwrap().len(), 40);

    let text = env.run(&["log", &id]).ok().stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("2026-11-23 10:15  小李      kefu: intake"), "{text}");
    assert!(lines[2].contains("2026-11-23 11:30  客服專員  kefu: handoff"), "{text}");
}

#[test]
fn check_reports_case_files_the_trail_does_not_hold() {
    let env = Env::new();
    let id = env.intake("王先生", &[]);
    let other = env.intake("張女士", &[]);
    env.run(&["check"]).ok();

    // A hand edit that still parses, and a case file written without kefu's commit.
    let file = case_file(&id);
    let text = env.case_text(&id).replace("燒餅烙糊了", "燒餅烤焦了");
    std::fs::write(env.path(&file), text).unwrap();
    let copied = "cases/2026/11/20261123-100.toml";
    let text = env.case_text(&other).replace(&other, "20261123-100");
    std::fs::write(env.path(copied), text).unwrap();

    let run = env.run(&["check"]).fails("2 problem(s) found");
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            format!("{file}: changed since its last commit (edited by hand?); `git diff HEAD -- {file}` shows how"),
            format!("{copied}: not in the git trail (a new file no commit records); commit or remove it"),
        ]
    );
    let json = env.run(&["check", "--json"]).fails("2 problem(s)").json();
    assert_eq!(json["uncommitted"], serde_json::json!([file, copied]));
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn log_never_shows_another_case_s_commit_after_near_identical_intakes() {
    let env = Env::new();
    let details = ["--details", "整盒都有焦味,客戶要求退款並道歉,並且希望店家說明原因"];
    let a = env.intake("王先生", &details);
    // One commit removes the first case's file and adds a near-identical second case:
    // git's rename detection (`log --follow`) would give the second the first's history.
    std::fs::remove_file(env.path(&crate::env::case_file(&a))).unwrap();
    let b = env.intake("王先生", &[&["--no-commit"][..], &details].concat());
    git(&env, &["add", "-A"]);
    env.commit_by_hand(&["-m", "by hand"]);
    let log = env.run(&["log", &b, "--json"]).ok().json();
    assert_eq!(
        strings(&log, "subject"),
        ["by hand"],
        "only the commit that changed this case's own file"
    );
}

#[test]
fn init_inside_another_work_tree_makes_its_own_repository_and_never_commits_into_the_outer() {
    let outer = Env::empty();
    git(&outer, &["init", "-q"]);
    outer.commit_by_hand(&["--allow-empty", "-m", "project"]);
    let shop = outer.path("shop");
    let mut cmd = outer.command();
    cmd.env_remove("KEFU_ROOT").args(["init", "shop"]);
    let run = outer.run_cmd(&mut cmd, &["init", "shop"]).ok();
    assert!(run.stderr.contains("with its own git repository"), "{}", run.stderr);
    assert!(shop.join(".git").is_dir());
    assert_eq!(
        git(&outer, &["rev-list", "--count", "HEAD"]).trim(),
        "1",
        "the outer history is untouched"
    );
    let inner = Command::new("git")
        .args(["log", "--format=%s"])
        .current_dir(&shop)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&inner.stdout).trim(),
        "kefu: start the complaint book"
    );
}

#[test]
fn init_refuses_system_folders_through_links_and_folders_with_other_files() {
    let env = Env::empty();
    std::os::unix::fs::symlink("/etc", env.path("etc-link")).unwrap();
    for (dir, needle) in [
        ("etc-link", "is the system folder /etc"),
        ("etc-link/kefu", "is the system folder"),
    ] {
        let mut cmd = env.command();
        cmd.env_remove("KEFU_ROOT").args(["init", dir, "--no-commit"]);
        env.run_cmd(&mut cmd, &["init", dir]).fails(needle);
    }
    std::fs::create_dir(env.path("notes")).unwrap();
    std::fs::write(env.path("notes/todo.txt"), "mine").unwrap();
    let mut cmd = env.command();
    cmd.env_remove("KEFU_ROOT").args(["init", "notes"]);
    env.run_cmd(&mut cmd, &["init", "notes"])
        .fails("is not empty (todo.txt)");
    assert!(!env.path("notes/config").exists());

    let mut cmd = env.command();
    cmd.env_remove("KEFU_ROOT").args(["init", "plain", "--no-git"]);
    env.run_cmd(&mut cmd, &["init", "plain"]).ok();
    assert!(env.path("plain/config/kefu.toml").exists() && !env.path("plain/.git").exists());
}

#[test]
fn a_deleted_case_s_id_is_never_given_again_even_after_kefu_state_is_lost() {
    let env = Env::new();
    let first = env.intake("王先生", &[]);
    let second = env.intake("張女士", &[]);
    assert_eq!(second, "20261123-002");
    std::fs::remove_file(env.path(&crate::env::case_file(&second))).unwrap();
    env.commit_by_hand(&["-am", "remove 002"]);
    std::fs::remove_dir_all(env.path(".kefu")).unwrap();
    let third = env.intake("李先生", &[]);
    assert_eq!(third, "20261123-003", "002 was in the trail, so it is not given again");
    // A later number present on disk without a mark is never undercut either.
    std::fs::copy(
        env.path(&crate::env::case_file(&first)),
        env.path("cases/2026/11/20261123-009.toml"),
    )
    .ok();
    std::fs::remove_dir_all(env.path(".kefu/ids")).unwrap();
    std::fs::create_dir_all(env.path(".kefu/ids")).unwrap();
    // A FIFO where a mark belongs is passed over, never waited on.
    let fifo = env.path(".kefu/ids/20261123");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    assert_eq!(env.intake("趙先生", &["--no-commit"]), "20261123-010");
}

#[test]
fn a_commit_on_a_detached_head_warns_and_check_reports_a_broken_git_folder() {
    let env = Env::new();
    let id = env.classified("王先生");
    git(&env, &["checkout", "-q", "--detach"]);
    let run = env.run(&["handoff", &id, "--to", "service"]).ok();
    assert!(run.stderr.contains("HEAD is detached"), "{}", run.stderr);
    std::fs::write(env.path(".git/HEAD"), "garbage\n").unwrap();
    let check = env.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("git cannot read it"), "{}", check.stdout);
}

#[test]
fn case_files_keep_lf_under_autocrlf_and_a_crlf_hand_edit_still_reads() {
    let env = Env::new();
    git(&env, &["config", "core.autocrlf", "true"]);
    let id = env.intake("王先生", &[]);
    let path = env.path(&case_file(&id));
    // What git stores, and what a fresh checkout writes, is LF.
    let blob = git(&env, &["show", &format!("HEAD:{}", case_file(&id))]);
    assert!(!blob.contains('\r'));
    fs::remove_file(&path).expect("remove");
    git(&env, &["checkout", "--", &case_file(&id)]);
    assert!(!fs::read_to_string(&path).expect("read").contains('\r'));
    // A hand edit saved with CRLF (Notepad) reads, and the next write is LF again.
    let crlf = fs::read_to_string(&path).expect("read").replace('\n', "\r\n");
    fs::write(&path, crlf).expect("write");
    assert_eq!(env.show(&id)["customer"]["name"], "王先生");
    env.run(&["note", &id, "--text", "客戶再來電"]).ok();
    assert!(!fs::read_to_string(&path).expect("read").contains('\r'));
}

#[test]
fn a_workspace_in_a_folder_of_a_larger_repository_commits_its_files_there() {
    // The shop keeps its workspace in `shop/` of a repository of its own making.
    let env = Env::empty();
    git(&env, &["init", "-q"]);
    env.run(&["init", "--no-git", "shop"]).ok();
    let shop = env.path("shop").to_string_lossy().into_owned();
    git(&env, &["add", "shop"]);
    env.commit_by_hand(&["-m", "the shop's book"]);
    fs::write(env.path("todo.txt"), "mine\n").expect("write");
    git(&env, &["add", "todo.txt"]);
    let mut cmd = env.command();
    cmd.env("KEFU_ROOT", &shop)
        .args(["intake", "--name", "王先生", "--channel", "phone", "--summary", "壞了"]);
    let id = env.run_cmd(&mut cmd, &["intake"]).ok().id();
    assert_eq!(head_files(&env), [format!("shop/{}", case_file(&id))]);
    assert_eq!(git(&env, &["diff", "--cached", "--name-only"]).trim(), "todo.txt");
    assert!(git(&env, &["status", "--porcelain", "--", "shop"]).is_empty());
}

#[test]
fn git_ceiling_directories_keep_kefu_from_an_outer_repository() {
    // A workspace without git inside a project's repository, with git told not to look
    // above it: kefu neither commits into the outer repository nor calls it broken.
    let outer = Env::empty();
    git(&outer, &["init", "-q"]);
    outer.run(&["init", "--no-git", "shop"]).ok();
    let shop = outer.path("shop");
    let run = |args: &[&str]| {
        let mut cmd = outer.command();
        cmd.env("KEFU_ROOT", &shop)
            .env("GIT_CEILING_DIRECTORIES", outer.root())
            .args(args);
        outer.run_cmd(&mut cmd, args)
    };
    run(&["intake", "--name", "王先生", "--channel", "phone", "--summary", "壞了"]).ok();
    let checked = run(&["check"]).ok();
    assert!(!checked.stderr.contains("git cannot read"), "{}", checked.stderr);
    assert!(
        git(&outer, &["status", "--porcelain"]).contains("shop/"),
        "the outer repository was not committed to"
    );
}

/// kefu reads the branch tip from the ref files when it can (no git process), loose or
/// packed (`git pack-refs`, `git gc`); every commit still lands on the branch, after
/// the one before.
#[test]
fn commits_follow_the_branch_whether_its_ref_is_loose_or_packed() {
    let env = Env::new();
    let first = env.intake("王先生", &[]);
    git(&env, &["pack-refs", "--all"]);
    let branch = git(&env, &["symbolic-ref", "HEAD"]);
    assert!(
        !env.path(&format!(".git/{}", branch.trim())).exists(),
        "the ref is still loose"
    );
    let second = env.intake("李女士", &[]);
    let log = git(&env, &["log", "--format=%s"]);
    let subjects: Vec<&str> = log.lines().collect();
    assert_eq!(subjects.len(), 3, "{log}");
    assert!(subjects[0].contains(&second) && subjects[1].contains(&first), "{log}");
    assert_eq!(git(&env, &["status", "--porcelain"]).trim(), "");
}

/// A large import is one commit whose tree is exactly what `git add` of the same files
/// would make, across two month folders (one new, one already holding cases), with
/// the user's index entries for the new files and nothing else changed. (Past 64
/// files the commit writes each month folder's tree whole instead of a file at a time.)
#[test]
fn a_large_import_commits_the_same_tree_as_git_add_would() {
    let env = Env::new();
    let earlier = env.intake("王先生", &["--received-at", "2026-10-05 09:00"]);
    std::fs::write(env.path("notes.txt"), "to do\n").unwrap();
    git(&env, &["add", "notes.txt"]);
    let mut csv = String::from("name,channel,summary,received_at,source_ref\n");
    for i in 0..150 {
        let day = if i % 3 == 0 { "2026-10-20" } else { "2026-11-02" };
        csv.push_str(&format!("客戶{i},phone,第 {i} 件,{day} 10:00,S{i}\n"));
    }
    std::fs::write(env.path("rows.csv"), csv).unwrap();
    let before = commits(&env);
    env.run(&["import", "rows.csv"]).ok();
    assert_eq!(commits(&env), before + 1);
    let files = head_files(&env);
    assert_eq!(files.len(), 150, "{files:?}");
    assert!(!files.contains(&case_file(&earlier)));
    // The new files are staged as committed; the user's staged file still is staged.
    let status = git(&env, &["status", "--porcelain"]);
    assert_eq!(status.trim(), "A  notes.txt\n?? rows.csv".trim(), "{status}");
    // The commit's tree is the tree git makes of the work tree's cases.
    git(&env, &["stash", "push", "--quiet", "--", "notes.txt"]);
    let committed = git(&env, &["rev-parse", "HEAD^{tree}"]);
    let cases = git(&env, &["rev-parse", "HEAD:cases"]);
    git(&env, &["add", "cases"]);
    let made = git(&env, &["write-tree", "--prefix=cases/"]);
    assert_eq!(cases, made, "cases/ as committed and as git add makes it");
    assert_eq!(git(&env, &["rev-parse", "HEAD^{tree}"]), committed);
    git(&env, &["fsck", "--no-dangling"]);
    // Each new case's history is its one commit.
    let some = files.iter().find(|f| f.contains("/2026/10/")).expect("an October case");
    let id = Path::new(some).file_stem().unwrap().to_str().unwrap().to_string();
    let log = env.run(&["log", &id]).ok();
    assert_eq!(log.stdout.lines().count(), 1, "{}", log.stdout);
}
