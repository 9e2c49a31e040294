//! The derived cache (`.kefu/cache/`) never changes an answer: cold, warm, stale after a
//! hand edit behind kefu's back, or corrupted.

use std::fs;
use std::time::Duration;

use crate::env::{Env, case_file, class};

const COMMANDS: &[&[&str]] = &[
    &["list", "--json"],
    &["list", "--open"],
    &["list", "--overdue", "--json"],
    &["list", "--status", "closed", "--json"],
    &["due", "--within", "30d", "--json"],
    &["friday", "--no-sweep", "--json", "--week", "2026-W47"],
    &[
        "friday",
        "--no-sweep",
        "--json",
        "--from",
        "2026-10-01",
        "--to",
        "2026-11-24",
    ],
    &["check", "--json"],
];

fn answers(env: &Env, cold: bool) -> Vec<String> {
    COMMANDS
        .iter()
        .map(|args| {
            if cold {
                let _ = fs::remove_dir_all(env.path(".kefu/cache"));
            }
            let run = env.run(args);
            format!("{args:?} exit {}\n{}{}", run.code, run.stdout, run.stderr)
        })
        .collect()
}

/// A workspace with cases in many states, old enough for the cache to hold them.
fn workspace() -> Env {
    let mut env = Env::new();
    for (i, day) in ["2026-10-20", "2026-11-02", "2026-11-10", "2026-11-17", "2026-11-19"]
        .iter()
        .enumerate()
    {
        env.set_now(&format!("{day}T09:00:00+08:00"));
        let a = env.classified(&format!("甲{i}"));
        let b = env.intake(
            &format!("乙{i}"),
            &[
                &["--contact", "13800000000", "--product", "燒餅"][..],
                &class("quality", "moderate", "sales"),
            ]
            .concat(),
        );
        env.intake(&format!("丙{i}"), &[]);
        env.run(&["handoff", &b, "--to", "sales"]).ok();
        env.close(&a, "satisfied", None).ok();
    }
    env.set_now("2026-11-23T10:00:00+08:00");
    env.run(&["sweep"]).ok();
    // Files changed in the last two seconds are never cached; let these age.
    std::thread::sleep(Duration::from_millis(2100));
    env
}

#[test]
fn cold_warm_stale_and_corrupt_caches_give_the_same_answers() {
    let env = workspace();
    let cold = answers(&env, true);
    assert!(cold[0].contains("\"id\": \"20261020-001\""), "{}", cold[0]);
    let warm = answers(&env, false);
    assert!(env.path(".kefu/cache/20261102").is_file(), "the cache was written");
    assert_eq!(warm, cold);
    assert_eq!(answers(&env, false), cold, "a second warm run");

    // A hand edit behind kefu's back: same size, and the old modification time put back.
    let path = env.path("cases/2026/11/20261110-002.toml");
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("燒餅烙糊了", "燒餅烤焦了", 1)).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let stale = answers(&env, false);
    assert!(stale[0].contains("燒餅烤焦了"), "the edit is seen");
    assert_eq!(stale, answers(&env, true));

    // A hand edit that breaks the file: reported the same way, cache or not.
    fs::write(&path, text.replacen("status = ", "status = \"closed\"\nx = ", 1)).unwrap();
    let broken = answers(&env, false);
    assert!(
        broken[0].contains("warning: skipped cases/2026/11/20261110-002.toml"),
        "{}",
        broken[0]
    );
    assert_eq!(broken, answers(&env, true));
    fs::write(&path, &text).unwrap();

    // Corrupted shards: flipped bytes, truncation, garbage, another version's.
    let fresh = answers(&env, true);
    let _ = answers(&env, false);
    let shards: Vec<_> = fs::read_dir(env.path(".kefu/cache"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(shards.len() >= 4, "{shards:?}");
    for (i, shard) in shards.iter().enumerate() {
        let mut bytes = fs::read(shard).unwrap();
        match i % 4 {
            0 => {
                let n = bytes.len();
                for k in (40..n).step_by(97) {
                    bytes[k] ^= 0x5a;
                }
            }
            1 => bytes.truncate(bytes.len() / 2),
            2 => bytes = b"\x00\xffnot a cache at all".to_vec(),
            _ => bytes = bytes.iter().map(|b| b.wrapping_add(1)).collect(),
        }
        fs::write(shard, bytes).unwrap();
    }
    assert_eq!(answers(&env, false), fresh);
    // A shard replaced by a directory, or unreadable: still the same answers.
    let shard = &shards[0];
    fs::remove_file(shard).unwrap();
    fs::create_dir(shard).unwrap();
    assert_eq!(answers(&env, false), fresh);
}

#[test]
fn a_case_changed_by_a_git_checkout_is_read_again() {
    let mut env = workspace();
    let before = answers(&env, false);
    let id = "20261117-002";
    env.set_now("2026-11-23T11:00:00+08:00");
    env.run(&["reply", id, "--from", "sales", "--text", "已退款"]).ok();
    std::thread::sleep(Duration::from_millis(2100));
    let after_reply = answers(&env, false);
    assert_ne!(after_reply, before);
    env.git(&["checkout", "HEAD~1", "--", &crate::env::case_file(id)]);
    let back = answers(&env, false);
    assert_eq!(back[0], before[0], "the checked-out content is what is listed");
    assert_eq!(back[4], before[4], "and what is due");
}

/// A day of more cases than a scan holds at once (1,024), and a file of the older flat
/// layout from a month without a folder: each case comes once, in id order (`-999`
/// before `-1000`), whether parsed or taken from the cache.
#[test]
fn a_scan_of_more_cases_than_it_holds_at_once_visits_each_once_in_order() {
    let env = Env::new();
    let first = env.intake("王先生", &[]);
    let october = env.intake("李女士", &["--received-at", "2026-10-31 23:00"]);
    let text = env.case_text(&first);
    let mut expected = vec![october.clone(), first.clone()];
    for n in 2..=1100 {
        let id = format!("{}-{n:03}", &first[..8]);
        fs::write(env.path(&case_file(&id)), text.replace(&first, &id)).unwrap();
        expected.push(id);
    }
    let month = env.path(&case_file(&october));
    fs::rename(&month, env.path(&format!("cases/{october}.toml"))).unwrap();
    fs::remove_dir(month.parent().unwrap()).unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    let _ = fs::remove_dir_all(env.path(".kefu/cache"));
    let cold = env.list_ids(&[]);
    assert_eq!(cold.len(), expected.len());
    assert_eq!(cold, expected);
    assert!(env.path(&format!(".kefu/cache/{}", &first[..8])).exists());
    assert_eq!(env.list_ids(&[]), expected);
}
