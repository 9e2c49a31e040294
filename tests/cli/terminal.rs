//! Prompts in a real pseudo-terminal (SPEC §12.6): tmux runs kefu, types Chinese, edits
//! it, presses Ctrl-C, and reads back the screen, the cursor and the terminal's mode.
//! Each test has its own tmux server, so they run side by side. Without tmux they are
//! skipped, and say so.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use unicode_width::UnicodeWidthStr;

use crate::env::Env;

struct Tmux {
    socket: String,
}

static SERVERS: AtomicUsize = AtomicUsize::new(0);

fn tmux_missing() -> bool {
    let missing = Command::new("tmux")
        .arg("-V")
        .output()
        .map_or(true, |o| !o.status.success());
    if missing {
        // Straight to the process's stderr: the test harness does not capture it, so the
        // skip shows in every run, not only with --nocapture.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "note: tmux is not installed; the prompts were not tested in a terminal (skipped)"
        );
    }
    missing
}

/// A new workspace for a test that drives kefu through tmux, or `None` where tmux is
/// not installed (the test then passes without running, and says so).
fn workspace_with_tmux() -> Option<Env> {
    (!tmux_missing()).then(Env::new)
}

impl Tmux {
    /// Run `kefu ARGS` in a 100×40 terminal; when it ends the shell prints its exit
    /// status and whether the terminal is back in line mode (`icanon`, not `-icanon`)
    /// with echo.
    fn start(env: &Env, args: &str) -> Tmux {
        Tmux::start_as(env, "xterm", args, false)
    }

