//! The workspace configuration, `config/kefu.toml`: levels and their limits, penalties,
//! categories, departments, channels, requests, report and git settings.
//!
//! The shipped default file is compiled in; a setting missing from a workspace's file
//! takes its value from it, so the defaults live in exactly one place.

use crate::output::i18n::tr;
use std::collections::HashSet;
use std::path::Path;

use anyhow::{Result, bail};
use chrono::Weekday;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::domain::calendar::{Calendar, RawCalendar};
use crate::domain::parse::{from_toml, line_of};
use crate::domain::time::{Span, Time, Zone};

/// The repository's `config/kefu.toml`: the default configuration, which is also the
/// configuration of the sample workspace in the source repository.
const SAMPLE: &str = include_str!("../../config/kefu.toml");
const SAMPLE_GIT: &str = "auto_commit = false\n";
const SAMPLE_CAUSE: &str = "require_cause = [\"moderate\", \"severe\"]\n";

/// The default configuration, as `kefu init` writes it: the sample's, with commits on
/// and no level that requires a root cause.
pub fn default_text() -> String {
    SAMPLE
        .replacen(SAMPLE_GIT, "auto_commit = true\n", 1)
        .replacen(SAMPLE_CAUSE, "require_cause = []\n", 1)
}

/// A complaint level. The order is the escalation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    General,
    Moderate,
    Severe,
    Irrational,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::General, Level::Moderate, Level::Severe, Level::Irrational];

    pub fn key(self) -> &'static str {
        match self {
            Level::General => "general",
            Level::Moderate => "moderate",
            Level::Severe => "severe",
            Level::Irrational => "irrational",
        }
    }

    /// One step up on escalation; severe stays severe.
    pub fn escalated(self) -> Level {
        match self {
            Level::General => Level::Moderate,
            Level::Moderate | Level::Severe => Level::Severe,
            Level::Irrational => Level::Irrational,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|e: anyhow::Error| serde::de::Error::custom(e))
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The policy a classification applied (SPEC §17.4): the three limits and the penalty of
/// each level, and the monthly multiplier, as the config had them then. Stored on the
/// classify event, so the case's later deadlines, escalations and penalties follow the
/// rules it was classified under, whatever the config says later. Each list is in level
/// order: general, moderate, severe, irrational.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub handoff: [Span; 4],
    pub first_reply: [Span; 4],
    pub close: [Span; 4],
    pub penalty: [u64; 4],
    pub monthly_multiplier: u64,
}

impl Policy {
    pub fn limits(&self, level: Level) -> Limits {
        let i = level.index();
        Limits {
            handoff: self.handoff[i],
            first_reply: self.first_reply[i],
            close: self.close[i],
        }
    }

    pub fn penalty(&self, level: Level) -> u64 {
        self.penalty[level.index()]
    }

    /// The amount of a monthly penalty at `level`.
    pub fn monthly(&self, level: Level) -> u64 {
        self.penalty(level).saturating_mul(self.monthly_multiplier)
    }
}

/// The three limits of one level.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub handoff: Span,
    pub first_reply: Span,
    pub close: Span,
}

/// A configured choice: category, channel or request.
#[derive(Clone, Debug)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct Department {
    pub key: String,
    pub label: String,
    pub receiver: String,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub zone: Zone,
    pub clerk: String,
    labels: [String; 4],
    limits: [Limits; 4],
    penalties: [u64; 4],
    pub monthly_multiplier: u64,
    pub confirm: Span,
    /// Levels whose close needs a root cause and a countermeasure (`[close] require_cause`).
    pub require_cause: Vec<Level>,
    pub customer_answer: Span,
    /// Receipt → first classification.
    pub classify: Span,
    pub report_day: Weekday,
    pub transactions: Option<u64>,
    /// Who the weekly penalty circular goes to (`[circular] to`).
    pub circular_to: Vec<String>,
    /// The written answer to the customer (`[templates] letter`), with `{field}` placeholders.
    pub letter: String,
    /// Standard phrases (`[phrases.GROUP] KEY = "text"`), groups and phrases in file order.
    pub phrases: Vec<(String, Vec<(String, String)>)>,
    pub auto_commit: bool,
    /// How long one git call may take before it is stopped and the write rolled back.
    pub git_timeout: std::time::Duration,
    /// The largest text kefu accepts in one field, in bytes.
    pub max_field_bytes: u64,
    /// The largest case file kefu reads or writes, in bytes.
    pub max_case_bytes: u64,
    pub categories: Vec<Choice>,
    pub departments: Vec<Department>,
    pub channels: Vec<Choice>,
    pub requests: Vec<Choice>,
    /// The clerk's language (`[ui] language`; `--lang` and `KEFU_LANG` override it).
    pub lang: crate::output::i18n::Lang,
    /// Opening hours and holidays, which business-time limits (`4bh`, `3bd`) count.
    /// None: the shop has no `[calendar]`, and every limit is calendar time.
    pub calendar: Option<Calendar>,
    /// `[shop] station`: the station of a workspace outside git (SPEC §14.1); in git the
    /// clone's own `kefu.station` setting is used instead.
    pub station: Option<String>,
}

