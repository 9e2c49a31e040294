//! `Env`: a temporary workspace and a way to run the real binary in it with a fixed
//! clock and a clean environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

pub struct Env {
    pub dir: TempDir,
    pub now: String,
}

/// What a run printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub args: Vec<String>,
}

impl Run {
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "kefu {:?} failed\nstdout: {}\nstderr: {}",
            self.args, self.stdout, self.stderr
        );
        self
    }

    /// Exit 1 with a one-line error containing `needle`.
    pub fn fails(self, needle: &str) -> Run {
        let run = self.exits(1, "fail with 1", needle);
        assert!(run.stderr.starts_with("error: "), "stderr: {}", run.stderr);
        assert_eq!(
            run.stderr.trim_end().lines().count(),
            1,
            "error is not one line: {}",
            run.stderr
        );
        run
    }

    /// Exit 2, a usage error, with `needle` on stderr; nothing on stdout.
    pub fn usage(self, needle: &str) -> Run {
        let run = self.exits(2, "be a usage error (2)", needle);
        assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
        run
    }

    /// Exit `code` (the run should `what`) with `needle` on stderr.
    fn exits(self, code: i32, what: &str, needle: &str) -> Run {
        assert_eq!(
            self.code, code,
            "kefu {:?} should {what}\nstdout: {}\nstderr: {}",
            self.args, self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "kefu {:?}: stderr lacks {needle:?}:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    /// `kefu check` found a problem (exit 1) and its report names every one of `needles`.
    pub fn finds(self, needles: &[&str]) -> Run {
        assert_eq!(
            self.code, 1,
            "kefu {:?} should find a problem\nstdout: {}",
            self.args, self.stdout
        );
        for needle in needles {
            assert!(
                self.stdout.contains(needle),
                "kefu {:?}: no {needle:?} in\n{}",
                self.args,
                self.stdout
            );
        }
        self
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("kefu {:?}: stdout is not JSON ({e}): {}", self.args, self.stdout))
    }

    /// stdout, trimmed: the id printed by intake.
    pub fn id(&self) -> String {
        self.stdout.trim().to_string()
    }
}

pub const NOW: &str = "2026-11-23T10:15:00+08:00";

/// The classification most tests give: quality, general, to the service station.
pub const GENERAL: [&str; 6] = class("quality", "general", "service");

/// The flags of a classification: `--category C --level L --department D`.
pub const fn class<'a>(category: &'a str, level: &'a str, department: &'a str) -> [&'a str; 6] {
    ["--category", category, "--level", level, "--department", department]
}

/// A complaint with wide text everywhere (a long CJK summary, Chinese labels), for
/// tests of how tables fit a terminal: `intake` and its flags after the name.
pub const WIDE: [&str; 13] = [
    "--contact",
    "13800000000",
    "--channel",
    "電話",
    "--summary",
    "烤箱把燒餅烙糊了兩次，顧客要求退款、道歉並賠償精神損失費",
    "--category",
    "產品質量",
    "--level",
    "一般",
    "--department",
    "綜合管理部",
    "--external",
];

/// The arguments of an intake of `name` by phone with a summary, plus `extra`.
pub fn intake_args<'a>(name: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "intake",
        "--name",
        name,
        "--channel",
        "phone",
        "--summary",
        "燒餅烙糊了",
    ];
    args.extend_from_slice(extra);
    args
}

/// A one-step close of `id` (resolution and remedy incidental) with the customer's answer.
pub fn close_args<'a>(id: &'a str, satisfaction: &'a str) -> Vec<&'a str> {
    vec![
        "close",
        id,
        "--resolution",
        "resolved",
        "--remedy",
        "refund",
        "--satisfaction",
        satisfaction,
    ]
}

/// Where [`Env::case`] brings a new case, named by the status it ends in. Each state is
/// reached the shortest usual way: a replied case was handed off and answered by the
/// department (which signs for it); a deferred one was signed for first; a closed one
/// closed in one step once classified; a rejected one was never classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Received,
    Classified,
    HandedOff,
    Acknowledged,
    Replied,
    CloseRequested,
    Closed,
    Deferred,
    Rejected,
}

