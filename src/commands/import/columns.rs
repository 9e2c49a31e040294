//! The columns of an import file and their names: the intake flag names, and the
//! Chinese headers a shop's own sheet is likely to use. This table is the one place
//! the aliases are kept; docs/import-export.md lists the same table.

/// One importable column, named like the `intake` flag it fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Name,
    Contact,
    Channel,
    Summary,
    Details,
    Product,
    Order,
    Request,
    ReceivedAt,
    SourceRef,
    Category,
    Level,
    Department,
    FollowUp,
    External,
}

/// Each column with the headers accepted for it besides its key: traditional and
/// simplified Chinese, as Excel sheets in either script come in.
const ALIASES: &[(Column, &[&str])] = &[
    (Column::Name, &["姓名", "客戶姓名", "客户姓名", "客戶", "客户"]),
    (
        Column::Contact,
        &["電話", "电话", "聯繫方式", "联系方式", "聯繫電話", "联系电话"],
    ),
    (Column::Channel, &["渠道", "來源渠道", "来源渠道"]),
    (Column::Summary, &["摘要", "抱怨內容", "抱怨内容"]),
    (Column::Details, &["詳情", "详情", "詳細內容", "详细内容"]),
    (Column::Product, &["產品", "产品"]),
    (Column::Order, &["訂單", "订单", "訂單號", "订单号"]),
    (Column::Request, &["要求", "客戶要求", "客户要求"]),
    (Column::ReceivedAt, &["受理時間", "受理时间"]),
    (Column::SourceRef, &["來源編號", "来源编号"]),
    (Column::Category, &["類別", "类别", "抱怨類別", "抱怨类别"]),
    (Column::Level, &["級別", "级别", "抱怨級別", "抱怨级别"]),
    (Column::Department, &["部門", "部门", "執行部門", "执行部门"]),
    (Column::FollowUp, &["跟蹤方式", "跟踪方式"]),
    (Column::External, &["投訴", "投诉"]),
];

/// What `kefu export --format csv` writes after `id` and the import columns: the state
/// of the case at export time. Import accepts and ignores them, so an export can be
/// imported as it is; `irrational` is read (see the import rules).
pub const STATE_COLUMNS: [&str; 8] = [
    "status",
    "irrational",
    "close_kind",
    "deadline_handoff",
    "deadline_first_reply",
    "deadline_close",
    "deadline_customer_answer",
    "overdue",
];

/// Keys of an export that are not import columns: the CSV's `id` and state columns, and
/// the `show --json` object's `deadlines`, `close_request` and `events` in JSON lines.
fn export_only(key: &str) -> bool {
    matches!(key, "id" | "deadlines" | "deadline_states" | "close_request" | "events") || STATE_COLUMNS.contains(&key)
}

impl Column {
    pub const ALL: [Column; 15] = [
        Column::Name,
        Column::Contact,
        Column::Channel,
        Column::Summary,
        Column::Details,
        Column::Product,
        Column::Order,
        Column::Request,
        Column::ReceivedAt,
        Column::SourceRef,
        Column::Category,
        Column::Level,
        Column::Department,
        Column::FollowUp,
        Column::External,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Contact => "contact",
            Column::Channel => "channel",
            Column::Summary => "summary",
            Column::Details => "details",
            Column::Product => "product",
            Column::Order => "order",
            Column::Request => "request",
            Column::ReceivedAt => "received_at",
            Column::SourceRef => "source_ref",
            Column::Category => "category",
            Column::Level => "level",
            Column::Department => "department",
            Column::FollowUp => "follow_up",
            Column::External => "external",
        }
    }

    /// The column a header names: its key in any case, with `-` or a space for `_`
    /// (`Received At`, `source-ref`), or one of its aliases.
    pub fn find(header: &str) -> Option<Column> {
        let header = header.trim();
        let word = header.to_ascii_lowercase().replace(['-', ' '], "_");
        Column::ALL
            .into_iter()
            .find(|c| c.key() == word || ALIASES.iter().any(|(col, names)| col == c && names.contains(&header)))
    }

    pub fn required(self) -> bool {
        matches!(self, Column::Name | Column::Channel | Column::Summary)
    }
}

/// Is `header` one of the columns `export` adds (ignored by import)?
pub fn is_export_only(header: &str) -> bool {
    export_only(&header.trim().to_ascii_lowercase())
}

/// All keys, for error messages.
pub fn all_keys() -> String {
    Column::ALL.map(Column::key).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_find_their_column() {
        for c in Column::ALL {
            assert_eq!(Column::find(c.key()), Some(c));
            assert!(ALIASES.iter().any(|(col, _)| *col == c), "{c:?} has no alias");
        }
        assert_eq!(Column::find(" Received At "), Some(Column::ReceivedAt));
        assert_eq!(Column::find("source-ref"), Some(Column::SourceRef));
        assert_eq!(Column::find("聯繫方式"), Some(Column::Contact));
        assert_eq!(Column::find("抱怨内容"), Some(Column::Summary));
        assert_eq!(Column::find("sumary"), None);
        assert!(is_export_only("deadline_close"));
    }

    #[test]
    fn no_alias_names_two_columns() {
        let mut seen = std::collections::HashSet::new();
        for (_, names) in ALIASES {
            for n in *names {
                assert!(seen.insert(*n), "{n} is listed twice");
            }
        }
    }
}
