//! Reading an import file into records: the bytes to text (UTF-8, or GBK as Excel
//! saves CSV on a Chinese system), and the text to one record per row, CSV, JSON array
//! or JSON lines, each record knowing the row number its user would give it.

use crate::i18n::tr;
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, bail};
use serde_json::{Map, Value};

use super::columns::{self, Column};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Jsonl,
    /// An Excel workbook: one sheet's rows, read as CSV rows are.
    Xlsx,
}

impl Format {
    pub fn parse(text: &str) -> Result<Format> {
        Ok(match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Format::Csv,
            "json" => Format::Json,
            "jsonl" | "ndjson" | "json-lines" | "jsonlines" => Format::Jsonl,
            "xlsx" => Format::Xlsx,
            other => bail!("--format: {}", tr("bad_format", &[("got", &format!("{other:?}"))])),
        })
    }

    /// By the file's extension: `.csv`, `.json`, `.jsonl` / `.ndjson`.
    pub fn of_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// For standard input or an unknown extension: `[` starts a JSON array, `{` JSON
    /// lines; anything else is taken for CSV.
    pub fn sniff(text: &str) -> Format {
        match text.trim_start().chars().next() {
            Some('[') => Format::Json,
            Some('{') => Format::Jsonl,
            _ => Format::Csv,
        }
    }
}

/// The import's text encoding (SPEC §12.3). `Auto` reads a byte-order mark, then
/// valid UTF-8, then whichever of GBK and Big5 reads the file cleanly and best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Auto,
    Utf8,
    Utf16,
    Gbk,
    Big5,
}

impl Encoding {
    /// For the command line: an unknown encoding is a usage error (SPEC §17.1).
    pub fn parse(text: &str) -> Result<Encoding, String> {
        Ok(match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Encoding::Auto,
            "utf-8" | "utf8" => Encoding::Utf8,
            "utf-16" | "utf16" | "utf-16le" | "unicode" => Encoding::Utf16,
            "gbk" | "gb18030" | "gb2312" | "cp936" => Encoding::Gbk,
            "big5" | "big-5" | "cp950" => Encoding::Big5,
            other => {
                return Err(format!(
                    "unknown encoding {other:?}: expected auto, utf-8, utf-16, gbk or big5"
                ));
            }
        })
    }

    fn name(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16 => "UTF-16",
            Encoding::Gbk => "GBK",
            Encoding::Big5 => "Big5",
        }
    }

    fn table(self) -> &'static encoding_rs::Encoding {
        match self {
            // GB18030 is GBK's superset: every GBK file reads the same through it.
            Encoding::Gbk => encoding_rs::GB18030,
            Encoding::Big5 => encoding_rs::BIG5,
            Encoding::Utf16 => encoding_rs::UTF_16LE,
            Encoding::Auto | Encoding::Utf8 => encoding_rs::UTF_8,
        }
    }

    /// The whole of `bytes` in this encoding, or None if a byte sequence is not one.
    fn read(self, bytes: &[u8]) -> Option<String> {
        self.table()
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|t| t.into_owned())
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file's text. A byte-order mark wins over everything (Excel writes one for "CSV
/// UTF-8" and for "Unicode text", which is UTF-16); valid UTF-8 is read as UTF-8 even
/// when another encoding was asked for, since pure ASCII is all of them and real GBK or
/// Big5 text is practically never valid UTF-8. Otherwise the asked encoding, or with
/// `Auto` the one of GBK and Big5 that decodes without a bad byte and whose header and
/// cells `known` recognises best; its name goes to stderr. `known` says whether a cell
/// is a column name or a label of the shop.
pub fn decode(bytes: Vec<u8>, encoding: Encoding, shown: &str, known: &dyn Fn(&str) -> bool) -> Result<String> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok(text.to_string()),
            Err(e) => bail!(
                "{shown}: {}",
                tr("bom_not_utf8", &[("line", &line_at(rest, e.valid_up_to()).to_string())])
            ),
        };
    }
    let utf16 = match bytes.get(..2) {
        Some(b"\xFF\xFE") => Some(encoding_rs::UTF_16LE),
        Some(b"\xFE\xFF") => Some(encoding_rs::UTF_16BE),
        _ if encoding == Encoding::Utf16 => Some(encoding_rs::UTF_16LE),
        _ => None,
    };
    if let Some(table) = utf16 {
        let body = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            &bytes[2..]
        } else {
            &bytes[..]
        };
        return match table.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) => Ok(text.into_owned()),
            None => bail!("{shown}: {}", tr("bad_utf16", &[])),
        };
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e.into_bytes(),
    };
    let valid = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |_| 0);
    let not_utf8 = format!(
        "{shown}: {}",
        tr("not_utf8", &[("line", &line_at(&bytes, valid).to_string())])
    );
    match encoding {
        Encoding::Gbk | Encoding::Big5 => match encoding.read(&bytes) {
            Some(text) => Ok(text),
            None => bail!(
                "{shown}: {}{}",
                tr("neither_utf8_nor", &[("encoding", encoding.name())]),
                hint(&bytes, known)
            ),
        },
        Encoding::Utf8 | Encoding::Utf16 => bail!("{not_utf8}{}", hint(&bytes, known)),
        Encoding::Auto => {
            let mut fits = sniff(&bytes, known);
            match fits.len() {
                0 => bail!("{not_utf8}{}", tr("nor_gbk_big5", &[])),
                1 => {
                    let (encoding, text, _) = fits.remove(0);
                    eprintln!("{shown}: {}", tr("read_as", &[("encoding", encoding.name())]));
                    Ok(text)
                }
                _ => bail!("{not_utf8}{}", tr("gbk_or_big5", &[])),
            }
        }
    }
}

