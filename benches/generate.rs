//! Synthetic workspaces: N complaints received over the days before a fixed "now" (a
//! year, or longer for a shop of more than 100 complaints a day), each
//! with a history made by calling kefu's own rules at advancing fake times — the same
//! functions the commands call — so every file is exactly what kefu would have written
//! and `kefu check` accepts it.
//!
//! Deterministic for a seed: the receipt times come from one generator, and each case
//! then gets its own generator seeded from (seed, its index), so the cases can be made
//! on many threads in any order and still come out byte for byte the same.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{TimeDelta, Timelike};
use rayon::prelude::*;

use kefu::domain::case::{Case, FollowUp, Satisfaction};
use kefu::domain::config::{Config, Level};
use kefu::domain::rules::{self, By, Classify, Close, Intake, Reply};
use kefu::domain::time::{Span, Time};
use kefu::store::{CASES_DIR, CONFIG_FILE, STATE_DIR, to_toml};

use crate::text::{self, Topic};

/// The moment the synthetic workspaces are "swept" at; the benchmark runs kefu at it.
pub const NOW: &str = "2026-11-23T09:00:00+08:00";
/// Receipts fall in the days before NOW's date: a year, or as many days as it takes at
/// 100 complaints a day (about 3,000 a month, SPEC §13.1's month folders), so that a
/// shop of 100,000 cases has kept them for some three years rather than taking 280 a
/// day.
fn days(n: usize) -> u32 {
    u32::try_from(n / 100).unwrap_or(u32::MAX).max(365)
}

/// SplitMix64: a few lines, good enough for test data, and — unlike a crate whose
/// algorithms may change between versions — the same workspace for a seed forever.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A generator for item `index` of a run seeded with `seed`.
    pub fn for_item(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index into `weights`, with probability proportional to its weight.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut x = self.below(weights.iter().sum());
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// What happens to a complaint after intake. Recent cases are cut off at NOW, so they
/// end up in every intermediate state (received, classified, handed off, …).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Story {
    /// Handed off, signed, answered, closed in time.
    First,
    /// The clerk resolves it on the spot.
    Spot,
    /// Closed after its close deadline: escalated, penalised, second close.
    Second,
    /// The customer refuses the first close; accepted on the second call-back.
    Refused,
    /// Closed, the customer comes back, reopened, closed again.
    Reopen,
    /// Not established.
    Reject,
    /// Deferred (second irrational), sometimes closed much later.
    Defer,
    /// Classified irrational (first irrational), watched or monitored.
    Irrational,
    /// Handed off and answered, then forgotten: the sweep escalates it.
    Stalled,
    /// Nobody has classified it yet.
    Unclassified,
}

const STORIES: [(Story, u64); 10] = [
    (Story::First, 52),
    (Story::Spot, 10),
    (Story::Second, 11),
    (Story::Refused, 3),
    (Story::Reopen, 2),
    (Story::Reject, 6),
    (Story::Defer, 3),
    (Story::Irrational, 8),
    (Story::Stalled, 3),
    (Story::Unclassified, 2),
];

const CHANNELS: [(&str, u64); 7] = [
    ("phone", 30),
    ("email", 15),
    ("social", 15),
    ("in_person", 15),
    ("web", 15),
    ("dealer", 5),
    ("other", 5),
];

const REQUESTS: [(&str, u64); 8] = [
    ("refund", 30),
    ("exchange", 20),
    ("repair", 12),
    ("discount", 5),
    ("compensation", 10),
    ("apology", 10),
    ("explanation", 10),
    ("other", 3),
];

/// What `generate` made.
pub struct Made {
    pub cases: usize,
    pub bytes: u64,
    pub statuses: Vec<(String, usize)>,
}

