//! The command line: clap types only. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use crate::commands::import::Encoding;
use crate::domain::case::{FollowUp, Remedy, Satisfaction, Status};

/// kefu (客服): a case tracker for customer complaints, one TOML file per case, in git.
///
/// Follows the complaint-handling regulation 客戶抱怨處理辦法: intake, classification,
/// handoff to a department against time limits, replies, close confirmation by calling
/// the customer back, escalation with penalties, and the Friday report.
///
/// Times (--at, --received-at, --promise, --since, …) are read in the shop's zone:
///   2026-11-24 14:00   2026/11/24 14:00   2026/11/24 (a date alone is 00:00)
///   2026年11月24日 14:00   11/24 14:00   11月24日 (no year: the latest one not after
///   now; for --promise the next one)   今天 / 明天 / 後天 / 昨天 (后天 too) or today /
///   tomorrow / yesterday, each with an optional 14:00   +2h  +3d  -30m (from now)
///   2026-11-24T14:00:00+08:00.  --now and KEFU_NOW take an absolute time only.
///
/// Example:
///   kefu init shop && cd shop
///   id=$(kefu intake --name 王先生 --contact 13800000000 --channel phone --summary 燒餅烙糊了)
///   kefu classify "$id" --category quality --level general --department service
#[derive(Debug, Parser)]
#[command(name = "kefu", version, max_term_width = 100, verbatim_doc_comment)]
pub struct Cli {
    /// The workspace directory (holding config/kefu.toml); default: the nearest one above
    /// the current directory.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "KEFU_ROOT",
        value_name = "DIR"
    )]
    pub root: Option<PathBuf>,

    /// Machine-readable output on stdout (errors stay on stderr).
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,

    /// The clock: act as if it were this absolute time (RFC 3339, or "2026-11-23 10:15"
    /// in the shop's zone), for scripts and tests.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "KEFU_NOW",
        value_name = "TIME"
    )]
    pub now: Option<String>,

    /// Who is acting; default: the clerk named in the config.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "KEFU_ACTOR",
        value_name = "NAME"
    )]
    pub actor: Option<String>,

    /// Do not commit the change to git.
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_commit: bool,

    /// Colour overdue rows red and rows due within 24 hours yellow: auto (on a
    /// terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it), always or never.
    #[arg(long, global = true, help_heading = "Global options", value_enum, default_value_t = crate::output::table::Color::Auto, value_name = "WHEN")]
    pub color: crate::output::table::Color,

    /// The language of messages, states, headings and reports: zh-Hant, zh-Hans or en
    /// (default: the config's [ui] language). JSON is the same in every language.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "KEFU_LANG",
        value_enum,
        value_name = "LANG"
    )]
    pub lang: Option<crate::output::i18n::Lang>,

    /// Tables as wide as their content: nothing cut to fit the terminal (COLUMNS).
    #[arg(long, global = true, help_heading = "Global options")]
    pub wide: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(InitArgs),
    Intake(IntakeArgs),
    Classify(ClassifyArgs),
    Handoff(HandoffArgs),
    Ack(AckArgs),
    Reply(ReplyArgs),
    Close(CloseArgs),
    Defer(DeferArgs),
    /// The complaint is not established (不成立): close it with the reason told to the customer.
    ///
    /// Example: kefu reject 001 --reason "bought at another shop"
    #[command(verbatim_doc_comment)]
    Reject(ReasonArgs),
    /// The customer came back: reopen a closed or rejected case (its history stays).
    ///
    /// Example: kefu reopen 001 --reason "the oven burns again"
    #[command(verbatim_doc_comment)]
    Reopen(ReasonArgs),
    /// Add a note to a case: kept in its history, it touches no deadline.
    ///
    /// Example: kefu note 001 --text "customer prefers calls after 6pm"
    #[command(verbatim_doc_comment)]
    Note(NoteArgs),
    Edit(EditArgs),
    List(ListArgs),
    /// Show one case: details, classification, live deadline state and timeline.
    ///
    /// Example: kefu show 1123-001
    #[command(verbatim_doc_comment)]
    Show(IdArg),
    Due(DueArgs),
    /// Record every escalation and penalty that is due (idempotent).
    ///
    /// Example: kefu sweep
    #[command(verbatim_doc_comment)]
    Sweep,
    Friday(FridayArgs),
    Import(ImportArgs),
    Export(ExportArgs),
    /// Validate the config and every case file; report each problem with file and line.
    ///
    /// Example: kefu check
    #[command(verbatim_doc_comment)]
    Check,
    /// A case's history from git: time, author, subject.
    ///
    /// Example: kefu log 001
    #[command(verbatim_doc_comment)]
    Log(IdArg),
    /// Move a workspace made before month folders (cases/<id>.toml) to
    /// cases/YYYY/MM/<id>.toml, in one commit holding only the moves. Until then kefu
    /// reads such a workspace but records nothing in it.
    ///
    /// Example: kefu upgrade
    #[command(verbatim_doc_comment)]
    Upgrade,
    Calendar(CalendarArgs),
    Penalty(PenaltyArgs),
    Circular(CircularArgs),
    Notice(NoticeArgs),
    /// The receiver table 《客戶抱怨移交接收人確認表》: each department's named receiver
    /// (from the config's [[departments]]), to be signed.
    ///
    /// Example: kefu receivers --html receivers.html
    #[command(verbatim_doc_comment)]
    Receivers(PageArgs),
    Letter(LetterArgs),
    /// The standard phrases (常用語句, seed 003) of the config's [phrases], by group;
    /// `kefu reply ID --phrase GROUP.KEY` records one as a reply.
    ///
    /// Example: kefu phrases
    #[command(verbatim_doc_comment)]
    Phrases,
    Completions(CompletionsArgs),
    Man(ManArgs),
    Station(StationArgs),
    Sync(SyncArgs),
    MergeFile(MergeFileArgs),
}

