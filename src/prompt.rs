//! Questions on the clerk's terminal (SPEC §12.6): a line of text, or one of a fixed
//! set of values as a menu.
//!
//! The line editor is rustyline: it moves and deletes whole wide characters (a Chinese
//! character is two columns), and Ctrl-C leaves the terminal as it found it. It talks
//! to the terminal itself (`/dev/tty`, the console on Windows), so prompts never mix
//! into stdout: `id=$(kefu intake)` asks on the screen and captures only the id.
//!
//! A menu is a numbered list and a line: Enter on it empty takes the first choice, ↓
//! and ↑ step through the keys, and the clerk may type a number, a key, or a label in
//! either Chinese script. No raw-mode menu hides the cursor, so none can leave it
//! hidden.

use anyhow::{Context, Result};
use rustyline::{Behavior, Cmd, Config, DefaultEditor, KeyCode, KeyEvent, Modifiers, error::ReadlineError};
use unicode_width::UnicodeWidthStr;

use crate::output::i18n::{self, Lang};

/// The clerk pressed Ctrl-C (or Ctrl-D) at a prompt: nothing is written, exit 130.
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted(pub Lang);

/// One choice of a menu: the key kefu records and the label the clerk reads.
#[derive(Clone, Debug)]
pub struct Item {
    pub key: String,
    pub label: String,
    /// Whether the menu shows the label beside the key (it is accepted either way).
    show_label: bool,
}

impl Item {
    /// A value from the config (a channel, a category, …): its key and label.
    pub fn new(key: &str, label: &str) -> Item {
        Item {
            key: key.to_string(),
            label: label.to_string(),
            show_label: true,
        }
    }

    /// A word kefu fixes (a remedy, a satisfaction, …), whose label is Traditional
    /// Chinese: shown in the clerk's script, and not at all in English, where the key
    /// is the word.
    pub fn fixed(lang: Lang, key: &str, hant: &str) -> Item {
        Item {
            key: key.to_string(),
            label: lang.zh(hant),
            show_label: lang != Lang::En,
        }
    }
}

/// Asks questions in the clerk's language.
pub struct Prompter {
    lang: Lang,
}

impl Prompter {
    pub fn new(lang: Lang) -> Prompter {
        Prompter { lang }
    }

    fn editor() -> Result<DefaultEditor> {
        let config = Config::builder()
            .behavior(Behavior::PreferTerm)
            .auto_add_history(false)
            .build();
        DefaultEditor::with_config(config).with_context(|| crate::output::i18n::tr("cannot_use_terminal", &[]))
    }

    fn read(&self, editor: &mut DefaultEditor, prompt: &str, initial: &str) -> Result<String> {
        if plain_terminal() {
            return self.read_plain(prompt);
        }
        match editor.readline_with_initial(prompt, (initial, "")) {
            Ok(line) => Ok(line),
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => Err(Interrupted(self.lang).into()),
            Err(e) => Err(anyhow::Error::new(e).context(crate::output::i18n::tr("cannot_use_terminal", &[]))),
        }
    }

    /// A terminal that cannot be driven (TERM=dumb, an editor's shell buffer): rustyline
    /// would print the prompt on stdout, into `$(kefu intake)`. The prompt goes to stderr
    /// and the line is read as the terminal's own line discipline edits it.
    fn read_plain(&self, prompt: &str) -> Result<String> {
        use std::io::Write;
        eprint!("{prompt}");
        std::io::stderr().flush().ok();
        let mut line = String::new();
        match std::io::stdin()
            .read_line(&mut line)
            .with_context(|| crate::output::i18n::tr("cannot_use_terminal", &[]))?
        {
            0 => Err(Interrupted(self.lang).into()),
            _ => Ok(line.trim_end_matches(['\n', '\r']).to_string()),
        }
    }

    fn question(&self, what: &str) -> String {
        i18n::t(self.lang, "p_question", &[("what", &i18n::t(self.lang, what, &[]))])
    }

    /// A line of text for the catalog entry `what`; asked again while blank.
    pub fn required(&self, what: &str) -> Result<String> {
        let mut editor = Prompter::editor()?;
        loop {
            let line = self.read(&mut editor, &self.question(what), "")?;
            let line = line.trim();
            if !line.is_empty() {
                return Ok(line.to_string());
            }
            eprintln!("{}", i18n::t(self.lang, "p_required", &[]));
        }
    }