// The file as written. Every section is optional: a missing one comes from the default text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    timezone: Option<Spanned<String>>,
    clerk: Option<String>,
    ui: Option<RawUi>,
    levels: Option<RawLevels>,
    limits: Option<RawLimits>,
    penalty: Option<RawPenalty>,
    close: Option<RawClose>,
    report: Option<RawReport>,
    circular: Option<RawCircular>,
    templates: Option<RawTemplates>,
    phrases: Option<RawPhrases>,
    git: Option<RawGit>,
    size: Option<RawSize>,
    categories: Option<Vec<RawChoice>>,
    departments: Option<Vec<RawDepartment>>,
    channels: Option<Vec<RawChoice>>,
    requests: Option<Vec<RawChoice>>,
    // Never taken from the default: the shipped file has no calendar in force.
    calendar: Option<Spanned<RawCalendar>>,
    shop: Option<RawShop>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawShop {
    station: Option<Spanned<String>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawUi {
    language: Option<Spanned<String>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawLevels {
    general: String,
    moderate: String,
    severe: String,
    irrational: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    general: Limits,
    moderate: Limits,
    severe: Limits,
    irrational: Limits,
    confirm: Span,
    customer_answer: Span,
    /// Receipt → first classification (seed 7.1 即時判斷); an hour when not set.
    classify: Option<Span>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawPenalty {
    general: u64,
    moderate: u64,
    severe: u64,
    irrational: u64,
    monthly_multiplier: u64,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawClose {
    #[serde(default)]
    require_cause: Vec<Spanned<String>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawReport {
    day: Spanned<String>,
    transactions: Option<u64>,
}

/// `[phrases.GROUP] KEY = "text"`.
type RawPhrases = std::collections::BTreeMap<String, std::collections::BTreeMap<String, Spanned<String>>>;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawCircular {
    to: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawTemplates {
    letter: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawGit {
    auto_commit: bool,
    timeout: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawSize {
    max_field_bytes: Option<Spanned<u64>>,
    max_case_bytes: Option<Spanned<u64>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    key: Spanned<String>,
    label: String,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawDepartment {
    key: Spanned<String>,
    label: String,
    receiver: Spanned<String>,
}

impl Config {
    /// Read and validate a configuration file; errors are `path:line: reason`.
    /// Only the clerk's language of the config at `path` (`[ui] language`, else
    /// Traditional Chinese), for the words of the command line before it is parsed; None
    /// when the file cannot be read.
    pub fn language_of(path: &Path) -> Option<crate::output::i18n::Lang> {
        #[derive(Deserialize)]
        struct Only {
            ui: Option<OnlyUi>,
        }
        #[derive(Deserialize)]
        struct OnlyUi {
            language: Option<String>,
        }
        let only: Only = toml::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        match only.ui.and_then(|u| u.language) {
            Some(name) => crate::output::i18n::Lang::parse(&name),
            None => Some(crate::output::i18n::Lang::ZhHant),
        }
    }

    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {}: {e}", path.display(), tr("cannot_read_it", &[])))?;
        Config::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let raw: Raw = from_toml(path, text)?;
        let default: Raw = from_toml(Path::new("(built-in default)"), &default_text())?;
        let at = |span: std::ops::Range<usize>| format!("{}:{}", path.display(), line_of(text, span.start));

        // Without a [ui] language: Traditional Chinese, the regulation's own (SPEC §12.1).
        let lang = match raw.ui.and_then(|u| u.language) {
            Some(name) => crate::output::i18n::Lang::parse(name.get_ref()).ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: ui.language: {}",
                    at(name.span()),
                    tr("bad_language", &[("got", &format!("{:?}", name.get_ref()))])
                )
            })?,
            None => crate::output::i18n::Lang::ZhHant,
        };
        // What is wrong with the rest of the file is said in the shop's language.
        crate::output::i18n::shop_lang(lang);

        let zone = match &raw.timezone {
            Some(name) => match name.get_ref().parse() {
                Ok(tz) => Zone(tz),
                Err(_) => bail!(
                    "{}: timezone: {}",
                    at(name.span()),
                    tr("bad_zone", &[("got", &format!("{:?}", name.get_ref()))])
                ),
            },
            None => Zone(crate::domain::time::system_zone()),
        };
        let clerk = raw.clerk.or(default.clerk).unwrap_or_default();
        if clerk.trim().is_empty() {
            bail!("{}: clerk: {}", path.display(), tr("bad_clerk", &[]));
        }
        let levels = pick(raw.levels, default.levels);
        let limits = pick(raw.limits, default.limits);
        let penalty = pick(raw.penalty, default.penalty);
        let close = pick(raw.close, default.close);
        let mut require_cause = Vec::new();
        for name in close.require_cause {
            match Level::ALL.into_iter().find(|l| l.key() == name.get_ref()) {
                Some(level) if !require_cause.contains(&level) => require_cause.push(level),
                Some(_) => {}
                None => bail!(
                    "{}: close.require_cause: unknown level {:?}, expected general, moderate, severe or irrational",
                    at(name.span()),
                    name.get_ref()
                ),
            }
        }
        let report = pick(raw.report, default.report);
        let report_day = match report.day.get_ref().parse::<Weekday>() {
            Ok(day) => day,
            Err(_) => bail!(
                "{}: report.day: {}",
                at(report.day.span()),
                tr("bad_weekday", &[("got", &format!("{:?}", report.day.get_ref()))])
            ),
        };
        let git = pick(raw.git, default.git);
        let circular_to = pick(raw.circular, default.circular).to;
        let phrases = phrases_in_order(pick(raw.phrases, default.phrases));
        let letter = pick(raw.templates, default.templates)
            .letter
            .trim_start_matches('\n')
            .to_string();
        let git_timeout = match git.timeout.as_deref() {
            None => std::time::Duration::from_secs(30),
            // Seconds are the natural unit here, so `s` is allowed beside d, h, m.
            Some(text) => match text.trim().strip_suffix('s').map(str::parse::<u64>) {
                Some(Ok(secs)) if secs > 0 => std::time::Duration::from_secs(secs),
                _ => match text.parse::<Span>() {
                    Ok(span) if span.business => {
                        bail!(
                            "{}: git.timeout: {text:?} is business time; a git call is timed by the clock, like \"30s\"",
                            path.display()
                        )
                    }
                    Ok(span) => {
                        std::time::Duration::from_secs(u64::from(span.days) * 86_400 + u64::from(span.minutes) * 60)
                    }
                    Err(e) => bail!("{}: git.timeout: {e}", path.display()),
                },
            },
        };
        let size = raw.size.unwrap_or(RawSize {
            max_field_bytes: None,
            max_case_bytes: None,
        });
        let default_size = pick(None, default.size);
        let limit = |name: &str, own: Option<Spanned<u64>>, default: Option<Spanned<u64>>, least: u64| match own {
            Some(v) if *v.get_ref() < least => bail!(
                "{}: size.{name}: expected at least {least} bytes, got {}",
                at(v.span()),
                v.get_ref()
            ),
            Some(v) => Ok(v.into_inner()),
            None => Ok(default.map_or(least, Spanned::into_inner)),
        };
        let max_field_bytes = limit(
            "max_field_bytes",
            size.max_field_bytes,
            default_size.max_field_bytes,
            64,
        )?;
        let max_case_bytes = limit("max_case_bytes", size.max_case_bytes, default_size.max_case_bytes, 1024)?;

        let choices = |section: &str, list: Vec<RawChoice>| -> Result<Vec<Choice>> {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for c in list {
                check_key(section, &c.key, &mut seen, &at)?;
                out.push(Choice {
                    key: c.key.into_inner(),
                    label: c.label,
                });
            }
            if out.is_empty() {
                bail!("{}: {section}: expected at least one entry", path.display());
            }
            Ok(out)
        };
        let categories = choices("categories", pick(raw.categories, default.categories))?;
        let channels = choices("channels", pick(raw.channels, default.channels))?;
        let requests = choices("requests", pick(raw.requests, default.requests))?;
        let mut seen = HashSet::new();
        let mut departments = Vec::new();
        for d in pick(raw.departments, default.departments) {
            check_key("departments", &d.key, &mut seen, &at)?;
            if d.receiver.get_ref().trim().is_empty() {
                bail!(
                    "{}: departments.{}.receiver: {}",
                    at(d.receiver.span()),
                    d.key.get_ref(),
                    tr("bad_receiver", &[])
                );
            }
            departments.push(Department {
                key: d.key.into_inner(),
                label: d.label,
                receiver: d.receiver.into_inner(),
            });
        }
        if departments.is_empty() {
            bail!("{}: departments: expected at least one department", path.display());
        }
        // Labels are accepted in either Chinese script (SPEC §17.19): two that are one
        // label once written in one script could not be told apart.
        let level_labels = [levels.general, levels.moderate, levels.severe, levels.irrational];
        let lists: [(&str, Vec<(&str, &str)>); 5] = [
            (
                "levels",
                Level::ALL
                    .iter()
                    .zip(&level_labels)
                    .map(|(l, t)| (l.key(), t.as_str()))
                    .collect(),
            ),
            ("categories", pairs(&categories)),
            ("channels", pairs(&channels)),
            ("requests", pairs(&requests)),
            (
                "departments",
                departments.iter().map(|d| (d.key.as_str(), d.label.as_str())).collect(),
            ),
        ];
        for (section, entries) in &lists {
            if let Some((earlier, later)) = crate::domain::script::collision(entries) {
                let label = |k: &str| entries.iter().find(|e| e.0 == k).map_or("", |e| e.1);
                bail!(
                    "{}: {section}.{later}: its label {:?} cannot be told from {section}.{earlier} ({:?}) once Traditional and Simplified characters are compared as one; give them distinct labels",
                    path.display(),
                    label(later),
                    label(earlier)
                );
            }
        }
        let calendar = match &raw.calendar {
            Some(table) => Some(Calendar::parse(table.get_ref(), table.span(), &at)?),
            None => None,
        };
        if calendar.is_none() {
            let mut spans = vec![
                ("limits.confirm".to_string(), limits.confirm),
                ("limits.customer_answer".to_string(), limits.customer_answer),
            ];
            spans.extend(limits.classify.map(|s| ("limits.classify".to_string(), s)));
            for (level, l) in
                Level::ALL
                    .iter()
                    .zip([&limits.general, &limits.moderate, &limits.severe, &limits.irrational])
            {
                for (name, span) in [
                    ("handoff", l.handoff),
                    ("first_reply", l.first_reply),
                    ("close", l.close),
                ] {
                    spans.push((format!("limits.{}.{name}", level.key()), span));
                }
            }
            if let Some((name, span)) = spans.into_iter().find(|(_, s)| s.business) {
                bail!(
                    "{}: {name}: \"{span}\" counts business time, but there is no [calendar] saying when the shop is open; add one or write the limit in h or d",
                    path.display()
                );
            }
        }

        let station = match raw.shop.and_then(|shop| shop.station) {
            Some(s) if !crate::domain::case::is_station(s.get_ref()) => bail!(
                "{}: {}",
                at(s.span()),
                tr(
                    "bad_station",
                    &[("flag", "shop.station"), ("got", &format!("{:?}", s.get_ref()))]
                )
            ),
            s => s.map(Spanned::into_inner),
        };
        Ok(Config {
            zone,
            clerk,
            labels: level_labels,
            limits: [limits.general, limits.moderate, limits.severe, limits.irrational],
            penalties: [penalty.general, penalty.moderate, penalty.severe, penalty.irrational],
            monthly_multiplier: penalty.monthly_multiplier,
            confirm: limits.confirm,
            require_cause,
            customer_answer: limits.customer_answer,
            classify: limits.classify.unwrap_or(Span::minutes(60)),
            report_day,
            transactions: report.transactions,
            circular_to,
            letter,
            phrases,
            auto_commit: git.auto_commit,
            git_timeout,
            max_field_bytes,
            max_case_bytes,
            categories,
            departments,
            channels,
            requests,
            lang,
            calendar,
            station,
        })
    }

    /// `start + span` on the shop's clock: the one place every deadline is computed, so
    /// that the way time is counted is decided here alone. Business time (`4bh`, `3bd`)
    /// counts the calendar's open hours; `h` and `d` are calendar time.
    pub fn add(&self, start: Time, span: Span) -> Time {
        match &self.calendar {
            Some(calendar) if span.business => calendar.add(&self.zone, start, span),
            _ => self.zone.add(start, span),
        }
    }

    /// The calendar's tag when `span` is business time: recorded with the deadlines it
    /// sets, so `check` can name the cases whose deadlines another calendar set.
    pub fn calendar_tag(&self, spans: &[Span]) -> Option<String> {
        let calendar = self.calendar.as_ref()?;
        spans.iter().any(|s| s.business).then(|| calendar.tag(&self.zone))
    }

    /// A duration from the command line (`--within 8bh`), which may count business time
    /// only when the config has a calendar.
    pub fn span(&self, flag: &str, text: &str) -> Result<Span> {
        let span: Span = text.parse().map_err(|e| anyhow::anyhow!("{flag}: {e}"))?;
        if span.business && self.calendar.is_none() {
            bail!(
                "{flag}: {}",
                tr("business_no_calendar", &[("got", &format!("{text:?}"))])
            );
        }
        Ok(span)
    }

    pub fn limits(&self, level: Level) -> Limits {
        self.limits[level.index()]
    }

    pub fn penalty(&self, level: Level) -> u64 {
        self.penalties[level.index()]
    }

    /// The policy a classification made now applies (SPEC §17.4).
    pub fn policy(&self) -> Policy {
        Policy {
            handoff: self.limits.map(|l| l.handoff),
            first_reply: self.limits.map(|l| l.first_reply),
            close: self.limits.map(|l| l.close),
            penalty: self.penalties,
            monthly_multiplier: self.monthly_multiplier,
        }
    }

    pub fn level_label(&self, level: Level) -> &str {
        &self.labels[level.index()]
    }

    /// A level by key or label, in either Chinese script. The levels are fixed by kefu,
    /// so an unknown one is a usage error (exit 2, SPEC §17.1), named after `flag`.
    pub fn level(&self, flag: &str, text: &str) -> std::result::Result<Level, crate::Usage> {
        crate::domain::script::find(&Level::ALL, text, |l| l.key(), |l| self.level_label(*l))
            .copied()
            .ok_or_else(|| {
                let all = Level::ALL.iter().map(|l| (l.key(), self.level_label(*l)));
                crate::Usage(format!(
                    "{flag}{}{}",
                    if flag.is_empty() { "" } else { ": " },
                    crate::output::i18n::unknown("level", text, all)
                ))
            })
    }

    pub fn category(&self, text: &str) -> Result<&Choice> {
        find(&self.categories, text, "category")
    }

    pub fn channel(&self, text: &str) -> Result<&Choice> {
        find(&self.channels, text, "channel")
    }

    pub fn request(&self, text: &str) -> Result<&Choice> {
        find(&self.requests, text, "request")
    }

    pub fn department(&self, text: &str) -> Result<&Department> {
        crate::domain::script::find(&self.departments, text, |d| &d.key, |d| &d.label).ok_or_else(|| {
            let all = self.departments.iter().map(|d| (d.key.as_str(), d.label.as_str()));
            anyhow::anyhow!("{}", crate::output::i18n::unknown("department", text, all))
        })
    }

    /// The display label of a stored key, or the key itself when the config no longer has it.
    pub fn label<'a>(&'a self, list: &'a [Choice], key: &'a str) -> &'a str {
        list.iter().find(|c| c.key == key).map_or(key, |c| c.label.as_str())
    }

    pub fn department_label<'a>(&'a self, key: &'a str) -> &'a str {
        self.departments
            .iter()
            .find(|d| d.key == key)
            .map_or(key, |d| d.label.as_str())
    }
}

/// Phrase groups and phrases in the order the file lists them (a TOML table is read
/// sorted; the spans tell where each phrase was written).
fn phrases_in_order(raw: RawPhrases) -> Vec<(String, Vec<(String, String)>)> {
    // (where it starts in the file, group, [(where, key, text)])
    type Placed = (usize, String, Vec<(usize, String, String)>);
    let mut groups: Vec<Placed> = raw
        .into_iter()
        .map(|(group, phrases)| {
            let mut list: Vec<(usize, String, String)> = phrases
                .into_iter()
                .map(|(key, text)| (text.span().start, key, text.into_inner()))
                .collect();
            list.sort();
            (list.first().map_or(usize::MAX, |p| p.0), group, list)
        })
        .collect();
    groups.sort();
    groups
        .into_iter()
        .map(|(_, group, list)| (group, list.into_iter().map(|(_, k, t)| (k, t)).collect()))
        .collect()
}

fn pairs(list: &[Choice]) -> Vec<(&str, &str)> {
    list.iter().map(|c| (c.key.as_str(), c.label.as_str())).collect()
}

fn pick<T>(own: Option<T>, default: Option<T>) -> T {
    // The default has every section, so the second is always present.
    own.or(default).expect("the built-in configuration has every section")
}

fn check_key(
    section: &str,
    key: &Spanned<String>,
    seen: &mut HashSet<String>,
    at: &dyn Fn(std::ops::Range<usize>) -> String,
) -> Result<()> {
    let k = key.get_ref();
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        bail!(
            "{}: {section}.key: expected a short ASCII word (letters, digits, _ or -), got {k:?}",
            at(key.span())
        );
    }
    if !seen.insert(k.clone()) {
        bail!(
            "{}: {section}: {}",
            at(key.span()),
            tr("duplicate_key", &[("got", &format!("{k:?}"))])
        );
    }
    Ok(())
}

fn find<'a>(list: &'a [Choice], text: &str, what: &str) -> Result<&'a Choice> {
    crate::domain::script::find(list, text, |c| &c.key, |c| &c.label).ok_or_else(|| {
        let all = list.iter().map(|c| (c.key.as_str(), c.label.as_str()));
        anyhow::anyhow!("{}", crate::output::i18n::unknown(what, text, all))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(Path::new("config/kefu.toml"), text)
    }

    #[test]
    fn the_default_is_valid_and_complete() {
        assert!(SAMPLE.contains(SAMPLE_GIT), "the sample switches commits off");
        assert!(SAMPLE.contains(SAMPLE_CAUSE), "the sample requires a root cause");
        let sample = parse(SAMPLE).unwrap();
        assert_eq!(sample.require_cause, [Level::Moderate, Level::Severe]);
        let c = parse(&default_text()).unwrap();
        assert!(c.require_cause.is_empty(), "no level requires a cause by default");
        assert_eq!(c.confirm, "12h".parse().unwrap());
        assert_eq!(c.limits(Level::General).close, Span::days(3));
        assert_eq!(c.penalty(Level::Severe), 200);
        assert_eq!(c.categories.len(), 9);
        assert_eq!(c.department("服務站").unwrap().key, "service");
        assert!(c.auto_commit);
    }

    #[test]
    fn missing_sections_come_from_the_default() {
        let c = parse("clerk = \"小王\"\n").unwrap();
        assert_eq!(c.clerk, "小王");
        assert_eq!(c.limits(Level::Moderate).handoff.minutes, 120);
    }

    /// The sample's commented calendar, switched on, is a valid calendar.
    #[test]
    fn the_sample_calendar_uncommented_is_valid() {
        let text = ["[calendar]", "mon-fri", "sat", "holidays", "workdays"]
            .iter()
            .fold(SAMPLE.to_string(), |t, key| {
                t.replace(&format!("\n# {key}"), &format!("\n{key}"))
            });
        let c = parse(&text).unwrap();
        let cal = c.calendar.expect("a calendar");
        let make_up = chrono::NaiveDate::from_ymd_opt(2027, 2, 20).unwrap();
        assert_eq!(cal.kind(make_up), crate::domain::calendar::DayKind::Workday);
        assert!(parse(SAMPLE).unwrap().calendar.is_none(), "off by default");
    }

    /// Business-time limits go through the calendar; calendar-time ones do not.
    #[test]
    fn deadlines_count_business_time_by_the_calendar() {
        let text = SAMPLE.replace(
            "general = { handoff = \"4h\", first_reply = \"24h\", close = \"3d\" }",
            "general = { handoff = \"4bh\", first_reply = \"24h\", close = \"3bd\" }",
        ) + "\n[calendar]\nmon-fri = \"09:00-18:00\"\n";
        let c = parse(&text).unwrap();
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        let received = t("2026-11-27T16:00:00+08:00");
        let l = c.limits(Level::General);
        assert_eq!(c.add(received, l.handoff), t("2026-11-30T11:00:00+08:00"));
        assert_eq!(c.add(received, l.close), t("2026-12-02T16:00:00+08:00"));
        assert_eq!(c.add(received, l.first_reply), t("2026-11-28T16:00:00+08:00"));
        assert!(c.calendar_tag(&[l.first_reply]).is_none());
        assert!(c.calendar_tag(&[l.first_reply, l.handoff]).is_some());
        assert!(c.span("--within", "8bh").is_ok());
        let plain = parse("clerk = \"a\"\n").unwrap();
        let err = plain.span("--within", "8bh").unwrap_err().to_string();
        assert!(err.starts_with("--within: \"8bh\" counts business time"), "{err}");
    }

    #[test]
    fn bad_settings_name_the_setting_and_line() {
        let cases = [
            (
                "clerk = \"a\"\ncolour = 1\n",
                "config/kefu.toml:2: unknown field `colour`",
            ),
            (
                "[limits]\ngeneral = { handoff = \"4h\", first_reply = \"24h\", close = \"3d\" }\nmoderate = { handoff = \"2h\", first_reply = \"12h\", close = \"7d\" }\nsevere = { handoff = \"1h\", first_reply = \"4h\", close = \"15d\" }\nsever = { handoff = \"1h\", first_reply = \"4h\", close = \"15d\" }\n",
                "config/kefu.toml:5: unknown field `sever`",
            ),
            (
                "[limits]\ngeneral = { handoff = \"4 hours\", first_reply = \"24h\", close = \"3d\" }\n",
                "config/kefu.toml:2: handoff: expected a duration",
            ),
            (
                "[[categories]]\nkey = \"a\"\nlabel = \"A\"\n[[categories]]\nkey = \"a\"\nlabel = \"B\"\n",
                "config/kefu.toml:5: categories: duplicate key \"a\"",
            ),
            (
                "[[departments]]\nkey = \"a\"\nlabel = \"A\"\n",
                "config/kefu.toml:1: missing field `receiver`",
            ),
            (
                "timezone = \"Mars/Base\"\n",
                "config/kefu.toml:1: timezone: unknown time zone",
            ),
            (
                "[close]\nrequire_cause = [\"moderate\", \"sever\"]\n",
                "config/kefu.toml:2: close.require_cause: unknown level \"sever\"",
            ),
            (
                "clerk = \"a\"\nclerk = \"b\"\n",
                "config/kefu.toml:2: clerk: duplicate key",
            ),
            (
                "[limits]\ngeneral = { handoff = \"4bh\", first_reply = \"24h\", close = \"3d\" }\nmoderate = { handoff = \"2h\", first_reply = \"12h\", close = \"7d\" }\nsevere = { handoff = \"1h\", first_reply = \"4h\", close = \"15d\" }\nirrational = { handoff = \"1h\", first_reply = \"4h\", close = \"15d\" }\nconfirm = \"12h\"\ncustomer_answer = \"7d\"\n",
                "config/kefu.toml: limits.general.handoff: \"4bh\" counts business time, but there is no [calendar]",
            ),
            (
                "clerk = \"a\"\n\n[calendar]\nmon-fri = \"09:00-18:00\"\nfri = \"09:00-17:00\"\n",
                "config/kefu.toml:4: calendar.mon-fri: fri is already given by calendar.fri",
            ),
            (
                "[git]\nauto_commit = true\ntimeout = \"1bh\"\n",
                "config/kefu.toml: git.timeout: \"1bh\" is business time",
            ),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.starts_with(want), "{text:?}\n  got:  {err}\n  want: {want}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
}