/// Print a completion script for a shell (no workspace needed).
///
/// Examples:
///   kefu completions bash > ~/.local/share/bash-completion/completions/kefu
///   kefu completions zsh > ~/.zfunc/_kefu
///   kefu completions fish > ~/.config/fish/completions/kefu.fish
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish.
    pub shell: clap_complete::Shell,
}

/// Write man pages, kefu.1 and one per command (kefu-intake.1, …), into DIR (no
/// workspace needed).
///
/// Example: kefu man ~/.local/share/man/man1
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// The folder to write them in (made if missing).
    pub dir: PathBuf,
}

/// Show or set this clone's station, which goes into the ids of the cases it makes.
///
/// A station is 1 to 3 lowercase letters: at station b ids look like 20261124-b001, so
/// that clones never make the same id. Kept in the repository's own git config
/// (`kefu.station`), never pushed; `KEFU_STATION` overrides it. Outside git, set
/// `[shop] station` in config/kefu.toml instead.
///
/// Example: kefu station b
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct StationArgs {
    /// The station to set; without it, print the current one.
    pub station: Option<String>,
}

/// Exchange cases with a git remote: fetch, merge, push.
///
/// Case files merge through `kefu merge-file`, so two clerks' work on one case is
/// joined, never left in conflict. Needs a station (`kefu station b`). A push the
/// remote refuses because someone else pushed meanwhile is retried after a new fetch;
/// offline, nothing changes.
///
/// Example: kefu sync --remote origin
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SyncArgs {
    /// The remote to sync with (default: the branch's upstream remote, else origin).
    #[arg(long, value_name = "NAME")]
    pub remote: Option<String>,
}

/// git's merge driver for case files: joins two copies of a case into OURS.
///
/// Installed by `kefu init`, `kefu station` and `kefu sync`. Needs no workspace. Exit 1
/// (OURS untouched) leaves the conflict to git.
///
/// Example (in .git/config): driver = kefu merge-file %O %A %B %P
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct MergeFileArgs {
    /// The common ancestor's version (may be empty).
    pub base: PathBuf,
    /// Our version; the merged case is written here.
    pub ours: PathBuf,
    /// Their version.
    pub theirs: PathBuf,
    /// The file's path in the repository, for messages.
    pub path: Option<String>,
}