/// Write a workspace of `n` cases into `dir` (which must not hold one yet).
pub fn workspace(dir: &Path, n: usize, seed: u64) -> Result<Made> {
    if dir.join(CONFIG_FILE).exists() || dir.join(CASES_DIR).exists() {
        bail!(
            "{} already holds a workspace; generate into a new directory",
            dir.display()
        );
    }
    let cases_dir = dir.join(CASES_DIR);
    fs::create_dir_all(&cases_dir).with_context(|| format!("cannot create {}", cases_dir.display()))?;
    fs::create_dir_all(dir.join("config"))?;
    // The files `kefu init` writes, without the git repository.
    let config_text = kefu::domain::config::default_text();
    fs::write(dir.join(CONFIG_FILE), &config_text)?;
    fs::write(cases_dir.join(".gitkeep"), "")?;
    fs::write(dir.join(".gitignore"), format!("{STATE_DIR}/\n"))?;
    let cfg = Config::parse(&dir.join(CONFIG_FILE), &config_text)?;

    let now = cfg.zone.parse(NOW)?;
    let receipts = receipts(&cfg, n, seed, now)?;
    let results: Vec<Result<(u64, String)>> = receipts
        .par_iter()
        .enumerate()
        .map(|(i, (id, received))| {
            let mut rng = Rng::for_item(seed, i as u64);
            let case = make_case(&cfg, id.clone(), *received, now, &mut rng)
                .with_context(|| format!("generating case {id}"))?;
            let text = to_toml(&case)?;
            let path = dir.join(kefu::store::case_rel(id));
            if let Some(month) = path.parent() {
                fs::create_dir_all(month).with_context(|| format!("cannot create {}", month.display()))?;
            }
            fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
            Ok((text.len() as u64, case.status.key().to_string()))
        })
        .collect();
    let mut bytes = 0;
    let mut statuses: Vec<(String, usize)> = Vec::new();
    for r in results {
        let (b, status) = r?;
        bytes += b;
        match statuses.iter_mut().find(|(s, _)| *s == status) {
            Some((_, count)) => *count += 1,
            None => statuses.push((status, 1)),
        }
    }
    statuses.sort_by_key(|s| std::cmp::Reverse(s.1));
    Ok(Made {
        cases: n,
        bytes,
        statuses,
    })
}

/// The receipt time and id of every case, in id order. More complaints on weekdays and
/// in the afternoon, none at night.
fn receipts(cfg: &Config, n: usize, seed: u64, now: Time) -> Result<Vec<(String, Time)>> {
    let start = cfg.zone.parse(&format!(
        "{}",
        (now.date_naive() - chrono::Days::new(u64::from(days(n)))).format("%Y-%m-%d")
    ))?;
    let mut rng = Rng::new(seed);
    let hours: [u64; 14] = [3, 6, 8, 8, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2]; // 08:00 to 21:59
    let mut times: Vec<Time> = (0..n)
        .map(|_| {
            let mut day = rng.below(u64::from(days(n))) as u32;
            let weekday = (start.date_naive() + chrono::Days::new(u64::from(day)))
                .format("%u")
                .to_string();
            if (weekday == "6" || weekday == "7") && rng.chance(0.4) {
                day = rng.below(u64::from(days(n))) as u32;
            }
            let hour = 8 + rng.weighted(&hours) as u32;
            let minute = hour * 60 + rng.below(60) as u32;
            cfg.zone.add(
                start,
                Span {
                    days: day,
                    minutes: minute,
                    business: false,
                },
            )
        })
        .collect();
    times.sort();
    let mut out = Vec::with_capacity(n);
    let mut day = String::new();
    let mut seq = 0;
    for t in times {
        let d = t.with_timezone(&cfg.zone.0).format("%Y%m%d").to_string();
        if d != day {
            day = d;
            seq = 0;
        }
        seq += 1;
        out.push((format!("{day}-{seq:03}"), t));
    }
    Ok(out)
}

fn minutes(s: Span) -> i64 {
    i64::from(s.days) * 1440 + i64::from(s.minutes)
}

