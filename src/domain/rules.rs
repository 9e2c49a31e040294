//! The handling rules of the regulation (SPEC §4, §8): which action is allowed when,
//! the deadlines each action sets, escalation and penalties. Pure: every function takes
//! the case, the config and the time, and appends events; nothing here reads a clock,
//! a file or a terminal.

use crate::output::i18n::tr;
use anyhow::{Result, anyhow, bail};
use chrono::TimeDelta;

use crate::domain::case::{CUSTOMER_SERVICE, Case, CloseKind, Event, EventKind, FollowUp, Satisfaction, State, Status};
use crate::domain::config::{Config, Level, Policy};
use crate::domain::time::{Span, Time, rfc3339};
use crate::output::safe;

/// Who acts, and the clock.
#[derive(Clone, Copy, Debug)]
pub struct By<'a> {
    pub actor: &'a str,
    pub now: Time,
}

impl By<'_> {
    fn event(&self, kind: EventKind, at: Time) -> Event {
        let mut e = Event::new(kind, at, self.actor);
        if at != self.now {
            e.recorded_at = Some(self.now);
        }
        e
    }
}

/// Append events and recompute the header; the log must stay explainable.
fn push(case: &mut Case, events: impl IntoIterator<Item = Event>) -> Result<State> {
    case.events.extend(events);
    case.refresh()
        .map_err(|e| anyhow!("internal error: case {} would become inconsistent: {e}", case.id))
}

fn state(case: &Case) -> Result<State> {
    case.state()
        .map_err(|e| anyhow!("{}{e}", tr("case_prefix", &[("id", &case.id)])))
}

/// A refused action: `action` and `why` already in the clerk's language.
fn refuse(case: &Case, action: &str, why: &str) -> anyhow::Error {
    anyhow!(
        "{}",
        tr("refused", &[("action", action), ("id", &case.id), ("why", why)])
    )
}

/// An action's name in refusals (`act_hand_off` for "hand off").
fn act(phrase: &str) -> String {
    tr(&format!("act_{}", phrase.replace(' ', "_")), &[])
}

/// A status in messages: its key in English, its label in Chinese.
fn status_word(status: Status) -> String {
    crate::output::i18n::word(status.key(), status.label())
}

/// A level in messages: its key in English, the shop's label in Chinese.
fn level_word(cfg: &Config, level: Level) -> String {
    match crate::output::i18n::lang() {
        crate::output::i18n::Lang::En => level.key().to_string(),
        _ => cfg.level_label(level).to_string(),
    }
}

/// A department in messages: its key in English, the shop's label in Chinese.
fn dept_word(cfg: &Config, key: &str) -> String {
    match crate::output::i18n::lang() {
        crate::output::i18n::Lang::En => key.to_string(),
        _ => cfg.department_label(key).to_string(),
    }
}

fn why_status(key: &str, status: Status) -> String {
    tr(key, &[("status", &status_word(status))])
}

/// "classify at --now": the time an action is recorded at, for time-order errors.
fn at_now(kind: EventKind) -> String {
    tr("at_now", &[("kind", &tr(&format!("k_{}", kind.key()), &[]))])
}

/// The intake data of a new complaint.
#[derive(Clone, Debug, Default)]
pub struct Intake {
    pub name: String,
    pub contact: Option<String>,
    pub channel: String,
    pub summary: String,
    pub details: Option<String>,
    pub product: Option<String>,
    pub order: Option<String>,
    pub request: Option<String>,
    pub source_ref: Option<String>,
    pub external: bool,
}

/// A new case, received at `received`, with its intake event.
/// The input rules of SPEC §9.4 for what a person or an import supplies: one-line
/// fields hold no control character, multi-line ones no control but line break and tab
/// (line ends made LF), required ones are not blank. Applied here, where flags,
/// prompts and import rows all arrive, so no way in escapes them.
fn one_line(what: &str, text: &str) -> Result<()> {
    safe::one_line(what, text)
}

fn required_line(what: &str, text: &str) -> Result<()> {
    safe::required(what, text)?;
    safe::one_line(what, text)
}

fn opt_line(what: &str, text: &Option<String>) -> Result<()> {
    text.as_deref().map_or(Ok(()), |t| one_line(what, t))
}

fn opt_text(what: &str, text: Option<String>) -> Result<Option<String>> {
    text.map(|t| safe::multi_line(what, &t)).transpose()
}

pub fn new_case(cfg: &Config, id: String, received: Time, mut data: Intake, by: By) -> Result<Case> {
    required_line("--name", &data.name)?;
    required_line("--summary", &data.summary)?;
    opt_line("--contact", &data.contact)?;
    opt_line("--product", &data.product)?;
    opt_line("--order", &data.order)?;
    opt_line("--request", &data.request)?;
    opt_line("--source-ref", &data.source_ref)?;
    data.details = opt_text("--details", data.details)?;
    if received > by.now {
        bail!("{}", in_future("received-at", received, by.now));
    }
    let mut intake = by.event(EventKind::Intake, received);
    intake.customer_answer_due = Some(cfg.add(received, cfg.customer_answer));
    intake.classify_due = Some(cfg.add(received, cfg.classify));
    intake.calendar = cfg.calendar_tag(&[cfg.customer_answer, cfg.classify]);
    intake.external = data.external.then_some(true);
    let mut case = Case {
        schema: crate::domain::case::SCHEMA,
        id,
        status: Status::Received,
        received_at: received,
        channel: data.channel,
        external: data.external,
        close_kind: None,
        source_ref: data.source_ref,
        customer: crate::domain::case::Customer {
            name: data.name,
            contact: data.contact,
        },
        complaint: crate::domain::case::Complaint {
            summary: data.summary,
            details: data.details,
            product: data.product,
            order: data.order,
            request: data.request,
        },
        classification: Default::default(),
        deadlines: Default::default(),
        events: Vec::new(),
    };
    push(&mut case, [intake])?;
    Ok(case)
}

/// A classification as given on the command line (keys already checked against the config).
#[derive(Clone, Debug)]
pub struct Classify {
    pub category: String,
    pub level: Level,
    pub department: String,
    pub follow_up: Option<FollowUp>,
    pub external: Option<bool>,
}