/// Create a workspace: config/kefu.toml (the default configuration, commented), cases/,
/// and its own git repository (even inside another one), committed as the first entry
/// of the trail. DIR must be empty or new.
///
/// Example: kefu init shop
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct InitArgs {
    /// Where to create it (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Make no git repository (the workspace then keeps no audit trail).
    #[arg(long)]
    pub no_git: bool,
    /// This clone's station (1 to 3 lowercase letters), as `kefu station` sets it.
    #[arg(long, value_name = "S")]
    pub station: Option<String>,
}

/// Record a new complaint and print its id (alone, on stdout).
///
/// --name, --channel and --summary are required: missing ones are asked for on a
/// terminal; in a script they are an error. --received-at defaults to now.
///
/// Example:
///   kefu intake --name 王先生 --contact 13800000000 --channel phone \
///     --summary 燒餅烙糊了 --request refund --category quality --level general --department service
#[derive(Debug, Args, Default)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
pub struct IntakeArgs {
    #[command(flatten)]
    pub fields: CaseFields,
    /// The complaint's reference in another system (used by import to skip duplicates).
    #[arg(long)]
    pub source_ref: Option<String>,
    #[command(flatten)]
    pub class: ClassFlags,
}

/// The classification flags, shared by `intake` and `classify`.
#[derive(Debug, Args, Default, Clone)]
pub struct ClassFlags {
    /// Category key or label (e.g. quality, 產品質量).
    #[arg(long)]
    pub category: Option<String>,
    /// Level: general, moderate, severe or irrational (or 一般, 中級, 強烈, 非理性, in
    /// either script).
    #[arg(long)]
    pub level: Option<String>,
    /// The department that must resolve it (key or label).
    #[arg(long)]
    pub department: Option<String>,
    /// For an irrational complaint: watch (關注) or monitor (監控).
    #[arg(long, value_parser = FollowUp::from_text)]
    pub follow_up: Option<FollowUp>,
    /// The customer took it outside the shop (media, government): a 投訴.
    #[arg(long, conflicts_with = "no_external")]
    pub external: bool,
    /// Clear the 投訴 flag (it was set by mistake).
    #[arg(long)]
    pub no_external: bool,
}

/// Set (or change) a case's category, level and department; computes its deadlines.
///
/// Example: kefu classify 001 --category quality --level general --department service
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ClassifyArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    #[command(flatten)]
    pub class: ClassFlags,
}

/// Hand a case to a department and print the handling form 《客戶抱怨處理書》.
///
/// Example: kefu handoff 001 --to service --note "please call before 6pm"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct HandoffArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    /// The department (key or label).
    #[arg(long)]
    pub to: String,
    /// A note for the department.
    #[arg(long)]
    pub note: Option<String>,
    /// Hand it to a department other than the one it is classified to, recording the
    /// change of department first (level and deadlines stay).
    #[arg(long)]
    pub reassign: bool,
    /// Write the form as Markdown to FILE instead of printing it. FILE must not exist
    /// yet (see --force) and may not be inside the workspace's cases/, config/,
    /// .kefu/ or .git/.
    #[arg(long, value_name = "FILE")]
    pub form: Option<PathBuf>,
    /// Write the form as a printable page (one self-contained HTML file, A4) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Replace FILE if it exists (never through a symbolic link).
    #[arg(long)]
    pub force: bool,
}

/// The department's receiver signed for the handoff (簽收).
///
/// Examples:
///   kefu ack 001 --by 李站長 --at "2026-11-23 11:00"
///   kefu ack 001 --at "今天 9:30"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
pub struct AckArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    /// When they signed (default: now), like "2026/11/24 9:30", "今天 9:30" or -30m.
    #[arg(long, allow_hyphen_values = true, value_name = "TIME")]
    pub at: Option<String>,
    /// Who signed (default: the department's receiver).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

