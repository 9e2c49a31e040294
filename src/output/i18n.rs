//! The clerk's language (SPEC §12.1): `[ui] language` in the config, overridden by
//! `KEFU_LANG`, overridden by `--lang`. Human messages come from this catalog; JSON keys
//! and values stay English keys.
//!
//! The catalogs are Project Fluent files (`src/output/i18n/*.ftl`, compiled into the binary):
//! Traditional Chinese and English. Simplified Chinese is made from the Traditional
//! text with the same conversion table that compares labels ([`crate::domain::script`]), so the
//! two Chinese catalogs cannot drift apart.
//!
//! Why Fluent: a translator edits a plain text file of `key = text` lines without
//! touching Rust; placeables are named (`{ $id }`), so each language orders them as its
//! grammar wants; plural and other selections live in the message (`{ $n -> [one] …
//! *[other] … }`) instead of in the code that calls it, which a hand-made table pushed
//! into every caller; and a catalog is checked when it is loaded. gettext needs a C
//! library or a build step and keys by the English text; `fluent-bundle` is pure Rust,
//! maintained by Mozilla's Fluent project, and takes the catalogs as strings, which
//! is what `include_str!` gives.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language kefu speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Traditional Chinese, the regulation's own script.
    #[default]
    #[value(name = "zh-Hant", alias = "zh-hant", alias = "zh-TW", alias = "zh-HK")]
    ZhHant,
    /// Simplified Chinese.
    #[value(name = "zh-Hans", alias = "zh-hans", alias = "zh-CN", alias = "zh-SG")]
    ZhHans,
    #[value(name = "en")]
    En,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        <Lang as clap::ValueEnum>::from_str(text.trim(), true).ok()
    }

    pub fn key(self) -> &'static str {
        match self {
            Lang::ZhHant => "zh-Hant",
            Lang::ZhHans => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// The language of a locale name (`LC_ALL`, `LANG`): zh_TW and zh_HK are
    /// Traditional, zh_CN and zh_SG (and a bare zh) Simplified, anything else English.
    pub fn of_locale(locale: &str) -> Lang {
        let l = locale.to_ascii_lowercase().replace('-', "_");
        if !l.starts_with("zh") {
            return Lang::En;
        }
        if l.starts_with("zh_tw") || l.starts_with("zh_hk") || l.starts_with("zh_mo") || l.contains("hant") {
            Lang::ZhHant
        } else {
            Lang::ZhHans
        }
    }

    /// The language `kefu init` writes: from `LC_ALL`, else `LANG`.
    pub fn of_environment() -> Lang {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        var("LC_ALL")
            .or_else(|| var("LANG"))
            .map_or(Lang::En, |l| Lang::of_locale(&l))
    }

    /// A fixed Traditional Chinese text (a label) in this language: itself, or mapped to
    /// Simplified.
    pub fn zh(self, hant: &str) -> String {
        match self {
            Lang::ZhHans => hanconv::t2s(hant),
            _ => hant.to_string(),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The catalogs, in Project Fluent's format. Simplified Chinese is not a file: it is
/// made from the Traditional one when the bundles are built.
const ZH_HANT: &str = include_str!("i18n/zh-Hant.ftl");
const EN: &str = include_str!("i18n/en.ftl");
/// The command line's help and usage errors (see [`crate::output::help`]): Chinese only,
/// English being clap's own text from the doc comments.
const HELP_ZH_HANT: &str = include_str!("i18n/help.zh-Hant.ftl");

fn bundle(locale: &str, ftl: String) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(ftl)
        .unwrap_or_else(|(_, errors)| panic!("the {locale} catalog does not parse: {errors:?}"));
    let id: LanguageIdentifier = locale.parse().expect("a valid locale");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Fluent wraps every placeable in Unicode bidi isolation marks (U+2068, U+2069) by
    // default; kefu's output never carries bidi controls (SPEC §9, terminal safety), and
    // none of its languages is written right to left.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("the {locale} catalog defines a message twice: {errors:?}"));
    bundle
}

/// An argument's value: a plain whole number is passed as a number, so that a message
/// can choose its plural form (`{ $n -> [one] … *[other] … }`); anything else (an id
/// like `001`, a time, a name) as text, unchanged.
fn value(text: &str) -> FluentValue<'_> {
    match text.parse::<i64>() {
        Ok(n) if n.to_string() == text => FluentValue::from(n),
        _ => FluentValue::from(text),
    }
}

/// Whether the catalog of `lang` has the message `key`.
pub fn has(lang: Lang, key: &str) -> bool {
    catalog(lang).has_message(key)
}

/// One bundle per language, built on first use: a command speaks one or two of them,
/// and the Simplified one is converted from the Traditional text (2 ms of a command
/// that takes 25). The concurrent flavour, because reports and imports word messages
/// on rayon's threads too.
fn catalog(lang: Lang) -> &'static FluentBundle<FluentResource> {
    type Bundle = OnceLock<FluentBundle<FluentResource>>;
    static ZH_HANT_BUNDLE: Bundle = OnceLock::new();
    static ZH_HANS_BUNDLE: Bundle = OnceLock::new();
    static EN_BUNDLE: Bundle = OnceLock::new();
    match lang {
        Lang::ZhHant => ZH_HANT_BUNDLE.get_or_init(|| bundle("zh-Hant", format!("{ZH_HANT}\n{HELP_ZH_HANT}"))),
        Lang::ZhHans => {
            ZH_HANS_BUNDLE.get_or_init(|| bundle("zh-Hans", hanconv::t2s(format!("{ZH_HANT}\n{HELP_ZH_HANT}"))))
        }
        Lang::En => EN_BUNDLE.get_or_init(|| bundle("en", EN.to_string())),
    }
}

