//! The case file: what a complaint is, as stored in `cases/<id>.toml`.
//!
//! The event log is the truth. The header (status, classification, deadlines,
//! close kind) is a projection of it: recomputed by [`Case::refresh`] on every write and
//! compared by [`Case::verify`] on every read, so a hand edit that leaves the file in a
//! state its history cannot explain is reported, not believed.

use serde::{Deserialize, Serialize};

use crate::domain::config::{Level, Policy};
use crate::domain::time::{Time, serde_opt_time, serde_time};

/// The case file format. Schema 2 gave every event an `id` (SPEC §17.2) and made
/// `cancels` name an event by id; schema 1 files are still read (see [`Case::upgrade`]).
pub const SCHEMA: u32 = 2;

macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn parse(text: &str) -> anyhow::Result<$name> {
                $name::ALL.iter().copied().find(|v| v.key() == text).ok_or_else(|| {
                    let all: Vec<&str> = $name::ALL.iter().map(|v| v.key()).collect();
                    anyhow::anyhow!("unknown value {text:?}: expected one of {}", all.join(", "))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

word_enum!(
    /// Where a case stands (SPEC §4).
    #[derive(Default)]
    Status {
        #[default]
        Received = "received",
        Classified = "classified",
        HandedOff = "handed_off",
        Acknowledged = "acknowledged",
        Replied = "replied",
        /// The department asked to close; the customer has not been called back yet.
        CloseRequested = "close_requested",
        Deferred = "deferred",
        Closed = "closed",
        Rejected = "rejected",
    }
);

impl Status {
    /// Deferred cases still count as open until closed.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Rejected)
    }
}

/// The labels of words kefu fixes (SPEC §12.2), and reading one from its key or its
/// label in either Chinese script. An unknown word is a usage error (SPEC §17.1), so the
/// error is a plain message for the command line's parser.
macro_rules! labels {
    ($name:ident, $what:literal { $($variant:ident => $label:literal),+ $(,)? }) => {
        impl $name {
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// A key, or a label in either script.
            pub fn from_text(text: &str) -> Result<$name, String> {
                crate::domain::script::find($name::ALL, text, |v| v.key(), |v| v.label())
                    .copied()
                    .ok_or_else(|| {
                        crate::output::i18n::unknown($what, text, $name::ALL.iter().map(|v| (v.key(), v.label())))
                    })
            }
        }
    };
}

labels!(Status, "status" {
    Received => "已受理",
    Classified => "已分類",
    HandedOff => "已移交",
    Acknowledged => "已簽收",
    Replied => "已回復",
    CloseRequested => "待確認",
    Deferred => "暫緩關閉",
    Closed => "已關閉",
    Rejected => "不成立",
});

word_enum!(FollowUp { Watch = "watch", Monitor = "monitor" });
word_enum!(Irrational { First = "first", Second = "second" });
word_enum!(CloseKind { First = "first", Second = "second" });
word_enum!(Satisfaction { Satisfied = "satisfied", Accepted = "accepted", Dissatisfied = "dissatisfied" });
word_enum!(
    /// What the customer got when the case closed.
    Remedy {
        Refund = "refund",
        Exchange = "exchange",
        Repair = "repair",
        Discount = "discount",
        Compensation = "compensation",
        Apology = "apology",
        Explanation = "explanation",
        None = "none",
    }
);
labels!(FollowUp, "follow-up mode" { Watch => "關注", Monitor => "監控" });
labels!(Satisfaction, "satisfaction" { Satisfied => "滿意", Accepted => "接受", Dissatisfied => "不滿意" });
labels!(Remedy, "remedy" {
    Refund => "退款",
    Exchange => "換貨",
    Repair => "維修",
    Discount => "折扣",
    Compensation => "賠償",
    Apology => "道歉",
    Explanation => "解釋",
    None => "無",
});
word_enum!(
    #[derive(Default)]
    EventKind {
        #[default]
        Intake = "intake",
        Classify = "classify",
        Handoff = "handoff",
        Ack = "ack",
        Reply = "reply",
        CloseRequest = "close_request",
        Close = "close",
        Defer = "defer",
        Reject = "reject",
        Reopen = "reopen",
        Note = "note",
        /// A correction of the intake data, with the old and new values (SPEC §10.10).
        Edit = "edit",
        Escalate = "escalate",
        Penalty = "penalty",
        Cancel = "cancel",
        /// A penalty's life (SPEC §11.1): people's decisions on a penalty event.
        PenaltyConfirm = "penalty_confirm",
        PenaltyWaive = "penalty_waive",
        PenaltyExecute = "penalty_execute",
    }
);

/// Who a reply comes from when it is not a department.
pub const CUSTOMER_SERVICE: &str = "customer-service";

/// Why kefu recorded a derived event: a key, never words (SPEC §17.10). The event's own
/// data (the missed deadline, the level, what it cancels) says the rest, and renderers
/// word it in the reader's language. Files written before this hold English text there.
pub mod reason {
    /// A penalty (and escalation) for a missed close deadline.
    pub const CLOSE_MISSED: &str = "close_missed";
    /// A further penalty for each 30 days a case stays open after its first miss.
    pub const MONTHLY: &str = "monthly";
    /// A cancellation: the close was requested before the cancelled deadline.
    pub const CLOSE_REQUESTED: &str = "close_requested_before";
    /// A classification made by `handoff --reassign`; `from` holds the department it
    /// had before.
    pub const REASSIGNED: &str = "reassigned";
    /// An acknowledgement recorded because the department replied before signing.
    pub const SIGNED_BY_REPLY: &str = "signed_by_reply";
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub schema: u32,
    pub id: String,
    pub status: Status,
    #[serde(with = "serde_time")]
    pub received_at: Time,
    pub channel: String,
    pub external: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_kind: Option<CloseKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ref: Option<String>,
    pub customer: Customer,
    pub complaint: Complaint,
    #[serde(default)]
    pub classification: Classification,
    #[serde(default)]
    pub deadlines: Deadlines,
    pub events: Vec<Event>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irrational: Option<Irrational>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
}

/// The deadlines in force (SPEC §8.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub classify: Option<Time>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub handoff: Option<Time>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub first_reply: Option<Time>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub close: Option<Time>,
    /// Close request → the confirmation call-back (SPEC §10.5).
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub confirm: Option<Time>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub customer_answer: Option<Time>,
}

/// One action on a case. `at` is when it happened; `recorded_at` when it was entered,
/// if that differs. The other fields belong to particular kinds.
///
/// Two sorts of events share this shape (SPEC §17.2). *People's events* (intake,
/// classify, handoff, ack, reply, close_request, close, defer, reject, reopen) are the history: each
/// has an actor and a random id, and two copies of a case (two clones of the
/// workspace) agree on an event exactly when they hold the same id. *Derived events*
/// (escalate, penalty, cancel) follow from the people's events by the rules: they
/// carry no actor, and their id is computed from what they say ([`derived_id`]), so
/// deriving them again anywhere gives the same id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(with = "serde_time")]
    pub at: Time,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actor: String,
    /// A people's event that two clones recorded independently and that the rules
    /// refuse in the merged order (SPEC §17.13): kept in the log, ignored by the state.
    #[serde(default, skip_serializing_if = "is_false")]
    pub conflict: bool,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<Time>,
    /// A derived event's place in the books (SPEC §17.3): the later of `at` and the
    /// recording time of the people's event after which the rules first produce it
    /// (for a cancellation, the recording time of the event that voids its target).
    /// It depends on the history alone, never on when a sweep ran.
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub issued: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<bool>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub handoff_due: Option<Time>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub first_reply_due: Option<Time>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub close_due: Option<Time>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub customer_answer_due: Option<Time>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub classify_due: Option<Time>,
    /// The tag of the business-hours calendar the deadlines above were counted with,
    /// when a limit was in business time (SPEC §16): a later calendar change leaves
    /// them as they are, and `check` names the cases set under another calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub to_customer: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub written: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub first: bool,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub promise: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction: Option<Satisfaction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_kind: Option<CloseKind>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub late_confirm: bool,
    /// When the customer must be called back about a close request.
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub confirm_due: Option<Time>,
    /// The id of the close request a confirmation answers (a two-step close).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirms: Option<String>,
    /// Root cause and countermeasure of a close (seed 002 §2.1, 000 rule 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countermeasure: Option<String>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub missed: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub monthly: bool,
    /// The id of the penalty event a penalty decision is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<String>,
    /// What a penalty's execution refers to (a payroll or voucher number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The id of the escalation or penalty a cancellation voids.
    #[serde(default, deserialize_with = "event_ref", skip_serializing_if = "Option::is_none")]
    pub cancels: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// On a classify event: the limits and penalties it applied (SPEC §17.4). Files
    /// written before it existed have none, and follow the config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    /// On an edit event: the values of the fields it changed, before and after. A
    /// field absent from one side was empty there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Fields>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Fields>,
}