/// The encodings among GBK and Big5 that read `bytes` without a bad byte, best first;
/// only the best, unless several score the same.
fn sniff(bytes: &[u8], known: &dyn Fn(&str) -> bool) -> Vec<(Encoding, String, usize)> {
    let mut fits: Vec<(Encoding, String, usize)> = [Encoding::Gbk, Encoding::Big5]
        .into_iter()
        .filter_map(|e| e.read(bytes).map(|text| (e, text)))
        .map(|(e, text)| {
            let score = score(&text, known);
            (e, text, score)
        })
        .collect();
    fits.sort_by_key(|f| std::cmp::Reverse(f.2));
    let best = fits.first().map_or(0, |f| f.2);
    fits.retain(|f| f.2 == best);
    fits
}

/// How well a decoded text looks like a complaint sheet: the cells of its first lines
/// that are column names or the shop's labels.
fn score(text: &str, known: &dyn Fn(&str) -> bool) -> usize {
    text.lines()
        .take(200)
        .flat_map(|line| line.split([',', '\t', ';']))
        .map(|cell| cell.trim().trim_matches('"'))
        .filter(|cell| !cell.is_empty() && !cell.is_ascii())
        .filter(|cell| Column::find(cell).is_some() || known(cell))
        .count()
}

/// For an error: which encoding the bytes do read in, if one does.
fn hint(bytes: &[u8], known: &dyn Fn(&str) -> bool) -> String {
    match sniff(bytes, known).as_slice() {
        [(e, _, _)] => tr(
            "hint_encoding",
            &[("encoding", e.name()), ("flag", &e.name().to_ascii_lowercase())],
        ),
        [] => String::new(),
        _ => tr("hint_gbk_or_big5", &[]),
    }
}

