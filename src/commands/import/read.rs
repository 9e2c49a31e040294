//! Reading an import file into records: the bytes to text (UTF-8, or GBK as Excel
//! saves CSV on a Chinese system), and the text to one record per row, CSV, JSON array
//! or JSON lines, each record knowing the row number its user would give it.

use crate::output::i18n::tr;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
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
}

/// Where an import's bytes come from. Each pass reads them from the start again, so a
/// file is never held whole: standard input is first copied to an unnamed temporary
/// file, and only a workbook's sheet (already a CSV text) is kept in memory.
pub enum Source {
    File(PathBuf),
    Spooled(File),
    Bytes(Vec<u8>),
}

impl Source {
    /// Standard input, copied aside so that it can be read twice.
    pub fn stdin() -> Result<Source> {
        let mut file = tempfile::tempfile().context("cannot make a temporary file for standard input")?;
        io::copy(&mut io::stdin().lock(), &mut file).context("cannot read standard input")?;
        Ok(Source::Spooled(file))
    }

    fn open(&self) -> io::Result<Box<dyn Read + '_>> {
        Ok(match self {
            Source::File(path) => Box::new(File::open(path)?),
            Source::Spooled(file) => {
                let mut file = file.try_clone()?;
                file.seek(SeekFrom::Start(0))?;
                Box::new(file)
            }
            Source::Bytes(bytes) => Box::new(&bytes[..]),
        })
    }

    /// All of it (a workbook, which is a zip archive).
    pub fn bytes(&self) -> io::Result<Vec<u8>> {
        let mut all = Vec::new();
        self.open()?.read_to_end(&mut all)?;
        Ok(all)
    }

    /// The first `n` bytes (fewer if the file is shorter).
    fn head(&self, n: u64) -> io::Result<Vec<u8>> {
        let mut head = Vec::new();
        self.open()?.take(n).read_to_end(&mut head)?;
        Ok(head)
    }
}

/// How a source's bytes become text: the encoding, and how many bytes of byte-order
/// mark to pass over.
#[derive(Clone, Copy)]
pub struct Text {
    table: &'static encoding_rs::Encoding,
    bom: usize,
}

impl Text {
    /// Already UTF-8 (a workbook's sheet).
    pub const UTF8: Text = Text {
        table: encoding_rs::UTF_8,
        bom: 0,
    };

    /// The source as UTF-8 bytes, decoded as they are read. A byte that is not of the
    /// encoding is an error naming its line (never a replacement character), and a run
    /// longer than `limit` without a separator is refused before it is held whole.
    fn reader<'a>(self, source: &'a Source, limit: Limit) -> io::Result<Decoded<Box<dyn Read + 'a>>> {
        let mut inner = source.open()?;
        io::copy(&mut (&mut inner).take(self.bom as u64), &mut io::sink())?;
        Ok(Decoded {
            inner,
            decoder: self.table.new_decoder_without_bom_handling(),
            raw: vec![0; 64 * 1024],
            raw_at: 0,
            raw_end: 0,
            eof: false,
            done: false,
            out: Vec::with_capacity(
                self.table
                    .new_decoder()
                    .max_utf8_buffer_length(64 * 1024)
                    .unwrap_or(256 * 1024),
            ),
            out_at: 0,
            lines: 1,
            limit,
            run: 0,
            quoted: false,
            offset: 0,
            row: 1,
            line_start: true,
            rows: None,
        })
    }

    /// Whether every byte of the source is of this encoding: None, or the line of the
    /// first that is not. Reads it through, holding a buffer.
    fn check(self, source: &Source) -> io::Result<Option<usize>> {
        let mut reader = self.reader(source, Limit::None)?;
        match io::copy(&mut reader, &mut io::sink()) {
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => Ok(Some(reader.lines)),
            Err(e) => Err(e),
        }
    }

    /// The first `n` bytes or so of the text, for sniffing and scoring.
    fn head(self, source: &Source, n: u64) -> io::Result<String> {
        let mut head = Vec::new();
        let read = self.reader(source, Limit::None)?.take(n).read_to_end(&mut head);
        if let Err(e) = read
            && e.kind() != io::ErrorKind::InvalidData
        {
            return Err(e);
        }
        // Cut at the last whole character.
        let valid = std::str::from_utf8(&head).map_or_else(|e| e.valid_up_to(), |_| head.len());
        head.truncate(valid);
        Ok(String::from_utf8(head).unwrap_or_default())
    }
}