/// The intake data an edit can correct (SPEC §10.10), each field only when it changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    #[serde(default, with = "serde_opt_time", skip_serializing_if = "Option::is_none")]
    pub received_at: Option<Time>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// `cancels` as written by schema 2 (an event id) or schema 1 (the 1-based position of
/// the event, which [`Case::upgrade`] turns into the id `e<position>`).
fn event_ref<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Ref {
        Id(String),
        Position(u64),
    }
    Ok(Option::<Ref>::deserialize(d)?.map(|r| match r {
        Ref::Id(id) => id,
        Ref::Position(n) => format!("e{n}"),
    }))
}

impl EventKind {
    /// Escalations, penalties and cancellations follow from the people's events.
    pub fn is_derived(self) -> bool {
        matches!(self, EventKind::Escalate | EventKind::Penalty | EventKind::Cancel)
    }

    /// Confirm, waive or execute a penalty: bookkeeping outside the handling's time order.
    pub fn is_penalty_decision(self) -> bool {
        matches!(
            self,
            EventKind::PenaltyConfirm | EventKind::PenaltyWaive | EventKind::PenaltyExecute
        )
    }
}

impl Event {
    pub fn new(kind: EventKind, at: Time, actor: &str) -> Event {
        Event {
            at,
            kind,
            actor: if kind.is_derived() {
                String::new()
            } else {
                actor.to_string()
            },
            ..Event::default()
        }
    }
}

