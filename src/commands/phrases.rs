//! `kefu phrases`: the standard phrases (seed 003 常用語句, SPEC §11.5).

use std::io::Write;

use anyhow::{Context, Result, anyhow};
use serde::Serialize;

use crate::Ctx;
use crate::domain::config::Config;

#[derive(Serialize)]
struct PhraseJson<'a> {
    group: &'a str,
    key: &'a str,
    text: &'a str,
}

pub fn run(ctx: &Ctx) -> Result<()> {
    let cfg = &ctx.ws.config;
    if ctx.json {
        let all: Vec<PhraseJson> = cfg
            .phrases
            .iter()
            .flat_map(|(group, list)| list.iter().map(move |(key, text)| PhraseJson { group, key, text }))
            .collect();
        return super::show::print_json(&all);
    }
    let mut out = String::new();
    for (group, list) in &cfg.phrases {
        out.push_str(&format!("[{group}]\n"));
        for (key, text) in list {
            out.push_str(&format!("  {group}.{key}  {text}\n"));
        }
    }
    write!(std::io::stdout(), "{}", crate::output::safe::terminal(&out))
        .with_context(|| crate::output::i18n::tr("cannot_write_stdout", &[]))
}

/// The text of the phrase `GROUP.KEY`; the error lists what there is.
pub fn find<'a>(cfg: &'a Config, name: &str) -> Result<&'a str> {
    let (group, key) = name.split_once('.').unwrap_or((name, ""));
    cfg.phrases
        .iter()
        .find(|(g, _)| g == group)
        .and_then(|(_, list)| list.iter().find(|(k, _)| k == key))
        .map(|(_, text)| text.as_str())
        .ok_or_else(|| {
            let all: Vec<String> = cfg
                .phrases
                .iter()
                .flat_map(|(g, list)| list.iter().map(move |(k, _)| format!("{g}.{k}")))
                .collect();
            anyhow!(
                "--phrase: {}",
                crate::output::i18n::tr(
                    "no_phrase",
                    &[
                        ("name", &format!("{name:?}")),
                        (
                            "some",
                            &format!(
                                "{}{}",
                                all.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                                if all.len() > 5 { ", …" } else { "" }
                            )
                        )
                    ]
                )
            )
        })
}
