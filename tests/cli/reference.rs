//! docs/reference.md is made from kefu itself: every command's `--help` as the binary
//! prints it, and the configuration `kefu init` writes. The test fails when the file
//! differs from what the binary produces now; to rewrite it after changing a command or
//! the config, run
//!
//!     KEFU_BLESS=1 cargo test --test cli reference
//!
//! A second test asks the config reader itself which keys it accepts (each table's
//! "unknown field, expected …" answer) and checks that the reference names every one.

use std::path::{Path, PathBuf};

use crate::env::Env;

const INTRO: &str = "\
# Command and configuration reference

This page is generated from kefu itself, so it says exactly what the program accepts:
the help of every command as `kefu COMMAND --help` prints it, and the configuration file
as `kefu init` writes it, comments included. Do not edit it by hand: after changing a
command or the configuration, run `KEFU_BLESS=1 cargo test --test cli reference`, which
rewrites it (the test fails while it is out of date).

Every command also takes the global options listed under [kefu](#kefu) (`--root`,
`--json`, `--now`, `--actor`, `--no-commit`, `--color`, `--lang`, `--wide`); they are
left out of each command's section below. For the procedure behind the commands see the
[clerk's guide](clerk-guide.zh-Hant.md) (zh-Hant) and the README; for the case file and
business hours, [configuration-and-case-file.md](configuration-and-case-file.md).
";

fn reference_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference.md")
}

/// Every command path below `kefu`, depth first, as clap knows them (`help` left out).
pub fn command_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    // In the order `kefu --help` lists them.
    let mut subs: Vec<&clap::Command> = cmd.get_subcommands().collect();
    subs.sort_by_key(|sub| sub.get_display_order());
    for sub in subs {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        out.push(path.clone());
        command_paths(sub, &path, out);
    }
}

/// What the binary prints for `kefu PATH… --help`, in English at a fixed width, without trailing
/// blanks, and (below the top level) without the global options repeated. The clock
/// and the workspace are left unset, so their `[env: …]` lines show no value.
fn help(env: &Env, path: &[String]) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    // English whatever the machine's language (`--lang`: KEFU_LANG would show in the
    // `[env: …]` note).
    args.extend(["--lang", "en", "--help"]);
    let run = env
        .run_cmd(
            env.command()
                .env("COLUMNS", "100")
                .env_remove("KEFU_ROOT")
                .env_remove("KEFU_NOW")
                .args(&args),
            &args,
        )
        .ok();
    let mut text: Vec<&str> = run.stdout.lines().map(str::trim_end).collect();
    if !path.is_empty()
        && let Some(at) = text.iter().position(|l| *l == "Global options:")
    {
        text.truncate(at);
    }
    while text.last().is_some_and(|l| l.is_empty()) {
        text.pop();
    }
    text.join("\n")
}

/// The configuration `kefu init` writes, as a clerk in Taiwan gets it.
fn init_config() -> String {
    let env = Env::empty();
    env.run_cmd(env.command().env("LANG", "zh_TW.UTF-8").arg("init"), &["init"])
        .ok();
    std::fs::read_to_string(env.path("config/kefu.toml")).expect("config written by init")
}

fn generate() -> String {
    let env = Env::empty();
    let mut paths = vec![Vec::new()];
    command_paths(&kefu::cli::command(), &[], &mut paths);

    let mut out = String::from(INTRO);
    out.push_str("\n## Commands\n\n");
    for path in &paths[1..] {
        let name = path.join(" ");
        let indent = "  ".repeat(path.len() - 1);
        out.push_str(&format!("{indent}- [{name}](#kefu-{})\n", path.join("-")));
    }
    out.push_str("- [Configuration](#configuration)\n");
    for path in &paths {
        let title = std::iter::once("kefu")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>();
        out.push_str(&format!(
            "\n{} {}\n\n```text\n{}\n```\n",
            "#".repeat(2 + path.len().min(1)),
            title.join(" "),
            help(&env, path)
        ));
    }
    out.push_str(
        "\n## Configuration\n\n\
         `config/kefu.toml`, as `kefu init` writes it (on a computer set to zh_TW: `[ui] language`\n\
         follows `LC_ALL` or `LANG`). A key left out takes the value shown;\n\
         the commented keys (`[report] transactions`, `[calendar]`, `[shop]`) are off until\n\
         you write them. Every key the configuration accepts:\n\n",
    );
    for table in config_tables() {
        let accepts = match &table.accepts {
            Accepts::Keys(keys) => keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
            Accepts::Words(words) => words.clone(),
        };
        out.push_str(&format!("- `{}`: {accepts}\n", table.header));
    }
    out.push_str(&format!("\n```toml\n{}```\n", init_config()));
    out
}