/// The id of a derived event: a digest of what it says, so that the same rule applied
/// to the same history gives the same id in every copy of the case.
pub fn derived_id(e: &Event) -> String {
    let mut h = crc32fast::Hasher::new();
    let key = format!("{}|{}", derived_facts(e), e.cancels.as_deref().unwrap_or_default());
    h.update(key.as_bytes());
    format!("{}{:08x}", &e.kind.key()[..1], h.finalize())
}

/// What a derived event says of itself: kind, time, level, department, amount and
/// whether it is a monthly penalty, `|`-separated. Its id is a digest of these and
/// what it cancels; `check` compares them with what the rules produce.
pub fn derived_facts(e: &Event) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}",
        e.kind,
        e.at.timestamp(),
        e.level.map_or("", Level::key),
        e.department.as_deref().unwrap_or_default(),
        e.amount.unwrap_or_default(),
        e.monthly,
    )
}

/// A new random id for a people's event: eight characters of `[a-z2-7]`.
fn random_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState is seeded from the operating system's randomness once per process;
    // hashing a counter and the clock with it gives unpredictable values after that.
    let mut h = std::hash::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    let mut n = h.finish();
    (0..8)
        .map(|_| {
            let c = b"abcdefghijklmnopqrstuvwxyz234567"[(n & 31) as usize];
            n >>= 5;
            c as char
        })
        .collect()
}

/// Everything the event log says about a case, derived by [`Case::state`].
#[derive(Clone, Debug, Default)]
pub struct State {
    pub status: Status,
    pub classification: Classification,
    pub external: bool,
    pub deadlines: Deadlines,
    pub close_kind: Option<CloseKind>,
    /// When the case was first classified (stops the classification clock).
    pub first_classified: Option<Time>,
    /// The level first assigned (the report counts intake by it).
    pub first_level: Option<Level>,
    /// The close deadline set by the latest classification (decides a first-time close).
    pub classified_close: Option<Time>,
    pub handed_to: Vec<String>,
    /// The latest handoff still waits for its receiver's signature.
    pub awaiting_ack: bool,
    pub first_ack: Option<Time>,
    pub first_reply: Option<Time>,
    pub first_answer: Option<Time>,
    /// A promised call-back not yet followed by a reply.
    pub promise: Option<Time>,
    /// When the case stopped waiting (successful close request, rejection, deferral).
    pub stopped: Option<Time>,
    /// Index of the successful close event.
    pub closed_by: Option<usize>,
    /// The close request waiting for its confirmation call-back (SPEC §10.5).
    pub pending: Option<Pending>,
    /// When the customer was called back about the latest close request.
    pub confirmed: Option<Time>,
    pub deferred_at: Option<Time>,
    pub reopened: bool,
    /// Escalation and penalty events still in force (not cancelled).
    pub escalations: Vec<usize>,
    pub penalties: Vec<usize>,
    /// The first missed close deadline since the latest reopen, and the monthly
    /// penalties charged since.
    pub first_miss: Option<Time>,
    pub monthly: u32,
    /// The policy stored by the latest classification that stored one (SPEC §17.4).
    pub policy: Option<Policy>,
}

/// A close request not confirmed yet: escalation waits, the confirmation clock runs.
#[derive(Clone, Copy, Debug)]
pub struct Pending {
    /// The request event's index.
    pub index: usize,
    /// When the department asked to close.
    pub at: Time,
}

