use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::cli::{Cli, InitArgs};
use crate::domain::config::{Config, default_text};
use crate::output::i18n::tr;
use crate::store::git::{Change, Repo};
use crate::store::{CASES_DIR, CONFIG_FILE, STATE_DIR};

/// Folders a workspace must never be made in, even through a symbolic link.
const SYSTEM: &[&str] = &[
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var",
    "/System",
    "/Library",
    "/Applications",
];

/// Case files and the config keep LF line endings whatever `core.autocrlf` says, so a
/// checkout on Windows writes the same bytes (and the same blob ids) as one on Linux;
/// case files merge through `kefu merge-file` (SPEC §14.2).
pub const GIT_ATTRIBUTES: &str = "# kefu's files keep LF line endings on every platform; case files merge with kefu merge-file\ncases/** merge=kefu eol=lf\nconfig/** text eol=lf\n";

/// Create a workspace in `dir` (from `kefu init DIR` or `--root DIR`), else here, with
/// its own git repository, and commit it as the first entry of the trail (SPEC §9.16).
pub fn run(dir: Option<&Path>, args: &InitArgs, cli: &Cli) -> Result<()> {
    let no_git = args.no_git;
    let dir = dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if let Some(s) = args.station.as_deref().filter(|s| !crate::domain::case::is_station(s)) {
        bail!(
            "{}",
            tr("bad_station", &[("flag", "--station"), ("got", &format!("{s:?}"))])
        );
    }
    if dir.join(CONFIG_FILE).exists() {
        bail!(
            "{}",
            tr(
                "init_exists",
                &[
                    ("dir", &dir.display().to_string()),
                    ("file", &dir.join(CONFIG_FILE).display().to_string())
                ]
            )
        );
    }
    refuse_unsafe_dir(&dir)?;
    let own_git = dir.join(".git").exists();
    fs::create_dir_all(dir.join("config"))
        .with_context(|| tr("cannot_create", &[("path", &dir.join("config").display().to_string())]))?;
    fs::create_dir_all(dir.join(CASES_DIR))?;
    // git does not keep empty directories; a clone must still have cases/.
    fs::write(dir.join(CASES_DIR).join(".gitkeep"), "")?;
    // The shop's words from the clerk's locale (SPEC §12.1): its labels in the locale's
    // language, and its messages too unless --lang / KEFU_LANG says otherwise (a
    // Taiwanese shop may want Chinese labels with English messages).
    let words = crate::output::i18n::Lang::of_environment();
    let lang = cli.lang.unwrap_or(words);
    let mut text = default_text().replacen("language = \"zh-Hant\"", &format!("language = \"{lang}\""), 1);
    match words {
        // A Simplified shop gets its labels (and the Chinese in the comments) in its script.
        crate::output::i18n::Lang::ZhHans => text = hanconv::t2s(&text),
        // An English shop gets English words (SPEC §12.1); the comments keep the
        // regulation's Chinese terms beside their English names.
        crate::output::i18n::Lang::En => text = english(&text),
        crate::output::i18n::Lang::ZhHant => {}
    }
    fs::write(dir.join(CONFIG_FILE), text)?;
    let mut created = vec![PathBuf::from(CONFIG_FILE), Path::new(CASES_DIR).join(".gitkeep")];
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        created.push(PathBuf::from(".gitignore"));
        fs::write(
            &ignore,
            format!(
                "# kefu's lock and caches: never the source of truth\n{STATE_DIR}/\n\
                 # a case's next text while it is written, beside its file\n.*.tmp\n"
            ),
        )?;
    }
    let attributes = dir.join(".gitattributes");
    if !attributes.exists() {
        created.push(PathBuf::from(".gitattributes"));
        fs::write(&attributes, GIT_ATTRIBUTES)?;
    }
    let mut made_git = false;
    if !no_git && !own_git {
        // Its own repository even inside another work tree: a shop's trail never lands
        // in the history of whatever project the folder happens to sit in.
        match Command::new("git")
            .args(["init", "-q"])
            .arg(&dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .status()
        {
            Ok(s) if s.success() => {
                made_git = true;
                crate::store::git::tune(&dir);
            }
            Ok(_) => eprintln!("{}{}", tr("warning_prefix", &[]), tr("init_git_failed", &[])),
            Err(_) => eprintln!("{}{}", tr("warning_prefix", &[]), tr("init_no_git", &[])),
        }
    }
    let dir_text = dir.display().to_string();
    let key = if made_git { "init_done_git" } else { "init_done" };
    eprintln!("{}", tr(key, &[("dir", &dir_text), ("config", CONFIG_FILE)]));
    if own_git {
        eprintln!("{}", tr("init_own_git", &[("dir", &dir_text)]));
    }
    let repo = if made_git || own_git {
        Repo::find(&dir).unwrap_or(None)
    } else {
        None
    };
    match (&repo, &args.station) {
        (Some(repo), Some(station)) => super::station::set(Some(repo), station)?,
        // Outside git the shared config is the only place a station can live.
        (None, Some(station)) => {
            let text = fs::read_to_string(dir.join(CONFIG_FILE))?;
            fs::write(
                dir.join(CONFIG_FILE),
                format!("{text}\n[shop]\nstation = \"{station}\"\n"),
            )?;
        }
        _ => {}
    }
    if let Some(repo) = &repo {
        super::sync::install_driver(repo)?;
    }
    if made_git && !cli.no_commit {
        commit(&dir, &created, cli)?;
    }
    Ok(())
}