    /// A line of text that may be left blank (`None`).
    pub fn optional(&self, what: &str) -> Result<Option<String>> {
        let mut editor = Prompter::editor()?;
        let line = self.read(&mut editor, &self.question(what), "")?;
        Ok(Some(line.trim().to_string()).filter(|l| !l.is_empty()))
    }

    /// One of `items`, chosen by ↑/↓ or typed as its number, key or label (either
    /// script); asked again until it is one of them. The index of the choice.
    pub fn choose(&self, what: &str, items: &[Item]) -> Result<usize> {
        anyhow::ensure!(!items.is_empty(), "nothing to choose from: the config lists none");
        let key_width = items.iter().map(|i| i.key.width()).max().unwrap_or(0);
        let number_width = items.len().to_string().len();
        let mut menu = format!("{}\n", i18n::t(self.lang, what, &[]));
        for (n, item) in items.iter().enumerate() {
            let pad = " ".repeat(key_width - item.key.width());
            let label = if item.show_label { item.label.as_str() } else { "" };
            let line = format!("  {:>number_width$}  {}{pad}  {label}", n + 1, item.key);
            menu.push_str(line.trim_end());
            menu.push('\n');
        }
        eprint!("{}", crate::output::safe::terminal(&menu));
        // ↓ and ↑ walk a history holding the keys after the first, newest first: the
        // empty line stands for the first (the default), ↓ shows the second, and so on,
        // each with the cursor at its end like any recalled line.
        let mut editor = Prompter::editor()?;
        for item in items.iter().skip(1).rev() {
            editor
                .add_history_entry(item.key.as_str())
                .with_context(|| crate::output::i18n::tr("cannot_use_terminal", &[]))?;
        }
        editor.bind_sequence(KeyEvent(KeyCode::Down, Modifiers::NONE), Cmd::PreviousHistory);
        editor.bind_sequence(KeyEvent(KeyCode::Up, Modifiers::NONE), Cmd::NextHistory);
        let first = items.first().map(|i| i.key.as_str()).unwrap_or_default();
        let prompt = i18n::t(
            self.lang,
            "p_choose",
            &[("n", &items.len().to_string()), ("first", first)],
        );
        loop {
            let line = self.read(&mut editor, &prompt, "")?;
            if line.trim().is_empty() {
                return Ok(0);
            }
            if let Some(i) = pick(items, &line) {
                return Ok(i);
            }
            eprintln!(
                "{}",
                crate::output::safe::terminal(&i18n::t(self.lang, "p_not_a_choice", &[("text", line.trim())]))
            );
        }
    }
}

/// Terminals rustyline leaves alone (its own list): `TERM` dumb, cons25 or emacs.
fn plain_terminal() -> bool {
    std::env::var("TERM").is_ok_and(|t| ["dumb", "cons25", "emacs"].iter().any(|u| u.eq_ignore_ascii_case(&t)))
}

/// A required text flag: its value; when it is left out, asked for on a terminal, else
/// a usage error naming the flag (exit 2, as clap's own). A blank value given goes on
/// to the rules, which say what is wrong with it.
pub fn text_flag(interactive: bool, lang: Lang, value: Option<String>, flag: &str, what: &str) -> Result<String> {
    match value {
        Some(v) => Ok(v),
        None if interactive => Prompter::new(lang).required(what),
        None => Err(crate::Usage(i18n::t(lang, "p_missing_flag", &[("flag", flag)])).into()),
    }
}

/// The item a typed answer names: its number (from 1), key or label.
pub fn pick(items: &[Item], text: &str) -> Option<usize> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(n) = text.parse::<usize>() {
        return (1..=items.len()).contains(&n).then(|| n - 1);
    }
    let hit = crate::domain::script::find(items, text, |i| &i.key, |i| &i.label)?;
    items.iter().position(|i| std::ptr::eq(i, hit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_is_its_number_key_or_label_in_either_script() {
        let items = [Item::new("phone", "電話"), Item::new("email", "郵件")];
        assert_eq!(pick(&items, "2"), Some(1));
        assert_eq!(pick(&items, " phone "), Some(0));
        assert_eq!(pick(&items, "郵件"), Some(1));
        assert_eq!(pick(&items, "邮件"), Some(1));
        for bad in ["0", "3", "", "fax"] {
            assert_eq!(pick(&items, bad), None, "{bad:?}");
        }
    }
}