/// Record a reply: a department's answer, or the clerk's answer to the customer.
///
/// Examples:
///   kefu reply 001 --from service --text "replacement sent today"
///   kefu reply 001 --to-customer --text "we will call back" --promise "明天 14:00"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
pub struct ReplyArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    /// The reply (on a terminal, asked for when missing).
    #[arg(long)]
    pub text: Option<String>,
    /// Reply with a standard phrase from the config (`kefu phrases` lists them).
    #[arg(long, value_name = "GROUP.KEY", conflicts_with = "text")]
    pub phrase: Option<String>,
    /// Who answers: a department, or customer-service (default).
    #[arg(long, value_name = "DEPT|customer-service")]
    pub from: Option<String>,
    /// This reply was given to the customer.
    #[arg(long)]
    pub to_customer: bool,
    /// It is the handling plan in writing (書面答覆, seed 002 §3.6): only this meets the
    /// written-answer deadline.
    #[arg(long, requires = "to_customer")]
    pub written: bool,
    /// A call-back promised to the customer (約定回話時間), like "明天 14:00", 12/26 (the
    /// next 26 December), "2026/12/26 10:00" or +2h.
    #[arg(long, allow_hyphen_values = true, value_name = "TIME")]
    pub promise: Option<String>,
}

/// Close a case in two steps (seed 7.4.1): the department requests the close, then the
/// clerk calls the customer back (within `[limits] confirm`, 12h) and approves it.
/// Satisfied or accepted closes the case as of the request; dissatisfied voids the
/// request and the case stays open. Both at once: give the request's flags with
/// --satisfaction.
///
/// Examples:
///   kefu close 001 --request --resolution "replaced the oven" --remedy exchange
///   kefu close 001 --satisfaction satisfied --approved-by 客服主管
///   kefu close 001 --resolution "replaced the oven" --remedy exchange --satisfaction satisfied
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
#[command(group = clap::ArgGroup::new("step").args(["request", "satisfaction"]))]
pub struct CloseArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    /// Record only the department's close request (關閉申請); the call-back follows.
    #[arg(long, conflicts_with_all = ["satisfaction", "requested_at", "approved_by"])]
    pub request: bool,
    /// How it was resolved (with --request, or a one-step close).
    #[arg(long)]
    pub resolution: Option<String>,
    /// What the customer got (with --request, or a one-step close): refund 退款,
    /// exchange 換貨, repair 維修, discount 折扣, compensation 賠償, apology 道歉,
    /// explanation 解釋, none 無.
    #[arg(long, value_parser = Remedy::from_text)]
    pub remedy: Option<Remedy>,
    /// The customer's answer on the call-back: satisfied 滿意, accepted 接受 or
    /// dissatisfied 不滿意 (which keeps the case open).
    #[arg(long, value_parser = Satisfaction::from_text)]
    pub satisfaction: Option<Satisfaction>,
    /// The department asking to close (with --request; default: the classified one).
    #[arg(long, value_name = "DEPT", conflicts_with = "satisfaction")]
    pub from: Option<String>,
    /// When the close was requested (with --request) or the customer was called back
    /// (the confirmation); default: now.
    #[arg(
        long,
        allow_hyphen_values = true,
        value_name = "TIME",
        conflicts_with = "requested_at"
    )]
    pub at: Option<String>,
    /// A one-step close: when the department asked to close (default: now).
    #[arg(long, allow_hyphen_values = true, value_name = "TIME")]
    pub requested_at: Option<String>,
    /// Who approved the close on the call-back.
    #[arg(long, value_name = "NAME")]
    pub approved_by: Option<String>,
    /// The root cause (根本原因), with the request or a one-step close.
    #[arg(long, value_name = "TEXT")]
    pub cause: Option<String>,
    /// What is done so it does not happen again (改善對策).
    #[arg(long, value_name = "TEXT")]
    pub countermeasure: Option<String>,
}