/// The message `key` in `lang`, with its `{ $name }` placeables filled from `args`.
///
/// A key missing from the catalog is a bug in kefu, not in the user's input: it panics,
/// and the unit tests check that every key used exists in every language.
pub fn t(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let bundle = catalog(lang);
    let pattern = bundle
        .get_message(key)
        .and_then(|m| m.value())
        .unwrap_or_else(|| panic!("message {key:?} is not in the {lang} catalog"));
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, text) in args {
        fluent_args.set(*name, value(text));
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    debug_assert!(errors.is_empty(), "message {key:?} in {lang}: {errors:?}");
    text.into_owned()
}

/// The process's language, for messages made where no [`crate::Ctx`] is at hand (errors
/// raised deep in the rules, the store or the parsers). Set once the language is known
/// ([`set_lang`]); until then it comes from `--lang`/`KEFU_LANG`, else the locale.
static PROCESS_LANG: AtomicU8 = AtomicU8::new(UNSET);
const UNSET: u8 = u8::MAX;

/// Whether `--lang` / `KEFU_LANG` chose the language, which the config then does not
/// change.
static PINNED: AtomicBool = AtomicBool::new(false);

/// Make `lang` the language of [`tr`] for the rest of the process.
pub fn set_lang(lang: Lang) {
    PROCESS_LANG.store(lang as u8, Ordering::Relaxed);
}

/// `lang` was asked for (`--lang`, `KEFU_LANG`): it stays, whatever the config says.
pub fn pin_lang(lang: Lang) {
    set_lang(lang);
    PINNED.store(true, Ordering::Relaxed);
}

/// The shop's language, known as soon as its config is read (so that the config's own
/// errors are worded in it), unless one was asked for.
pub fn shop_lang(lang: Lang) {
    // Unit tests read many configs and compare English messages (see [`lang`]).
    if !PINNED.load(Ordering::Relaxed) && !cfg!(test) {
        set_lang(lang);
    }
}

/// The process's language: as [`set_lang`] made it, else `KEFU_LANG`, else the locale.
pub fn lang() -> Lang {
    match PROCESS_LANG.load(Ordering::Relaxed) {
        0 => Lang::ZhHant,
        1 => Lang::ZhHans,
        2 => Lang::En,
        // Unit tests compare English messages whatever the developer's locale.
        _ if cfg!(test) => Lang::En,
        _ => std::env::var("KEFU_LANG")
            .ok()
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_else(Lang::of_environment),
    }
}

/// The message `key` in the process's language ([`lang`]).
pub fn tr(key: &str, args: &[(&str, &str)]) -> String {
    t(lang(), key, args)
}

/// "unknown category "x": expected one of …" in the process's language. `what` names
/// the kind of value (`category`, `follow-up mode`); `choices` are (key, label) pairs.
/// English lists keys with their labels; Chinese lists the labels, which are accepted
/// as well as the keys (SPEC §12.2).
pub fn unknown<'a>(what: &str, got: &str, choices: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let lang = lang();
    let all: Vec<String> = choices
        .into_iter()
        .map(|(key, label)| match lang {
            Lang::En => format!("{key} ({label})"),
            _ => lang.zh(label),
        })
        .collect();
    let what = tr(&format!("what_{}", what.replace([' ', '-'], "_")), &[]);
    let sep = if lang == Lang::En { ", " } else { "、" };
    tr(
        "unknown_value",
        &[("what", &what), ("got", &format!("{got:?}")), ("all", &all.join(sep))],
    )
}

/// A document's title: its name in the regulation (Traditional Chinese, mapped to
/// Simplified for zh-Hans), or in English the catalog's `key`.
pub fn zh_or(hant: &str, key: &str) -> String {
    match lang() {
        Lang::En => tr(key, &[]),
        l => l.zh(hant),
    }
}

