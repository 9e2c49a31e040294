//! `kefu completions SHELL` and `kefu man DIR`: made from the clap definitions, so
//! they never disagree with `--help`. Neither needs a workspace.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::output::i18n::tr;

pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "kefu", &mut out);
    std::io::stdout()
        .write_all(&out)
        .with_context(|| tr("cannot_write_stdout", &[]))
}

/// kefu.1, then kefu-CMD.1 for every command.
pub fn man(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| tr("cannot_create", &[("path", &dir.display().to_string())]))?;
    let cmd = crate::cli::command();
    let mut written = Vec::new();
    let mut page = |name: String, cmd: clap::Command| -> Result<()> {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut bytes)?;
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, bytes).with_context(|| tr("cannot_write", &[("path", &path.display().to_string())]))?;
        written.push(path);
        Ok(())
    };
    page("kefu".into(), cmd.clone())?;
    for sub in cmd.get_subcommands() {
        let name = format!("kefu-{}", sub.get_name());
        page(name.clone(), sub.clone().display_name(name))?;
    }
    eprintln!(
        "{}",
        tr(
            "man_written",
            &[("n", &written.len().to_string()), ("dir", &dir.display().to_string())]
        )
    );
    Ok(())
}