/// Defer a case that cannot be closed soon (暫緩關閉): it becomes a second irrational
/// complaint, followed up by the department manager.
///
/// Example: kefu defer 001 --reason "waiting for the maker's report" --follow-up monitor
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DeferArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    /// Why it cannot be closed soon (required; asked for on a terminal).
    #[arg(long)]
    pub reason: Option<String>,
    /// watch (關注) or monitor (監控) (required; a menu on a terminal).
    #[arg(long, value_parser = FollowUp::from_text)]
    pub follow_up: Option<FollowUp>,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    /// The note (several lines allowed).
    #[arg(long)]
    pub text: String,
}

/// What a customer's complaint says, as intake records it and edit corrects it.
#[derive(Debug, Args, Default)]
pub struct CaseFields {
    /// The customer's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Phone, e-mail or address to call back.
    #[arg(long)]
    pub contact: Option<String>,
    /// How it reached the shop: a channel key or label from the config.
    #[arg(long)]
    pub channel: Option<String>,
    /// What happened, in one line.
    #[arg(long)]
    pub summary: Option<String>,
    /// The whole story.
    #[arg(long)]
    pub details: Option<String>,
    /// The product concerned.
    #[arg(long)]
    pub product: Option<String>,
    /// The order or receipt number.
    #[arg(long)]
    pub order: Option<String>,
    /// What the customer asks for: a request key or label from the config (refund,
    /// exchange, repair, discount, compensation, apology, explanation, other).
    #[arg(long)]
    pub request: Option<String>,
    /// When the complaint was received, like "2026/11/23 9:00", "昨天 18:00" or
    /// "11月23日 9:00".
    #[arg(long, allow_hyphen_values = true, value_name = "TIME")]
    pub received_at: Option<String>,
}

/// Correct what the intake recorded (a typo in a phone number, the wrong channel), with
/// the reason. The old and new values are kept in the case's history; an empty value
/// clears an optional field. `--received-at` moves the deadlines counted from the
/// receipt, and is refused once a deadline has passed or anything after the intake is
/// recorded; the case keeps its id.
///
/// Example: kefu edit 001 --contact 13800000001 --reason "typo in the phone number"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
pub struct EditArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    #[command(flatten)]
    pub fields: CaseFields,
    /// Why the record changes (required).
    #[arg(long)]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReasonArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    /// Why (required; asked for on a terminal).
    #[arg(long)]
    pub reason: Option<String>,
}

/// List cases in a table (or `--json`).
///
/// Example: kefu list --open --department service
#[derive(Debug, Args, Default, Clone)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: Filter,
}

/// Filters shared by `list` and `export`.
#[derive(Debug, Args, Default, Clone)]
pub struct Filter {
    /// Only cases with this status: received, classified, handed_off, acknowledged,
    /// replied, close_requested, deferred, closed, rejected, or its label (已分類, …).
    #[arg(long, value_parser = Status::from_text)]
    pub status: Option<Status>,
    /// Only open cases (deferred ones included).
    #[arg(long)]
    pub open: bool,
    /// Only cases with a missed deadline still waited for.
    #[arg(long)]
    pub overdue: bool,
    /// Only cases of this level (key or label).
    #[arg(long)]
    pub level: Option<String>,
    /// Only cases of this category (key or label).
    #[arg(long)]
    pub category: Option<String>,
    /// Only cases of this department (key or label).
    #[arg(long)]
    pub department: Option<String>,
    /// Received at or after this time or date.
    #[arg(long, allow_hyphen_values = true, value_name = "TIME")]
    pub since: Option<String>,
    /// Received before this time or date.
    #[arg(long, allow_hyphen_values = true, value_name = "TIME")]
    pub until: Option<String>,
    /// Customer name or contact contains this text.
    #[arg(long)]
    pub customer: Option<String>,
    /// Only cases made at this station (ids like 20261124-b001); "" for ids without one.
    #[arg(long, value_name = "S")]
    pub station: Option<String>,
}

#[derive(Debug, Args)]
pub struct IdArg {
    /// The case id, or a unique suffix of it.
    pub id: String,
}