    /// Like [`Tmux::start`], with `TERM` set to `term`; with `capture`, as a script
    /// would run it, `out=$(kefu ARGS)`, then the shell prints `STDOUT=[…]`.
    fn start_as(env: &Env, term: &str, args: &str, capture: bool) -> Tmux {
        let socket = format!(
            "kefu-{}-{}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::Relaxed)
        );
        let kefu = format!(
            "env -i PATH=\"$PATH\" HOME=. KEFU_ROOT=. KEFU_NOW={} TZ=UTC LANG=C.UTF-8 TERM={term} \
             GIT_CONFIG_NOSYSTEM=1 '{}' {args}",
            env.now,
            env!("CARGO_BIN_EXE_kefu"),
        );
        let run = match capture {
            true => format!("out=$({kefu}); status=$?; echo \"STDOUT=[$out]\"; (exit $status)"),
            false => kefu,
        };
        let shell = format!(
            "cd '{}' && {run}; echo EXIT=$?; echo MODE=$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | sort); sleep 60",
            env.root().display(),
        );
        let ok = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "40",
                &shell,
            ])
            .status()
            .expect("run tmux")
            .success();
        assert!(ok, "tmux could not start");
        Tmux { socket }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    /// The cursor: (column, visible).
    fn cursor(&self) -> (usize, bool) {
        let out = self.tmux(&["display", "-p", "#{cursor_x} #{cursor_flag}"]);
        let (x, flag) = out.trim().split_once(' ').expect("cursor_x cursor_flag");
        (x.parse().unwrap(), flag == "1")
    }

    /// Wait (a bounded time) until the screen shows `text` `times` times.
    fn wait_for_n(&self, text: &str, times: usize) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.matches(text).count() >= times {
                // Let the line editor finish drawing the line it just started.
                std::thread::sleep(Duration::from_millis(100));
                return self.screen();
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never saw {text:?} on the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_for_n(text, 1)
    }

    /// Type text as it is (each character a key press).
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-l", text]);
    }

    /// Wait for `prompt`, type `text` and press Enter.
    fn answer(&self, prompt: &str, text: &str) {
        self.wait_for(prompt);
        self.type_text(text);
        self.press(&["Enter"]);
    }

    /// Press keys by name: Enter, BSpace, Down, C-c, …
    fn press(&self, keys: &[&str]) {
        let mut args = vec!["send-keys"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// The line of the screen that starts with `prefix`, without trailing blanks.
    fn line(&self, prefix: &str) -> String {
        let screen = self.screen();
        let found = screen.lines().rev().find(|l| l.starts_with(prefix));
        found
            .unwrap_or_else(|| panic!("no line starts with {prefix:?}:\n{screen}"))
            .trim_end()
            .to_string()
    }

    /// Wait for the command to end; its exit status and the terminal's mode afterwards.
    fn finish(&self) -> (String, String) {
        let screen = self.wait_for("MODE=");
        let after = |prefix: &str| {
            let line = screen.lines().find_map(|l| l.strip_prefix(prefix));
            line.unwrap_or_else(|| panic!("no {prefix}:\n{screen}"))
                .trim()
                .to_string()
        };
        (after("EXIT="), after("MODE="))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn head(env: &Env) -> String {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env.root())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Typing Chinese, deleting a wide character with Backspace and typing on: the screen
/// and the record hold the same name, and the cursor stands right after it. A blank
/// name is asked again.
#[test]
fn backspace_deletes_a_whole_wide_character() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let t = Tmux::start(&env, "--lang zh-Hant intake --channel 電話 --summary 烤箱燒壞了");
    t.wait_for("客戶姓名：");
    t.press(&["Enter"]);
    t.wait_for("必填");
    t.wait_for_n("客戶姓名：", 2);
    t.type_text("王小明");
    t.press(&["BSpace"]);
    t.type_text("華");
    t.wait_for("王小華");
    assert_eq!(t.line("客戶姓名：王"), "客戶姓名：王小華");
    let (x, visible) = t.cursor();
    assert_eq!(x, "客戶姓名：王小華".width(), "the cursor stands after the name");
    assert!(visible);
    // Left over a wide character, then a character typed in the middle.
    t.press(&["Left"]);
    t.type_text("大");
    t.wait_for("王小大華");
    assert_eq!(t.cursor().0, "客戶姓名：王小大".width());
    t.press(&["Enter"]);
    // The optional contact comes with the name; Enter skips it.
    t.wait_for("聯繫方式（可留空）：");
    t.press(&["Enter"]);
    let (status, mode) = t.finish();
    assert_eq!(status, "0", "{}", t.screen());
    assert_eq!(mode, "echo icanon");
    let case = env.show("001");
    assert_eq!(case["customer"]["name"], "王小大華");
    assert!(case["customer"].get("contact").is_none_or(|c| c.is_null()), "{case}");
    assert_eq!(case["channel"], "phone");
}

/// Ctrl-C on a menu: exit 130, nothing written or committed, and the terminal as it
/// was: cursor shown, line mode and echo back on.
#[test]
fn ctrl_c_on_a_menu_leaves_the_terminal_as_it_was() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let before = (env.snapshot(), head(&env));
    let t = Tmux::start(&env, "--lang zh-Hant intake --name 王先生 --summary 燒餅烙糊了");
    let screen = t.wait_for("請選擇");
    assert!(
        !screen.contains("客戶姓名") && !screen.contains("聯繫方式"),
        "only the missing channel is asked:\n{screen}"
    );
    assert!(screen.contains("  1  phone      電話"), "{screen}");
    t.press(&["Down"]);
    t.wait_for("email");
    t.press(&["C-c"]);
    let (status, mode) = t.finish();
    let screen = t.screen();
    assert_eq!(status, "130", "{screen}");
    assert!(screen.contains("已取消，未記錄任何內容"), "{screen}");
    assert!(t.cursor().1, "the cursor is visible after Ctrl-C:\n{screen}");
    assert_eq!(mode, "echo icanon", "the terminal is back in line mode with echo");
    assert_eq!((env.snapshot(), head(&env)), before, "nothing written");

    // Ctrl-C in a line of text, half typed, the same.
    let t = Tmux::start(&env, "intake --channel phone --summary s");
    t.wait_for("Customer name:");
    t.type_text("王小");
    t.wait_for("王小");
    t.press(&["C-c"]);
    let (status, mode) = t.finish();
    assert_eq!(status, "130", "{}", t.screen());
    assert!(t.screen().contains("cancelled; nothing recorded"));
    assert!(t.cursor().1);
    assert_eq!(mode, "echo icanon");
    assert_eq!((env.snapshot(), head(&env)), before, "nothing written");
}

/// With every required flag given, a terminal is asked nothing (not even the optional
/// contact).
#[test]
fn nothing_is_asked_when_nothing_required_is_missing() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let t = Tmux::start(&env, "intake --name 王先生 --channel phone --summary s");
    let (status, _) = t.finish();
    let screen = t.screen();
    assert_eq!(status, "0", "{screen}");
    assert!(screen.starts_with("20261123-001\nEXIT=0"), "{screen}");
    assert_eq!(env.show("001")["customer"]["name"], "王先生");
}