impl Env {
    /// A new workspace made by `kefu init` (with its own git repository): a Taiwanese
    /// shop's default labels, with messages in English.
    pub fn new() -> Env {
        let env = Env::empty();
        let mut cmd = env.command();
        cmd.env("LANG", "zh_TW.UTF-8").args(["init", "--lang", "en"]);
        env.run_cmd(&mut cmd, &["init"]).ok();
        env
    }

    /// A temporary directory, no workspace in it yet.
    pub fn empty() -> Env {
        Env {
            dir: tempfile::Builder::new()
                .prefix("kefu-test")
                .tempdir()
                .expect("temp dir"),
            now: NOW.to_string(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn set_now(&mut self, now: &str) -> &mut Env {
        self.now = now.to_string();
        self
    }

    /// The binary with a clean environment: fixed clock, zone, language, no colour,
    /// no terminal, a private HOME and git identity.
    pub fn command(&self) -> Command {
        self.command_for(env!("CARGO_BIN_EXE_kefu"))
    }

    /// Another program (a shell running a loop of kefu runs) in the same clean environment.
    pub fn command_for(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.root())
            .env("KEFU_ROOT", self.root())
            .env("KEFU_NOW", &self.now)
            .env("TZ", "UTC")
            .env("LANG", "C.UTF-8")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "200")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .current_dir(self.root())
            .stdin(Stdio::null());
        cmd
    }

    /// Move the clock to `now` and run `args`, which must succeed.
    pub fn run_at(&mut self, now: &str, args: &[&str]) -> Run {
        self.set_now(now);
        self.run(args).ok()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_cmd(self.command().args(args), args)
    }

    pub fn run_cmd(&self, cmd: &mut Command, args: &[&str]) -> Run {
        run_output(cmd, args)
    }

    /// Run git in the workspace (see [`git_in`]); its stdout.
    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.root(), self.root(), args)
    }

    /// Commit by hand, as someone other than kefu: `git commit -q ARGS`.
    pub fn commit_by_hand(&self, args: &[&str]) {
        self.git(&[&["commit", "-q"][..], args].concat());
    }

    /// `kefu intake` of `name` by phone with a summary, plus `extra`: its run, unchecked.
    pub fn intake_run(&self, name: &str, extra: &[&str]) -> Run {
        self.run(&intake_args(name, extra))
    }

    /// Record a complaint; its id.
    pub fn intake(&self, name: &str, extra: &[&str]) -> String {
        self.intake_run(name, extra).ok().id()
    }

    /// An intake classified general/quality/service.
    pub fn classified(&self, name: &str) -> String {
        self.intake(name, &GENERAL)
    }

    /// A complaint of `name`, classified general/quality/service and brought to `state`
    /// by the real commands, each at the environment's clock: its id.
    pub fn case(&self, name: &str, state: State) -> String {
        use State::*;
        let step = |args: &[&str]| {
            self.run(args).ok();
        };
        if matches!(state, Received | Rejected) {
            let id = self.intake(name, &[]);
            if state == Rejected {
                step(&["reject", &id, "--reason", "not ours"]);
            }
            return id;
        }
        let id = self.classified(name);
        if matches!(state, HandedOff | Acknowledged | Replied | Deferred) {
            step(&["handoff", &id, "--to", "service"]);
        }
        if matches!(state, Acknowledged | Deferred) {
            step(&["ack", &id]);
        }
        match state {
            Replied => step(&["reply", &id, "--from", "service", "--text", "已處理"]),
            Deferred => step(&["defer", &id, "--reason", "waiting for parts", "--follow-up", "watch"]),
            CloseRequested => step(&[
                "close",
                &id,
                "--request",
                "--resolution",
                "resolved",
                "--remedy",
                "refund",
            ]),
            Closed => step(&close_args(&id, "satisfied")),
            _ => {}
        }
        id
    }

    /// The ids `kefu list --json ARGS` prints, in its order.
    pub fn list_ids(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        strings(&self.run(&all).ok().json(), "id")
    }

    /// Record a close (resolution and remedy incidental), requested now or at `requested_at`.
    pub fn close(&self, id: &str, satisfaction: &str, requested_at: Option<&str>) -> Run {
        let mut args = close_args(id, satisfaction);
        if let Some(t) = requested_at {
            args.extend(["--requested-at", t]);
        }
        self.run(&args)
    }

    pub fn show(&self, id: &str) -> Value {
        self.run(&["show", id, "--json"]).ok().json()
    }

    pub fn case_text(&self, id: &str) -> String {
        std::fs::read_to_string(self.path(&crate::env::case_file(id))).expect("case file")
    }

    /// Every file of the workspace but git's and kefu's own state, with its bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![self.root().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
                let path = entry.path();
                let name = entry.file_name();
                if name == ".git" || name == ".kefu" {
                    continue;
                }
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.insert(
                        path.strip_prefix(self.root()).unwrap().to_path_buf(),
                        std::fs::read(&path).unwrap_or_default(),
                    );
                }
            }
        }
        files
    }
}

