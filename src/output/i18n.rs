//! The clerk's language (SPEC §12.1): `[ui] language` in the config, overridden by
//! `KEFU_LANG`, overridden by `--lang`. Human messages come from this catalog; JSON keys
//! and values stay English keys.
//!
//! The catalog holds Traditional Chinese and English. Simplified Chinese is made from
//! the Traditional text with the same conversion table that compares labels
//! ([`crate::domain::script`]), so the two Chinese catalogs cannot drift apart. A plain table
//! rather than a message-format library: the messages are short, have named
//! placeholders and no plural forms in Chinese, and the English ones need at most an
//! "s".

use std::fmt;

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

/// (key, Traditional Chinese, English). Placeholders are `{name}`.
const CATALOG: &[(&str, &str, &str)] = &[
    // Confirmations of write commands.
    (
        "acked",
        "{id} 已簽收；首次回復期限 {due}",
        "{id} acknowledged; first reply due {due}",
    ),
    (
        "classified",
        "{id} 已分類；關閉期限 {due}",
        "{id} classified; close deadline {due}",
    ),
    (
        "closed_first",
        "{id} 已關閉（一次關閉）",
        "{id} closed (first-time close)",
    ),
    (
        "closed_second",
        "{id} 已關閉（二次關閉）",
        "{id} closed (second-time close)",
    ),
    (
        "close_refused_open",
        "{id}：客戶不滿意；案件保持未結",
        "{id}: the customer is not satisfied; the case stays open",
    ),
    (
        "close_refused_void",
        "{id}：客戶不滿意；關閉申請作廢",
        "{id}: the customer is not satisfied; the close request is void",
    ),
    (
        "close_requested",
        "{id}：已申請關閉；請在 {due} 前回訪客戶，並以 `kefu close {id} --satisfaction S` 記錄",
        "{id}: close requested; call the customer back by {due} and record it with `kefu close {id} --satisfaction S`",
    ),
    (
        "deferred",
        "{id} 已暫緩關閉：轉為二次非理性抱怨，{mode}",
        "{id} deferred: now a second irrational complaint under {mode}",
    ),
    ("noted", "已為 {id} 加註記", "note added to {id}"),
    ("rejected", "{id} 不成立，已結案", "{id} rejected: not established"),
    ("reopened", "{id} 已重新開啟", "{id} reopened"),
    ("replied", "{id} 已記錄回復", "{id} reply recorded"),
    (
        "handed_to",
        "{id} 已移交 {dept}；處理書已寫入 {file}",
        "{id} handed to {dept}; form written to {file}",
    ),
    (
        "swept",
        "巡檢：{cases} 件案件記錄了 {escalations} 次升級、{penalties} 張處罰通知單",
        "sweep: {escalations} escalation(s) and {penalties} penalty notice(s) recorded on {cases} case(s)",
    ),
    // Reads.
    ("no_cases", "沒有符合的案件", "no cases match"),
    ("n_cases", "共 {n} 件", "{n} case{s}"),
    ("nothing_due", "{within} 內沒有到期事項", "nothing due within {within}"),
    ("overdue_for", "逾期 {t}", "overdue {t}"),
    ("due_in_short", "{t} 後", "in {t}"),
    // Deadline states.
    ("met", "已達成", "met"),
    ("met_late", "逾時達成（晚 {t}）", "met late by {t}"),
    (
        "missed",
        "已錯過（案件在期限後離開計時）",
        "missed (the case left the clock after it)",
    ),
    (
        "stopped",
        "已停止（案件在期限前離開計時）",
        "stopped (the case left the clock before it)",
    ),
    ("overdue_by", "逾期 {t}", "overdue by {t}"),
    ("due_in", "尚餘 {t}", "due in {t}"),
    // The case page.
    ("deadlines", "期限", "Deadlines"),
    ("timeline", "經過", "Timeline"),
    ("f_contact", "聯繫方式", "contact"),
    ("f_received", "受理", "received"),
    ("f_via", "{t}，經{channel}", "{t} via {channel}"),
    ("f_summary", "摘要", "summary"),
    ("f_details", "詳情", "details"),
    ("f_product", "產品", "product"),
    ("f_order", "訂單", "order"),
    ("f_request", "要求", "request"),
    ("f_category", "類別", "category"),
    ("f_level", "級別", "level"),
    ("f_department", "部門", "department"),
    ("f_irrational", "非理性", "irrational"),
    ("f_external", "投訴", "external"),
    (
        "external_yes",
        "是——投訴，已訴諸店外",
        "yes — 投訴, taken outside the shop",
    ),
    ("f_closed", "結案", "closed"),
    ("closed_kind_first", "一次關閉", "first-time close"),
    ("closed_kind_second", "二次關閉", "second-time close"),
    ("f_close_asked", "申請關閉", "close asked"),
    ("f_cause", "根本原因", "cause"),
    ("f_countermeasure", "改善對策", "countermeasure"),
    ("f_source", "來源", "source"),
    // Table headers.
    ("h_id", "編號", "id"),
    ("h_received", "受理時間", "received"),
    ("h_status", "狀態", "status"),
    ("h_level", "級別", "level"),
    ("h_category", "類別", "category"),
    ("h_department", "部門", "department"),
    ("h_customer", "客戶", "customer"),
    ("h_summary", "摘要", "summary"),
    ("h_overdue", "逾期", "overdue"),
    ("h_due", "期限", "due"),
    ("h_what", "事項", "what"),
    ("h_case", "案件", "case"),
    ("h_contact", "聯繫方式", "contact"),
    // The timeline: kinds of event, then what each did.
    ("k_intake", "受理", "intake"),
    ("k_classify", "分類", "classify"),
    ("k_handoff", "移交", "handoff"),
    ("k_ack", "簽收", "ack"),
    ("k_reply", "回復", "reply"),
    ("k_close_request", "關閉申請", "close_request"),
    ("k_close", "關閉確認", "close"),
    ("k_defer", "暫緩關閉", "defer"),
    ("k_reject", "不成立", "reject"),
    ("k_reopen", "重新開啟", "reopen"),
    ("k_note", "註記", "note"),
    ("k_edit", "更正", "edit"),
    ("k_penalty_confirm", "處罰確認", "penalty_confirm"),
    ("k_penalty_waive", "處罰免除", "penalty_waive"),
    ("k_penalty_execute", "處罰執行", "penalty_execute"),
    ("k_escalate", "升級", "escalate"),
    ("k_penalty", "處罰", "penalty"),
    ("k_cancel", "撤銷", "cancel"),
    ("ev_received", "受理", "received"),
    (
        "ev_handoff",
        "移交{dept}（接收人 {receiver}）",
        "to {dept} (receiver {receiver})",
    ),
    ("ev_ack", "{by} 簽收", "signed by {by}"),
    ("ev_customer_service", "客服中心", "customer service"),
    ("ev_first_reply", "（首次回復）", " (first reply)"),
    ("ev_to_customer", " → 客戶", " → customer"),
    ("ev_to_customer_written", " → 客戶，書面", " → customer, in writing"),
    ("ev_promise", " [約定 {t} 回話]", " [call back by {t}]"),
    (
        "ev_close_request",
        "{dept} 申請關閉：{resolution}（{remedy}）；請在 {t} 前回訪",
        "close requested by {dept}: {resolution} ({remedy}); call back by {t}",
    ),
    (
        "ev_confirmed",
        "已回訪客戶：{kind}，{t} 的申請",
        "customer called back: {kind}, request of {t}",
    ),
    (
        "ev_confirm_refused",
        "已回訪客戶，不滿意：{t} 的關閉申請作廢",
        "customer called back, not satisfied: the close request is void, request of {t}",
    ),
    ("ev_approved_by", "，{by} 核准", ", approved by {by}"),
    ("ev_called_by", "，{by} 回訪", ", called back by {by}"),
    ("ev_late", "，確認逾時", ", confirmed late"),
    (
        "ev_close",
        "{kind}，{t} 申請：{resolution}（{remedy}）",
        "{kind}, requested {t}: {resolution} ({remedy})",
    ),
    (
        "ev_close_refused",
        "客戶拒絕關閉：{resolution}",
        "close refused by the customer: {resolution}",
    ),
    (
        "ev_escalate",
        "關閉期限已過 → {level}（新期限 {t}）",
        "close deadline missed → {level} (new deadline {t})",
    ),
    (
        "ev_penalty",
        "處罰 {amount} 予 {dept}（{reason}）",
        "penalty {amount} to {dept} ({reason})",
    ),
    (
        "ev_cancel",
        "撤銷事件 {event}：{reason}",
        "cancels event {event}: {reason}",
    ),
    // Friday penalty reasons, worded from the penalty's data.
    (
        "reason_close",
        "關閉期限 {t} 逾期（{level}）",
        "close deadline {t} missed ({level})",
    ),
    (
        "check_ok",
        "檢查完成：設定檔與 {n} 個案件檔都正確",
        "ok: the config and {n} case file(s) are valid",
    ),
    (
        "reason_close_requested",
        "結案申請早於此期限",
        "the close was requested before this deadline",
    ),
    (
        "reason_monthly",
        "首次逾期後每滿 30 天仍未關閉",
        "still open a further 30 days after the first missed close deadline",
    ),
    // ---- Prompts on the terminal (SPEC §12.6) ----
    ("p_question", "{what}：", "{what}: "),
    ("p_required", "必填，請輸入內容", "required: please type an answer"),
    (
        "p_choose",
        "請選擇（Enter 即 {first}；↑↓，或輸入編號 1–{n}、代碼、名稱）：",
        "Choose (Enter for {first}; ↑/↓, or type a number 1–{n}, a key or a label): ",
    ),
    (
        "p_not_a_choice",
        "「{text}」不是其中的選項",
        "\"{text}\" is not one of the choices",
    ),
    (
        "p_missing_flag",
        "缺少必填參數：{flag}",
        "missing required flag: {flag}",
    ),
    ("p_interrupted", "已取消，未記錄任何內容", "cancelled; nothing recorded"),
    ("p_name", "客戶姓名", "Customer name"),
    ("p_contact", "聯繫方式（可留空）", "Contact (Enter to skip)"),
    ("p_channel", "渠道", "Channel"),
    ("p_summary", "抱怨內容", "What happened"),
    ("p_category", "類別", "Category"),
    ("p_level", "級別", "Level"),
    ("p_department", "部門", "Department"),
    ("p_follow_up", "跟蹤方式", "Follow-up"),
    ("p_resolution", "處理結果", "Resolution"),
    ("p_remedy", "給客戶的補救", "Remedy"),
    ("p_satisfaction", "客戶回訪結果", "Satisfaction on the call-back"),
    ("p_defer_reason", "暫緩關閉原因", "Why is it deferred"),
    (
        "p_reject_reason",
        "不成立原因（告知客戶）",
        "Why is it not established (told to the customer)",
    ),
    ("p_reply", "回復", "Reply"),
    ("p_reopen_reason", "重新開啟原因", "Why is it reopened"),
    ("p_waive_reason", "免除原因", "Why is it waived"),
];