/// The clerk's agenda: missed and coming deadlines, most urgent first.
///
/// Example: kefu due --within 48h
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DueArgs {
    /// How far ahead to look.
    #[arg(long, default_value = "24h", value_name = "DURATION")]
    pub within: String,
    /// Only cases made at this station (ids like 20261124-b001).
    #[arg(long, value_name = "S")]
    pub station: Option<String>,
}

/// The shop's open periods day by day, as business-time limits (`4bh`, `3bd`) count
/// them: opening hours from `[calendar]`, holidays closed, make-up working days (調休)
/// open with Monday's hours.
///
/// Example: kefu calendar --from 2027-02-01 --days 28
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
pub struct CalendarArgs {
    /// The first day to show (default: today).
    #[arg(long, allow_hyphen_values = true, value_name = "DATE")]
    pub from: Option<String>,
    /// How many days to show.
    #[arg(long, default_value_t = 14, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub days: u32,
}

/// The weekly report (每周五匯總): intake, irrational complaints, categories,
/// departments, penalty notices, recurrence. Default: the previous calendar week.
///
/// Example: kefu friday --week 2026-W47 --markdown
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
pub struct FridayArgs {
    /// An ISO week, like 2026-W47.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub week: Option<String>,
    /// Start of the window (a date or time, inclusive).
    #[arg(long, allow_hyphen_values = true, requires = "to", value_name = "TIME")]
    pub from: Option<String>,
    /// End of the window (exclusive).
    #[arg(long, allow_hyphen_values = true, requires = "from", value_name = "TIME")]
    pub to: Option<String>,
    /// The week's transactions, the denominator of the complaint rate.
    #[arg(long, value_name = "N")]
    pub transactions: Option<u64>,
    /// Compute due penalties for the report without recording them.
    #[arg(long)]
    pub no_sweep: bool,
    /// Markdown, ready to paste into a mail.
    #[arg(long)]
    pub markdown: bool,
    /// Add a trend over the last N weeks (this one included): intake, irrational ratio,
    /// first-time close rate, penalty amount.
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"], value_parser = clap::value_parser!(u32).range(1..=104))]
    pub weeks: Option<u32>,
    #[command(flatten)]
    pub page: PageArgs,
    /// Only cases made at this station (ids like 20261124-b001).
    #[arg(long, value_name = "S")]
    pub station: Option<String>,
}

/// Import complaints from CSV, an Excel workbook (.xlsx), a JSON array or JSON lines;
/// all rows or none.
///
/// Columns (CSV headers or JSON keys) are the intake flag names: name, contact, channel,
/// summary, details, product, order, request, received_at, source_ref, and optionally
/// category, level, department, follow_up, external; or their Chinese names (姓名,
/// 電話/聯繫方式, 渠道, 摘要/抱怨內容, 詳情, 產品, 訂單, 要求, 受理時間, 來源編號, 類別,
/// 級別, 部門, 跟蹤方式, 投訴). Values may be keys or labels. A row whose source_ref is
/// already in the workspace is skipped, so importing a file again creates nothing new.
///
/// Example: kefu import weekly.csv --dry-run
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ImportArgs {
    /// The file, or - for standard input.
    pub file: PathBuf,
    /// csv, json, jsonl or xlsx (default: from the file's extension).
    #[arg(long)]
    pub format: Option<String>,
    /// The sheet of an Excel workbook to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// auto (default), utf-8, utf-16, gbk (GB18030) or big5. auto reads a byte-order
    /// mark, then UTF-8, then whichever of GBK and Big5 reads the file cleanly and
    /// matches the column names and labels best, and says which on stderr.
    #[arg(long, default_value = "auto", value_parser = Encoding::parse)]
    pub encoding: Encoding,
    /// Say what would happen; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Export cases as JSON lines, CSV or an Excel workbook.
///
/// Examples:
///   kefu export --format csv --open > open.csv
///   kefu export --format xlsx --output cases.xlsx
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, after_long_help = TIMES)]
pub struct ExportArgs {
    /// jsonl (default), csv or xlsx (an Excel workbook, with --output; its cells are
    /// text, so none gets the ' of --raw-cells).
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// Write to FILE instead of stdout. FILE must not exist yet (see --force) and may
    /// not be inside the workspace's cases/, config/, .kefu/ or .git/.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists (never through a symbolic link).
    #[arg(long, requires = "output")]
    pub force: bool,
    /// CSV cells exactly as stored. By default a cell starting with = + - @, a tab or
    /// a carriage return gets a leading ' so a spreadsheet shows it as text instead of
    /// running it as a formula (kefu import removes that ' again).
    #[arg(long)]
    pub raw_cells: bool,
    /// Exit 0 even when a case file could not be read (it is still named on stderr).
    /// Without it, such an export exits 3: partly done.
    #[arg(long)]
    pub skip_unreadable: bool,
    #[command(flatten)]
    pub filter: Filter,
}