/// Run a prepared command (kefu, or a shell running kefu) to its end; what it printed.
pub fn run_output(cmd: &mut Command, args: &[&str]) -> Run {
    let out = cmd.output().expect("run kefu");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        args: args.iter().map(|s| s.to_string()).collect(),
    }
}

/// Run git in `dir` as the harness runs kefu: no system or global config, HOME at
/// `home`, and for commits made by hand an identity of its own (`a <a@b>`). It must
/// succeed; its stdout.
pub fn git_in(dir: &Path, home: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C")
        .env("GIT_AUTHOR_NAME", "a")
        .env("GIT_AUTHOR_EMAIL", "a@b")
        .env("GIT_COMMITTER_NAME", "a")
        .env("GIT_COMMITTER_EMAIL", "a@b");
    stdout_of(&mut cmd)
}

/// Run a helper program (git, kefu-bench) that must succeed; its stdout.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A case's file relative to the workspace: `cases/YYYY/MM/<id>.toml` (SPEC §13.1).
pub fn case_file(id: &str) -> String {
    format!("cases/{}/{}/{id}.toml", &id[..4], &id[4..6])
}

/// One string field of every element of a JSON array: `strings(&case["events"], "kind")`.
pub fn strings(array: &Value, field: &str) -> Vec<String> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .map(|v| {
            v[field]
                .as_str()
                .unwrap_or_else(|| panic!("no string {field} in {v}"))
                .to_string()
        })
        .collect()
}

/// The first element of a JSON array whose `field` is `value`:
/// `element(&report["departments"], "department", "sales")`.
pub fn element<'a>(array: &'a Value, field: &str, value: &str) -> &'a Value {
    array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .find(|v| v[field] == value)
        .unwrap_or_else(|| panic!("no {field} {value:?} in {array}"))
}

/// The strings of a JSON array of strings: `texts(&run.json()["ids"])`.
pub fn texts(array: &Value) -> Vec<String> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).to_string())
        .collect()
}

/// The kinds of a case's events (`kefu show --json`), in order.
pub fn kinds(case: &Value) -> Vec<String> {
    strings(&case["events"], "kind")
}

#[test]
fn a_case_in_each_state_is_made_by_the_commands() {
    let env = Env::new();
    for (state, status) in [
        (State::Received, "received"),
        (State::Classified, "classified"),
        (State::HandedOff, "handed_off"),
        (State::Acknowledged, "acknowledged"),
        (State::Replied, "replied"),
        (State::CloseRequested, "close_requested"),
        (State::Closed, "closed"),
        (State::Deferred, "deferred"),
        (State::Rejected, "rejected"),
    ] {
        let id = env.case("王先生", state);
        assert_eq!(env.show(&id)["status"], status, "{state:?}");
    }
}