/// One sheet of an Excel workbook (the first, or `sheet`) as CSV text, a row a record
/// with the sheet's row numbers, so every later check reads it as it reads a CSV file.
/// Cells are text: numbers as written (a phone number keeps its digits), dates and
/// times as `2026-11-23 09:15`.
pub fn xlsx_text(bytes: Vec<u8>, sheet: Option<&str>, shown: &str) -> Result<String> {
    use calamine::{Data, Reader, Xlsx};
    let mut book =
        Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| anyhow::anyhow!("{shown}: {}: {e}", tr("not_xlsx", &[])))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names.iter().find(|n| n.as_str() == wanted).cloned().ok_or_else(|| {
            anyhow::anyhow!(
                "--sheet: {}",
                tr(
                    "no_sheet",
                    &[
                        ("file", shown),
                        ("sheet", &format!("{wanted:?}")),
                        ("sheets", &names.join(", "))
                    ]
                )
            )
        })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("{shown}: {}", tr("no_sheets", &[])))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| anyhow::anyhow!("{shown}: sheet {name:?}: {e}"))?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Rows above the first used one are blank lines, so row numbers match the sheet's.
    let top = range.start().map_or(0, |(row, _)| row);
    let mut out = "\n".repeat(top as usize).into_bytes();
    for row in range.rows() {
        let cells = row.iter().map(|cell| match cell {
            Data::Empty => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(d) => d
                .as_datetime()
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| d.as_f64().to_string()),
            Data::Error(e) => format!("#{e:?}"),
        });
        w.write_record(cells)?;
    }
    out.extend(w.into_inner().map_err(|e| anyhow::anyhow!("{shown}: {e}"))?);
    String::from_utf8(out).map_err(|e| anyhow::anyhow!("{shown}: {e}"))
}

fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// One row of the file, before it is checked against the config.
#[derive(Debug, Default)]
pub struct Record {
    /// Where it is, as its user counts: `row 7` (CSV, the header is row 1),
    /// `record 7` (JSON array), `line 7` (JSON lines).
    pub at: String,
    /// Each column given: how to name it in a message (`column C (渠道)`), and its
    /// value, trimmed; empty values are left out.
    pub values: BTreeMap<Column, (String, String)>,
    /// An exported case's `irrational` (`first`/`second`), when the file has it.
    pub irrational: Option<String>,
    /// An object with `id` and `events` (what `export` writes): a whole case to restore.
    pub restore: Option<Value>,
    /// Problems found while reading, each `where: what`.
    pub problems: Vec<String>,
}

impl Record {
    fn new(at: String) -> Record {
        Record {
            at,
            ..Record::default()
        }
    }

    fn set(&mut self, column: Column, shown: String, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        match self.values.get(&column) {
            Some((_, old)) if old != value => self.problems.push(format!(
                "{shown}: {} is given twice, with different values",
                column.key()
            )),
            Some(_) => {}
            None => {
                self.values.insert(column, (shown, value.to_string()));
            }
        }
    }
}

/// Every record of a file at once (for the fuzz target).
pub fn records(text: &str, format: Format, shown: &str) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    each_record(text, format, shown, &mut |r| {
        records.push(r);
        Ok(())
    })?;
    Ok(records)
}