/// The policy a case follows (SPEC §17.4): the one its classification stored, else (a
/// file written before policies were stored, or an unclassified case) the config's.
pub fn policy(s: &State, cfg: &Config) -> Policy {
    s.policy.clone().unwrap_or_else(|| cfg.policy())
}

/// The first close deadline the case missed, if it missed one: the earliest escalation
/// in force, or (for a level never escalated, irrational) its close deadline once past.
fn first_missed_close(case: &Case, s: &State, now: Time) -> Option<Time> {
    let escalated = s.escalations.iter().filter_map(|&i| case.events[i].missed).min();
    escalated.or(s.deadlines.close.filter(|&d| d < now))
}

pub fn classify(case: &mut Case, cfg: &Config, c: Classify, by: By) -> Result<()> {
    in_order(case, &at_now(EventKind::Classify), by.now)?;
    let s = bring_up_to_date(case, cfg, by.now, by)?;
    if !s.status.is_open() {
        return Err(refuse(case, &act("classify"), &why_status("why_is_reopen", s.status)));
    }
    match (c.level, c.follow_up) {
        (Level::Irrational, None) => bail!("{}", tr("needs_follow_up", &[])),
        (Level::Irrational, Some(_)) | (_, None) => {}
        (_, Some(_)) => bail!("{}", tr("follow_up_only_irrational", &[])),
    }
    let mut e = by.event(EventKind::Classify, by.now);
    if let Some(missed) = first_missed_close(case, &s, by.now) {
        // After a missed close deadline the level is history's (SPEC §17.5): the miss
        // was charged at it and the escalations follow from it. Category and
        // department may change; no deadline moves, so none is charged twice.
        let current = s.classification.level.unwrap_or(c.level);
        if c.level != current {
            return Err(refuse(
                case,
                &tr("act_reclassify_as", &[("level", &level_word(cfg, c.level))]),
                &tr(
                    "why_level_after_miss",
                    &[("at", &rfc3339(&missed)), ("level", &level_word(cfg, current))],
                ),
            ));
        }
        e.handoff_due = s.deadlines.handoff;
        e.close_due = s.deadlines.close;
        e.first_reply_due = s.deadlines.first_reply;
        e.policy = s.policy.clone();
    } else {
        // Before any miss the deadlines are recomputed from the receipt (§8.2) with
        // the policy in force now, which the event keeps (§17.4).
        let policy = cfg.policy();
        let limits = policy.limits(c.level);
        let close = cfg.add(case.received_at, limits.close);
        if s.classification.level.is_some() && close < by.now {
            return Err(refuse(
                case,
                &tr("act_reclassify_as", &[("level", &level_word(cfg, c.level))]),
                &tr(
                    "why_level_passed",
                    &[("at", &rfc3339(&close)), ("limit", &limits.close.to_string())],
                ),
            ));
        }
        e.handoff_due = Some(cfg.add(case.received_at, limits.handoff));
        e.close_due = Some(close);
        e.first_reply_due = s.first_ack.map(|ack| cfg.add(ack, limits.first_reply));
        e.calendar = cfg.calendar_tag(&[limits.handoff, limits.close, limits.first_reply]);
        e.policy = Some(policy);
    }
    e.category = Some(c.category);
    e.level = Some(c.level);
    e.department = Some(c.department);
    e.follow_up = c.follow_up;
    e.external = c.external;
    push(case, [e])?;
    Ok(())
}

/// Hand the case to `department`. The handoff follows the classification (SPEC
/// §10.8): another department is refused unless `reassign`, which first records a
/// reclassification of the department alone (level and deadlines stay, §17.5).
pub fn handoff(
    case: &mut Case,
    cfg: &Config,
    department: &str,
    reassign: bool,
    note: Option<String>,
    by: By,
) -> Result<()> {
    in_order(case, &at_now(EventKind::Handoff), by.now)?;
    let note = opt_text("--note", note)?;
    let s = bring_up_to_date(case, cfg, by.now, by)?;
    if !s.status.is_open() {
        return Err(refuse(case, &act("hand off"), &why_status("why_is", s.status)));
    }
    if s.classification.level.is_none() {
        return Err(refuse(
            case,
            &act("hand off"),
            &tr("why_unclassified", &[("id", &case.id)]),
        ));
    }
    let dept = cfg.department(department)?;
    let classified = s.classification.department.clone().unwrap_or_default();
    if dept.key != classified {
        if !reassign {
            return Err(refuse(
                case,
                &tr("act_hand_off_to", &[("dept", &dept_word(cfg, &dept.key))]),
                &tr(
                    "why_other_dept",
                    &[
                        ("dept", &dept_word(cfg, &classified)),
                        ("to", &dept_word(cfg, &dept.key)),
                    ],
                ),
            ));
        }
        let mut e = by.event(EventKind::Classify, by.now);
        e.category = s.classification.category.clone();
        e.level = s.classification.level;
        e.department = Some(dept.key.clone());
        e.follow_up = s.classification.follow_up;
        e.handoff_due = s.deadlines.handoff;
        e.close_due = s.deadlines.close;
        e.first_reply_due = s.deadlines.first_reply;
        e.policy = s.policy.clone();
        e.reason = Some(crate::domain::case::reason::REASSIGNED.to_string());
        e.from = Some(classified.to_string());
        push(case, [e])?;
    }
    let mut e = by.event(EventKind::Handoff, by.now);
    e.to = Some(dept.key.clone());
    e.receiver = Some(dept.receiver.clone());
    e.note = note;
    push(case, [e])?;
    Ok(())
}

pub fn ack(case: &mut Case, cfg: &Config, at: Option<Time>, signer: Option<String>, by: By) -> Result<()> {
    opt_line("--by", &signer)?;
    let at = at.unwrap_or(by.now);
    let s = bring_up_to_date(case, cfg, at, by)?;
    if !s.status.is_open() {
        return Err(refuse(case, &act("acknowledge"), &why_status("why_is", s.status)));
    }
    if !s.awaiting_ack {
        let why = if s.handed_to.is_empty() {
            "why_not_handed"
        } else {
            "why_already_signed"
        };
        return Err(refuse(case, &act("acknowledge"), &tr(why, &[])));
    }
    check_time(case, "--at", at, by.now)?;
    push(case, [ack_event(case, cfg, &s, at, signer, by)])?;
    Ok(())
}

