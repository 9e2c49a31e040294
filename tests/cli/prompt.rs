//! Prompts on a real terminal: tmux runs kefu in a pseudo-terminal and types the answers.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::env::Env;

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(env: &Env, command: &str) -> Tmux {
        let session = format!("kefu-test-{}", std::process::id());
        let shell = format!(
            "cd {} && env KEFU_ROOT=. KEFU_NOW={} LANG=C.UTF-8 TERM=xterm {} {command}; echo EXIT=$?; sleep 30",
            env.root().display(),
            env.now,
            env!("CARGO_BIN_EXE_kefu"),
        );
        let ok = Command::new("tmux")
            .args(["new-session", "-d", "-s", &session, "-x", "150", "-y", "40", &shell])
            .status()
            .expect("tmux is needed for the terminal tests")
            .success();
        assert!(ok, "tmux could not start");
        Tmux { session }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait (a bounded time) until the screen shows `text`.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never saw {text:?} on the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&self, keys: &[&str]) {
        let ok = Command::new("tmux")
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

#[test]
fn intake_asks_for_missing_fields_on_a_terminal() {
    let env = Env::new();
    let t = Tmux::start(&env, "intake --product oven");
    t.wait_for("Customer name");
    t.send(&["-l", "Ann Lee"]);
    t.send(&["Enter"]);
    t.wait_for("Contact");
    t.send(&["-l", "ann@example.com"]);
    t.send(&["Enter"]);
    t.wait_for("Channel");
    // The second channel in the list: email.
    t.send(&["Down"]);
    t.send(&["Enter"]);
    t.wait_for("What happened");
    t.send(&["-l", "The oven burns bread"]);
    t.send(&["Enter"]);
    let screen = t.wait_for("EXIT=");
    assert!(screen.contains("20261123-001") && screen.contains("EXIT=0"), "{screen}");
    let case = env.show("001");
    assert_eq!(case["customer"]["name"], "Ann Lee");
    assert_eq!(case["customer"]["contact"], "ann@example.com");
    assert_eq!(case["channel"], "email");
    assert_eq!(case["summary"], "The oven burns bread");
    assert_eq!(case["complaint"]["product"], "oven");
}