/// Every form a time flag takes (SPEC §12.4), shown at the end of the `--help` of each
/// command that has one.
const TIMES: &str = "\
Times are read in the shop's zone, in any of these forms:
  2026-11-24 14:00      2026/11/24 14:00      2026/11/24 (a date alone is 00:00)
  2026年11月24日 14:00   2026年11月24日
  11/24 14:00   11/24   11月24日 (no year: the latest such day not after now; for
                                 --promise the next one)
  今天  明天  後天  昨天 (or 后天), alone or with a time: 明天 14:00
  today  tomorrow  yesterday, alone or with a time: tomorrow 9:30
  +2h  +3d  -30m (from now)
  2026-11-24T14:00:00+08:00 (RFC 3339)";

/// Commands that never write: their help does not offer the write-only options.
const READ_COMMANDS: [&str; 15] = [
    "list",
    "show",
    "due",
    "export",
    "check",
    "log",
    "calendar",
    "completions",
    "man",
    "circular",
    "notice",
    "receivers",
    "phrases",
    "station",
    "merge-file",
];

/// The command line as kefu parses it. The read commands get hidden `--actor` and
/// `--no-commit` of their own, so their help does not list these write-only global
/// options (SPEC §12.7) while a script that passes them everywhere keeps working.
pub fn command() -> clap::Command {
    use clap::{Arg, ArgAction, CommandFactory};
    let hidden = |c: clap::Command| {
        c.arg(
            Arg::new("actor")
                .long("actor")
                .env("KEFU_ACTOR")
                .value_name("NAME")
                .hide(true),
        )
        .arg(
            Arg::new("no_commit")
                .long("no-commit")
                .action(ArgAction::SetTrue)
                .hide(true),
        )
    };
    let mut cmd = Cli::command();
    for name in READ_COMMANDS {
        cmd = cmd.mut_subcommand(name, hidden);
    }
    cmd.mut_subcommand("penalty", |p| p.mut_subcommand("list", hidden))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        super::Cli::command().debug_assert();
        super::command().debug_assert();
    }
}

/// The penalty ledger (處罰): list penalties and record their life, issued →
/// confirmed or waived → executed. A penalty is named `<case id>/P<n>`, the n-th
/// penalty of the case (as `kefu show` numbers them).
///
/// Example:
///   kefu penalty list --state issued
///   kefu penalty confirm 20261123-001/P1 --by 總經理
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PenaltyArgs {
    #[command(subcommand)]
    pub action: PenaltyAction,
}

#[derive(Debug, Subcommand)]
pub enum PenaltyAction {
    /// Penalties placed by when they were issued, with their state (or `--json`).
    ///
    /// Example: kefu penalty list --week 2026-W47 --state confirmed
    #[command(verbatim_doc_comment)]
    List(PenaltyListArgs),
    /// Confirm penalties for execution (確定執行): they go into the circular.
    ///
    /// Example: kefu penalty confirm 20261123-001/P1 --by 總經理
    #[command(verbatim_doc_comment)]
    Confirm(PenaltyConfirmArgs),
    /// Waive penalties (免除); a reason is required.
    ///
    /// Example: kefu penalty waive 1123-001/P2 --reason "停電，非部門責任"
    #[command(verbatim_doc_comment)]
    Waive(PenaltyWaiveArgs),
    /// Record that confirmed penalties were executed (考核兌現, by 財務部).
    ///
    /// Example: kefu penalty execute 1123-001/P1 --by 財務部 --ref 2026-12-薪資
    #[command(verbatim_doc_comment)]
    Execute(PenaltyExecuteArgs),
}