impl Case {
    /// When the latest people's event was entered: a derived event produced now is
    /// issued no earlier than this.
    pub fn last_recorded(&self) -> Option<Time> {
        self.events
            .iter()
            .rev()
            .find(|e| !e.kind.is_derived() && !e.conflict)
            .map(|e| e.recorded_at.unwrap_or(e.at))
    }

    /// Replay the event log. Errors name the event (1-based) and what is wrong.
    pub fn state(&self) -> Result<State, String> {
        let mut s = State::default();
        let mut progress = Status::Received;
        let mut cancelled = vec![false; self.events.len()];
        for (i, e) in self.events.iter().enumerate() {
            if e.id.is_empty() {
                return Err(bad(i, e, "log_missing", &[("field", "id")]));
            }
            if self.events[..i].iter().any(|earlier| earlier.id == e.id) {
                return Err(bad(i, e, "log_id_twice", &[("got", &format!("{:?}", e.id))]));
            }
            if e.kind.is_derived() != e.actor.is_empty() {
                return Err(match e.kind.is_derived() {
                    true => bad(i, e, "log_derived_actor", &[]),
                    false => bad(i, e, "log_missing", &[("field", "actor")]),
                });
            }
            if e.kind == EventKind::Cancel {
                let target = need(i, e, "cancels", e.cancels.as_deref())?;
                let t = self.events[..i].iter().position(|t| t.id == target);
                match t {
                    Some(t) if matches!(self.events[t].kind, EventKind::Escalate | EventKind::Penalty) => {
                        cancelled[t] = true
                    }
                    _ => {
                        return Err(bad(i, e, "log_cancel_target", &[("got", &format!("{target:?}"))]));
                    }
                }
            }
        }
        match self.events.first() {
            Some(e) if e.kind == EventKind::Intake => {}
            _ => return Err(crate::output::i18n::tr("log_no_intake", &[])),
        }
        // An edit may move the receipt later than the intake (and a classification given
        // with it) were dated: those stay as recorded (SPEC §17.9).
        let received = self
            .events
            .first()
            .map_or(self.received_at, |e| e.at.min(self.received_at));
        for (i, e) in self.events.iter().enumerate() {
            if e.conflict {
                if e.kind.is_derived() || i == 0 {
                    return Err(bad(i, e, "log_conflict", &[]));
                }
                continue;
            }
            if e.at < received && e.kind != EventKind::Intake {
                return Err(bad(i, e, "log_before_received", &[("field", "at")]));
            }
            match e.kind {
                EventKind::Intake => {
                    if i > 0 {
                        return Err(bad(i, e, "log_second_intake", &[]));
                    }
                    s.deadlines.customer_answer = e.customer_answer_due;
                    s.deadlines.classify = e.classify_due;
                    s.external = e.external.unwrap_or(false);
                }
                EventKind::Classify => {
                    let level = need(i, e, "level", e.level)?;
                    let c = &mut s.classification;
                    c.category = Some(need(i, e, "category", e.category.clone())?);
                    c.department = Some(need(i, e, "department", e.department.clone())?);
                    c.level = Some(level);
                    let handoff = need(i, e, "handoff_due", e.handoff_due)?;
                    let close = need(i, e, "close_due", e.close_due)?;
                    for (name, t) in [("handoff_due", handoff), ("close_due", close)] {
                        if t < received {
                            return Err(bad(i, e, "log_before_received", &[("field", name)]));
                        }
                    }
                    if level == Level::Irrational {
                        c.follow_up = Some(e.follow_up.ok_or_else(|| bad(i, e, "log_irrational_follow_up", &[]))?);
                        c.irrational = Some(Irrational::First);
                    } else if c.irrational == Some(Irrational::First) {
                        c.irrational = None;
                        c.follow_up = None;
                    }
                    if let Some(x) = e.external {
                        s.external = x;
                    }
                    if let Some(p) = &e.policy {
                        s.policy = Some(p.clone());
                    }
                    s.first_level.get_or_insert(level);
                    s.first_classified.get_or_insert(e.at);
                    s.deadlines.handoff = Some(handoff);
                    s.deadlines.close = Some(close);
                    s.deadlines.first_reply = e.first_reply_due;
                    s.classified_close = Some(close);
                    if progress == Status::Received {
                        progress = Status::Classified;
                    }
                }
                EventKind::Handoff => {
                    let to = need(i, e, "to", e.to.clone())?;
                    if !s.handed_to.contains(&to) {
                        s.handed_to.push(to);
                    }
                    s.awaiting_ack = true;
                    if matches!(progress, Status::Received | Status::Classified) {
                        progress = Status::HandedOff;
                    }
                }
                EventKind::Ack => {
                    s.awaiting_ack = false;
                    s.first_ack.get_or_insert(e.at);
                    if let Some(due) = e.first_reply_due {
                        s.deadlines.first_reply.get_or_insert(due);
                    }
                    if progress == Status::HandedOff {
                        progress = Status::Acknowledged;
                    }
                }
                EventKind::Reply => {
                    let from = need(i, e, "from", e.from.clone())?;
                    need(i, e, "text", e.text.clone())?;
                    if from != CUSTOMER_SERVICE {
                        s.first_reply.get_or_insert(e.at);
                        progress = Status::Replied;
                    }
                    // Only the handling plan in writing answers the customer (§10.6); a
                    // note that someone will call back does not.
                    if e.to_customer && e.written {
                        s.first_answer.get_or_insert(e.at);
                    }
                    s.promise = e.promise;
                }
                EventKind::CloseRequest => {
                    need(i, e, "resolution", e.resolution.clone())?;
                    let due = need(i, e, "confirm_due", e.confirm_due)?;
                    if let Some(p) = s.pending {
                        return Err(bad(i, e, "log_request_pending", &[("n", &(p.index + 1).to_string())]));
                    }
                    s.pending = Some(Pending { index: i, at: e.at });
                    s.deadlines.confirm = Some(due);
                    s.confirmed = None;
                }
                EventKind::Close => {
                    let satisfaction = need(i, e, "satisfaction", e.satisfaction)?;
                    let requested = match &e.confirms {
                        // The second step: the call-back about the pending request.
                        Some(target) => {
                            let p = s.pending.take().filter(|p| self.events[p.index].id == *target);
                            let p =
                                p.ok_or_else(|| bad(i, e, "log_confirms_target", &[("got", &format!("{target:?}"))]))?;
                            if e.requested_at.is_some_and(|r| r != p.at) {
                                return Err(bad(i, e, "log_requested_at", &[]));
                            }
                            p.at
                        }
                        None => {
                            if let Some(p) = s.pending {
                                return Err(bad(i, e, "log_must_confirm", &[("n", &(p.index + 1).to_string())]));
                            }
                            if let Some(due) = e.confirm_due {
                                s.deadlines.confirm = Some(due);
                            }
                            need(i, e, "requested_at", e.requested_at)?
                        }
                    };
                    s.confirmed = Some(e.at);
                    if satisfaction == Satisfaction::Dissatisfied {
                        if e.close_kind.is_some() {
                            return Err(bad(i, e, "log_dissatisfied_kind", &[]));
                        }
                    } else {
                        s.close_kind = Some(need(i, e, "close_kind", e.close_kind)?);
                        s.closed_by = Some(i);
                        s.stopped = Some(requested);
                        s.promise = None;
                    }
                }
                EventKind::Defer => {
                    need(i, e, "reason", e.reason.clone())?;
                    s.classification.follow_up = Some(need(i, e, "follow_up", e.follow_up)?);
                    s.classification.irrational = Some(Irrational::Second);
                    s.deferred_at = Some(e.at);
                    s.stopped = Some(e.at);
                }
                EventKind::Reject => {
                    need(i, e, "reason", e.reason.clone())?;
                    s.stopped = Some(e.at);
                }
                EventKind::Reopen => {
                    need(i, e, "reason", e.reason.clone())?;
                    s.deadlines.close = e.close_due.or(s.deadlines.close);
                    s.close_kind = None;
                    s.closed_by = None;
                    s.stopped = None;
                    s.deferred_at = None;
                    s.reopened = true;
                    s.first_miss = None;
                    s.monthly = 0;
                }
                EventKind::Escalate => {
                    let level = need(i, e, "level", e.level)?;
                    let close = need(i, e, "close_due", e.close_due)?;
                    need(i, e, "missed", e.missed)?;
                    if !cancelled[i] {
                        s.classification.level = Some(level);
                        s.deadlines.close = Some(close);
                        s.escalations.push(i);
                        s.first_miss.get_or_insert(e.at);
                    }
                }
                EventKind::Penalty => {
                    need(i, e, "amount", e.amount)?;
                    need(i, e, "level", e.level)?;
                    need(i, e, "department", e.department.clone())?;
                    if !cancelled[i] {
                        s.penalties.push(i);
                        if e.monthly {
                            s.monthly += 1;
                        }
                    }
                }
                EventKind::Cancel => {}
                EventKind::PenaltyConfirm | EventKind::PenaltyWaive | EventKind::PenaltyExecute => {
                    let target = need(i, e, "penalty", e.penalty.clone())?;
                    crate::domain::penalty::check_decision(&self.events[..i], e)
                        .map_err(|why| bad(i, e, "log_penalty", &[("got", &format!("{target:?}")), ("why", &why)]))?;
                }
                EventKind::Note => {
                    need(i, e, "text", e.text.clone())?;
                }
                EventKind::Edit => {
                    need(i, e, "reason", e.reason.clone())?;
                    need(i, e, "new", e.new.as_ref())?;
                    // A moved receipt moves the deadlines counted from it (SPEC §17.9).
                    let d = &mut s.deadlines;
                    d.classify = e.classify_due.or(d.classify);
                    d.customer_answer = e.customer_answer_due.or(d.customer_answer);
                    d.handoff = e.handoff_due.or(d.handoff);
                    if let Some(close) = e.close_due {
                        d.close = Some(close);
                        s.classified_close = Some(close);
                    }
                }
            }
            // The overlay of terminal states on the handling progress.
            s.status = match e.kind {
                EventKind::Close if s.closed_by == Some(i) => Status::Closed,
                EventKind::CloseRequest => Status::CloseRequested,
                // A refused confirmation: as if no request had been made.
                EventKind::Close if s.status == Status::CloseRequested && s.deferred_at.is_some() => Status::Deferred,
                EventKind::Close if s.status == Status::CloseRequested => progress,
                EventKind::Reject => Status::Rejected,
                EventKind::Defer => Status::Deferred,
                EventKind::Reopen => progress,
                _ if matches!(
                    s.status,
                    Status::Closed | Status::Rejected | Status::Deferred | Status::CloseRequested
                ) =>
                {
                    s.status
                }
                _ => progress,
            };
        }
        Ok(s)
    }

