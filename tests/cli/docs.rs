//! The documentation runs: every shell block marked runnable in README.md and docs/ is
//! executed, in order, file by file, with this build's `kefu` first on PATH. A block
//! that fails fails the test, naming the file and the block's first line.
//!
//! - `sh run` blocks run in a fresh empty temporary directory (they start with
//!   `kefu init`).
//! - `sh sample` blocks run in a fresh temporary copy of this repository's sample
//!   workspace (`config/` and `cases/`; its config has `auto_commit = false`, so no git
//!   is needed), with the files of `docs/examples/` copied into its top folder, at
//!   [`SAMPLE_NOW`].
//!
//! The blocks of one kind in one file share one shell, so a `cd` or a variable set in an
//! earlier block holds in the later ones, as it would for a reader typing them in order.
//! A shell block that shows a kefu command but is neither kind fails the test too, so
//! no command in the docs goes unrun.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The moment the `sh run` blocks act at (a Tuesday, the day after the walkthroughs'
/// Monday).
const RUN_NOW: &str = "2026-11-24T09:00:00+08:00";

/// The moment the `sh sample` blocks act at: Friday of the week after the sample's last
/// week (2026-10-26 .. 2026-11-22), so `kefu friday` and `kefu circular` report
/// 2026-W47 by default and the example sheets' complaints are all in the past.
const SAMPLE_NOW: &str = "2026-11-27T17:00:00+08:00";

/// Where a runnable block runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// `sh run`: a fresh empty folder.
    Empty,
    /// `sh sample`: a fresh copy of the sample workspace.
    Sample,
}

impl Place {
    /// The info string that marks it.
    fn marker(self) -> &'static str {
        match self {
            Place::Empty => "sh run",
            Place::Sample => "sh sample",
        }
    }
}

/// One fenced block: where it starts, the words of its info string, and its text.
struct Fence {
    line: usize,
    info: Vec<String>,
    text: String,
}

impl Fence {
    fn is_shell(&self) -> bool {
        matches!(self.info.first().map(String::as_str), Some("sh") | Some("bash"))
    }

    fn place(&self) -> Option<Place> {
        if !self.is_shell() {
            None
        } else if self.info.iter().any(|w| w == "sample") {
            Some(Place::Sample)
        } else if self.info.iter().any(|w| w == "run") {
            Some(Place::Empty)
        } else {
            None
        }
    }
}

fn fences(markdown: &str) -> Vec<Fence> {
    let mut fences = Vec::new();
    let mut open: Option<Fence> = None;
    for (n, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let is_fence = trimmed.starts_with("```");
        match (&mut open, is_fence) {
            (None, true) => {
                open = Some(Fence {
                    line: n + 1,
                    info: trimmed
                        .trim_start_matches('`')
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect(),
                    text: String::new(),
                });
            }
            (None, false) => {}
            (Some(_), true) => fences.extend(open.take()),
            (Some(fence), false) => {
                fence.text.push_str(line);
                fence.text.push('\n');
            }
        }
    }
    fences
}

/// The runnable blocks of one place, in order.
fn runnable_blocks(markdown: &str, place: Place) -> Vec<Fence> {
    fences(markdown)
        .into_iter()
        .filter(|f| f.place() == Some(place))
        .collect()
}

/// Whether a shell line runs kefu: one of its commands (split at `|`, `&&`, `||`, `;`
/// and `$(`), after any `NAME=value` assignments, is `kefu`.
fn runs_kefu(line: &str) -> bool {
    let code = match line.find(" #") {
        Some(i) => &line[..i],
        None if line.trim_start().starts_with('#') => "",
        None => line,
    };
    code.split(['|', '&', ';'])
        .flat_map(|part| part.split("$("))
        .any(|command| {
            command
                .split_whitespace()
                .find(|word| !is_assignment(word))
                .is_some_and(|word| word == "kefu")
        })
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=')
        .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

fn doc_files() -> Vec<PathBuf> {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![top.join("README.md")];
    let mut stack = vec![top.join("docs")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The script for one file: each block announces itself on stderr, so a failure can be
/// traced to the block that was running.
fn script(blocks: &[Fence]) -> String {
    let mut s = String::from("set -euo pipefail\n");
    for b in blocks {
        s.push_str(&format!("echo '@@block {}' >&2\n", b.line));
        s.push_str(&b.text);
    }
    s
}

/// Copies the files under `from` into `to`, leaving out hidden ones (a lock, a
/// half-written case, a cache of the checkout).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy file");
        }
    }
}

/// A fresh folder for the blocks of one place.
fn workspace(place: Place) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("kefu-doc").tempdir().expect("temp dir");
    if place == Place::Sample {
        let top = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_tree(&top.join("config"), &dir.path().join("config"));
        copy_tree(&top.join("cases"), &dir.path().join("cases"));
        copy_tree(&top.join("docs/examples"), dir.path());
    }
    dir
}