fn ack_event(case: &Case, cfg: &Config, s: &State, at: Time, signer: Option<String>, by: By) -> Event {
    let mut e = by.event(EventKind::Ack, at);
    if s.first_ack.is_none() {
        let level = s.classification.level.unwrap_or(Level::General);
        let limit = policy(s, cfg).limits(level).first_reply;
        e.first_reply_due = Some(cfg.add(at, limit));
        e.calendar = cfg.calendar_tag(&[limit]);
    }
    let handed = case
        .events
        .iter()
        .rev()
        .find(|e| e.kind == EventKind::Handoff && !e.conflict);
    e.by = signer.or_else(|| handed.and_then(|h| h.receiver.clone()));
    e.department = handed.and_then(|h| h.to.clone());
    e
}

fn in_future(flag: &str, t: Time, now: Time) -> String {
    tr(
        "in_future",
        &[("flag", flag), ("t", &rfc3339(&t)), ("now", &rfc3339(&now))],
    )
}

fn check_time(case: &Case, flag: &str, t: Time, now: Time) -> Result<()> {
    if t > now {
        bail!("{}", in_future(flag, t, now));
    }
    if t < case.received_at {
        bail!(
            "{}",
            tr(
                "before_received",
                &[
                    ("flag", flag),
                    ("t", &rfc3339(&t)),
                    ("received", &rfc3339(&case.received_at))
                ]
            )
        );
    }
    in_order(case, flag, t)
}

/// Actions keep time order (SPEC §9.11, §17.8): nothing is dated before the latest
/// people's event already recorded (a note or an edit aside), so an acknowledgement cannot come
/// before its handoff nor a reply turn a missed deadline into a met one. Derived events
/// do not count: a close request may still precede escalations recorded since (§4).
fn in_order(case: &Case, what: &str, t: Time) -> Result<()> {
    let last = case
        .events
        .iter()
        .filter(|e| {
            !e.kind.is_derived()
                && !matches!(e.kind, EventKind::Note | EventKind::Edit)
                && !e.kind.is_penalty_decision()
                && !e.conflict
        })
        .max_by_key(|e| e.at);
    match last {
        Some(e) if t < e.at => bail!(
            "{}",
            tr(
                "before_last_event",
                &[
                    ("what", what),
                    ("t", &rfc3339(&t)),
                    ("kind", &tr(&format!("k_{}", e.kind.key()), &[])),
                    ("at", &rfc3339(&e.at))
                ]
            )
        ),
        _ => Ok(()),
    }
}

#[derive(Clone, Debug, Default)]
pub struct Reply {
    pub text: String,
    /// A department key, or `None` for customer service.
    pub from: Option<String>,
    pub to_customer: bool,
    /// The handling plan in writing (meets the written-answer deadline).
    pub written: bool,
    pub promise: Option<Time>,
}