/// Plays a story forward, one action at a time; an action after NOW has not happened
/// yet, and neither has anything after it.
struct Sim<'a> {
    cfg: &'a Config,
    case: Case,
    actor: &'a str,
    now: Time,
    /// The time of the latest action: the next one comes after it.
    last: Time,
    cut: bool,
}

impl Sim<'_> {
    fn after(&self, t: Time, minutes: i64) -> Time {
        self.cfg.zone.fix(t + TimeDelta::minutes(minutes.max(1)))
    }

    /// People act in working hours: what would happen at night happens the next
    /// morning, between 08:00 and 11:00, in the same order.
    fn working(&self, t: Time) -> Time {
        let local = t.with_timezone(&self.cfg.zone.0);
        let m = i64::from(local.hour() * 60 + local.minute());
        let (to_eight, night) = match m {
            0..480 => (480 - m, m + 120),
            1320.. => (1920 - m, m - 1320),
            _ => return t,
        };
        self.after(t, to_eight + night * 3 / 10)
    }

    /// Run `action` at `t` (moved into working hours, and at least a minute after the
    /// previous action); false, and nothing from here on, when that is after NOW.
    fn at(&mut self, t: Time, action: impl FnOnce(&mut Case, &Config, By) -> Result<()>) -> Result<bool> {
        let t = self.working(if t <= self.last { self.after(self.last, 1) } else { t });
        if self.cut || t > self.now {
            self.cut = true;
            return Ok(false);
        }
        let by = By {
            actor: self.actor,
            now: t,
        };
        action(&mut self.case, self.cfg, by)?;
        self.last = t;
        Ok(true)
    }
}

fn make_case(cfg: &Config, id: String, received: Time, now: Time, rng: &mut Rng) -> Result<Case> {
    let mut case = simulate(cfg, id, received, now, rng)?;
    // People's events get random ids; a seeded workspace must come out the same.
    for (i, e) in case.events.iter_mut().enumerate() {
        if !e.kind.is_derived() {
            e.id = format!("g{i:07}");
        }
    }
    Ok(case)
}