#[derive(Debug, Args)]
pub struct PenaltyListArgs {
    /// Only penalties in this state: issued, confirmed, waived, executed, cancelled.
    #[arg(long, value_name = "STATE", value_parser = ["issued", "confirmed", "waived", "executed", "cancelled"])]
    pub state: Option<String>,
    /// Only penalties issued in this ISO week (like 2026-W47).
    #[arg(long, value_name = "WEEK")]
    pub week: Option<String>,
    /// Only penalties against this department.
    #[arg(long, value_name = "DEPT")]
    pub department: Option<String>,
}

#[derive(Debug, Args)]
pub struct PenaltyConfirmArgs {
    /// Penalty ids, like 20261123-001/P1 (a unique suffix of the case id will do).
    #[arg(required = true, value_name = "PID")]
    pub pids: Vec<String>,
    /// Who decided (default: the actor).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct PenaltyWaiveArgs {
    /// Penalty ids, like 20261123-001/P1 (a unique suffix of the case id will do).
    #[arg(required = true, value_name = "PID")]
    pub pids: Vec<String>,
    /// Why the penalty is waived (asked for on a terminal when missing).
    #[arg(long)]
    pub reason: Option<String>,
    /// Who decided (default: the actor).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_long_help = TIMES)]
pub struct PenaltyExecuteArgs {
    /// Penalty ids, like 20261123-001/P1 (a unique suffix of the case id will do).
    #[arg(required = true, value_name = "PID")]
    pub pids: Vec<String>,
    /// Who executed them (default: the actor).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// When it was executed (default: now).
    #[arg(long, allow_hyphen_values = true, value_name = "TIME")]
    pub at: Option<String>,
    /// A payroll or voucher reference.
    #[arg(long = "ref", value_name = "TEXT")]
    pub reference: Option<String>,
}

/// Where a printable page goes.
#[derive(Debug, Args, Default, Clone)]
pub struct PageArgs {
    /// Write a printable page (one self-contained HTML file, A4) to FILE instead of
    /// printing Markdown.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// The weekly circular 《執行部門抱怨閉環處理處罰通報》 (seed 7.8): the penalties issued
/// in the week and confirmed for execution, refunds of executed penalties cancelled in
/// the week, totals per department, the sign-off block and the distribution list
/// (`[circular] to`). Default: the previous calendar week.
///
/// Example: kefu circular --week 2026-W47 --html circular.html
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CircularArgs {
    /// An ISO week like 2026-W47.
    #[arg(long, value_name = "WEEK")]
    pub week: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

/// One penalty notice 《客戶抱怨閉環處理處罰通知單》 (《客戶抱怨閉環處理罰款通知單》 for a
/// monthly penalty), issued to the department.
///
/// Example: kefu notice 20261123-001/P1 --html notice.html
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct NoticeArgs {
    /// The penalty, like 20261123-001/P1.
    #[arg(value_name = "PID")]
    pub pid: String,
    #[command(flatten)]
    pub page: PageArgs,
}

/// The written answer to the customer (seed 002 §3.6) from `[templates] letter`, filled
/// with the case's fields. `--record` records it as the written answer (a reply to the
/// customer, in writing), which meets the 7-day deadline.
///
/// Example: kefu letter 001 --html letter.html --record
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct LetterArgs {
    /// The case id, or a unique suffix of it.
    pub id: String,
    /// Record the letter as the written answer to the customer.
    #[arg(long)]
    pub record: bool,
    #[command(flatten)]
    pub page: PageArgs,
}