pub fn reply(case: &mut Case, cfg: &Config, mut r: Reply, by: By) -> Result<()> {
    in_order(case, &at_now(EventKind::Reply), by.now)?;
    safe::required("--text", &r.text)?;
    r.text = safe::multi_line("--text", &r.text)?;
    let s = bring_up_to_date(case, cfg, by.now, by)?;
    let mut events = Vec::new();
    let from = match r.from {
        Some(dept) => {
            if !s.status.is_open() {
                return Err(refuse(
                    case,
                    &act("record a department reply on"),
                    &why_status("why_is", s.status),
                ));
            }
            if !s.handed_to.contains(&dept) {
                return Err(anyhow!(
                    "{}",
                    tr(
                        "reply_not_handed",
                        &[("dept", &dept_word(cfg, &dept)), ("id", &case.id)]
                    )
                ));
            }
            if s.awaiting_ack {
                // The department answering is its signature.
                let mut ack = ack_event(case, cfg, &s, by.now, None, by);
                ack.reason = Some(crate::domain::case::reason::SIGNED_BY_REPLY.to_string());
                events.push(ack);
            }
            dept
        }
        None => CUSTOMER_SERVICE.to_string(),
    };
    if let Some(p) = r.promise.filter(|p| *p <= by.now) {
        bail!(
            "{}",
            tr("promise_past", &[("t", &rfc3339(&p)), ("now", &rfc3339(&by.now))])
        );
    }
    let mut e = by.event(EventKind::Reply, by.now);
    e.first = from != CUSTOMER_SERVICE && s.first_reply.is_none();
    e.from = Some(from);
    e.to_customer = r.to_customer;
    e.written = r.to_customer && r.written;
    e.promise = r.promise;
    e.text = Some(r.text);
    events.push(e);
    push(case, events)?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct Close {
    pub resolution: String,
    pub remedy: String,
    pub satisfaction: Satisfaction,
    pub requested_at: Option<Time>,
    pub cause: Option<String>,
    pub countermeasure: Option<String>,
    /// Who approved the close on the call-back.
    pub approved_by: Option<String>,
}

/// The department's close request (關閉申請), the first of the two steps (SPEC §10.5).
#[derive(Clone, Debug)]
pub struct CloseRequest {
    pub resolution: String,
    pub remedy: String,
    /// A department key; `None` for the department the case is classified to.
    pub from: Option<String>,
    pub at: Option<Time>,
    pub cause: Option<String>,
    pub countermeasure: Option<String>,
}

/// The centre's call-back about a pending close request (關閉確認), the second step.
#[derive(Clone, Debug)]
pub struct Confirm {
    pub satisfaction: Satisfaction,
    pub approved_by: Option<String>,
    pub at: Option<Time>,
}

/// Root cause and countermeasure (seed 002 §2.1, 000 rule 7): multi-line, never blank
/// when given, and required when the level in force at the close request is listed in
/// `[close] require_cause`.
fn cause_and_countermeasure(
    cfg: &Config,
    level: Option<Level>,
    cause: Option<String>,
    countermeasure: Option<String>,
) -> Result<(Option<String>, Option<String>)> {
    let mut out = [None, None];
    for (slot, (flag, text)) in out
        .iter_mut()
        .zip([("--cause", cause), ("--countermeasure", countermeasure)])
    {
        if let Some(text) = text {
            safe::required(flag, &text)?;
            *slot = Some(safe::multi_line(flag, &text)?);
        } else if let Some(level) = level.filter(|l| cfg.require_cause.contains(l)) {
            bail!(
                "{}",
                tr("cause_required", &[("flag", flag), ("level", &level_word(cfg, level))])
            );
        }
    }
    let [cause, countermeasure] = out;
    Ok((cause, countermeasure))
}

fn approver(name: &Option<String>) -> Result<()> {
    name.as_deref().map_or(Ok(()), |n| required_line("--approved-by", n))
}

/// The level in force at `t`: the latest classification's, raised by the escalations
/// still in force that are dated before `t` (one at exactly `t` was not missed yet).
fn level_at(case: &Case, s: &State, t: Time) -> Option<Level> {
    let last = case
        .events
        .iter()
        .rposition(|e| e.kind == EventKind::Classify && !e.conflict)?;
    let mut level = case.events[last].level;
    for &i in s.escalations.iter().filter(|&&i| i > last && case.events[i].at < t) {
        level = case.events[i].level;
    }
    level
}

/// Why a case cannot be closed or asked to close now, if it cannot.
fn closable(case: &Case, s: &State, action: &str) -> Result<()> {
    if !s.status.is_open() {
        return Err(refuse(case, &act(action), &why_status("why_already", s.status)));
    }
    if s.classification.level.is_none() {
        return Err(refuse(case, &act(action), &tr("why_unclassified", &[("id", &case.id)])));
    }
    if let Some(p) = s.pending {
        return Err(refuse(
            case,
            &act(action),
            &tr("why_pending", &[("at", &rfc3339(&p.at)), ("id", &case.id)]),
        ));
    }
    Ok(())
}

/// Cancel the escalations and penalties dated at or after the close request: history
/// decides, and they never happened (SPEC §4). Issued when the close is entered.
pub(crate) fn cancel_since(case: &mut Case, s: &State, requested: Time, now: Time) -> Result<()> {
    let cancels: Vec<Event> = s
        .escalations
        .iter()
        .chain(&s.penalties)
        .filter(|&&i| case.events[i].at >= requested)
        .map(|&i| {
            let mut e = Event::new(EventKind::Cancel, now, "");
            e.issued = Some(now);
            e.cancels = Some(case.events[i].id.clone());
            e.reason = Some(crate::domain::case::reason::CLOSE_REQUESTED.to_string());
            e
        })
        .collect();
    if !cancels.is_empty() {
        push(case, cancels)?;
    }
    Ok(())
}

/// First-time or second close, for a close requested at `requested` (SPEC §4).
pub(crate) fn close_kind(s: &State, requested: Time) -> CloseKind {
    let in_time = s.classified_close.is_some_and(|d| requested <= d);
    if in_time && s.escalations.is_empty() && !s.reopened {
        CloseKind::First
    } else {
        CloseKind::Second
    }
}

/// Record a close request and its confirmation at once (the one-step close of SPEC
/// §5). Returns the close kind (None for a refused close).
pub fn close(case: &mut Case, cfg: &Config, c: Close, by: By) -> Result<Option<CloseKind>> {
    required_line("--resolution", &c.resolution)?;
    approver(&c.approved_by)?;
    let requested = c.requested_at.unwrap_or(by.now);
    let s = state(case)?;
    closable(case, &s, "close")?;
    check_time(case, "--requested-at", requested, by.now)?;
    let (cause, countermeasure) =
        cause_and_countermeasure(cfg, level_at(case, &s, requested), c.cause, c.countermeasure)?;
    cancel_since(case, &s, requested, by.now)?;
    let s = bring_up_to_date(case, cfg, requested, by)?;
    let kind = (c.satisfaction != Satisfaction::Dissatisfied).then(|| close_kind(&s, requested));
    let confirm_due = cfg.add(requested, cfg.confirm);
    let mut e = by.event(EventKind::Close, by.now);
    e.requested_at = Some(requested);
    e.resolution = Some(c.resolution);
    e.remedy = Some(c.remedy);
    e.cause = cause;
    e.countermeasure = countermeasure;
    e.satisfaction = Some(c.satisfaction);
    e.close_kind = kind;
    e.confirm_due = Some(confirm_due);
    e.late_confirm = by.now > confirm_due;
    e.by = c.approved_by;
    push(case, [e])?;
    Ok(kind)
}

/// The department asks to close (SPEC §10.5, seed 7.4.1). Escalations due before the
/// request are recorded first; from the request on escalation waits, nothing is
/// cancelled yet, and the confirmation clock starts.
pub fn request_close(case: &mut Case, cfg: &Config, r: CloseRequest, by: By) -> Result<()> {
    required_line("--resolution", &r.resolution)?;
    let at = r.at.unwrap_or(by.now);
    let s = state(case)?;
    closable(case, &s, "request the close of")?;
    check_time(case, "--at", at, by.now)?;
    let s = bring_up_to_date(case, cfg, at, by)?;
    let (cause, countermeasure) = cause_and_countermeasure(cfg, level_at(case, &s, at), r.cause, r.countermeasure)?;
    let mut e = by.event(EventKind::CloseRequest, at);
    e.from = r.from.or_else(|| s.classification.department.clone());
    e.resolution = Some(r.resolution);
    e.remedy = Some(r.remedy);
    e.cause = cause;
    e.countermeasure = countermeasure;
    e.confirm_due = Some(cfg.add(at, cfg.confirm));
    push(case, [e])?;
    Ok(())
}

/// The centre called the customer back about the pending close request. Satisfied or
/// accepted closes the case as of the request (SPEC §4: escalations dated since are
/// cancelled now); dissatisfied voids the request, as if it had never been made, so the
/// escalations due since it follow. Returns the close kind (None for a refused close).
pub fn confirm_close(case: &mut Case, cfg: &Config, c: Confirm, by: By) -> Result<Option<CloseKind>> {
    approver(&c.approved_by)?;
    let at = c.at.unwrap_or(by.now);
    let s = state(case)?;
    if !s.status.is_open() {
        return Err(refuse(
            case,
            &act("confirm the close of"),
            &why_status("why_already", s.status),
        ));
    }
    let Some(pending) = s.pending else {
        return Err(refuse(case, &act("confirm the close of"), &tr("why_no_pending", &[])));
    };
    check_time(case, "--at", at, by.now)?;
    let request = &case.events[pending.index];
    let (request_id, confirm_due) = (request.id.clone(), request.confirm_due);
    let kind = if c.satisfaction == Satisfaction::Dissatisfied {
        None
    } else {
        cancel_since(case, &s, pending.at, by.now)?;
        Some(close_kind(&state(case)?, pending.at))
    };
    let mut e = by.event(EventKind::Close, at);
    e.confirms = Some(request_id);
    e.requested_at = Some(pending.at);
    e.satisfaction = Some(c.satisfaction);
    e.close_kind = kind;
    e.by = c.approved_by;
    e.late_confirm = confirm_due.is_some_and(|d| at > d);
    push(case, [e])?;
    if kind.is_none() {
        bring_up_to_date(case, cfg, at, by)?;
    }
    Ok(kind)
}

pub fn defer(case: &mut Case, cfg: &Config, reason: String, follow_up: FollowUp, by: By) -> Result<()> {
    in_order(case, &at_now(EventKind::Defer), by.now)?;
    required_line("--reason", &reason)?;
    let s = bring_up_to_date(case, cfg, by.now, by)?;
    if !s.status.is_open() || s.status == Status::Deferred {
        return Err(refuse(case, &act("defer"), &why_status("why_already", s.status)));
    }
    pending_first(case, &s, "defer")?;
    if s.classification.level.is_none() {
        return Err(refuse(
            case,
            &act("defer"),
            &tr("why_unclassified", &[("id", &case.id)]),
        ));
    }
    let mut e = by.event(EventKind::Defer, by.now);
    e.reason = Some(reason);
    e.follow_up = Some(follow_up);
    push(case, [e])?;
    Ok(())
}

pub fn reject(case: &mut Case, cfg: &Config, reason: String, by: By) -> Result<()> {
    in_order(case, &at_now(EventKind::Reject), by.now)?;
    required_line("--reason", &reason)?;
    let s = bring_up_to_date(case, cfg, by.now, by)?;
    if !s.status.is_open() {
        return Err(refuse(case, &act("reject"), &why_status("why_already", s.status)));
    }
    pending_first(case, &s, "reject")?;
    let mut e = by.event(EventKind::Reject, by.now);
    e.reason = Some(reason);
    push(case, [e])?;
    Ok(())
}

/// A pending close request is answered first: the customer is called back.
fn pending_first(case: &Case, s: &State, action: &str) -> Result<()> {
    match s.pending {
        Some(p) => Err(refuse(
            case,
            &act(action),
            &tr("why_pending_first", &[("at", &rfc3339(&p.at)), ("id", &case.id)]),
        )),
        None => Ok(()),
    }
}

/// A note on the case: it is history, but touches no clock and no state (SPEC §10.10).
pub fn note(case: &mut Case, text: String, by: By) -> Result<()> {
    safe::required("--text", &text)?;
    let text = safe::multi_line("--text", &text)?;
    let mut e = by.event(EventKind::Note, by.now);
    e.text = Some(text);
    push(case, [e])?;
    Ok(())
}

/// A correction of the intake data (SPEC §10.10): `Some` for each field given, an empty
/// optional field clearing it. Channel and request are config keys already.
#[derive(Clone, Debug, Default)]
pub struct Edit {
    pub name: Option<String>,
    pub contact: Option<String>,
    pub channel: Option<String>,
    pub summary: Option<String>,
    pub details: Option<String>,
    pub product: Option<String>,
    pub order: Option<String>,
    pub request: Option<String>,
    pub received_at: Option<Time>,
    pub reason: String,
}

/// Correct the intake data, recording the old and new values of what changed (SPEC
/// §10.10). Touches no clock, except that a corrected receipt time moves the deadlines
/// counted from it, which is refused once a deadline has passed or anything but the
/// intake (and a classification given with it) is recorded (§17.9). The id and the
/// file's place keep the original date.
pub fn edit(case: &mut Case, cfg: &Config, edit: Edit, by: By) -> Result<()> {
    required_line("--reason", &edit.reason)?;
    for (flag, text) in [("--name", &edit.name), ("--summary", &edit.summary)] {
        text.as_deref().map_or(Ok(()), |t| required_line(flag, t))?;
    }
    for (flag, text) in [
        ("--contact", &edit.contact),
        ("--product", &edit.product),
        ("--order", &edit.order),
    ] {
        opt_line(flag, text)?;
    }
    let details = edit.details.map(|d| safe::multi_line("--details", &d)).transpose()?;
    let s = state(case)?;
    let mut old = crate::domain::case::Fields::default();
    let mut new = crate::domain::case::Fields::default();
    // An empty value clears an optional field.
    let clear = |v: Option<String>| v.map(|v| Some(v).filter(|v| !v.trim().is_empty()));
    let mut changed = false;
    {
        let mut field = |slot: &mut Option<String>,
                         given: Option<Option<String>>,
                         old: &mut Option<String>,
                         new: &mut Option<String>| {
            if let Some(value) = given
                && *slot != value
            {
                *old = slot.clone();
                *new = value.clone();
                *slot = value;
                changed = true;
            }
        };
        let c = &mut case.complaint;
        let mut name = Some(case.customer.name.clone());
        field(&mut name, edit.name.map(Some), &mut old.name, &mut new.name);
        field(
            &mut case.customer.contact,
            clear(edit.contact),
            &mut old.contact,
            &mut new.contact,
        );
        let mut channel = Some(case.channel.clone());
        field(&mut channel, edit.channel.map(Some), &mut old.channel, &mut new.channel);
        let mut summary = Some(c.summary.clone());
        field(&mut summary, edit.summary.map(Some), &mut old.summary, &mut new.summary);
        field(&mut c.details, clear(details), &mut old.details, &mut new.details);
        field(&mut c.product, clear(edit.product), &mut old.product, &mut new.product);
        field(&mut c.order, clear(edit.order), &mut old.order, &mut new.order);
        field(&mut c.request, clear(edit.request), &mut old.request, &mut new.request);
        case.customer.name = name.unwrap_or_default();
        case.channel = channel.unwrap_or_default();
        c.summary = summary.unwrap_or_default();
    }
    let mut e = by.event(EventKind::Edit, by.now);
    if let Some(received) = edit.received_at.filter(|r| *r != case.received_at) {
        receipt_movable(case, &s, received, by.now)?;
        old.received_at = Some(case.received_at);
        new.received_at = Some(received);
        changed = true;
        case.received_at = received;
        e.classify_due = Some(cfg.add(received, cfg.classify));
        e.customer_answer_due = Some(cfg.add(received, cfg.customer_answer));
        let mut spans = vec![cfg.classify, cfg.customer_answer];
        if let Some(level) = s.classification.level {
            let limits = policy(&s, cfg).limits(level);
            e.handoff_due = Some(cfg.add(received, limits.handoff));
            e.close_due = Some(cfg.add(received, limits.close));
            spans.extend([limits.handoff, limits.close]);
        }
        e.calendar = cfg.calendar_tag(&spans);
    }
    if !changed {
        bail!("{}", tr("nothing_to_change", &[("id", &case.id)]));
    }
    e.reason = Some(edit.reason);
    e.old = Some(old);
    e.new = Some(new);
    push(case, [e])?;
    Ok(())
}

/// Why the receipt time of a case can no longer move, if it cannot (SPEC §17.9).
fn receipt_movable(case: &Case, s: &State, received: Time, now: Time) -> Result<()> {
    let refuse = |why: String| anyhow!("{}", tr("refused_received_at", &[("id", &case.id), ("why", &why)]));
    if received > now {
        return Err(refuse(tr(
            "why_future",
            &[("t", &rfc3339(&received)), ("now", &rfc3339(&now))],
        )));
    }
    let intake_at = case.events.first().map(|e| e.at);
    let action = case.events.iter().skip(1).find(|e| {
        let with_intake = e.kind == EventKind::Classify && Some(e.at) == intake_at;
        !(with_intake || matches!(e.kind, EventKind::Note | EventKind::Edit))
    });
    if let Some(a) = action {
        return Err(refuse(tr(
            "why_after_intake",
            &[
                ("kind", &tr(&format!("k_{}", a.kind.key()), &[])),
                ("at", &rfc3339(&a.at)),
            ],
        )));
    }
    if let Some(d) = deadlines(s).into_iter().find(|d| d.due < now) {
        return Err(refuse(tr(
            "why_deadline_passed",
            &[
                (
                    "limit",
                    &crate::output::render::limit_words(crate::output::i18n::lang(), d.limit),
                ),
                ("at", &rfc3339(&d.due)),
            ],
        )));
    }
    Ok(())
}

/// The customer came back. The close clock restarts from now at the current level.
pub fn reopen(case: &mut Case, cfg: &Config, reason: String, by: By) -> Result<()> {
    in_order(case, &at_now(EventKind::Reopen), by.now)?;
    required_line("--reason", &reason)?;
    let s = state(case)?;
    if s.status.is_open() {
        return Err(refuse(case, &act("reopen"), &why_status("why_still_open", s.status)));
    }
    let mut e = by.event(EventKind::Reopen, by.now);
    let limit = s.classification.level.map(|l| policy(&s, cfg).limits(l).close);
    e.close_due = limit.map(|l| cfg.add(by.now, l));
    e.calendar = limit.and_then(|l| cfg.calendar_tag(&[l]));
    e.reason = Some(reason);
    push(case, [e])?;
    Ok(())
}

/// A decision on a penalty (SPEC §11.1).
#[derive(Clone, Debug)]
pub enum Decision {
    Confirm,
    Waive {
        reason: String,
    },
    Execute {
        at: Option<Time>,
        reference: Option<String>,
    },
}

/// Record a decision on the penalty `which` (`P<n>` or its event id). The case is
/// first brought up to date, so a penalty the rules owe but no sweep recorded is
/// recorded before it is decided on (SPEC §17.17). Returns the penalty's number.
pub fn decide_penalty(
    case: &mut Case,
    cfg: &Config,
    which: &str,
    decision: Decision,
    signer: Option<String>,
    by: By,
) -> Result<usize> {
    opt_line("--by", &signer)?;
    bring_up_to_date(case, cfg, by.now, by)?;
    let p = crate::domain::penalty::find(case, which)?;
    let (n, target, state) = (p.n, p.event.id.clone(), p.state);
    let confirmed_at = p.confirmed.map(|e| e.at);
    let pid = crate::domain::penalty::pid(&case.id, n);
    let (kind, at) = match &decision {
        Decision::Confirm => (EventKind::PenaltyConfirm, by.now),
        Decision::Waive { .. } => (EventKind::PenaltyWaive, by.now),
        Decision::Execute { at, .. } => (EventKind::PenaltyExecute, at.unwrap_or(by.now)),
    };
    let action = match kind {
        EventKind::PenaltyConfirm => "confirm",
        EventKind::PenaltyWaive => "waive",
        _ => "execute",
    };
    crate::domain::penalty::allowed(state, kind).map_err(|why| {
        anyhow!(
            "{}",
            tr(
                "refused_penalty",
                &[
                    ("action", &act(&format!("penalty {action}"))),
                    ("pid", &pid),
                    ("why", &why)
                ]
            )
        )
    })?;
    let mut e = by.event(kind, at);
    e.penalty = Some(target);
    e.by = signer;
    match decision {
        Decision::Confirm => {}
        Decision::Waive { reason } => {
            required_line("--reason", &reason)?;
            e.reason = Some(reason);
        }
        Decision::Execute { reference, .. } => {
            opt_line("--ref", &reference)?;
            if at > by.now {
                bail!("{}", in_future("--at", at, by.now));
            }
            if let Some(c) = confirmed_at.filter(|&c| at < c) {
                bail!(
                    "{}",
                    tr("before_confirmed", &[("t", &rfc3339(&at)), ("confirmed", &rfc3339(&c))])
                );
            }
            e.reference = reference;
        }
    }
    push(case, [e])?;
    Ok(n)
}

/// The escalation and penalty events the rules produce next for a case in state `s`,
/// with a date before `until` (SPEC §4, §8.3); `None` when nothing is due.
fn next_derived(case: &Case, s: &State, cfg: &Config, until: Time) -> Option<Vec<Event>> {
    let (Some(level), Some(dept), Some(close)) = (
        s.classification.level,
        s.classification.department.clone(),
        s.deadlines.close,
    ) else {
        return None;
    };
    if !s.status.is_open() || s.status == Status::Deferred || level == Level::Irrational {
        return None;
    }
    // Each close deadline is charged at most once (SPEC §17.5): a deadline already
    // escalated is never escalated again, whatever a hand-edited log says.
    if s.escalations.iter().any(|&i| case.events[i].missed == Some(close)) {
        return None;
    }
    let policy = policy(s, cfg);
    // A pending close request pauses escalation from the request on (SPEC §17.7).
    let until = s.pending.map_or(until, |p| until.min(p.at));
    let issued_after = case.last_recorded();
    let derived = |kind: EventKind, at: Time| {
        let mut e = Event::new(kind, at, "");
        e.issued = Some(issued_after.map_or(at, |r| r.max(at)));
        e
    };
    let penalty = |at: Time, monthly: bool, reason: String| {
        let mut e = derived(EventKind::Penalty, at);
        e.department = Some(dept.clone());
        e.level = Some(level);
        e.amount = Some(if monthly {
            policy.monthly(level)
        } else {
            policy.penalty(level)
        });
        e.monthly = monthly;
        e.missed = Some(at);
        e.reason = Some(reason);
        e
    };
    let monthly = s
        .first_miss
        .map(|first| cfg.add(first, Span::days(30 * (s.monthly + 1))));
    match monthly {
        // A monthly penalty at the same instant as an escalation is charged first,
        // at the level in force before it.
        Some(m) if m < until && m <= close => {
            Some(vec![penalty(m, true, crate::domain::case::reason::MONTHLY.to_string())])
        }
        _ if close < until => {
            let next = level.escalated();
            let mut e = derived(EventKind::Escalate, close);
            e.level = Some(next);
            e.missed = Some(close);
            let limit = policy.limits(next).close;
            e.close_due = Some(cfg.add(close, limit));
            e.calendar = cfg.calendar_tag(&[limit]);
            Some(vec![
                penalty(close, false, crate::domain::case::reason::CLOSE_MISSED.to_string()),
                e,
            ])
        }
        _ => None,
    }
}

/// Record every escalation and penalty due before `until` (SPEC §4, §8.3), in date
/// order. Idempotent; returns the state afterwards.
pub fn bring_up_to_date(case: &mut Case, cfg: &Config, until: Time, _by: By) -> Result<State> {
    loop {
        let s = state(case)?;
        match next_derived(case, &s, cfg, until) {
            Some(events) => {
                push(case, events)?;
            }
            None => return Ok(s),
        }
    }
}

/// A case rebuilt from its people's events alone (a restore, SPEC §17.11): each event
/// is added in log order after the derived events due by its recording time, as the
/// commands did when they recorded it, then everything due by `now`. `case` gives the
/// header's fixed fields; its events are replaced.
pub fn replay(mut case: Case, people: Vec<Event>, cfg: &Config, now: Time) -> Result<Case> {
    let by = By { actor: "", now };
    let mut people = people.into_iter();
    case.events = people.next().into_iter().collect();
    case.refresh().map_err(anyhow::Error::msg)?;
    for e in people {
        bring_up_to_date(&mut case, cfg, e.recorded_at.unwrap_or(e.at), by)?;
        case.events.push(e);
        case.refresh().map_err(anyhow::Error::msg)?;
    }
    bring_up_to_date(&mut case, cfg, now, by)?;
    Ok(case)
}

/// A case as history says it stands at `now` (SPEC §10.1): what a sweep at `now` would
/// record, in memory only. Every read shows cases through this, so no read depends on
/// whether or when a sweep ran. `s` is the state of `case` as read.
pub fn as_of(mut case: Case, s: State, cfg: &Config, now: Time) -> Result<(Case, State)> {
    if next_derived(&case, &s, cfg, now).is_none() {
        return Ok((case, s));
    }
    let by = By { actor: "", now };
    let s = bring_up_to_date(&mut case, cfg, now, by)?;
    Ok((case, s))
}

/// Derived events the rules would not have produced (SPEC §9.12): a forged or edited
/// penalty (an amount the level does not carry, an id that does not match what it
/// says), a duplicate, one dated after `now`, a penalty for a deadline never missed.
/// Each problem names the event by its number.
/// Then every derived event is compared with what the rules produce when the people's
/// events are replayed ([`rederive::differences`]).
pub fn audit(case: &Case, cfg: &Config, now: Time) -> Vec<String> {
    let mut problems = Vec::new();
    let mut flagged = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    for (i, e) in case.events.iter().enumerate() {
        if !e.kind.is_derived() {
            continue;
        }
        let mut say = |key: &str, args: &[(&str, &str)]| {
            flagged.insert(i);
            problems.push(crate::domain::case::log_problem(i, e.kind, key, args))
        };
        // Schema 1 named events by position (e1, e2, ...); every later id is a digest.
        let legacy =
            e.id.strip_prefix('e')
                .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()));
        if !legacy && e.id != crate::domain::case::derived_id(e) {
            say("audit_id", &[("got", &format!("{:?}", e.id))]);
        }
        if e.kind != EventKind::Cancel && e.at > now {
            say("audit_future", &[("at", &rfc3339(&e.at)), ("now", &rfc3339(&now))]);
        }
        if e.kind == EventKind::Penalty {
            if !seen.insert((e.at, e.monthly)) {
                say("audit_second_penalty", &[("at", &rfc3339(&e.at))]);
            }
            if let Some(level) = e.level {
                // The amounts of the policy stored by the classification in force
                // (SPEC §17.4); a file from before stored policies follows the config.
                let policy = case.events[..i]
                    .iter()
                    .rev()
                    .find_map(|x| x.policy.clone())
                    .unwrap_or_else(|| cfg.policy());
                let want = if e.monthly {
                    policy.monthly(level)
                } else {
                    policy.penalty(level)
                };
                if e.amount != Some(want) {
                    say(
                        "audit_amount",
                        &[
                            ("amount", &e.amount.unwrap_or(0).to_string()),
                            (
                                "level",
                                &match crate::output::i18n::lang() {
                                    crate::output::i18n::Lang::En => level.key().to_string(),
                                    _ => cfg.level_label(level).to_string(),
                                },
                            ),
                            ("want", &want.to_string()),
                        ],
                    );
                }
            }
            let escalated = case
                .events
                .iter()
                .any(|x| x.kind == EventKind::Escalate && x.missed == e.missed);
            if !e.monthly && !escalated {
                say("audit_no_miss", &[("at", &rfc3339(&e.at))]);
            }
        }
    }
    problems.extend(rederive::differences(case, cfg, now, &flagged));
    problems
}