fn simulate(cfg: &Config, id: String, received: Time, now: Time, rng: &mut Rng) -> Result<Case> {
    let age_days = (now - received).num_days();
    let mut story = STORIES[rng.weighted(&STORIES.map(|(_, w)| w))].0;
    // A case nobody classified, or one forgotten for months, is rare in an old archive.
    if story == Story::Unclassified && age_days > 3 {
        story = Story::First;
    }
    if story == Story::Stalled && age_days > 90 && !rng.chance(0.15) {
        story = Story::Second;
    }
    let topic: &Topic = rng.pick(text::TOPICS);
    let chinese = rng.chance(0.7);
    let (name, contact) = customer(rng, chinese);
    let summary = if chinese || topic.en.is_empty() {
        rng.pick(topic.zh)
    } else {
        rng.pick(topic.en)
    };
    let channel = CHANNELS[rng.weighted(&CHANNELS.map(|(_, w)| w))].0;
    let request = REQUESTS[rng.weighted(&REQUESTS.map(|(_, w)| w))].0;
    let product = (!topic.products.is_empty() && rng.chance(0.8)).then(|| rng.pick(topic.products).to_string());
    let details = rng.chance(0.35).then(|| {
        if chinese {
            rng.pick(text::DETAILS_ZH).to_string()
        } else {
            rng.pick(text::DETAILS_EN).to_string()
        }
    });
    let order = rng.chance(0.4).then(|| format!("SO{:08}", rng.below(100_000_000)));
    let external = rng.chance(0.02);
    let source_ref = (channel == "web" && rng.chance(0.5)).then(|| format!("WEB-{}", id.replace('-', "")));
    let data = Intake {
        name,
        contact,
        channel: channel.to_string(),
        summary: summary.to_string(),
        details,
        product,
        order,
        request: Some(request.to_string()),
        source_ref,
        external,
    };
    let actor = *rng.pick(text::ACTORS);
    let level = if story == Story::Irrational {
        Level::Irrational
    } else {
        [Level::General, Level::Moderate, Level::Severe][rng.weighted(&[55, 32, 13])]
    };
    let department = if rng.chance(0.8) {
        topic.department.to_string()
    } else {
        rng.pick(&cfg.departments).key.clone()
    };
    let follow_up = |rng: &mut Rng| {
        if rng.chance(0.6) {
            FollowUp::Watch
        } else {
            FollowUp::Monitor
        }
    };
    let classify = Classify {
        category: topic.category.to_string(),
        level,
        department: department.clone(),
        follow_up: (level == Level::Irrational).then(|| follow_up(rng)),
        external: None,
    };
    let remedy = match request {
        "other" => "apology",
        r => r,
    };

    let case = rules::new_case(cfg, id, received, data, By { actor, now: received })?;
    let mut sim = Sim {
        cfg,
        case,
        actor,
        now,
        last: received,
        cut: false,
    };
    let limits = cfg.limits(level);
    let t0 = received;

    // Classified in the intake step (like `kefu intake --category …`), or a little later.
    let classify_at = if rng.chance(0.8) {
        t0
    } else {
        sim.after(t0, rng.range(10, 90))
    };
    if story == Story::Unclassified {
        return Ok(sim.case);
    }
    if story == Story::Reject && rng.chance(0.3) {
        let reason = rng.pick(text::REJECT_REASONS).to_string();
        sim.at(sim.after(t0, rng.range(30, 240)), |c, cfg, by| {
            rules::reject(c, cfg, reason, by)
        })?;
        return Ok(sim.case);
    }
    // Classification at the intake instant is part of intake, as `kefu intake --category`.
    if classify_at == t0 {
        rules::classify(&mut sim.case, cfg, classify, By { actor, now: t0 })?;
    } else {
        sim.at(classify_at, |c, cfg, by| rules::classify(c, cfg, classify, by))?;
    }
    if story == Story::Reject {
        let reason = rng.pick(text::REJECT_REASONS).to_string();
        sim.at(sim.after(classify_at, rng.range(60, 480)), |c, cfg, by| {
            rules::reject(c, cfg, reason, by)
        })?;
        return sim.finish();
    }
    if story == Story::Spot {
        let text = rng.pick(text::CUSTOMER_REPLIES).to_string();
        let reply_at = sim.after(classify_at, rng.range(5, 40));
        sim.at(reply_at, |c, cfg, by| {
            rules::reply(c, cfg, customer_reply(text, None), by)
        })?;
        let requested = sim.after(reply_at, rng.range(5, 60));
        sim.close_later(rng, remedy, requested, |rng| rng.range(10, 120))?;
        return sim.finish();
    }

    // Handoff, signature, the department's first reply, the clerk's answer to the customer.
    let note = rng.chance(0.2).then(|| "請盡快聯繫客戶,客戶情緒較激動".to_string());
    let handoff_at = sim.after(classify_at, rng.range(10, 60));
    let dept = department.clone();
    sim.at(handoff_at, |c, cfg, by| rules::handoff(c, cfg, &dept, false, note, by))?;
    let handoff_limit = minutes(limits.handoff);
    let ack_at = if rng.chance(0.88) {
        sim.after(t0, handoff_limit * rng.range(20, 95) / 100)
    } else {
        sim.after(t0, handoff_limit * rng.range(105, 250) / 100)
    };
    let ack_at = ack_at.max(sim.after(handoff_at, 5));
    sim.at(ack_at, |c, cfg, by| rules::ack(c, cfg, Some(by.now), None, by))?;
    let reply_limit = minutes(limits.first_reply);
    let first_reply = if rng.chance(0.85) {
        sim.after(ack_at, reply_limit * rng.range(10, 90) / 100)
    } else {
        sim.after(ack_at, reply_limit * rng.range(110, 200) / 100)
    };
    let text = rng.pick(text::DEPT_REPLIES).to_string();
    let dept = department.clone();
    sim.at(first_reply, |c, cfg, by| {
        rules::reply(c, cfg, department_reply(text, dept), by)
    })?;
    let answer_at = sim.after(first_reply, rng.range(20, 240));
    let text = rng.pick(text::CUSTOMER_REPLIES).to_string();
    sim.at(answer_at, |c, cfg, by| {
        rules::reply(c, cfg, customer_reply(text, None), by)
    })?;
    if rng.chance(0.15) {
        let text = rng.pick(text::PROMISES).to_string();
        let promise_in = rng.range(12 * 60, 48 * 60);
        sim.at(sim.after(answer_at, rng.range(60, 600)), |c, cfg, by| {
            let promise = Some(cfg.zone.fix(by.now + TimeDelta::minutes(promise_in)));
            rules::reply(c, cfg, customer_reply(text, promise), by)
        })?;
    }

    let close_limit = minutes(limits.close);
    match story {
        Story::First | Story::Second | Story::Refused | Story::Reopen => {
            let share = if story == Story::Second {
                rng.range(110, 260)
            } else {
                rng.range(15, 90)
            };
            let requested = sim.after(t0, close_limit * share / 100).max(sim.after(sim.last, 30));
            let requested = sim.working(requested);
            let first_try = if story == Story::Refused {
                Satisfaction::Dissatisfied
            } else {
                satisfaction(rng)
            };
            let close = close_of(rng, remedy, first_try, requested);
            let recorded = sim.after(requested, confirm(rng));
            if !sim.at(recorded, |c, cfg, by| rules::close(c, cfg, close, by).map(|_| ()))? {
                return sim.finish();
            }
            if story == Story::Refused {
                let requested = sim.after(recorded, rng.range(24 * 60, 96 * 60));
                let requested = sim.working(requested);
                let close = close_of(rng, remedy, Satisfaction::Accepted, requested);
                sim.at(sim.after(requested, confirm(rng)), |c, cfg, by| {
                    rules::close(c, cfg, close, by).map(|_| ())
                })?;
            }
            if story == Story::Reopen {
                let reason = rng.pick(text::REOPEN_REASONS).to_string();
                let reopen_at = sim.after(recorded, rng.range(2 * 1440, 10 * 1440));
                sim.at(reopen_at, |c, cfg, by| rules::reopen(c, cfg, reason, by))?;
                let text = rng.pick(text::DEPT_REPLIES).to_string();
                let dept = department.clone();
                sim.at(sim.after(reopen_at, rng.range(60, 1440)), |c, cfg, by| {
                    rules::reply(c, cfg, department_reply(text, dept), by)
                })?;
                if rng.chance(0.6) {
                    let requested = sim.after(sim.last, rng.range(2 * 1440, 4 * 1440));
                    sim.close_later(rng, remedy, requested, confirm)?;
                }
            }
        }
        Story::Defer => {
            let reason = rng.pick(text::DEFER_REASONS).to_string();
            let mode = follow_up(rng);
            let defer_at = sim.after(sim.last, rng.range(2 * 1440, 6 * 1440));
            sim.at(defer_at, |c, cfg, by| rules::defer(c, cfg, reason, mode, by))?;
            if rng.chance(0.4) {
                let requested = sim.after(defer_at, rng.range(15 * 1440, 40 * 1440));
                sim.close_later(rng, remedy, requested, confirm)?;
            }
        }
        Story::Irrational => {
            if rng.chance(0.6) {
                let requested = sim
                    .after(t0, rng.range(5 * 1440, 25 * 1440))
                    .max(sim.after(sim.last, 60));
                let requested = sim.working(requested);
                let close = close_of(rng, "explanation", Satisfaction::Accepted, requested);
                sim.at(sim.after(requested, confirm(rng)), |c, cfg, by| {
                    rules::close(c, cfg, close, by).map(|_| ())
                })?;
            }
        }
        Story::Stalled | Story::Spot | Story::Reject | Story::Unclassified => {}
    }
    sim.finish()
}

