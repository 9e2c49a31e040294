//! The weekly report (每周五匯總, SPEC §6): every number of it, computed in one pass
//! over the cases. Pure: the window, the clock and the cases come in; nothing here
//! reads a file or the clock, and nothing prints (`commands::friday` loads and sweeps,
//! `report_view` renders).
//!
//! Two kinds of numbers, on purpose:
//! - what a complaint *is* (its channel, first level, category, product, customer,
//!   whether it was classified irrational) is read from the case as it stands now, so
//!   that a correction made after the week improves last week's report;
//! - what *happened* (handoffs, closes, deferrals, penalties, lateness) and what was
//!   open, overdue or under watch *at week end* is decided by the events' times, so a
//!   report on a past week does not change because cases moved on since.

use std::collections::{BTreeMap, HashMap};

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::domain::case::{Case, CloseKind, EventKind, FollowUp, Irrational, Satisfaction, State};
use crate::domain::config::{Config, Level};
use crate::domain::rules::{self, Limit};
use crate::domain::time::{Time, serde_time};

/// What to report on.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// The window, half-open: `from` ≤ t < `to` (SPEC §8.8).
    pub from: Time,
    pub to: Time,
    /// How far the report can see: the window's end, or now when the window has not
    /// ended yet (a deadline later than now cannot have been missed).
    pub as_of: Time,
    /// The week's transactions, the denominator of the complaint rate.
    pub transactions: Option<u64>,
}

impl Params {
    fn contains(&self, t: Time) -> bool {
        self.from <= t && t < self.to
    }
}

/// Recurrence looks back this many calendar days from the window's end (SPEC §8.10).
/// Calendar days in the shop's zone, like every configured day and the monthly
/// penalty's 30 days, not 30 × 24 h.
pub const RECURRENCE_DAYS: u32 = 30;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    #[serde(serialize_with = "serde_time::serialize")]
    pub from: Time,
    #[serde(serialize_with = "serde_time::serialize")]
    pub to: Time,
    /// The denominator used for `categories[].rate`, when known.
    pub transactions: Option<u64>,
    pub intake: Intake,
    pub irrational: IrrationalCounts,
    pub categories: Vec<CategoryRow>,
    pub departments: Vec<DepartmentRow>,
    pub penalties: Vec<PenaltyRow>,
    pub recurrence: Vec<Recurrence>,
    /// The customer service centre's own lateness (SPEC §10.7).
    pub service_center: ServiceCenter,
    /// The same numbers per station that made the cases (SPEC §14.4), keyed by station,
    /// `""` for ids without one; sorted by station.
    pub by_station: BTreeMap<String, StationRow>,
    pub unreadable: Vec<String>,
    /// With `friday --weeks N`: the last N weeks, oldest first, this one last (SPEC §17.19).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<TrendRow>,
}

/// One week of the trend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendRow {
    pub week: String,
    pub intake: u64,
    /// First-irrational complaints over the week's intake (`irrational.first_ratio`).
    pub irrational_ratio: Option<f64>,
    /// First-time closes over all closes in the week, every department together.
    pub first_close_rate: Option<f64>,
    /// Penalties issued in the week minus cancellations (the departments' sum).
    pub penalty_amount: i64,
}

impl Report {
    /// This report's line of a trend.
    pub fn trend_row(&self, week: String) -> TrendRow {
        let first: u64 = self.departments.iter().map(|d| d.first_closes).sum();
        let all: u64 = self.departments.iter().map(|d| d.first_closes + d.second_closes).sum();
        TrendRow {
            week,
            intake: self.intake.total,
            irrational_ratio: self.irrational.first_ratio,
            first_close_rate: ratio(first, all),
            penalty_amount: self.departments.iter().map(|d| d.penalty_amount).sum(),
        }
    }
}