/// The limits a case can miss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Limit {
    Classify,
    Handoff,
    FirstReply,
    Close,
    Confirm,
    CustomerAnswer,
    Promise,
}

impl Limit {
    pub const ALL: [Limit; 7] = [
        Limit::Classify,
        Limit::Handoff,
        Limit::FirstReply,
        Limit::Close,
        Limit::Confirm,
        Limit::CustomerAnswer,
        Limit::Promise,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Limit::Classify => "classify",
            Limit::Handoff => "handoff",
            Limit::FirstReply => "first_reply",
            Limit::Close => "close",
            Limit::Confirm => "confirm",
            Limit::CustomerAnswer => "customer_answer",
            Limit::Promise => "promise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Limit::Classify => "分類判斷 classify",
            Limit::Handoff => "移交簽收 handoff",
            Limit::FirstReply => "首次回復 first reply",
            Limit::Close => "關閉 close",
            Limit::Confirm => "關閉確認 confirm",
            Limit::CustomerAnswer => "書面答覆 customer answer",
            Limit::Promise => "約定回話 call-back",
        }
    }
}

/// Where a deadline stands at an instant (SPEC §10.2, §17.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeadlineState {
    /// Done by the deadline.
    Met,
    /// Done after it.
    MetLate,
    /// Not done; the clock runs; the deadline is still ahead.
    Due,
    /// Not done; the clock runs; the deadline has passed.
    Overdue,
    /// Not done; the case left the clock (closed, rejected, deferred) after the deadline.
    Missed,
    /// Not done; the case left the clock at or before the deadline. Never "met".
    Stopped,
}