/// What a config table accepts, from the reader's own refusal of an unknown key: the
/// keys it names, or (for a table of free-form keys such as `[calendar]`) its words.
/// `None` when `header` is not a table of named keys (a value, a list, free text).
fn accepted(header: &str) -> Option<Accepts> {
    // The reference is English, whatever language the probe's config would choose.
    kefu::output::i18n::pin_lang(kefu::output::i18n::Lang::En);
    let text = format!("{header}\nkefu_reference_probe = 1\n");
    let err = kefu::domain::config::Config::parse(Path::new("probe.toml"), &text).err()?;
    let msg = format!("{err:#}");
    if let Some((_, expected)) = msg.split_once("unknown field `kefu_reference_probe`, expected ") {
        let keys: Vec<String> = expected.split('`').skip(1).step_by(2).map(str::to_string).collect();
        return (!keys.is_empty()).then_some(Accepts::Keys(keys));
    }
    let (_, expected) = msg.split_once("kefu_reference_probe: unknown key; expected ")?;
    Some(Accepts::Words(expected.trim().to_string()))
}

enum Accepts {
    Keys(Vec<String>),
    Words(String),
}

/// One table of the configuration: how it is written, and what it accepts.
struct Table {
    header: String,
    dotted: String,
    accepts: Accepts,
}

/// Every table of the configuration, the top level first, the others by name.
fn config_tables() -> Vec<Table> {
    let Some(Accepts::Keys(top)) = accepted("") else {
        panic!("the top level of the config names its keys")
    };
    let mut tables = Vec::new();
    let mut queue = top.clone();
    while let Some(dotted) = queue.pop() {
        for header in [format!("[{dotted}]"), format!("[[{dotted}]]")] {
            if let Some(accepts) = accepted(&header) {
                if let Accepts::Keys(keys) = &accepts {
                    queue.extend(keys.iter().map(|k| format!("{dotted}.{k}")));
                }
                tables.push(Table {
                    header,
                    dotted: dotted.clone(),
                    accepts,
                });
                break;
            }
        }
    }
    tables.sort_by(|a, b| a.dotted.cmp(&b.dotted));
    tables.insert(
        0,
        Table {
            header: "(top level)".into(),
            dotted: String::new(),
            accepts: Accepts::Keys(top),
        },
    );
    tables
}

#[test]
fn the_reference_is_what_the_binary_says() {
    let want = generate();
    let path = reference_path();
    if std::env::var_os("KEFU_BLESS").is_some() {
        std::fs::write(&path, &want).expect("write docs/reference.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        let line = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| have.lines().count().min(want.lines().count()) + 1, |n| n + 1);
        panic!(
            "docs/reference.md differs from what kefu prints now, from line {line}:\n  file: {:?}\n  kefu: {:?}\n\
             Regenerate it: KEFU_BLESS=1 cargo test --test cli reference",
            have.lines().nth(line - 1).unwrap_or(""),
            want.lines().nth(line - 1).unwrap_or("")
        );
    }
}

#[test]
fn the_reference_names_every_command_flag_and_config_key() {
    let reference = std::fs::read_to_string(reference_path()).expect("docs/reference.md");
    let mut paths = Vec::new();
    let cli = kefu::cli::command();
    command_paths(&cli, &[], &mut paths);
    assert!(paths.len() > 30, "only {} commands found", paths.len());
    for path in &paths {
        let mut cmd = &cli;
        for name in path {
            cmd = cmd.find_subcommand(name).expect("subcommand");
        }
        let heading = format!("kefu {}\n", path.join(" "));
        assert!(
            reference.contains(&heading),
            "docs/reference.md has no section {heading:?}"
        );
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long() {
                assert!(
                    reference.contains(&format!("--{long}")),
                    "docs/reference.md never names --{long} of kefu {}",
                    path.join(" ")
                );
            }
        }
    }
    // Each key is shown in the config `kefu init` writes (commented out where it is off by
    // default): as `key = …` (alone or in an inline table), or as the table it opens.
    let tables = config_tables();
    assert!(
        tables.iter().any(|t| t.header == "[limits.general]"),
        "nested tables are probed"
    );
    let config = reference.split_once("\n```toml\n").expect("the configuration block").1;
    let written = |text: &str| {
        config.lines().any(|l| {
            l.trim_start_matches(['#', ' ']).starts_with(text)
                || [format!("{{ {text}"), format!(", {text}")]
                    .iter()
                    .any(|f| l.contains(f.as_str()))
        })
    };
    for table in &tables {
        let Accepts::Keys(keys) = &table.accepts else { continue };
        for key in keys {
            let dotted = if table.dotted.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", table.dotted)
            };
            assert!(
                ["{key} =", "[{dotted}]", "[[{dotted}]]", "[{dotted}."]
                    .iter()
                    .any(|form| written(&form.replace("{key}", key).replace("{dotted}", &dotted))),
                "the configuration in docs/reference.md never shows {dotted}"
            );
        }
    }
}
