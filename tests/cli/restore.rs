//! Export then import is a backup and a restore (SPEC §9.14, §17.11): every case comes
//! back under its own id, with its history, closed cases closed, and nothing charged
//! twice; running it again changes nothing.

use crate::env::Env;
use crate::history::sample;

const NOW: &str = "2026-12-04T12:00:00+08:00";

fn exported(env: &Env) -> String {
    env.run(&["export", "--format", "jsonl"]).ok().stdout
}

/// An empty workspace with the sample's config, outside git.
fn new_shop() -> Env {
    let mut env = Env::empty();
    env.set_now(NOW);
    let top = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(env.path("config")).expect("mkdir");
    std::fs::create_dir_all(env.path("cases")).expect("mkdir");
    std::fs::copy(top.join("config/kefu.toml"), env.path("config/kefu.toml")).expect("copy");
    env
}

#[test]
fn an_export_restores_into_a_new_shop_as_it_was() {
    let mut shop = sample();
    shop.set_now(NOW);
    let backup = exported(&shop);
    let file = shop.path("backup.jsonl");
    std::fs::write(&file, &backup).expect("write");
    let cases = backup.lines().count();
    assert!(cases > 40);

    let other = new_shop();
    let run = other.run(&["import", &file.to_string_lossy(), "--json"]).ok();
    assert_eq!(run.json()["created"], cases);
    // The same cases, ids, statuses, deadlines, escalations and penalties, as every read shows them.
    assert_eq!(exported(&other), backup);
    for args in [
        vec!["friday", "--week", "2026-W47", "--no-sweep", "--json"],
        vec!["due", "--json"],
    ] {
        assert_eq!(other.run(&args).ok().stdout, shop.run(&args).ok().stdout, "{args:?}");
    }
    // A sweep in the new shop records nothing the old shop's reads did not already show.
    other.run(&["sweep"]).ok();
    assert_eq!(exported(&other), backup);

    // Again: every case is already here with the same history.
    let again = other.run(&["import", &file.to_string_lossy(), "--json"]).ok().json();
    assert_eq!(
        (again["created"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(cases as u64))
    );
    other.run(&["check"]).ok();

    // A new complaint on a restored day gets a number after the restored ones.
    let first = backup.lines().next().map(|l| l[7..19].to_string()).unwrap_or_default();
    let day = &first[..8];
    let id = other.intake(
        "新客戶",
        &[
            "--received-at",
            &format!("{}-{}-{} 18:00", &day[..4], &day[4..6], &day[6..]),
        ],
    );
    assert!(
        id.as_str()
            > backup
                .lines()
                .filter(|l| l.contains(&format!("\"{day}-")))
                .map(|l| &l[7..19])
                .max()
                .unwrap_or(""),
        "{id}"
    );
}

#[test]
fn the_same_id_with_another_history_is_a_bad_row_and_nothing_is_written() {
    let mut shop = sample();
    shop.set_now(NOW);
    let backup = exported(&shop);
    let other = new_shop();
    let file = other.path("backup.jsonl");
    std::fs::write(&file, &backup).expect("write");
    other.run(&["import", &file.to_string_lossy()]).ok();
    // One case's history told differently: another summary of the intake.
    let first = backup.lines().next().unwrap_or_default();
    let changed: serde_json::Value = {
        let mut v: serde_json::Value = serde_json::from_str(first).expect("json");
        let events = v["events"].as_array_mut().expect("events");
        events.retain(|e| e["kind"] != "close");
        v
    };
    std::fs::write(&file, format!("{changed}\n")).expect("write");
    let before = other.snapshot();
    let run = other.run(&["import", &file.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        // A Traditional Chinese shop (the sample config) reads it in its language.
        run.stderr.contains("此編號的案件已存在，但經過不同"),
        "{}",
        run.stderr
    );
    assert!(other.snapshot() == before);
}