/// What a run of text between separators may hold before the reader refuses it.
#[derive(Clone, Copy)]
pub enum Limit {
    None,
    /// A CSV cell: a run between `delimiter`s and line ends outside quotes, against
    /// the limit for a field. As written a cell may be twice its value (each quote
    /// doubled) and quoted, so only a run past that is refused here.
    Cell {
        delimiter: u8,
        field: usize,
    },
    /// A line of JSON lines: a whole exported case at most, each character escaped at
    /// worst.
    Line {
        case: usize,
    },
}

/// A decoding reader (see [`Text::reader`]).
struct Decoded<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_at: usize,
    raw_end: usize,
    eof: bool,
    done: bool,
    out: Vec<u8>,
    out_at: usize,
    /// The line being decoded, for messages.
    lines: usize,
    limit: Limit,
    /// Bytes since the last separator, and whether inside a quoted cell.
    run: usize,
    quoted: bool,
    /// CSV rows as a spreadsheet counts them (see [`Rows`]): the bytes handed out so
    /// far, the row being read, and whether at the start of a line.
    offset: u64,
    row: usize,
    line_start: bool,
    rows: Option<Rows>,
}

/// Where each CSV row that is not an empty line begins in the text, and its row
/// number: what the reader has seen and the csv reader not yet taken. The csv reader
/// passes over empty lines and tells where it began reading a record, which may be
/// before them; the first row starting at or after that is the record's. It holds
/// what the csv reader reads ahead, a buffer's worth, not the file.
type Rows = std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<(u64, usize)>>>;