/// classify asks for category, level and department, and for an irrational
/// complaint its follow-up; a menu takes a number, a key, a label in either script, or
/// Enter for the first.
#[test]
fn classify_asks_for_its_missing_values() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let id = env.intake("王先生", &[]);
    let t = Tmux::start(&env, &format!("classify {id} --department service"));
    let screen = t.wait_for("Choose");
    assert!(screen.starts_with("Category\n"), "{screen}");
    t.type_text("售后维修");
    t.press(&["Enter"]);
    t.answer("Level", "fierce");
    t.answer("\"fierce\" is not one of the choices", "4");
    t.wait_for("Follow-up");
    t.press(&["Enter"]);
    let (status, _) = t.finish();
    let screen = t.screen();
    assert_eq!(status, "0", "{screen}");
    assert!(!screen.contains("Department"), "the department was given:\n{screen}");
    let case = env.show(&id);
    assert_eq!(case["category"], "after_sales");
    assert_eq!(case["level"], "irrational");
    assert_eq!(case["department"], "service");
    assert_eq!(case["follow_up"], "watch");
}

/// close asks for the step's missing values: with nothing given, the close request
/// (resolution, remedy), then, with the request waiting, the call-back.
#[test]
fn close_asks_for_its_missing_values() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let id = env.classified("王先生");
    let t = Tmux::start(&env, &format!("--lang zh-Hant close {id}"));
    t.answer("處理結果：", "更換新烤箱");
    t.answer("給客戶的補救", "换货");
    let (status, _) = t.finish();
    assert_eq!(status, "0", "{}", t.screen());
    drop(t);
    let t = Tmux::start(&env, &format!("--lang zh-Hant close {id}"));
    let screen = t.wait_for("請選擇");
    assert!(
        screen.contains("客戶回訪結果") && !screen.contains("處理結果"),
        "{screen}"
    );
    t.type_text("2");
    t.press(&["Enter"]);
    let (status, _) = t.finish();
    assert_eq!(status, "0", "{}", t.screen());
    let case = env.show(&id);
    assert_eq!(case["status"], "closed", "{case}");
    let events = case["events"].as_array().unwrap();
    let request = events.iter().find(|e| e["kind"] == "close_request").unwrap();
    assert_eq!(request["resolution"], "更換新烤箱");
    assert_eq!(request["remedy"], "exchange");
    let close = events.iter().find(|e| e["kind"] == "close").unwrap();
    assert_eq!(close["satisfaction"], "accepted");
}

/// defer asks for its reason and follow-up mode.
#[test]
fn defer_asks_for_its_missing_values() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let id = env.classified("王先生");
    let t = Tmux::start(&env, &format!("defer {id}"));
    t.answer("Why is it deferred:", "等廠商的檢測報告");
    t.answer("Follow-up", "監控");
    let (status, _) = t.finish();
    assert_eq!(status, "0", "{}", t.screen());
    let case = env.show(&id);
    assert_eq!(case["status"], "deferred");
    let defer = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "defer")
        .unwrap()
        .clone();
    assert_eq!(defer["reason"], "等廠商的檢測報告");
    assert_eq!(defer["follow_up"], "monitor");
}

/// reject asks for its reason.
#[test]
fn reject_asks_for_its_reason() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let id = env.intake("王先生", &[]);
    let t = Tmux::start(&env, &format!("--lang zh-Hant reject {id}"));
    t.answer("不成立原因", "在別家店購買");
    let (status, _) = t.finish();
    assert_eq!(status, "0", "{}", t.screen());
    let case = env.show(&id);
    assert_eq!(case["status"], "rejected");
    let reject = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "reject")
        .unwrap()
        .clone();
    assert_eq!(reject["reason"], "在別家店購買");
}

