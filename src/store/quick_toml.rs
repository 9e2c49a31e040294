//! A quick reader for the plain TOML that kefu itself writes: `key = value` lines with
//! basic strings, integers, booleans and one-line arrays of them, under `[table]`,
//! `[[array]]` and `[table.sub]` headers. It turns a file into values that the same
//! serde derive as the full parser decodes, so a case reads the same either way.
//!
//! Anything else (comments, literal or multi-line strings, quoted or dotted keys, inline
//! tables, floats, dates, a key or table set twice, an escape it does not know) makes it
//! give up, and so does any decoding error: the caller then runs the full TOML parser,
//! which also words the errors. It never accepts a file that parser would refuse.

use std::borrow::Cow;

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

/// `T` from `text`, or `None` when the text is not in the plain layout or does not decode.
pub fn from_str<T: de::DeserializeOwned>(text: &str) -> Option<T> {
    let root = parse(text)?;
    T::deserialize(Value::Table(root)).ok()
}

#[derive(Debug, PartialEq)]
enum Value<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    Array(Vec<Value<'a>>),
    Table(Table<'a>),
    /// An array of tables (`[[name]]`).
    Tables(Vec<Table<'a>>),
}

type Table<'a> = Vec<(&'a str, Value<'a>)>;

fn bare_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Spaces and tabs (TOML's whitespace within a line) trimmed from both ends.
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let blank = |c: &u8| *c == b' ' || *c == b'\t';
    let start = b.iter().position(|c| !blank(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !blank(c)).map_or(start, |i| i + 1);
    // Both ends are next to ASCII bytes, so on character boundaries.
    &s[start..end]
}

/// The lines of `text`, split at `\n` by a plain loop (lines are short: a search
/// that sets up for long runs costs more than it saves).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.bytes().position(|b| b == b'\n');
        let (line, after) = match end {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        rest = after;
        Some(line)
    })
}

/// A table's entries, with room for a typical event's.
fn table<'a>() -> Table<'a> {
    Vec::with_capacity(12)
}

fn parse(text: &str) -> Option<Table<'_>> {
    let mut root: Table = table();
    // Where `key = value` lines go: the root, a table, or the last of an array of tables.
    let mut at: Option<(usize, Option<usize>)> = None;
    for line in lines(text) {
        let line = trim(line);
        let Some(&first) = line.as_bytes().first() else {
            continue;
        };
        if first == b'[' {
            at = Some(header(&mut root, line)?);
            continue;
        }
        let eq = line.bytes().position(|b| b == b'=')?;
        let key = trim(&line[..eq]);
        if !bare_key(key) {
            return None;
        }
        let (value, rest) = self::value(trim(&line[eq + 1..]))?;
        if !trim(rest).is_empty() {
            return None;
        }
        let table = match at {
            None => &mut root,
            Some((i, sub)) => {
                let top = match &mut root[i].1 {
                    Value::Table(t) => t,
                    Value::Tables(list) => list.last_mut()?,
                    _ => return None,
                };
                match sub {
                    None => top,
                    Some(j) => match &mut top[j].1 {
                        Value::Table(t) => t,
                        _ => return None,
                    },
                }
            }
        };
        if table.iter().any(|(k, _)| *k == key) {
            return None;
        }
        table.push((key, value));
    }
    Some(root)
}

/// A `[table]`, `[table.sub]` or `[[array]]` header: where the lines after it go, as the
/// index in the root and, for a sub-table, in the table (or last table of the array)
/// there. Only tables not seen before, under ones that are.
fn header<'a>(root: &mut Table<'a>, line: &'a str) -> Option<(usize, Option<usize>)> {
    if let Some(name) = line.strip_prefix("[[") {
        let name = trim(name.strip_suffix("]]")?);
        if !bare_key(name) {
            return None;
        }
        return match root.iter().position(|(k, _)| *k == name) {
            Some(i) => match &mut root[i].1 {
                Value::Tables(list) => {
                    list.push(table());
                    Some((i, None))
                }
                _ => None,
            },
            None => {
                root.push((name, Value::Tables(vec![table()])));
                Some((root.len() - 1, None))
            }
        };
    }
    let name = line[1..].strip_suffix(']')?;
    let (top, sub) = match name.split_once('.') {
        Some((top, sub)) => (trim(top), Some(trim(sub))),
        None => (trim(name), None),
    };
    if !bare_key(top) || !sub.is_none_or(bare_key) {
        return None;
    }
    let found = root.iter().position(|(k, _)| *k == top);
    let Some(sub) = sub else {
        if found.is_some() {
            return None;
        }
        root.push((top, Value::Table(table())));
        return Some((root.len() - 1, None));
    };
    let i = found?;
    let parent = match &mut root[i].1 {
        Value::Table(t) => t,
        Value::Tables(list) => list.last_mut()?,
        _ => return None,
    };
    if parent.iter().any(|(k, _)| *k == sub) {
        return None;
    }
    parent.push((sub, Value::Table(Vec::new())));
    Some((i, Some(parent.len() - 1)))
}