impl<R: Read> Decoded<R> {
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_at = 0;
        while self.out.is_empty() && !self.done {
            if self.raw_at == self.raw_end && !self.eof {
                self.raw_at = 0;
                self.raw_end = self.inner.read(&mut self.raw)?;
                self.eof = self.raw_end == 0;
            }
            let capacity = self.out.capacity();
            self.out.resize(capacity, 0);
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.raw[self.raw_at..self.raw_end],
                &mut self.out,
                self.eof,
            );
            self.raw_at += read;
            self.out.truncate(written);
            self.watch(written)?;
            match result {
                encoding_rs::DecoderResult::InputEmpty if self.eof => self.done = true,
                encoding_rs::DecoderResult::InputEmpty | encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::Malformed(..) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "a byte on line {} that is not {}",
                            self.lines,
                            self.decoder.encoding().name()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Count lines, and refuse a run over the limit, in the `written` bytes just decoded.
    fn watch(&mut self, written: usize) -> io::Result<()> {
        for k in 0..written {
            let b = self.out[k];
            if b == b'\n' {
                self.lines += 1;
            }
            let (ends, max) = match self.limit {
                Limit::None => continue,
                Limit::Cell { delimiter, field } => {
                    if self.line_start && b != b'\n' && b != b'\r' {
                        if let Some(rows) = &self.rows {
                            rows.borrow_mut().push_back((self.offset + k as u64, self.row));
                        }
                        self.line_start = false;
                    }
                    if b == b'"' {
                        self.quoted = !self.quoted;
                    }
                    let line_end = !self.quoted && b == b'\n';
                    if line_end {
                        self.row += 1;
                        self.line_start = true;
                    }
                    (line_end || (!self.quoted && b == delimiter), 2 * field + 2)
                }
                Limit::Line { case } => (b == b'\n', 6 * case),
            };
            if ends {
                self.run = 0;
            } else {
                self.run += 1;
                if self.run > max {
                    let what = match self.limit {
                        Limit::Cell { field, .. } => format!(
                            "a cell far over the {field}-byte limit for a field (max_field_bytes in config/kefu.toml)"
                        ),
                        Limit::Line { case } => format!(
                            "a line far over the {case}-byte limit for a case (max_case_bytes in config/kefu.toml)"
                        ),
                        Limit::None => String::new(),
                    };
                    return Err(io::Error::other(Overlong(format!(
                        "line {}: {what}; nothing was imported",
                        self.lines
                    ))));
                }
            }
        }
        self.offset += written as u64;
        Ok(())
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_at == self.out.len() {
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// A run refused by the reader's limit: its message is the whole error.
#[derive(Debug)]
struct Overlong(String);

impl std::fmt::Display for Overlong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Overlong {}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How the source's bytes are text. A byte-order mark wins over everything (Excel
/// writes one for "CSV UTF-8" and for "Unicode text", which is UTF-16); valid UTF-8 is
/// read as UTF-8 even when another encoding was asked for, since pure ASCII is all of
/// them and real GBK or Big5 text is practically never valid UTF-8. Otherwise the asked
/// encoding, or with `Auto` the one of GBK and Big5 that decodes without a bad byte and
/// whose header and cells `known` recognises best; its name goes to stderr. `known`
/// says whether a cell is a column name or a label of the shop. The source is read
/// through (a buffer at a time) once per encoding tried.
pub fn decode(source: &Source, encoding: Encoding, shown: &str, known: &dyn Fn(&str) -> bool) -> Result<Text> {
    let head = source
        .head(3)
        .with_context(|| crate::output::i18n::tr("cannot_read", &[("path", shown)]))?;
    let checked = |text: Text| {
        text.check(source)
            .with_context(|| crate::output::i18n::tr("cannot_read", &[("path", shown)]))
    };
    if head.starts_with(UTF8_BOM) {
        let text = Text {
            table: encoding_rs::UTF_8,
            bom: 3,
        };
        return match checked(text)? {
            None => Ok(text),
            Some(line) => bail!("{shown}: {}", tr("bom_not_utf8", &[("line", &line.to_string())])),
        };
    }
    let utf16 = match head.get(..2) {
        Some(b"\xFF\xFE") => Some((encoding_rs::UTF_16LE, 2)),
        Some(b"\xFE\xFF") => Some((encoding_rs::UTF_16BE, 2)),
        _ if encoding == Encoding::Utf16 => Some((encoding_rs::UTF_16LE, 0)),
        _ => None,
    };
    if let Some((table, bom)) = utf16 {
        let text = Text { table, bom };
        return match checked(text)? {
            None => Ok(text),
            Some(_) => bail!("{shown}: {}", tr("bad_utf16", &[])),
        };
    }
    let line = match checked(Text::UTF8)? {
        None => return Ok(Text::UTF8),
        Some(line) => line,
    };
    let not_utf8 = format!("{shown}: {}", tr("not_utf8", &[("line", &line.to_string())]));
    match encoding {
        Encoding::Gbk | Encoding::Big5 => {
            let text = Text {
                table: encoding.table(),
                bom: 0,
            };
            match checked(text)? {
                None => Ok(text),
                Some(_) => bail!(
                    "{shown}: {}{}",
                    tr("neither_utf8_nor", &[("encoding", encoding.name())]),
                    hint(source, known)?
                ),
            }
        }
        Encoding::Utf8 | Encoding::Utf16 => bail!("{not_utf8}{}", hint(source, known)?),
        Encoding::Auto => {
            let fits = sniff(source, known)?;
            match fits.as_slice() {
                [] => bail!("{not_utf8}{}", tr("nor_gbk_big5", &[])),
                [encoding] => {
                    eprintln!("{shown}: {}", tr("read_as", &[("encoding", encoding.name())]));
                    Ok(Text {
                        table: encoding.table(),
                        bom: 0,
                    })
                }
                _ => bail!("{not_utf8}{}", tr("gbk_or_big5", &[])),
            }
        }
    }
}

/// The encodings among GBK and Big5 that read the source without a bad byte, best
/// first; only the best, unless several score the same.
fn sniff(source: &Source, known: &dyn Fn(&str) -> bool) -> Result<Vec<Encoding>> {
    let mut fits = Vec::new();
    for encoding in [Encoding::Gbk, Encoding::Big5] {
        let text = Text {
            table: encoding.table(),
            bom: 0,
        };
        if text.check(source)?.is_none() {
            fits.push((encoding, score(&text.head(source, 64 * 1024)?, known)));
        }
    }
    fits.sort_by_key(|f| std::cmp::Reverse(f.1));
    let best = fits.first().map_or(0, |f| f.1);
    Ok(fits.into_iter().filter(|f| f.1 == best).map(|f| f.0).collect())
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
fn hint(source: &Source, known: &dyn Fn(&str) -> bool) -> Result<String> {
    Ok(match sniff(source, known)?.as_slice() {
        [e] => tr(
            "hint_encoding",
            &[("encoding", e.name()), ("flag", &e.name().to_ascii_lowercase())],
        ),
        [] => String::new(),
        _ => tr("hint_gbk_or_big5", &[]),
    })
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

/// The sizes a record may have (from `[size]` in the config): longer runs are refused
/// as they are read, before they are held whole.
#[derive(Clone, Copy)]
pub struct Sizes {
    pub field: usize,
    pub case: usize,
}

/// For standard input or an unknown extension, by how the text begins (see
/// [`Format::sniff`]).
pub fn format_of(source: &Source, text: Text) -> Result<Format> {
    Ok(Format::sniff(&text.head(source, 1024)?))
}

/// Hand each record to `sink` as it is read, so that memory holds one record at a time
/// (a JSON array is parsed whole first); returns how many empty rows were passed over.
pub fn each_record(
    source: &Source,
    text: Text,
    format: Format,
    shown: &str,
    sizes: Sizes,
    sink: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<usize> {
    match format {
        // A workbook reaches here as the CSV text of its sheet (`xlsx_text`).
        Format::Csv | Format::Xlsx => csv_records(source, text, shown, sizes, sink),
        Format::Json => {
            let mut whole = String::new();
            text.reader(source, Limit::None)?
                .read_to_string(&mut whole)
                .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
            json_records(&whole, shown, sink)
        }
        Format::Jsonl => jsonl_records(source, text, shown, sizes, sink),
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

fn csv_records(
    source: &Source,
    text: Text,
    shown: &str,
    sizes: Sizes,
    sink: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<usize> {
    let delimiter = delimiter(&text.head(source, 64 * 1024)?);
    let limit = Limit::Cell {
        delimiter,
        field: sizes.field,
    };
    let rows = Rows::default();
    let mut decoded = text.reader(source, limit)?;
    decoded.rows = Some(rows.clone());
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(decoded);
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
                bad.push(crate::output::i18n::tr(
                    "column_again",
                    &[("col", &letter(i)), ("name", name), ("key", c.key()), ("first", &first)],
                ));
            }
            Header::Column(c)
        } else if columns::is_export_only(name) {
            Header::Ignored
        } else {
            bad.push(crate::output::i18n::tr(
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
        bad.push(crate::output::i18n::tr(
            "column_missing",
            &[("keys", &missing.join(", "))],
        ));
    }
    if !bad.is_empty() {
        bail!(
            "{shown}: {}",
            crate::output::i18n::tr(
                "bad_header",
                &[("bad", &bad.join("; ")), ("keys", &columns::all_keys())]
            )
        );
    }

    // Rows are counted as a spreadsheet shows them: a quoted cell may span lines but
    // is one row, and an empty line is a row too (see [`Rows`]).
    let mut row = 0;
    let mut row_of = |record: &csv::StringRecord| {
        let at = record.position().map_or(0, csv::Position::byte);
        let mut rows = rows.borrow_mut();
        while rows.front().is_some_and(|&(offset, _)| offset < at) {
            rows.pop_front();
        }
        row = rows.pop_front().map_or(row + 1, |(_, r)| r);
        row
    };
    row_of(&header);
    let mut empty = 0;
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => bail!("{shown}: {e}"),
        };
        let row = row_of(&record);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            empty += 1;
            continue;
        }
        let mut r = Record::new(crate::output::i18n::tr("at_row", &[("n", &row.to_string())]));
        for (i, cell) in record.iter().enumerate() {
            let col = crate::output::i18n::tr("at_column", &[("col", &letter(i))]);
            match columns.get(i) {
                Some(Header::Column(c)) => {
                    let name = header.get(i).unwrap_or_default().trim();
                    // A cell export protected from spreadsheets gets its text back.
                    r.set(*c, format!("{col} ({name})"), crate::output::safe::csv_unprefix(cell))
                }
                Some(Header::Ignored) => {
                    if header
                        .get(i)
                        .is_some_and(|h| h.trim().eq_ignore_ascii_case("irrational"))
                    {
                        r.irrational = Some(cell.trim().to_string()).filter(|s| !s.is_empty());
                    }
                }
                Some(Header::Blank) | None if !cell.trim().is_empty() => r
                    .problems
                    .push(format!("{col}: {}", crate::output::i18n::tr("no_header", &[]))),
                Some(Header::Blank) | None => {}
            }
        }
        sink(r)?;
    }
    Ok(empty)
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
            crate::output::i18n::tr("at_record", &[("n", &(i + 1).to_string())]),
            item,
        ))?;
    }
    Ok(0)
}

fn jsonl_records(
    source: &Source,
    text: Text,
    shown: &str,
    sizes: Sizes,
    sink: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<usize> {
    // A line is a whole exported case at most, each character escaped at worst.
    let limit = Limit::Line { case: sizes.case };
    let reader = io::BufReader::new(text.reader(source, limit)?);
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let at = tr("at_line", &[("n", &(i + 1).to_string())]);
        match serde_json::from_str::<Value>(&line) {
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
        let decode = |bytes: Vec<u8>, encoding: Encoding, shown: &str, known: &dyn Fn(&str) -> bool| {
            let source = Source::Bytes(bytes);
            let text = super::decode(&source, encoding, shown, known)?;
            let mut whole = String::new();
            text.reader(&source, Limit::None)?.read_to_string(&mut whole)?;
            anyhow::Ok(whole)
        };
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
        let source = Source::Bytes(text.as_bytes().to_vec());
        let sizes = Sizes { field: 100, case: 1000 };
        let empty = csv_records(&source, Text::UTF8, "x.csv", sizes, &mut |r| {
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