impl Sim<'_> {
    /// A one-step close requested at `requested` (moved into working time) with the
    /// customer's answer drawn at random, recorded `delay` minutes after the request.
    fn close_later(
        &mut self,
        rng: &mut Rng,
        remedy: &str,
        requested: Time,
        delay: fn(&mut Rng) -> i64,
    ) -> Result<bool> {
        let requested = self.working(requested);
        let s = satisfaction(rng);
        let close = close_of(rng, remedy, s, requested);
        let recorded = self.after(requested, delay(rng));
        self.at(recorded, |c, cfg, by| rules::close(c, cfg, close, by).map(|_| ()))
    }

    /// What `kefu sweep` at NOW records: escalations and penalties due by then.
    fn finish(mut self) -> Result<Case> {
        let by = By {
            actor: &self.cfg.clerk,
            now: self.now,
        };
        rules::bring_up_to_date(&mut self.case, self.cfg, self.now, by)?;
        Ok(self.case)
    }
}

/// The customer's answer on a call-back that closes the case.
fn satisfaction(rng: &mut Rng) -> Satisfaction {
    if rng.chance(0.8) {
        Satisfaction::Satisfied
    } else {
        Satisfaction::Accepted
    }
}

/// Minutes from a close request to the call-back: mostly within the 12 h, sometimes late.
fn confirm(rng: &mut Rng) -> i64 {
    if rng.chance(0.95) {
        rng.range(30, 11 * 60)
    } else {
        rng.range(13 * 60, 30 * 60)
    }
}

