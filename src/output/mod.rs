//! Everything shown to a person: terminal tables, Markdown, HTML pages and documents,
//! the message catalogs of each language, and the one place that makes data safe for
//! terminals, spreadsheets, Markdown and HTML.

pub mod documents;
pub mod documents_view;
pub mod help;
pub mod i18n;
pub mod page;
pub mod render;
pub mod report_view;
pub mod safe;
pub mod table;