/// One value at the start of `text`, and what follows it.
fn value(text: &str) -> Option<(Value<'_>, &str)> {
    match text.as_bytes().first()? {
        b'"' => {
            let (s, rest) = string(&text[1..])?;
            Some((Value::Str(s), rest))
        }
        b'[' => {
            let mut items = Vec::new();
            let mut rest = text[1..].trim_start_matches([' ', '\t']);
            if let Some(after) = rest.strip_prefix(']') {
                return Some((Value::Array(items), after));
            }
            loop {
                let (item, after) = value(rest)?;
                if matches!(item, Value::Array(_)) {
                    return None;
                }
                items.push(item);
                let after = after.trim_start_matches([' ', '\t']);
                if let Some(after) = after.strip_prefix(']') {
                    return Some((Value::Array(items), after));
                }
                rest = after.strip_prefix(',')?.trim_start_matches([' ', '\t']);
            }
        }
        _ => {
            let end = text
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(text.len());
            let (word, rest) = text.split_at(end);
            let value = match word {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Int(integer(word)?),
            };
            Some((value, rest))
        }
    }
}

/// A decimal integer as TOML writes it: no sign but `-`, no leading zero, no `_`.
fn integer(word: &str) -> Option<i64> {
    let digits = word.strip_prefix('-').unwrap_or(word);
    let plain =
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'));
    if plain { word.parse().ok() } else { None }
}

/// The rest of a basic string after its opening quote: the string, and what follows
/// the closing quote.
fn string(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let bytes = text.as_bytes();
    // The common case: no escape before the closing quote.
    let end = bytes
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20 && b != b'\t' || b == 0x7f)?;
    if bytes[end] == b'"' {
        // `"""` opens a multi-line string.
        if end == 0 && text.starts_with("\"\"") {
            return None;
        }
        return Some((Cow::Borrowed(&text[..end]), &text[end + 1..]));
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    loop {
        match chars.next()? {
            '"' => return Some((Cow::Owned(out), chars.as_str())),
            '\\' => out.push(match chars.next()? {
                '"' => '"',
                '\\' => '\\',
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'u' => {
                    let hex = chars.as_str().get(..4)?;
                    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    chars = chars.as_str()[4..].chars();
                    char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                }
                _ => return None,
            }),
            c if (c < ' ' && c != '\t') || c == '\u{7f}' => return None,
            c => out.push(c),
        }
    }
}

impl<'de> IntoDeserializer<'de, Error> for Value<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

fn map<'de, V: Visitor<'de>>(table: Table<'de>, visitor: V) -> Result<V::Value, Error> {
    let mut access = MapDeserializer::new(table.into_iter());
    let value = visitor.visit_map(&mut access)?;
    access.end()?;
    Ok(value)
}

