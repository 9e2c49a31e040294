//! `--help` (SPEC §12.7) and the clerk's date forms (§12.4): global options apart from
//! the command's own, read commands without the write-only options, and every time
//! form shown in the help of the commands that take times, and read as it says.

use crate::env::Env;

/// The forms of SPEC §12.4 as the help shows them.
const FORMS: &[&str] = &[
    "2026-11-24 14:00",
    "2026/11/24 14:00",
    "2026/11/24",
    "11/24 14:00",
    "2026年11月24日 14:00",
    "今天",
    "明天",
    "後天",
    "昨天",
    "后天",
    "today",
    "tomorrow",
    "yesterday",
    "+2h",
    "+3d",
    "-30m",
];

/// Commands with a time flag, and the flag.
const TIMED: &[(&[&str], &str)] = &[
    (&["intake"], "--received-at"),
    (&["edit"], "--received-at"),
    (&["ack"], "--at"),
    (&["reply"], "--promise"),
    (&["close"], "--requested-at"),
    (&["list"], "--since"),
    (&["export"], "--until"),
    (&["friday"], "--from"),
    (&["calendar"], "--from"),
    (&["penalty", "execute"], "--at"),
];

fn help(env: &Env, command: &[&str]) -> String {
    let args: Vec<&str> = command.iter().copied().chain(["--help"]).collect();
    env.run(&args).ok().stdout
}

#[test]
fn every_time_form_has_an_example_in_the_help_of_commands_that_take_times() {
    let env = Env::new();
    for (command, flag) in TIMED {
        let text = help(&env, command);
        assert!(text.contains(flag), "{command:?}: {flag}");
        for form in FORMS {
            assert!(
                text.contains(form),
                "kefu {command:?} --help lacks the form {form:?}:\n{text}"
            );
        }
    }
    // A command without a time flag is not burdened with them.
    assert!(!help(&env, &["note"]).contains("2026年11月24日"));
}

/// Each form of SPEC §12.4 is read as the help says, in the shop's zone (+08:00), at
/// Monday 2026-11-23 10:15: a date without a year is the latest one not after now.
#[test]
fn every_time_form_is_read_as_the_help_says() {
    let env = Env::new();
    let cases = [
        ("2026-11-24 14:00", "2026-11-24T14:00:00+08:00"),
        ("2026/11/24 14:00", "2026-11-24T14:00:00+08:00"),
        ("2026/11/24", "2026-11-24T00:00:00+08:00"),
        ("2026年11月24日 14:00", "2026-11-24T14:00:00+08:00"),
        ("2026年11月24日", "2026-11-24T00:00:00+08:00"),
        ("11/23 9:00", "2026-11-23T09:00:00+08:00"),
        ("11/24 14:00", "2025-11-24T14:00:00+08:00"),
        ("11/24", "2025-11-24T00:00:00+08:00"),
        ("11月22日", "2026-11-22T00:00:00+08:00"),
        ("今天", "2026-11-23T00:00:00+08:00"),
        ("明天 14:00", "2026-11-24T14:00:00+08:00"),
        ("後天", "2026-11-25T00:00:00+08:00"),
        ("后天 9:30", "2026-11-25T09:30:00+08:00"),
        ("昨天 18:00", "2026-11-22T18:00:00+08:00"),
        ("today 8:00", "2026-11-23T08:00:00+08:00"),
        ("tomorrow", "2026-11-24T00:00:00+08:00"),
        ("yesterday 23:59", "2026-11-22T23:59:00+08:00"),
        ("+2h", "2026-11-23T12:15:00+08:00"),
        ("+3d", "2026-11-26T10:15:00+08:00"),
        ("-30m", "2026-11-23T09:45:00+08:00"),
        ("2026-11-24T14:00:00+08:00", "2026-11-24T14:00:00+08:00"),
    ];
    for (form, want) in cases {
        let report = env
            .run(&[
                "friday",
                "--no-sweep",
                "--from",
                form,
                "--to",
                "2030-01-01 00:00",
                "--json",
            ])
            .ok()
            .json();
        assert_eq!(report["from"], want, "--from {form:?}");
    }
    // A relative time starting with a hyphen is a value, not an option.
    let early = env.intake("王", &["--received-at", "-2h"]);
    assert_eq!(env.show(&early)["received_at"], "2026-11-23T08:15:00+08:00");
    let id = env.classified("王先生");
    // A promise without a year is the next such day.
    env.run(&["reply", &id, "--text", "t", "--promise", "11/23 9:00"]).ok();
    let case = env.show(&id);
    let reply = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["kind"] == "reply")
        .unwrap()
        .clone();
    assert_eq!(reply["promise"], "2027-11-23T09:00:00+08:00", "{reply}");
    env.run(&["friday", "--from", "下周", "--to", "2030-01-01"])
        .fails("--from: expected a time like");
}

/// Global options are grouped apart, after the command's own; read commands do not
/// list `--actor` and `--no-commit` (but take them), write commands do.
#[test]
fn help_groups_global_options_and_read_commands_hide_write_options() {
    let env = Env::new();
    let read: &[&[&str]] = &[
        &["list"],
        &["show"],
        &["due"],
        &["export"],
        &["check"],
        &["log"],
        &["calendar"],
        &["circular"],
        &["notice"],
        &["receivers"],
        &["phrases"],
        &["penalty", "list"],
        &["completions"],
        &["man"],
    ];
    let write: &[&[&str]] = &[
        &["intake"],
        &["classify"],
        &["handoff"],
        &["ack"],
        &["reply"],
        &["close"],
        &["defer"],
        &["reject"],
        &["reopen"],
        &["note"],
        &["edit"],
        &["sweep"],
        &["friday"],
        &["import"],
        &["upgrade"],
        &["letter"],
        &["penalty", "confirm"],
        &["penalty", "waive"],
        &["penalty", "execute"],
    ];
    for (commands, listed) in [(read, false), (write, true)] {
        for command in commands {
            let text = help(&env, command);
            let global = text
                .find("\nGlobal options:\n")
                .unwrap_or_else(|| panic!("{command:?}:\n{text}"));
            let own = text
                .find("\nOptions:\n")
                .unwrap_or_else(|| panic!("{command:?}:\n{text}"));
            assert!(own < global, "{command:?}: own options first:\n{text}");
            for option in ["--root", "--json", "--now", "--lang", "--color", "--wide"] {
                let at = text
                    .match_indices(&format!("\n      {option}"))
                    .map(|(at, m)| (at, text[at + m.len()..].chars().next()))
                    .find(|(_, next)| matches!(next, Some(' ' | '\n')))
                    .unwrap_or_else(|| panic!("{command:?}: {option}:\n{text}"))
                    .0;
                assert!(
                    at > global,
                    "{command:?}: {option} is among the command's own options:\n{text}"
                );
            }
            for option in ["--actor", "--no-commit"] {
                assert_eq!(text.contains(option), listed, "{command:?}: {option}:\n{text}");
            }
        }
    }
    // Read commands still take them, so scripts that pass them everywhere keep working.
    env.run(&["phrases", "--actor", "小李", "--no-commit"]).ok();
    env.run(&["penalty", "list", "--actor", "小李", "--no-commit"]).ok();
}