    /// Bring a case read from an older schema to the current one, in memory: schema 1
    /// events had no ids, so each gets `e<position>` (the name schema 1's `cancels`
    /// used), and derived events lose the actor they used to carry.
    pub fn upgrade(&mut self) {
        if self.schema != 1 {
            return;
        }
        for (i, e) in self.events.iter_mut().enumerate() {
            if e.id.is_empty() {
                e.id = format!("e{}", i + 1);
            }
            if e.kind.is_derived() {
                e.actor.clear();
            }
        }
        self.schema = SCHEMA;
    }

    /// Give new events their ids: a digest for a derived event, a random id (unique
    /// within the case) for a people's event.
    pub fn assign_ids(&mut self) {
        for i in 0..self.events.len() {
            if !self.events[i].id.is_empty() {
                continue;
            }
            let id = if self.events[i].kind.is_derived() {
                derived_id(&self.events[i])
            } else {
                loop {
                    let id = random_id();
                    if !self.events.iter().any(|e| e.id == id) {
                        break id;
                    }
                }
            };
            self.events[i].id = id;
        }
    }

    /// Recompute the header from the event log (after appending events).
    pub fn refresh(&mut self) -> Result<State, String> {
        self.upgrade();
        self.assign_ids();
        let s = self.state()?;
        self.status = s.status;
        self.classification = s.classification.clone();
        self.external = s.external;
        self.deadlines = s.deadlines;
        self.close_kind = s.close_kind;
        Ok(s)
    }