/// The default config's values in English: every quoted Chinese value (labels, the
/// clerk, receivers, the circular's readers, the letter and the standard phrases) by
/// its English counterpart. Keys are English already.
fn english(text: &str) -> String {
    let mut out = text.to_string();
    for (zh, en) in ENGLISH {
        out = out.replace(&format!("\"{zh}\""), &format!("\"{en}\""));
    }
    out.replacen(LETTER_ZH, LETTER_EN, 1)
}

const LETTER_ZH: &str = "{customer.name} 您好：\n\n您於 {received_at} 反映的問題「{summary}」（案件編號 {id}），我們已經受理，並交由{department}處理。\n我們將在 {deadlines.close} 前處理完畢並與您聯繫；如有疑問，請隨時與我們聯繫。\n\n客戶服務中心\n";
const LETTER_EN: &str = "Dear {customer.name},\n\nThe problem you reported on {received_at}, \"{summary}\" (case {id}), has been received and passed to {department}.\nWe will resolve it and contact you by {deadlines.close}; if you have any question, please contact us at any time.\n\nCustomer Service Centre\n";

/// The default config's Chinese values and their English words.
const ENGLISH: &[(&str, &str)] = &[
    ("客服專員", "Service clerk"),
    ("一般", "General"),
    ("中級", "Moderate"),
    ("強烈", "Severe"),
    ("非理性", "Irrational"),
    ("總經理", "General manager"),
    ("產品質量", "Product quality"),
    ("服務態度", "Service attitude"),
    ("價格收費", "Price and charges"),
    ("溝通", "Communication"),
    ("物流配送", "Delivery"),
    ("退換貨", "Returns"),
    ("售後維修", "After-sales repair"),
    ("系統故障", "System fault"),
    ("其他", "Other"),
    ("綜合管理部", "General administration"),
    ("銷售部", "Sales"),
    ("市場部", "Marketing"),
    ("財務部", "Finance"),
    ("服務站", "Service station"),
    ("趙主任", "Director Zhao"),
    ("錢經理", "Manager Qian"),
    ("孫經理", "Manager Sun"),
    ("周會計", "Accountant Zhou"),
    ("李站長", "Station head Li"),
    ("電話", "Phone"),
    ("郵件", "Email"),
    ("社交媒體", "Social media"),
    ("到店", "In person"),
    ("網站", "Website"),
    ("經銷商", "Dealer"),
    ("退款", "Refund"),
    ("換貨", "Exchange"),
    ("維修", "Repair"),
    ("折扣", "Discount"),
    ("賠償", "Compensation"),
    ("道歉", "Apology"),
    ("解釋", "Explanation"),
    ("好的，我明白了。", "All right, I understand."),
    ("我明白您的意思。", "I understand what you mean."),
    (
        "{customer.name}，我很明白您現在的心情。",
        "{customer.name}, I fully understand how you feel.",
    ),
    (
        "明白了，您的問題我剛詳細記錄下來了。",
        "I see; I have just written down your problem in full.",
    ),
    ("對不起。", "I am sorry."),
    (
        "{customer.name}，我非常抱歉，還請您原諒。",
        "{customer.name}, I am very sorry; please forgive us.",
    ),
    (
        "{customer.name}，我聽到這件事也覺得非常抱歉，是我們做錯了，讓您的購買體驗出現了瑕疵，對不起。",
        "{customer.name}, I am very sorry to hear it: we got it wrong and spoiled your purchase. I apologise.",
    ),
    (
        "{customer.name}，發生這件事，我覺得十分抱歉，但我會馬上盡力補救，盡力幫您解決這個問題。",
        "{customer.name}, I am very sorry this happened; I will put it right at once and do all I can to solve it.",
    ),
    (
        "希望您能相信我，以後決不會有類似的事發生，我保證不會有同樣事情發生。",
        "Please believe me: nothing like this will happen again; I promise you it will not.",
    ),
    (
        "{customer.name}，這其實是最好的解決方法，不過如您認為不方便的話，我建議……您看我們可不可以這樣安排……",
        "{customer.name}, this is really the best solution, but if it does not suit you, I suggest… could we arrange it like this…",
    ),
    (
        "{customer.name}，真對不起，這件事只可以在……情況下才可以。",
        "{customer.name}, I am very sorry, but this can only be done if…",
    ),
    (
        "{customer.name}，真不好意思，請恕我們無法辦到，因為……",
        "{customer.name}, I am sorry, but we cannot do this, because…",
    ),
    (
        "{customer.name}，真不好意思，這件事只怕暫時幫不了您，因為……",
        "{customer.name}, I am sorry, but I am afraid we cannot help with this for now, because…",
    ),
    (
        "{customer.name}，多謝您能打電話來還能再找我們，我很樂意向您解釋這件事。",
        "{customer.name}, thank you for calling and coming back to us; I am glad to explain it.",
    ),
    (
        "{customer.name}，這件事請恕我無法幫忙，希望下次可以辦得到。",
        "{customer.name}, I am sorry I cannot help with this; I hope we can next time.",
    ),
    (
        "{customer.name}，您的問題我詳細記錄了，我會及時反映給相關部門，希望在您下次購買的時候能處理您遇到的同類問題。",
        "{customer.name}, I have written your problem down in full and will pass it on to the department concerned, so that it is dealt with before your next purchase.",
    ),
    (
        "{customer.name}，謝謝您打電話來。",
        "{customer.name}, thank you for calling.",
    ),
    (
        "{customer.name}，謝謝您通知我們。",
        "{customer.name}, thank you for letting us know.",
    ),
    (
        "{customer.name}，這件事請恕我無法幫助您，不過我可以請我的上司跟您談談，好嗎？",
        "{customer.name}, I cannot help you with this myself, but I can ask my supervisor to talk with you. Would that be all right?",
    ),
];