/// Hand each record to `sink` as it is read, so that memory holds one record at a time
/// (a JSON array is parsed whole first); returns how many empty rows were passed over.
pub fn each_record(
    text: &str,
    format: Format,
    shown: &str,
    sink: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<usize> {
    match format {
        // A workbook reaches here as the CSV text of its sheet (`xlsx_text`).
        Format::Csv | Format::Xlsx => csv_records(text, shown, sink),
        Format::Json => json_records(text, shown, sink),
        Format::Jsonl => jsonl_records(text, sink),
    }
}

/// What a CSV header cell says about its column.
enum Header {
    Column(Column),
    /// Written by `export`, or blank: its cells are not imported.
    Ignored,
    /// Blank: its cells must be empty, or data would be lost.
    Blank,
}

fn csv_records(text: &str, shown: &str, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<usize> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| anyhow::anyhow!("{shown}: cannot read the header row: {e}"))?
        .clone();
    let mut columns = Vec::new();
    let mut seen: BTreeMap<Column, String> = BTreeMap::new();
    let mut bad = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        columns.push(if name.is_empty() {
            Header::Blank
        } else if let Some(c) = Column::find(name) {
            if let Some(first) = seen.insert(c, format!("{} ({name})", letter(i))) {
                bad.push(crate::i18n::tr(
                    "column_again",
                    &[("col", &letter(i)), ("name", name), ("key", c.key()), ("first", &first)],
                ));
            }
            Header::Column(c)
        } else if columns::is_export_only(name) {
            Header::Ignored
        } else {
            bad.push(crate::i18n::tr(
                "column_unknown",
                &[("col", &letter(i)), ("name", name)],
            ));
            Header::Ignored
        });
    }
    let missing: Vec<&str> = Column::ALL
        .into_iter()
        .filter(|c| c.required() && !seen.contains_key(c))
        .map(Column::key)
        .collect();
    if !missing.is_empty() {
        bad.push(crate::i18n::tr("column_missing", &[("keys", &missing.join(", "))]));
    }
    if !bad.is_empty() {
        bail!(
            "{shown}: {}",
            crate::i18n::tr(
                "bad_header",
                &[("bad", &bad.join("; ")), ("keys", &columns::all_keys())]
            )
        );
    }

    // Rows are counted as a spreadsheet shows them: a quoted cell may span lines but
    // is one row, and an empty line is a row too. The csv reader passes over empty
    // lines; a record's position is where it began reading, before those lines (and,
    // after a `\r\n`, at its `\n`).
    let blank_before = |record: &csv::StringRecord| {
        record.position().map_or(0, |p| {
            let at = p.byte() as usize;
            let at = if at > 0 && text.get(at - 1..=at) == Some("\r\n") {
                at + 1
            } else {
                at
            };
            blank_lines(text.get(at..).unwrap_or_default())
        })
    };
    let mut row = blank_before(&header) + 1;
    let mut empty = 0;
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => bail!("{shown}: {e}"),
        };
        row += 1 + blank_before(&record);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            empty += 1;
            continue;
        }
        let mut r = Record::new(crate::i18n::tr("at_row", &[("n", &row.to_string())]));
        for (i, cell) in record.iter().enumerate() {
            let col = crate::i18n::tr("at_column", &[("col", &letter(i))]);
            match columns.get(i) {
                Some(Header::Column(c)) => {
                    let name = header.get(i).unwrap_or_default().trim();
                    // A cell export protected from spreadsheets gets its text back.
                    r.set(
                        *c,
                        crate::i18n::tr("at_column_named", &[("col", &letter(i)), ("name", name)]),
                        crate::safe::csv_unprefix(cell),
                    )
                }
                Some(Header::Ignored) => {
                    if header
                        .get(i)
                        .is_some_and(|h| h.trim().eq_ignore_ascii_case("irrational"))
                    {
                        r.irrational = Some(cell.trim().to_string()).filter(|s| !s.is_empty());
                    }
                }
                Some(Header::Blank) | None if !cell.trim().is_empty() => {
                    r.problems.push(format!("{col}: {}", crate::i18n::tr("no_header", &[])))
                }
                Some(Header::Blank) | None => {}
            }
        }
        sink(r)?;
    }
    Ok(empty)
}

/// How many empty lines `text` starts with.
fn blank_lines(text: &str) -> usize {
    let mut rest = text;
    let mut n = 0;
    while let Some(after) = rest.strip_prefix('\n').or_else(|| rest.strip_prefix("\r\n")) {
        rest = after;
        n += 1;
    }
    n
}

/// Excel writes `,` (or `;` where the decimal mark is a comma); a tab-separated export
/// is common too. The header line decides.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|&d| (first.matches(char::from(d)).count(), d == b','))
        .unwrap_or(b',')
}

/// A spreadsheet's column letter: A, B, …, Z, AA, AB, …
fn letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn json_records(text: &str, shown: &str, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<usize> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{shown}: {}: {e}", tr("bad_json", &[])))?;
    let Value::Array(items) = value else {
        bail!("{shown}: {}", tr("json_not_array", &[]));
    };
    for (i, item) in items.into_iter().enumerate() {
        sink(object_record(
            crate::i18n::tr("at_record", &[("n", &(i + 1).to_string())]),
            item,
        ))?;
    }
    Ok(0)
}

fn jsonl_records(text: &str, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<usize> {
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = crate::i18n::tr("at_line", &[("n", &(i + 1).to_string())]);
        match serde_json::from_str::<Value>(line) {
            Ok(item) => sink(object_record(at, item))?,
            Err(e) => {
                let mut r = Record::new(at);
                r.problems.push(format!("{}: {e}", tr("bad_json", &[])));
                sink(r)?;
            }
        }
    }
    Ok(0)
}

fn object_record(at: String, item: Value) -> Record {
    let mut r = Record::new(at);
    match item {
        Value::Object(map) => {
            if map.get("id").is_some_and(Value::is_string) && map.get("events").is_some_and(Value::is_array) {
                r.restore = Some(Value::Object(map.clone()));
            }
            fill(&mut r, "", map)
        }
        _ => r.problems.push("expected an object with the complaint's fields".into()),
    }
    r
}