#[test]
fn every_runnable_block_in_the_docs_runs() {
    let kefu = Path::new(env!("CARGO_BIN_EXE_kefu"));
    let bin_dir = kefu.parent().expect("binary folder");
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut ran = [0, 0];
    for file in doc_files() {
        let text = std::fs::read_to_string(&file).expect("read doc");
        for (i, place) in [Place::Empty, Place::Sample].into_iter().enumerate() {
            let blocks = runnable_blocks(&text, place);
            if blocks.is_empty() {
                continue;
            }
            let dir = workspace(place);
            let now = match place {
                Place::Empty => RUN_NOW,
                Place::Sample => SAMPLE_NOW,
            };
            let out = Command::new("bash")
                .arg("-c")
                .arg(script(&blocks))
                .env_clear()
                .env("PATH", &path)
                .env("HOME", dir.path())
                .env("TZ", "Asia/Taipei")
                .env("LANG", "C.UTF-8")
                .env("NO_COLOR", "1")
                .env("KEFU_NOW", now)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_AUTHOR_NAME", "docs")
                .env("GIT_AUTHOR_EMAIL", "docs@example.com")
                .env("GIT_COMMITTER_NAME", "docs")
                .env("GIT_COMMITTER_EMAIL", "docs@example.com")
                .current_dir(dir.path())
                .stdin(std::process::Stdio::null())
                .output()
                .expect("run bash");
            let stderr = String::from_utf8_lossy(&out.stderr);
            let block = stderr
                .lines()
                .filter_map(|l| l.strip_prefix("@@block "))
                .next_back()
                .unwrap_or("?");
            assert!(
                out.status.success(),
                "{}: the `{}` block at line {block} failed ({})\nstdout:\n{}\nstderr:\n{}",
                file.display(),
                place.marker(),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                stderr
            );
            ran[i] += blocks.len();
        }
    }
    assert!(ran[0] > 0, "no `sh run` block found in README.md or docs/");
    assert!(ran[1] > 0, "no `sh sample` block found in README.md or docs/");
}

/// A kefu command shown in a shell block that is not run could be wrong without anyone
/// noticing: every such block must be `sh run` or `sh sample`.
#[test]
fn every_shell_block_showing_kefu_is_run() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut unrun = Vec::new();
    for file in doc_files() {
        let text = std::fs::read_to_string(&file).expect("read doc");
        for fence in fences(&text) {
            if !fence.is_shell() || fence.place().is_some() {
                continue;
            }
            if let Some((n, line)) = fence.text.lines().enumerate().find(|(_, l)| runs_kefu(l)) {
                unrun.push(format!(
                    "{}:{}: `{}` is in a shell block that is not run (mark it `sh run` or `sh sample`)",
                    file.strip_prefix(top).unwrap_or(&file).display(),
                    fence.line + 1 + n,
                    line.trim()
                ));
            }
        }
    }
    assert!(unrun.is_empty(), "{}", unrun.join("\n"));
}

#[test]
fn runnable_blocks_are_found_and_others_skipped() {
    let md = "text\n```sh run\necho one\n```\n```sh\nnot run\n```\n```\nplain\n```\n```bash run\necho two\n```\n\
              ```sh sample\necho three\n```\n```text\nsample\n```\n";
    let found = |place| -> Vec<(usize, String)> {
        runnable_blocks(md, place)
            .into_iter()
            .map(|b| (b.line, b.text))
            .collect()
    };
    assert_eq!(
        found(Place::Empty),
        vec![(2, "echo one\n".to_owned()), (11, "echo two\n".to_owned())]
    );
    assert_eq!(found(Place::Sample), vec![(14, "echo three\n".to_owned())]);
}

#[test]
fn kefu_commands_are_recognised_in_shell_lines() {
    for line in [
        "kefu due",
        "  kefu list --open     # all open cases",
        "cat more.jsonl | kefu import - --format jsonl --json",
        "id=$(kefu intake --name 王先生",
        "cd shop && kefu due",
        "KEFU_NOW=2026-11-23T09:20:00+08:00 kefu classify $id",
        "id2=$(KEFU_NOW=2026-11-23T11:05:00+08:00 kefu intake --name 張女士",
    ] {
        assert!(runs_kefu(line), "{line:?} runs kefu");
    }
    for line in [
        "cargo run --release -- friday --week 2026-W47",
        "python3 benches/run.py",
        "# then kefu due",
        "tests/windows-smoke.sh          # or KEFU_EXE=path/to/kefu.exe tests/windows-smoke.sh",
        "echo kefu due",
    ] {
        assert!(!runs_kefu(line), "{line:?} does not run kefu");
    }
}

/// A newcomer finds, before the README's first command section, how to install, how to
/// run the sample report, and every guide in docs/.
#[test]
fn the_readmes_first_screen_links_every_guide() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(top.join("README.md")).expect("README.md");
    assert!(readme.lines().count() <= 250, "README.md has grown past 250 lines");
    let first_screen = readme.split("\n## The two commands").next().expect("README text");
    assert!(
        first_screen.lines().count() <= 40,
        "the README's first screen is over 40 lines"
    );
    for needle in ["cargo install --path .", "friday --week 2026-W47 --no-sweep"] {
        assert!(
            first_screen.contains(needle),
            "the README's first screen lacks {needle:?}"
        );
    }
    for file in doc_files().iter().filter(|f| f.parent() == Some(&top.join("docs"))) {
        let name = file.file_name().expect("file name").to_string_lossy();
        assert!(
            first_screen.contains(&format!("(docs/{name})")),
            "the README's first screen does not link docs/{name}"
        );
    }
}

/// The sheet import-export.md shows is the one a reader finds in docs/examples/ (and the
/// one its `sh sample` block imports).
#[test]
fn the_weekly_csv_shown_is_the_example_file() {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(top.join("docs/import-export.md")).expect("import-export.md");
    let shown = fences(&guide)
        .into_iter()
        .find(|f| f.info.first().is_some_and(|w| w == "csv"))
        .expect("a csv block in docs/import-export.md");
    let file = std::fs::read_to_string(top.join("docs/examples/weekly.csv")).expect("weekly.csv");
    assert_eq!(shown.text, file);
}