/// In a script nothing is asked: a left-out required flag is a usage error naming it,
/// and nothing is written.
#[test]
fn scripts_are_not_asked_but_told_what_is_missing() {
    let env = Env::new();
    let id = env.classified("王先生");
    let before = env.snapshot();
    env.run(&["reject", &id]).usage("missing required flag: --reason");
    env.run(&["reopen", &id]).usage("missing required flag: --reason");
    env.run(&["defer", &id, "--reason", "r"])
        .usage("missing required flag: --follow-up");
    env.run(&["defer", &id, "--follow-up", "watch"])
        .usage("missing required flag: --reason");
    env.run(&["close", &id])
        .usage("give --request (the close request) or --satisfaction");
    env.run(&["close", &id, "--request"])
        .fails("--request needs --resolution");
    env.run(&["classify", &id, "--level", "severe"]).ok();
    assert_ne!(env.snapshot(), before);
    let before = env.snapshot();
    env.run(&["intake", "--name", " ", "--channel", "phone", "--summary", "s"])
        .fails("missing required flag: --name");
    assert_eq!(env.snapshot(), before);
}

/// A case that refuses the change says so before anything is asked: the clerk types no
/// answers for nothing.
#[test]
fn a_refusal_comes_before_the_questions() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let id = env.intake("王先生", &[]);
    env.run(&["reject", &id, "--reason", "在別家店購買"]).ok();
    for args in [
        format!("reject {id}"),
        format!("defer {id}"),
        format!("classify {id}"),
        format!("close {id}"),
        "classify 999".to_string(),
    ] {
        let t = Tmux::start(&env, &args);
        let (status, _) = t.finish();
        let screen = t.screen();
        assert_eq!(status, "1", "{args}:\n{screen}");
        assert!(screen.starts_with("error: "), "{args}:\n{screen}");
        assert!(!screen.contains("Choose"), "{args}: asked first:\n{screen}");
        assert!(!screen.contains("Why is it"), "{args}: asked first:\n{screen}");
    }
}

/// In a script's `$(…)` the questions still go to the terminal and only the id is
/// captured, with a full terminal and with one rustyline cannot drive (TERM=dumb).
#[test]
fn questions_never_go_to_stdout() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    for (n, term) in ["xterm", "dumb"].into_iter().enumerate() {
        let t = Tmux::start_as(&env, term, "intake --channel phone --summary s", true);
        t.answer("Customer name:", "王小明");
        t.wait_for("Contact");
        t.press(&["Enter"]);
        let (status, mode) = t.finish();
        let screen = t.screen();
        assert_eq!(status, "0", "{term}:\n{screen}");
        assert!(
            screen.contains(&format!("STDOUT=[20261123-00{}]", n + 1)),
            "{term}:\n{screen}"
        );
        assert_eq!(mode, "echo icanon", "{term}");
        assert_eq!(env.show(&format!("00{}", n + 1))["customer"]["name"], "王小明");
    }
}

/// intake asks for what its flags left out, in English, with the channel chosen from a
/// list by the arrow keys.
#[test]
fn intake_asks_for_missing_fields_on_a_terminal() {
    let Some(env) = workspace_with_tmux() else {
        return;
    };
    let t = Tmux::start(&env, "--lang en intake --product oven");
    t.answer("Customer name", "Ann Lee");
    t.answer("Contact", "ann@example.com");
    t.wait_for("Channel");
    // The second channel in the list: email.
    t.press(&["Down"]);
    t.press(&["Enter"]);
    t.answer("What happened", "The oven burns bread");
    let (status, _) = t.finish();
    assert_eq!(status, "0", "{}", t.screen());
    assert!(t.screen().contains("20261123-001"), "{}", t.screen());
    let case = env.show("001");
    assert_eq!(case["customer"]["name"], "Ann Lee");
    assert_eq!(case["customer"]["contact"], "ann@example.com");
    assert_eq!(case["channel"], "email");
    assert_eq!(case["summary"], "The oven burns bread");
    assert_eq!(case["complaint"]["product"], "oven");
}