/// The message `key` in `lang`, with `{name}` placeholders filled from `args`.
pub fn t(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let (_, hant, en) = CATALOG
        .iter()
        .find(|(k, _, _)| *k == key)
        .unwrap_or_else(|| panic!("message {key:?} is not in the catalog"));
    let mut text = match lang {
        Lang::En => en.to_string(),
        Lang::ZhHant => hant.to_string(),
        Lang::ZhHans => hanconv::t2s(hant),
    };
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_has_a_name_in_the_catalog() {
        for kind in crate::domain::case::EventKind::ALL {
            let key = format!("k_{}", kind.key());
            assert!(CATALOG.iter().any(|(k, _, _)| *k == key), "{key} is not in the catalog");
        }
    }

    #[test]
    fn keys_are_unique_and_placeholders_agree() {
        let mut seen = std::collections::HashSet::new();
        let holes = |s: &str| -> Vec<String> {
            let mut h: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}'))
                .map(|p| p.0.to_string())
                .collect();
            h.retain(|x| x != "s");
            h.sort();
            h.dedup();
            h
        };
        for (key, hant, en) in CATALOG {
            assert!(seen.insert(key), "{key} twice");
            assert_eq!(holes(hant), holes(en), "{key}");
            assert!(
                !hant.chars().any(|c| c.is_ascii_alphabetic()) || hant.contains('{') || hant.contains('`'),
                "{key}: {hant}"
            );
        }
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