impl DeadlineState {
    pub fn key(self) -> &'static str {
        match self {
            DeadlineState::Met => "met",
            DeadlineState::MetLate => "met_late",
            DeadlineState::Due => "due",
            DeadlineState::Overdue => "overdue",
            DeadlineState::Missed => "missed",
            DeadlineState::Stopped => "stopped",
        }
    }
}

/// A deadline, the action it waits for, and when the case left the clock.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    pub limit: Limit,
    pub due: Time,
    /// The first of: the action, or the case leaving the clock.
    pub done: Option<Time>,
    /// The action itself, when it happened before the case left the clock.
    pub action: Option<Time>,
}

impl Deadline {
    /// Missed by time `t`: due before `t` and not done by the deadline (SPEC §8.1).
    pub fn missed_by(&self, t: Time) -> bool {
        self.due < t && self.done.is_none_or(|d| d > self.due)
    }

    /// Still waited for at `now`, and already missed.
    pub fn overdue(&self, now: Time) -> bool {
        self.done.is_none() && self.due < now
    }

    pub fn state(&self, now: Time) -> DeadlineState {
        match (self.action, self.done) {
            (Some(a), _) if a <= self.due => DeadlineState::Met,
            (Some(_), _) => DeadlineState::MetLate,
            (None, Some(left)) if left > self.due => DeadlineState::Missed,
            (None, Some(_)) => DeadlineState::Stopped,
            (None, None) if now > self.due => DeadlineState::Overdue,
            (None, None) => DeadlineState::Due,
        }
    }
}

