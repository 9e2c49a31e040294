//! One-line errors for TOML files: `path:line: reason`.

use std::path::Path;

/// The 1-based line holding byte `offset` of `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line where `key = …` is set at the start of a line, if it is.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|after| after.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// The key whose value holds byte `offset`: the nearest `key =` before it on its line
/// (inside an inline table too), else the line's own key.
fn key_on_line(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next().unwrap_or_default();
    let before = text.get(start..offset).unwrap_or_default();
    let head = match before.rfind('=') {
        Some(i) => &before[..i],
        None => line.split_once('=')?.0,
    };
    let key = head
        .trim_end()
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .next()?;
    (!key.is_empty()).then_some(key)
}

/// Parse TOML into `T`, turning toml's multi-line report into `path:line: message`.
pub fn from_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> anyhow::Result<T> {
    toml::from_str(text).map_err(|err| {
        let message = err.message().trim().replace('\n', " ");
        match err.span() {
            Some(span) => {
                // serde's type errors ("invalid type: string, expected a boolean") do not
                // say which field; the key set on the line does.
                // A missing field's span is the table that lacks it: no key to name.
                let key = key_on_line(text, span.start)
                    .filter(|k| !message.contains(&format!("`{k}`")) && !message.starts_with("missing field"));
                let field = key.map(|k| format!(" {k}:")).unwrap_or_default();
                anyhow::anyhow!("{}:{}:{field} {message}", path.display(), line_of(text, span.start))
            }
            None => anyhow::anyhow!("{}: {message}", path.display()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            a: u32,
        }
        let err = from_toml::<T>(Path::new("x.toml"), "a = 1\nb = 2\n").unwrap_err();
        assert_eq!(err.to_string().lines().count(), 1);
        assert!(err.to_string().starts_with("x.toml:2: unknown field `b`"), "{err}");
        let err = from_toml::<T>(Path::new("x.toml"), "a = \"one\"\n").unwrap_err();
        assert!(
            err.to_string().starts_with("x.toml:1: a: invalid type: string"),
            "{err}"
        );
        assert_eq!(line_of_key("x = 1\n  status = \"a\"\n", "status"), Some(2));
    }
}