/// A workspace goes into a new or empty folder (or one holding only a git repository),
/// never into a system folder, even one reached through a symbolic link.
fn refuse_unsafe_dir(dir: &Path) -> Result<()> {
    let existing = dir.ancestors().find(|d| d.exists()).unwrap_or(Path::new("."));
    let resolved = fs::canonicalize(if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        existing
    })
    .with_context(|| tr("cannot_resolve", &[("path", &dir.display().to_string())]))?;
    let resolved = resolved.join(dir.strip_prefix(existing).unwrap_or(Path::new("")));
    if SYSTEM.iter().any(|s| resolved == Path::new(s)) || resolved.starts_with("/etc") || resolved.starts_with("/usr") {
        bail!(
            "{}",
            tr(
                "init_system_dir",
                &[
                    ("dir", &dir.display().to_string()),
                    ("system", &resolved.display().to_string())
                ]
            )
        );
    }
    if let Ok(entries) = fs::read_dir(dir) {
        let others: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".git")
            .collect();
        if !others.is_empty() {
            bail!(
                "{}",
                tr(
                    "init_not_empty",
                    &[
                        ("dir", &dir.display().to_string()),
                        ("files", &others.iter().take(3).cloned().collect::<Vec<_>>().join(", "))
                    ]
                )
            );
        }
    }
    Ok(())
}

/// The workspace's first commit, by the actor (else the default config's clerk), so the
/// config is in the trail from the start, even on a machine with no git identity.
fn commit(dir: &Path, created: &[PathBuf], cli: &Cli) -> Result<()> {
    let Some(repo) = Repo::find(dir).unwrap_or(None) else {
        // No git or no git program: `kefu init` has already said so above.
        return Ok(());
    };
    let config = Config::parse(Path::new(CONFIG_FILE), &default_text())?;
    let at = match &cli.now {
        Some(text) => config
            .zone
            .parse(text)
            .map_err(|e| anyhow::anyhow!("--now / KEFU_NOW: {e}"))?,
        None => config.zone.fix(chrono::Utc::now()),
    };
    let change = Change {
        actor: cli.actor.as_deref().unwrap_or(&config.clerk),
        at,
        subject: "kefu: start the complaint book",
        body: &format!(
            "created {}",
            created
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    repo.commit(created, &change).map(|_| ()).map_err(|e| {
        anyhow::anyhow!(
            "{}",
            tr(
                "init_not_committed",
                &[("why", &format!("{e:#}")), ("hint", &crate::store::git::hint(created))]
            )
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_english_config_has_english_values_and_is_valid() {
        let text = english(&default_text());
        let config = Config::parse(Path::new("kefu.toml"), &text).expect("valid");
        assert_eq!(config.clerk, "Service clerk");
        assert_eq!(config.department_label("service"), "Service station");
        // No Chinese is left in any value: only in comments, beside the English names.
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            let value = line.split('#').next().unwrap_or_default();
            assert!(
                !value
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '「' || c == '：'),
                "{line}"
            );
        }
    }
}