/// A fixed word (a status, a remedy, a follow-up mode) in the process's language: its
/// key in English, its Traditional label in Chinese (Simplified for zh-Hans).
pub fn word(key: &str, hant: &str) -> String {
    match lang() {
        Lang::En => key.to_string(),
        l => l.zh(hant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each message of a catalog with the names of its placeables, from the file's text.
    fn messages(ftl: &str) -> std::collections::BTreeMap<String, Vec<String>> {
        let mut all = std::collections::BTreeMap::new();
        let mut current: Option<String> = None;
        for line in ftl.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !line.starts_with(' ') && !line.starts_with('}') {
                let (key, _) = line.split_once(" =").unwrap_or_else(|| panic!("not a message: {line}"));
                assert!(all.insert(key.to_string(), Vec::new()).is_none(), "{key} twice");
                current = Some(key.to_string());
            }
            let holes = all.get_mut(current.as_ref().expect("a message")).expect("known");
            for part in line.split("{ $").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !holes.contains(&name) {
                    holes.push(name);
                }
            }
        }
        for holes in all.values_mut() {
            holes.sort();
        }
        all
    }

    /// English words in a Chinese message, leaving out what a user types or reads as a
    /// name: quoted commands and examples, flags, config keys and sections, placeholders in capitals
    /// (`DIR`, `YYYYMMDD`), file paths, and the follow-up keys shown beside their labels.
    fn english_words(text: &str) -> Vec<String> {
        let mut plain = String::new();
        for (i, part) in text.split(['`', '"']).enumerate() {
            if i % 2 == 0 {
                plain.push_str(part);
            }
            plain.push(' ');
        }
        plain
            .split(|c: char| !(c.is_ascii_alphanumeric() || "-_./[]<>".contains(c)))
            .filter(|w| !w.starts_with('-') && !w.starts_with('['))
            .filter(|w| !w.contains(['_', '.', '/', '<']))
            .filter(|w| w.chars().filter(|c| c.is_ascii_lowercase()).count() >= 2)
            .filter(|w| {
                ![
                    "kefu",
                    "git",
                    "watch",
                    "monitor",
                    "irrational",
                    "b001",
                    "Big5",
                    "Excel",
                    "Enter",
                ]
                .contains(w)
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_event_kind_has_a_name_in_the_catalog() {
        let hant = messages(ZH_HANT);
        for kind in crate::domain::case::EventKind::ALL {
            let key = format!("k_{}", kind.key());
            assert!(hant.contains_key(&key), "{key} is not in the catalog");
        }
    }

    #[test]
    fn both_catalogs_hold_the_same_keys_and_agree_on_placeables() {
        let hant = messages(ZH_HANT);
        let en = messages(EN);
        assert_eq!(
            hant.keys().collect::<Vec<_>>(),
            en.keys().collect::<Vec<_>>(),
            "the catalogs differ in their keys"
        );
        // English may use more (a count that only chooses a plural form); Chinese must
        // not need a value the callers, written against English, do not give.
        for (key, holes) in &hant {
            let missing: Vec<&String> = holes.iter().filter(|h| !en[key].contains(h)).collect();
            assert!(missing.is_empty(), "{key}: zh-Hant uses {missing:?}, which en does not");
        }
    }

    #[test]
    fn every_message_formats_in_every_language_without_bidi_marks() {
        // English's placeables are the ones callers give (see above).
        for (key, holes) in messages(EN) {
            let args: Vec<(&str, &str)> = holes.iter().map(|h| (h.as_str(), "X")).collect();
            for lang in [Lang::ZhHant, Lang::ZhHans, Lang::En] {
                let text = t(lang, &key, &args);
                assert!(!text.is_empty(), "{key} in {lang} is empty");
                assert!(
                    !text.chars().any(|c| ('\u{2066}'..='\u{2069}').contains(&c)),
                    "{key} in {lang} has bidi marks: {text:?}"
                );
                assert!(!text.contains("{$"), "{key} in {lang} left a placeable: {text:?}");
                if lang != Lang::En {
                    let words = english_words(&text.replace('X', ""));
                    assert!(words.is_empty(), "{key} in {lang}: {words:?} in {text}");
                }
            }
        }
    }

    #[test]
    fn english_plurals_and_numbers() {
        assert_eq!(t(Lang::En, "n_cases", &[("n", "1")]), "1 case");
        assert_eq!(t(Lang::En, "n_cases", &[("n", "12")]), "12 cases");
        assert_eq!(t(Lang::ZhHant, "n_cases", &[("n", "12")]), "共 12 件");
        // A number-like id keeps its zeros.
        assert_eq!(t(Lang::En, "reopened", &[("id", "001")]), "001 reopened");
    }

    #[test]
    fn messages_in_each_language() {
        let args = [("id", "20261123-001")];
        assert_eq!(t(Lang::En, "reopened", &args), "20261123-001 reopened");
        assert_eq!(t(Lang::ZhHant, "reopened", &args), "20261123-001 已重新開啟");
        assert_eq!(t(Lang::ZhHans, "reopened", &args), "20261123-001 已重新开启");
    }

    #[test]
    fn locales() {
        assert_eq!(Lang::of_locale("zh_TW.UTF-8"), Lang::ZhHant);
        assert_eq!(Lang::of_locale("zh_HK"), Lang::ZhHant);
        assert_eq!(Lang::of_locale("zh_CN.UTF-8"), Lang::ZhHans);
        assert_eq!(Lang::of_locale("zh_SG"), Lang::ZhHans);
        assert_eq!(Lang::of_locale("C.UTF-8"), Lang::En);
        assert_eq!(Lang::of_locale("en_US"), Lang::En);
        assert_eq!(Lang::parse("zh-hans"), Some(Lang::ZhHans));
        assert_eq!(Lang::parse("fr"), None);
    }
}