impl<'de> Deserializer<'de> for Value<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Str(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Value::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Value::Int(n) => visitor.visit_i64(n),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Array(items) => {
                let mut access = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut access)?;
                access.end()?;
                Ok(value)
            }
            Value::Tables(tables) => {
                let mut access = SeqDeserializer::new(tables.into_iter().map(Value::Table));
                let value = visitor.visit_seq(&mut access)?;
                access.end()?;
                Ok(value)
            }
            Value::Table(table) => map(table, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::Str(s) => s
                .into_owned()
                .into_deserializer()
                .deserialize_enum(name, variants, visitor),
            _ => Err(de::Error::custom("only unit variants are read quickly")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_layout_is_read() {
        let text = "a = \"x\\\"y\\u00e9\"\nn = -12\nb = true\nl = [\"1h\", 2]\n\n[t]\nk = \"v\"\n\n[[e]]\nk = 1\n\n[e.p]\nq = []\n\n[[e]]\nk = 2\n";
        let root = parse(text).unwrap();
        assert_eq!(root[0], ("a", Value::Str(Cow::Borrowed("x\"yé"))));
        assert_eq!(root[1], ("n", Value::Int(-12)));
        assert_eq!(root[2], ("b", Value::Bool(true)));
        assert_eq!(
            root[3],
            ("l", Value::Array(vec![Value::Str("1h".into()), Value::Int(2)]))
        );
        let Value::Tables(e) = &root[5].1 else { panic!() };
        assert_eq!(e.len(), 2);
        assert_eq!(e[0][1], ("p", Value::Table(vec![("q", Value::Array(vec![]))])));
        assert_eq!(e[1], vec![("k", Value::Int(2))]);
    }

    #[test]
    fn anything_else_is_left_to_the_full_parser() {
        for text in [
            "a = 1 # comment",
            "# comment",
            "a = 'literal'",
            "a = \"\"\"\nmulti\n\"\"\"",
            "a = 1\na = 2",
            "[t]\n[t]",
            "a.b = 1",
            "\"a\" = 1",
            "a = {b = 1}",
            "a = 1.5",
            "a = 1_000",
            "a = 012",
            "a = +1",
            "a = 2026-11-23",
            "a = \"\\e\"",
            "a = \"\\x41\"",
            "a = \"tab\u{1}\"",
            "a = \"open",
            "a = [[1]]",
            "a = 1\n[a]",
            "[t]\n[[t]]",
            "[x.y]",
            "a = tru",
            "a = 99999999999999999999",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }
}

#[cfg(test)]
mod agreement {
    use std::path::Path;

    use crate::domain::case::Case;

    /// Every file under `dir` (recursively) that is UTF-8 text.
    fn texts(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                texts(&path, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
    }

    /// Read quickly, a file gives exactly the case the full parser gives, or nothing.
    fn agrees(name: &str, text: &str) -> bool {
        let full = toml::from_str::<Case>(text).ok();
        let quick = super::from_str::<Case>(text);
        assert!(
            quick.is_none() || quick == full,
            "{name}: {quick:?} but the full parser gives {full:?}"
        );
        quick.is_some()
    }

    #[test]
    fn the_sample_cases_read_quickly_and_the_same() {
        let mut files = Vec::new();
        texts(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"), &mut files);
        assert!(files.len() > 20);
        files.sort();
        let mut mutated_policy = false;
        for (n, (name, text)) in files.iter().enumerate() {
            assert!(agrees(name, text), "{name} is not read quickly");
            // A few files suffice for the variations below (they are slow unoptimized),
            // one of them with a classify event's policy.
            let policy = text.contains("[events.policy]");
            if n % 8 != 0 && (mutated_policy || !policy) {
                continue;
            }
            mutated_policy |= policy;
            // Each line changed in a way that is still TOML, or no longer is: the quick
            // reader agrees or leaves it to the full parser.
            for (i, line) in text.lines().enumerate() {
                for changed in [
                    format!("{line} # note"),
                    format!("{line}\n{line}"),
                    line.replacen('"', "'", 2),
                    line.replacen(" = ", " = [", 1),
                    line.replacen('"', "\"\"\"", 2),
                    line.replacen("T", " ", 1),
                    line.replacen("\"", "", 2),
                    line.replacen("[[", "[", 1),
                    line.replacen("]]", "]", 1),
                    line.replacen('=', ".x =", 1),
                    line.replacen('_', ".", 1),
                    format!("{line}\u{0}"),
                    line.replacen(|c: char| !c.is_ascii(), "\\u00e9", 1),
                    line.replacen(|c: char| !c.is_ascii(), "\\\\", 1),
                    line.replacen(|c: char| !c.is_ascii(), "\\q", 1),
                ] {
                    let mut lines: Vec<&str> = text.lines().collect();
                    lines[i] = &changed;
                    agrees(&format!("{name} line {} as {changed:?}", i + 1), &lines.join("\n"));
                }
            }
        }
        assert!(mutated_policy);
    }

    #[test]
    fn hostile_and_fuzzed_files_are_read_the_same_or_left_to_the_full_parser() {
        let mut files = Vec::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        texts(&root.join("hostile"), &mut files);
        texts(&root.join("fuzz"), &mut files);
        assert!(files.len() > 10);
        for (name, text) in &files {
            agrees(name, text);
        }
    }
}