fn department_reply(text: String, department: String) -> Reply {
    Reply {
        text,
        from: Some(department),
        to_customer: false,
        written: false,
        promise: None,
    }
}

fn customer_reply(text: String, promise: Option<Time>) -> Reply {
    Reply {
        text,
        from: None,
        to_customer: true,
        // The clerk's answer to the customer is the handling plan in writing.
        written: true,
        promise,
    }
}

fn close_of(rng: &mut Rng, remedy: &str, satisfaction: Satisfaction, requested: Time) -> Close {
    Close {
        resolution: rng.pick(text::RESOLUTIONS).to_string(),
        remedy: remedy.to_string(),
        satisfaction,
        requested_at: Some(requested),
        cause: None,
        countermeasure: None,
        approved_by: None,
    }
}

/// A customer: about one complaint in four comes from someone who complained before
/// (the report's recurrence section needs them).
fn customer(rng: &mut Rng, chinese: bool) -> (String, Option<String>) {
    let pool = if rng.chance(0.25) { 2_000 } else { 10_000_000 };
    let k = rng.below(pool);
    let mut r = Rng::for_item(0x6375_7374_6F6D_6572, k * 2 + u64::from(chinese));
    if chinese {
        let surname = r.pick(text::SURNAMES);
        let name = if r.chance(0.7) {
            format!("{surname}{}", r.pick(text::TITLES))
        } else {
            format!("{surname}{}", r.pick(text::GIVEN_NAMES))
        };
        let contact = r
            .chance(0.9)
            .then(|| format!("1{}{:09}", r.range(3, 9), k % 1_000_000_000));
        (name, contact)
    } else {
        let first = r.pick(text::ENGLISH_FIRST);
        let last = r.pick(text::ENGLISH_LAST);
        let contact = r.chance(0.9).then(|| {
            format!(
                "{}.{}{}@example.com",
                first.to_lowercase(),
                last.to_lowercase().replace('ü', "u"),
                k % 10_000
            )
        });
        (format!("{first} {last}"), contact)
    }
}