/// One station's share of the report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StationRow {
    /// Complaints received in the week.
    pub intake: u64,
    pub open_at_end: u64,
    /// Penalty lines issued in the week, cancellations counted negative.
    pub penalty_amount: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ServiceCenter {
    /// Cases whose classification deadline fell in the week and that were not
    /// classified by it (seed 7.1 即時判斷, `[limits] classify`).
    pub late_classifications: u64,
    /// Cases whose handoff deadline fell in the week, not acknowledged by it, and not
    /// handed to the department in force at it by then either: the centre was late, not
    /// the department (§10.7).
    pub late_handoffs: u64,
    /// Close requests whose call-back deadline fell in the week and that were not
    /// confirmed by it (SPEC §10.5: the customer is called back within `confirm`).
    pub late_confirmations: u64,
    /// Cases whose written-answer deadline fell in the week without a written answer
    /// by it (seed 002 §3.6, `[limits] customer_answer`).
    pub late_answers: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Intake {
    pub total: u64,
    pub by_channel: Counts,
    pub by_level: Counts,
    /// Week cases by the shop-local day of receipt (`YYYY-MM-DD`), every day of the
    /// window listed.
    pub by_day: Counts,
    /// Week cases not classified yet: `by_level` adds up to `total - unclassified`.
    pub unclassified: u64,
    pub open_at_end: u64,
    /// Week cases flagged external (投訴, SPEC §10.3).
    pub external: u64,
}

/// Counts by key, in config order; serialised as a JSON object in that order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts(pub Vec<(String, u64)>);

impl Counts {
    fn zeros<'a>(keys: impl IntoIterator<Item = &'a str>) -> Counts {
        Counts(keys.into_iter().map(|k| (k.to_string(), 0)).collect())
    }

    /// Count one more for `key`; a key the config no longer has is added at the end.
    fn add(&mut self, key: &str) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, n)) => *n += 1,
            None => self.0.push((key.to_string(), 1)),
        }
    }

    pub fn get(&self, key: &str) -> u64 {
        self.0.iter().find(|(k, _)| k == key).map_or(0, |(_, n)| *n)
    }
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, n) in &self.0 {
            map.serialize_entry(k, n)?;
        }
        map.end()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IrrationalCounts {
    pub first: u64,
    pub first_ratio: Option<f64>,
    pub second: u64,
    pub second_ratio: Option<f64>,
    pub watch: u64,
    pub monitor: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryRow {
    pub category: String,
    pub count: u64,
    pub share: Option<f64>,
    pub rate: Option<f64>,
    pub first_close_rate: Option<f64>,
    pub median_close_hours: Option<f64>,
    /// Closes in the week (the denominator of `first_close_rate`).
    pub closes: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DepartmentRow {
    pub department: String,
    pub handoffs: u64,
    pub late_acks: u64,
    pub late_first_replies: u64,
    pub first_closes: u64,
    pub second_closes: u64,
    pub open_overdue: u64,
    /// Week cases flagged external (投訴), by the department they are classified to.
    pub external: u64,
    /// Penalties issued in the week minus cancellations issued in it (SPEC §10.9).
    pub penalties: i64,
    pub penalty_amount: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PenaltyRow {
    /// The penalty's id (`<case>/P<n>`, SPEC §11.1); a cancellation names the one it voids.
    pub pid: String,
    pub case: String,
    pub department: String,
    /// The level charged: the one in force before the missed deadline.
    pub level: &'static str,
    pub reason: String,
    /// A monthly penalty (SPEC §4) rather than one for a missed close deadline: how
    /// the reason is worded for people.
    #[serde(skip)]
    pub monthly: bool,
    /// Negative for a cancellation.
    pub amount: i64,
    /// The missed deadline.
    #[serde(serialize_with = "serde_time::serialize")]
    pub at: Time,
    /// Where the line is placed (SPEC §17.3): a week's lines never change once it is over.
    #[serde(serialize_with = "serde_time::serialize")]
    pub issued: Time,
    /// For a cancellation: the `at` of the penalty it cancels.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::domain::time::serde_opt_time::serialize"
    )]
    pub cancels: Option<Time>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecurrenceKind {
    Product,
    Customer,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recurrence {
    pub kind: RecurrenceKind,
    /// `category/product`, or the customer's contact (else name).
    pub key: String,
    pub cases: Vec<String>,
}

/// A category's running totals.
#[derive(Default)]
struct CategoryAcc {
    key: String,
    count: u64,
    first_closes: u64,
    closes: u64,
    close_hours: Vec<f64>,
}

/// The report being built; one `add` per case.
/// The report being computed, one case at a time.
pub struct Acc<'a> {
    p: &'a Params,
    recent_from: Time,
    total: u64,
    by_channel: Counts,
    by_level: Counts,
    by_day: Counts,
    zone: crate::domain::time::Zone,
    unclassified: u64,
    external: u64,
    open_at_end: u64,
    first: u64,
    second: u64,
    watch: u64,
    monitor: u64,
    categories: Vec<CategoryAcc>,
    departments: Vec<DepartmentRow>,
    penalties: Vec<PenaltyRow>,
    centre: ServiceCenter,
    groups: HashMap<(RecurrenceKind, String), Vec<String>>,
    by_station: BTreeMap<String, StationRow>,
}

/// Whether a case can change any number of the report: one still open, one received in
/// the recurrence span (which holds the window's intake), or one with an event at or
/// after the window's start. A case closed, rejected or deferred before the window,
/// received earlier and untouched since, adds nothing, so a scan may pass it over.
pub fn may_matter(brief: &crate::store::cache::Brief, p: &Params) -> bool {
    // One day more than the recurrence span: calendar days may be 25 hours long.
    let recent = p.to.timestamp() - (RECURRENCE_DAYS as i64 + 1) * 86_400;
    brief.open || brief.received >= recent.min(p.from.timestamp()) || brief.last_event >= p.from.timestamp()
}

/// Every number of the report. `cases` are the readable cases, each with its state
/// (brought up to date so that every penalty due by the window's end is among its
/// events); `unreadable` the files that could not be read.
pub fn compute(cases: &[(Case, State)], cfg: &Config, p: &Params, unreadable: Vec<String>) -> Report {
    let mut acc = Acc::new(cfg, p);
    for (case, s) in cases {
        acc.add(case, s);
    }
    acc.finish(cfg, unreadable)
}

/// Every shop-local day the window touches, at zero.
fn days(zone: crate::domain::time::Zone, p: &Params) -> Counts {
    let mut out = Vec::new();
    let mut day = zone.date(p.from);
    while zone.start_of(day) < p.to {
        out.push((day.to_string(), 0));
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    Counts(out)
}

impl<'a> Acc<'a> {
    /// An empty report, to which cases are added one at a time (in any order).
    pub fn new(cfg: &Config, p: &'a Params) -> Acc<'a> {
        Acc {
            p,
            recent_from: cfg.zone.sub_days(p.to, RECURRENCE_DAYS),
            total: 0,
            by_channel: Counts::zeros(cfg.channels.iter().map(|c| c.key.as_str())),
            by_level: Counts::zeros(Level::ALL.iter().map(|l| l.key())),
            by_day: days(cfg.zone, p),
            zone: cfg.zone,
            unclassified: 0,
            external: 0,
            open_at_end: 0,
            first: 0,
            second: 0,
            watch: 0,
            monitor: 0,
            categories: cfg
                .categories
                .iter()
                .map(|c| CategoryAcc {
                    key: c.key.clone(),
                    ..CategoryAcc::default()
                })
                .collect(),
            departments: cfg
                .departments
                .iter()
                .map(|d| DepartmentRow {
                    department: d.key.clone(),
                    ..DepartmentRow::default()
                })
                .collect(),
            penalties: Vec::new(),
            centre: ServiceCenter::default(),
            groups: HashMap::new(),
            by_station: BTreeMap::new(),
        }
    }
}

impl Acc<'_> {
    fn category(&mut self, key: &str) -> &mut CategoryAcc {
        let i = match self.categories.iter().position(|c| c.key == key) {
            Some(i) => i,
            None => {
                self.categories.push(CategoryAcc {
                    key: key.to_string(),
                    ..CategoryAcc::default()
                });
                self.categories.len() - 1
            }
        };
        &mut self.categories[i]
    }

    fn department(&mut self, key: &str) -> &mut DepartmentRow {
        let i = match self.departments.iter().position(|d| d.department == key) {
            Some(i) => i,
            None => {
                self.departments.push(DepartmentRow {
                    department: key.to_string(),
                    ..DepartmentRow::default()
                });
                self.departments.len() - 1
            }
        };
        &mut self.departments[i]
    }

    pub fn add(&mut self, case: &Case, s: &State) {
        let before = (self.total, self.open_at_end, self.penalties.len());
        self.add_case(case, s);
        let (total, open, lines) = before;
        if (self.total, self.open_at_end, self.penalties.len()) != before {
            let row = self
                .by_station
                .entry(crate::domain::case::station_of(&case.id).to_string())
                .or_default();
            row.intake += self.total - total;
            row.open_at_end += self.open_at_end - open;
            row.penalty_amount += self.penalties[lines..].iter().map(|p| p.amount).sum::<i64>();
        }
    }

    fn add_case(&mut self, case: &Case, s: &State) {
        let p = *self.p;
        let category = s.classification.category.as_deref();

        // Section 1–3: what the week's complaints are.
        if p.contains(case.received_at) {
            self.total += 1;
            self.by_channel.add(&case.channel);
            self.by_day.add(&self.zone.date(case.received_at).to_string());
            match s.first_level {
                Some(level) => self.by_level.add(level.key()),
                None => self.unclassified += 1,
            }
            // Classified irrational, as the case stands: a reclassification away from
            // irrational corrects a mistake. A first irrational later deferred is still
            // one (it is then counted in `second` too, if deferred in the week).
            if s.classification.level == Some(Level::Irrational) {
                self.first += 1;
            }
            if let Some(c) = category {
                self.category(c).count += 1;
            }
            if s.external {
                self.external += 1;
                if let Some(d) = s.classification.department.as_deref() {
                    self.department(d).external += 1;
                }
            }
        }

        // What happened in the week, and where the case stood at its end: one walk
        // over the events before the window's end. The kinds that decide the standing
        // (classify, close, defer, reject, reopen) are always recorded at the moment
        // they happen, so the log order is their time order.
        let mut open = true;
        let mut irrational = None;
        let mut follow_up = None;
        let mut department: Option<&str> = None;
        let mut deferred_in_week = false;
        // An event a merge kept as a conflict did not happen as far as the rules go.
        for e in case.events.iter().filter(|e| !e.conflict) {
            if e.at >= p.to {
                continue;
            }
            let in_week = e.at >= p.from;
            match e.kind {
                EventKind::Classify => {
                    department = e.department.as_deref();
                    if e.level == Some(Level::Irrational) {
                        irrational = Some(Irrational::First);
                        follow_up = e.follow_up;
                    } else if irrational == Some(Irrational::First) {
                        irrational = None;
                        follow_up = None;
                    }
                }
                EventKind::Handoff if in_week => {
                    if let Some(to) = &e.to {
                        self.department(to).handoffs += 1;
                    }
                }
                EventKind::Close if e.satisfaction != Some(Satisfaction::Dissatisfied) => {
                    open = false;
                    if in_week {
                        self.close(case, e.close_kind, e.requested_at, category, department);
                    }
                }
                EventKind::Defer => {
                    irrational = Some(Irrational::Second);
                    follow_up = e.follow_up;
                    deferred_in_week |= in_week;
                }
                EventKind::Reject => open = false,
                EventKind::Reopen => open = true,
                _ => {}
            }
        }
        // Penalties and their cancellations, placed by when they were issued (SPEC
        // §17.3, §10.9): a penalty cancelled later keeps its line in its own week, and
        // the cancellation is a negative line in the week it was issued.
        for e in &case.events {
            let issued = e.issued.unwrap_or(e.at);
            if !p.contains(issued) {
                continue;
            }
            let (penalty, sign, cancels) = match e.kind {
                EventKind::Penalty => (e, 1, None),
                EventKind::Cancel => match case.events.iter().find(|t| Some(&t.id) == e.cancels.as_ref()) {
                    Some(t) if t.kind == EventKind::Penalty => (t, -1, Some(t.at)),
                    _ => continue,
                },
                _ => continue,
            };
            let dept = penalty.department.clone().unwrap_or_default();
            let amount = sign * i64::try_from(penalty.amount.unwrap_or(0)).unwrap_or(i64::MAX);
            let row = self.department(&dept);
            row.penalties += sign;
            row.penalty_amount = row.penalty_amount.saturating_add(amount);
            let n = crate::domain::penalty::ledger(&case.events)
                .iter()
                .find(|p| p.event.id == penalty.id)
                .map_or(0, |p| p.n);
            self.penalties.push(PenaltyRow {
                pid: crate::domain::penalty::pid(&case.id, n),
                case: case.id.clone(),
                department: dept,
                level: penalty.level.map_or("", Level::key),
                reason: penalty.reason.clone().unwrap_or_default(),
                monthly: penalty.monthly,
                amount,
                at: penalty.at,
                issued,
                cancels,
            });
        }
        if deferred_in_week {
            self.second += 1;
        }
        self.centre.late_confirmations += late_confirmations(case, &p);

        let deadlines = rules::deadlines(s);
        // Lateness counts against the department classified at the deadline (§8.7),
        // except a late acknowledgement of a case the centre had not handed to that
        // department by the deadline: the centre's late handoff (§10.7).
        for d in deadlines.iter().filter(|d| p.contains(d.due) && d.missed_by(p.as_of)) {
            let dept = department_at(case, d.due);
            match d.limit {
                Limit::Classify => self.centre.late_classifications += 1,
                Limit::CustomerAnswer => self.centre.late_answers += 1,
                Limit::Handoff => match dept.filter(|&dept| handed_by(case, dept, d.due)) {
                    Some(dept) => self.department(dept).late_acks += 1,
                    None => self.centre.late_handoffs += 1,
                },
                Limit::FirstReply => {
                    if let Some(dept) = dept {
                        self.department(dept).late_first_replies += 1;
                    }
                }
                Limit::Close | Limit::Confirm | Limit::Promise => {}
            }
        }

        // At week end. An event at exactly `to` belongs to the next week, so a case
        // closed at exactly `to` was still open at this week's end.
        if case.received_at < p.to && open {
            self.open_at_end += 1;
            if irrational.is_some() {
                match follow_up {
                    Some(FollowUp::Watch) => self.watch += 1,
                    Some(FollowUp::Monitor) => self.monitor += 1,
                    None => {}
                }
            }
            // Waited for at week end and already missed. Deferred cases have stopped
            // waiting (§8.5): their deadlines are done at the deferral.
            // The call-back is the centre's to make, not the department's.
            let overdue = deadlines
                .iter()
                .filter(|d| d.limit != Limit::Confirm)
                .any(|d| d.due < p.as_of && d.done.is_none_or(|done| done >= p.to));
            if let (true, Some(dept)) = (overdue, department) {
                self.department(dept).open_overdue += 1;
            }
        }

        // Recurrence: every case received in the 30 days, open or closed (§8.10).
        if self.recent_from <= case.received_at && case.received_at < p.to {
            let customer = case
                .customer
                .contact
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty());
            let customer = customer.unwrap_or(case.customer.name.trim());
            self.group(RecurrenceKind::Customer, customer.to_string(), &case.id);
            let product = case
                .complaint
                .product
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty());
            if let (Some(c), Some(product)) = (category, product) {
                self.group(RecurrenceKind::Product, format!("{c}/{product}"), &case.id);
            }
        }
    }

    /// A successful close recorded in the week, for its category (as the case stands)
    /// and the department responsible when it was recorded.
    fn close(
        &mut self,
        case: &Case,
        kind: Option<CloseKind>,
        requested: Option<Time>,
        category: Option<&str>,
        department: Option<&str>,
    ) {
        let first = kind == Some(CloseKind::First);
        if let Some(c) = category {
            let acc = self.category(c);
            acc.closes += 1;
            acc.first_closes += u64::from(first);
            if let Some(r) = requested {
                acc.close_hours.push(rules::hours(r - case.received_at));
            }
        }
        if let Some(d) = department {
            let row = self.department(d);
            if first {
                row.first_closes += 1;
            } else {
                row.second_closes += 1;
            }
        }
    }

    fn group(&mut self, kind: RecurrenceKind, key: String, id: &str) {
        self.groups.entry((kind, key)).or_default().push(id.to_string());
    }

    pub fn finish(self, cfg: &Config, unreadable: Vec<String>) -> Report {
        let total = self.total;
        let configured = cfg.categories.len();
        let mut categories = self.categories;
        // Keys the config no longer has come after the configured ones (which are all
        // there from the start), by key.
        categories[configured..].sort_by(|a, b| a.key.cmp(&b.key));
        let configured = cfg.departments.len();
        let mut departments = self.departments;
        departments[configured..].sort_by(|a, b| a.department.cmp(&b.department));

        let mut penalties = self.penalties;
        penalties.sort_by(|a, b| (a.issued, &a.case, a.at, a.cancels).cmp(&(b.issued, &b.case, b.at, b.cancels)));

        let mut recurrence: Vec<Recurrence> = self
            .groups
            .into_iter()
            .filter(|(_, cases)| cases.len() >= 2)
            .map(|((kind, key), mut cases)| {
                cases.sort();
                Recurrence { kind, key, cases }
            })
            .collect();
        recurrence.sort_by(|a, b| {
            b.cases
                .len()
                .cmp(&a.cases.len())
                .then_with(|| a.key.cmp(&b.key))
                .then_with(|| a.kind.cmp(&b.kind))
        });

        Report {
            from: self.p.from,
            to: self.p.to,
            transactions: self.p.transactions,
            intake: Intake {
                total,
                by_channel: self.by_channel,
                by_day: self.by_day,
                by_level: self.by_level,
                unclassified: self.unclassified,
                external: self.external,
                open_at_end: self.open_at_end,
            },
            irrational: IrrationalCounts {
                first: self.first,
                first_ratio: ratio(self.first, total),
                second: self.second,
                second_ratio: ratio(self.second, total),
                watch: self.watch,
                monitor: self.monitor,
            },
            categories: categories
                .into_iter()
                .map(|mut c| {
                    let share = ratio(c.count, total);
                    CategoryRow {
                        rate: match self.p.transactions {
                            Some(t) => ratio(c.count, t),
                            None => share,
                        },
                        share,
                        first_close_rate: ratio(c.first_closes, c.closes),
                        median_close_hours: median(&mut c.close_hours),
                        count: c.count,
                        closes: c.closes,
                        category: c.key,
                    }
                })
                .collect(),
            departments,
            penalties,
            recurrence,
            service_center: self.centre,
            by_station: self.by_station,
            unreadable,
            trend: Vec::new(),
        }
    }
}

/// Call-backs of the case due in the window and not made by their deadline: one per
/// close request (or one-step close), judged by when the customer was called back
/// (`at`), or not yet called back by the time the report can see.
fn late_confirmations(case: &Case, p: &Params) -> u64 {
    let mut late = 0;
    for (i, e) in case.events.iter().enumerate().filter(|(_, e)| !e.conflict) {
        let Some(due) = e.confirm_due.filter(|d| p.contains(*d) && *d < p.as_of) else {
            continue;
        };
        let called = match e.kind {
            EventKind::Close => Some(e.at),
            _ => case.events[i + 1..]
                .iter()
                .find(|c| c.kind == EventKind::Close && !c.conflict && c.confirms.as_ref() == Some(&e.id))
                .map(|c| c.at),
        };
        late += u64::from(called.is_none_or(|c| c > due));
    }
    late
}

/// Whether the case was handed to `dept` at or before `t` (an action at the deadline
/// is on time, §8.1).
fn handed_by(case: &Case, dept: &str, t: Time) -> bool {
    case.events
        .iter()
        .any(|e| e.kind == EventKind::Handoff && e.at <= t && e.to.as_deref() == Some(dept))
}

/// The department a case was classified to at `t`: the latest classification at or
/// before it. A deadline can fall before the case was first classified (it is
/// computed from the receipt); the first classification answers for it then.
fn department_at(case: &Case, t: Time) -> Option<&str> {
    let mut found = None;
    for e in case
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Classify && !e.conflict)
    {
        if e.at > t && found.is_some() {
            break;
        }
        found = e.department.as_deref();
    }
    found
}

/// `n / d`, or `None` when there is nothing to divide by (never NaN).
pub fn ratio(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests;