    /// Check a case read from disk: its header must be what its events say.
    /// The error names the first field that disagrees.
    pub fn verify(&self) -> Result<State, (String, String)> {
        if self.schema != SCHEMA {
            return Err((
                "schema".into(),
                crate::output::i18n::tr(
                    "case_schema",
                    &[("schema", &self.schema.to_string()), ("expected", &SCHEMA.to_string())],
                ),
            ));
        }
        let s = self.state().map_err(|e| ("events".to_string(), e))?;
        let mismatch = |field: &str, stored: String, derived: String| {
            Err((
                field.to_string(),
                crate::output::i18n::tr(
                    "case_mismatch",
                    &[("field", field), ("stored", &stored), ("derived", &derived)],
                ),
            ))
        };
        if s.status != self.status {
            return mismatch("status", self.status.to_string(), s.status.to_string());
        }
        let c = &self.classification;
        let d = &s.classification;
        if c.category != d.category {
            return mismatch("category", fmt_opt(&c.category), fmt_opt(&d.category));
        }
        if c.level != d.level {
            return mismatch(
                "level",
                fmt_opt(&c.level.map(Level::key)),
                fmt_opt(&d.level.map(Level::key)),
            );
        }
        if c.department != d.department {
            return mismatch("department", fmt_opt(&c.department), fmt_opt(&d.department));
        }
        if c.irrational != d.irrational {
            return mismatch("irrational", fmt_opt(&c.irrational), fmt_opt(&d.irrational));
        }
        if c.follow_up != d.follow_up {
            return mismatch("follow_up", fmt_opt(&c.follow_up), fmt_opt(&d.follow_up));
        }
        if self.external != s.external {
            return mismatch("external", self.external.to_string(), s.external.to_string());
        }
        if self.close_kind != s.close_kind {
            return mismatch("close_kind", fmt_opt(&self.close_kind), fmt_opt(&s.close_kind));
        }
        let (a, b) = (&self.deadlines, &s.deadlines);
        for (name, x, y) in [
            ("classify", a.classify, b.classify),
            ("handoff", a.handoff, b.handoff),
            ("first_reply", a.first_reply, b.first_reply),
            ("close", a.close, b.close),
            ("confirm", a.confirm, b.confirm),
            ("customer_answer", a.customer_answer, b.customer_answer),
        ] {
            if x != y {
                return mismatch(
                    name,
                    fmt_opt(&x.map(|t| t.to_rfc3339())),
                    fmt_opt(&y.map(|t| t.to_rfc3339())),
                );
            }
        }
        Ok(s)
    }