/// Every deadline of a case, in SPEC order.
pub fn deadlines(s: &State) -> Vec<Deadline> {
    let d = &s.deadlines;
    // A pending close request stops every clock but the call-back's, as a close would
    // (SPEC §10.5); a refused confirmation starts them again.
    let left = match (s.stopped, s.pending) {
        (Some(a), Some(p)) => Some(a.min(p.at)),
        (a, p) => a.or(p.map(|p| p.at)),
    };
    [
        (Limit::Classify, d.classify, s.first_classified),
        (Limit::Handoff, d.handoff, s.first_ack),
        (Limit::FirstReply, d.first_reply, s.first_reply),
        (Limit::Close, d.close, None),
        (Limit::Confirm, d.confirm, s.confirmed),
        (Limit::CustomerAnswer, d.customer_answer, s.first_answer),
        (Limit::Promise, s.promise, None),
    ]
    .into_iter()
    .filter_map(|(limit, due, action)| {
        let due = due?;
        // The call-back is the one clock a close request starts: only the call-back
        // itself stops it.
        let left = if limit == Limit::Confirm { None } else { left };
        // The action counts only if it came before the case left the clock.
        let action = action.filter(|a| left.is_none_or(|left| *a <= left));
        let done = match (action, left) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // A close request is the close deadline's own action.
        let action = match limit {
            Limit::Close if s.closed_by.is_some() => s.stopped,
            Limit::Close if s.pending.is_some() => s.pending.map(|p| p.at),
            _ => action,
        };
        Some(Deadline {
            limit,
            due,
            done,
            action,
        })
    })
    .collect()
}

/// The limits missed and still waited for at `now`.
pub fn overdue(s: &State, now: Time) -> Vec<Limit> {
    deadlines(s)
        .into_iter()
        .filter(|d| d.overdue(now))
        .map(|d| d.limit)
        .collect()
}

/// Hours between two times, for reports.
pub fn hours(delta: TimeDelta) -> f64 {
    delta.num_seconds() as f64 / 3600.0
}

mod rederive;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod policy_tests;
