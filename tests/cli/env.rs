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
        assert_eq!(
            self.code, 1,
            "kefu {:?} should fail with 1\nstdout: {}\nstderr: {}",
            self.args, self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "kefu {:?}: stderr lacks {needle:?}:\n{}",
            self.args,
            self.stderr
        );
        assert!(self.stderr.starts_with("error: "), "stderr: {}", self.stderr);
        assert_eq!(
            self.stderr.trim_end().lines().count(),
            1,
            "error is not one line: {}",
            self.stderr
        );
        self
    }

    /// Exit 2, a usage error, with `needle` on stderr; nothing on stdout.
    pub fn usage(self, needle: &str) -> Run {
        assert_eq!(
            self.code, 2,
            "kefu {:?} should be a usage error (2)\nstdout: {}\nstderr: {}",
            self.args, self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "kefu {:?}: stderr lacks {needle:?}:\n{}",
            self.args,
            self.stderr
        );
        assert!(self.stdout.is_empty(), "stdout: {}", self.stdout);
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

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_cmd(self.command().args(args), args)
    }

    pub fn run_cmd(&self, cmd: &mut Command, args: &[&str]) -> Run {
        let out = cmd.output().expect("run kefu");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Record a complaint; its id.
    pub fn intake(&self, name: &str, extra: &[&str]) -> String {
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
        self.run(&args).ok().id()
    }

    /// An intake classified general/quality/service.
    pub fn classified(&self, name: &str) -> String {
        self.intake(
            name,
            &["--category", "quality", "--level", "general", "--department", "service"],
        )
    }

    /// Record a close (resolution and remedy incidental), requested now or at `requested_at`.
    pub fn close(&self, id: &str, satisfaction: &str, requested_at: Option<&str>) -> Run {
        let mut args = vec![
            "close",
            id,
            "--resolution",
            "resolved",
            "--remedy",
            "refund",
            "--satisfaction",
            satisfaction,
        ];
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

/// A case's file relative to the workspace: `cases/YYYY/MM/<id>.toml` (SPEC §13.1).
pub fn case_file(id: &str) -> String {
    format!("cases/{}/{}/{id}.toml", &id[..4], &id[4..6])
}