    /// The department's receiver, the customer's contact or name: who to call.
    pub fn who(&self) -> &str {
        self.customer.contact.as_deref().unwrap_or(&self.customer.name)
    }
}

fn fmt_opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| crate::output::i18n::tr("empty_value", &[]), |v| format!("\"{v}\""))
}

fn need<T>(i: usize, e: &Event, field: &str, v: Option<T>) -> Result<T, String> {
    v.ok_or_else(|| bad(i, e, "log_missing", &[("field", field)]))
}

fn bad(i: usize, e: &Event, key: &str, args: &[(&str, &str)]) -> String {
    log_problem(i, e.kind, key, args)
}

/// What is wrong with the `i`th event (from 0) of a log, in the reader's language:
/// "event 3: classify: …" (the kind as its key in English, which is what the file holds, and its name in Chinese); `key`
/// is the catalog's message for the problem.
pub fn log_problem(i: usize, kind: EventKind, key: &str, args: &[(&str, &str)]) -> String {
    use crate::output::i18n::tr;
    let kind = tr(&format!("k_{}", kind.key()), &[]);
    let at = tr("log_event", &[("n", &(i + 1).to_string()), ("kind", &kind)]);
    format!("{at}{}", tr(key, args))
}

/// Is `text` a full case id, `YYYYMMDD-NNN` or with a station `YYYYMMDD-bNNN`?
pub fn is_full_id(text: &str) -> bool {
    split_id(text).is_some()
}

/// A case id's parts: the day `YYYYMMDD`, the station (`""` or 1–3 lowercase letters,
/// SPEC §14.1) and the number (at least three digits).
pub fn split_id(text: &str) -> Option<(&str, &str, u64)> {
    let b = text.as_bytes();
    if b.len() < 12 || b[8] != b'-' || !b[..8].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let rest = &text[9..];
    let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    let (station, digits) = rest.split_at(letters);
    if letters > 3 || digits.len() < 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((&text[..8], station, digits.parse().ok()?))
}

/// Ids sort by date, station, then number (SPEC §17.14): `20261124-999` before
/// `20261124-1000`, both before `20261124-a001`.
pub fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (split_id(a), split_id(b)) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        _ => a.cmp(b),
    }
}

/// The station a case id was made at, `""` for none.
pub fn station_of(id: &str) -> &str {
    split_id(id).map_or("", |(_, station, _)| station)
}

/// A `--station` filter: a station, or `""` for the ids made without one.
pub fn station_filter(flag: &str, text: Option<&str>) -> anyhow::Result<Option<String>> {
    match text {
        Some(s) if !s.is_empty() && !is_station(s) => {
            anyhow::bail!(
                "{flag}: expected a station of 1 to 3 lowercase letters (like \"b\"), or \"\" for ids without one; got {s:?}"
            )
        }
        s => Ok(s.map(str::to_string)),
    }
}

