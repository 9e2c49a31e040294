//! The documentation runs: every shell block marked runnable (an info string of
//! `sh run`) in README.md and docs/ is executed, in order, file by file, in a fresh
//! temporary directory with this build's `kefu` first on PATH. A block that fails
//! fails the test, naming the file and the block's first line.
//!
//! Blocks of one file share one shell, so a `cd` or a variable set in an earlier block
//! holds in the later ones, as it would for a reader typing them in order.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One runnable block: where it starts, and its text.
struct Block {
    line: usize,
    text: String,
}

fn runnable_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    // Inside a fence: `Some(block)` when the fence is runnable, `None` when it is not.
    let mut fence: Option<Option<Block>> = None;
    for (n, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let is_fence = trimmed.starts_with("```");
        match (&mut fence, is_fence) {
            (None, true) => {
                let info: Vec<&str> = trimmed.trim_start_matches('`').split_whitespace().collect();
                let runnable = matches!(info.first(), Some(&"sh") | Some(&"bash")) && info.contains(&"run");
                fence = Some(runnable.then(|| Block {
                    line: n + 1,
                    text: String::new(),
                }));
            }
            (None, false) => {}
            (Some(open), true) => {
                blocks.extend(open.take());
                fence = None;
            }
            (Some(Some(block)), false) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (Some(None), false) => {}
        }
    }
    blocks
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
fn script(blocks: &[Block]) -> String {
    let mut s = String::from("set -euo pipefail\n");
    for b in blocks {
        s.push_str(&format!("echo '@@block {}' >&2\n", b.line));
        s.push_str(&b.text);
    }
    s
}

#[test]
fn every_runnable_block_in_the_docs_runs() {
    let kefu = Path::new(env!("CARGO_BIN_EXE_kefu"));
    let bin_dir = kefu.parent().expect("binary folder");
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut ran = 0;
    for file in doc_files() {
        let text = std::fs::read_to_string(&file).expect("read doc");
        let blocks = runnable_blocks(&text);
        if blocks.is_empty() {
            continue;
        }
        let dir = tempfile::Builder::new().prefix("kefu-doc").tempdir().expect("temp dir");
        let out = Command::new("bash")
            .arg("-c")
            .arg(script(&blocks))
            .env_clear()
            .env("PATH", &path)
            .env("HOME", dir.path())
            .env("TZ", "Asia/Taipei")
            .env("LANG", "C.UTF-8")
            .env("NO_COLOR", "1")
            .env("KEFU_NOW", "2026-11-24T09:00:00+08:00")
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
            "{}: the runnable block at line {block} failed ({})\nstdout:\n{}\nstderr:\n{}",
            file.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            stderr
        );
        ran += blocks.len();
    }
    assert!(ran > 0, "no runnable block found in README.md or docs/");
}

#[test]
fn runnable_blocks_are_found_and_others_skipped() {
    let md = "text\n```sh run\necho one\n```\n```sh\nnot run\n```\n```\nplain\n```\n```bash run\necho two\n```\n";
    let blocks = runnable_blocks(md);
    let texts: Vec<(usize, &str)> = blocks.iter().map(|b| (b.line, b.text.as_str())).collect();
    assert_eq!(texts, vec![(2, "echo one\n"), (11, "echo two\n")]);
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