/// Take an object's fields. The nested `customer` and `complaint` objects of the
/// `show --json` shape are read as if their fields were at the top.
fn fill(r: &mut Record, prefix: &str, map: Map<String, Value>) {
    for (key, value) in map {
        let shown = format!("{prefix}{key}");
        if prefix.is_empty() && matches!(key.as_str(), "customer" | "complaint") && value.is_object() {
            if let Value::Object(inner) = value {
                fill(r, &format!("{key}."), inner);
            }
            continue;
        }
        if let Some(column) = Column::find(&key) {
            match value {
                Value::Null => {}
                Value::String(s) => r.set(column, shown, &s),
                Value::Number(n) => r.set(column, shown, &n.to_string()),
                Value::Bool(b) => r.set(column, shown, &b.to_string()),
                Value::Array(_) | Value::Object(_) => r
                    .problems
                    .push(format!("{shown}: expected text, a number or true/false")),
            }
        } else if prefix.is_empty() && columns::is_export_only(&key) {
            if key == "irrational" {
                r.irrational = value.as_str().map(str::to_string);
            }
        } else {
            r.problems
                .push(format!("{shown}: not a known field; expected {}", columns::all_keys()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }

    #[test]
    fn decoding() {
        let none = |_: &str| false;
        let text = "姓名,渠道\n王先生,電話\n";
        let gbk = encoding_rs::GBK.encode(text).0.into_owned();
        let big5 = encoding_rs::BIG5.encode(text).0.into_owned();
        let err = decode(gbk.clone(), Encoding::Utf8, "x.csv", &none)
            .unwrap_err()
            .to_string();
        assert!(err.contains("it reads as GBK: use --encoding gbk"), "{err}");
        assert_eq!(decode(gbk.clone(), Encoding::Gbk, "x.csv", &none).unwrap(), text);
        assert_eq!(decode(gbk, Encoding::Auto, "x.csv", &none).unwrap(), text);
        assert_eq!(decode(big5.clone(), Encoding::Big5, "x.csv", &none).unwrap(), text);
        assert_eq!(decode(big5, Encoding::Auto, "x.csv", &none).unwrap(), text);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(utf16, Encoding::Auto, "x.csv", &none).unwrap(), text);
        let bom = [UTF8_BOM, "名".as_bytes()].concat();
        assert_eq!(decode(bom.clone(), Encoding::Auto, "x", &none).unwrap(), "名");
        assert_eq!(decode(bom, Encoding::Gbk, "x", &none).unwrap(), "名");
        assert_eq!(decode(b"a,b".to_vec(), Encoding::Gbk, "x", &none).unwrap(), "a,b");
        // Two bytes that are a character in both, and nothing to tell them apart.
        let err = decode(b"name\n\xcd\xf5\n".to_vec(), Encoding::Auto, "x.csv", &none).unwrap_err();
        assert!(err.to_string().contains("--encoding gbk"), "{err}");
        assert!(Encoding::parse("latin1").is_err());
    }

    #[test]
    fn rows_are_counted_like_a_spreadsheet() {
        let text = "\nname,channel,summary,details\r\na,phone,s,\"two\r\nlines\"\r\n\r\nb,phone,s,d\n,,,\nc,phone,s,\n";
        let mut records = Vec::new();
        let empty = csv_records(text, "x.csv", &mut |r| {
            records.push(r);
            Ok(())
        })
        .unwrap();
        let at: Vec<&str> = records.iter().map(|r| r.at.as_str()).collect();
        assert_eq!(at, ["row 3", "row 5", "row 7"]);
        assert_eq!(empty, 1);
        assert_eq!(records[0].values[&Column::Details].1, "two\r\nlines");
    }

    #[test]
    fn the_delimiter_comes_from_the_header() {
        assert_eq!(delimiter("name;channel;summary\n"), b';');
        assert_eq!(delimiter("name\tchannel\tsummary\n"), b'\t');
        assert_eq!(delimiter("name\n"), b',');
    }
}