/// Is `text` a station name: one to three lowercase ASCII letters?
pub fn is_station(text: &str) -> bool {
    (1..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Case, String> {
        crate::store::parse_case(text, std::path::Path::new("cases/20261102-001.toml"))
    }

    const SCHEMA_1: &str = r#"schema = 1
id = "20261102-001"
status = "classified"
received_at = "2026-11-02T09:00:00+08:00"
channel = "phone"
external = false

[customer]
name = "王先生"

[complaint]
summary = "燒餅烙糊了"

[classification]
category = "quality"
level = "general"
department = "service"

[deadlines]
handoff = "2026-11-02T13:00:00+08:00"
close = "2026-11-05T09:00:00+08:00"

[[events]]
at = "2026-11-02T09:00:00+08:00"
kind = "intake"
actor = "clerk"

[[events]]
at = "2026-11-02T09:00:00+08:00"
kind = "classify"
actor = "clerk"
category = "quality"
level = "general"
department = "service"
handoff_due = "2026-11-02T13:00:00+08:00"
close_due = "2026-11-05T09:00:00+08:00"

[[events]]
at = "2026-11-05T09:00:00+08:00"
kind = "penalty"
actor = "clerk"
department = "service"
level = "general"
amount = 50
missed = "2026-11-05T09:00:00+08:00"

[[events]]
at = "2026-11-06T09:00:00+08:00"
kind = "cancel"
actor = "clerk"
cancels = 3
"#;

    #[test]
    fn a_schema_1_case_reads_with_positional_ids_and_derived_events_lose_their_actor() {
        let case = parse(SCHEMA_1).unwrap();
        assert_eq!(case.schema, SCHEMA);
        let ids: Vec<&str> = case.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["e1", "e2", "e3", "e4"]);
        assert_eq!(
            case.events[3].cancels.as_deref(),
            Some("e3"),
            "cancels = 3 names event 3"
        );
        assert!(case.events[2].actor.is_empty() && case.events[3].actor.is_empty());
        assert!(case.state().unwrap().penalties.is_empty(), "the penalty is cancelled");
    }

    /// Derived ids are stored in case files: the digest's input must never change.
    #[test]
    fn a_derived_id_digests_what_the_event_says_as_it_always_did() {
        let case = parse(SCHEMA_1).unwrap();
        let derived: Vec<&Event> = case.events.iter().filter(|e| e.kind.is_derived()).collect();
        assert!(!derived.is_empty());
        for e in derived {
            let key = format!(
                "{}|{}|{}|{}|{}|{}|{}",
                e.kind,
                e.at.timestamp(),
                e.level.map_or("", Level::key),
                e.department.as_deref().unwrap_or_default(),
                e.amount.unwrap_or_default(),
                e.monthly,
                e.cancels.as_deref().unwrap_or_default(),
            );
            let want = format!("{}{:08x}", &e.kind.key()[..1], crc32fast::hash(key.as_bytes()));
            assert_eq!(derived_id(e), want);
        }
    }

    #[test]
    fn event_ids_are_required_unique_and_derived_events_have_no_actor() {
        let mut case = parse(SCHEMA_1).unwrap();
        case.events[1].id = "e1".into();
        assert!(case.state().unwrap_err().contains("id \"e1\" is used twice"));
        let mut case = parse(SCHEMA_1).unwrap();
        case.events[2].actor = "clerk".into();
        assert!(case.state().unwrap_err().contains("a derived event has no actor"));
        let mut case = parse(SCHEMA_1).unwrap();
        case.events[0].id.clear();
        assert!(case.state().unwrap_err().contains("event 1: intake: missing `id`"));
    }

    #[test]
    fn new_events_get_random_people_ids_and_digest_derived_ids() {
        let mut a = parse(SCHEMA_1).unwrap();
        let mut b = a.clone();
        for case in [&mut a, &mut b] {
            for e in &mut case.events {
                e.id.clear();
            }
            case.assign_ids();
        }
        // People's events: random, so two copies differ; derived: the same everywhere.
        assert_ne!(a.events[0].id, b.events[0].id);
        assert_eq!(a.events[2].id, b.events[2].id);
        assert!(a.events[0].id.len() == 8 && a.events[2].id.starts_with('p'));
    }

    #[test]
    fn ids() {
        assert!(is_full_id("20261123-001"));
        assert!(is_full_id("20261123-1001"));
        assert!(is_full_id("20261123-b001") && is_full_id("20261123-abc1234"));
        for bad in [
            "20261123-01",
            "2026112-001",
            "../x",
            "20261123_001",
            "20261123-00a",
            "20261123-abcd001",
            "20261123-B001",
            "20261123-b01",
        ] {
            assert!(!is_full_id(bad), "{bad}");
        }
        assert_eq!(split_id("20261123-b007"), Some(("20261123", "b", 7)));
        let mut ids = [
            "20261124-a001",
            "20261123-b002",
            "20261124-1000",
            "20261124-999",
            "20261124-ab001",
        ];
        ids.sort_by(|a, b| id_order(a, b));
        assert_eq!(
            ids,
            [
                "20261123-b002",
                "20261124-999",
                "20261124-1000",
                "20261124-a001",
                "20261124-ab001"
            ]
        );
    }
}
