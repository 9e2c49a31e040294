//! Chinese scripts (SPEC §12.2, §17.19). A label is accepted in Traditional or in
//! Simplified characters: both sides are mapped to Simplified with OpenCC's conversion
//! tables (through `hanconv`) and compared there, so `电话` finds `電話` and `已分类`
//! finds `已分類`. Keys are ASCII and compared as written.
//!
//! A table of conversion, not a hand list: the shop writes its own labels in the
//! config, so the characters to map are not known in advance.

/// `text` in one script: trimmed, Traditional characters mapped to Simplified.
pub fn fold(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        // No Chinese to map; this also spares plain keys the table's set-up.
        return text.to_string();
    }
    hanconv::t2s(text)
}

/// The one item among `items` whose key is `text`, or whose label is `text` in either
/// script.
pub fn find<'a, 's, T>(
    items: impl IntoIterator<Item = &'a T>,
    text: &str,
    key: impl Fn(&'a T) -> &'s str,
    label: impl Fn(&'a T) -> &'s str,
) -> Option<&'a T>
where
    T: 'a + ?Sized,
{
    let items: Vec<&T> = items.into_iter().collect();
    let text = text.trim();
    if let Some(hit) = items.iter().find(|i| key(i) == text || label(i) == text) {
        return Some(hit);
    }
    if text.is_empty() {
        return None;
    }
    let folded = fold(text);
    items.into_iter().find(|i| fold(label(i)) == folded)
}

/// The first pair of labels in `entries` (key, label) that are one label once mapped to
/// one script, or where a label is another entry's key: `(earlier key, later key)`.
pub fn collision<'a>(entries: &[(&'a str, &'a str)]) -> Option<(&'a str, &'a str)> {
    let folded: Vec<String> = entries.iter().map(|(_, label)| fold(label)).collect();
    for (j, (later, _)) in entries.iter().enumerate() {
        for (i, (earlier, _)) in entries.iter().enumerate().take(j) {
            if folded[i] == folded[j] || folded[j] == *earlier || folded[i] == *later {
                return Some((earlier, later));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_scripts_fold_to_one() {
        for (hant, hans) in [
            ("電話", "电话"),
            ("中級", "中级"),
            ("產品質量", "产品质量"),
            ("服務站", "服务站"),
            ("換貨", "换货"),
            ("滿意", "满意"),
            ("關注", "关注"),
            ("已分類", "已分类"),
        ] {
            assert_eq!(fold(hant), fold(hans), "{hant} / {hans}");
            assert_eq!(fold(hans), hans, "Simplified stays as it is");
        }
        assert_eq!(fold(" phone "), "phone");
    }

    #[test]
    fn find_by_key_label_or_the_other_script() {
        let items = [("phone", "電話"), ("email", "電子郵件")];
        let find = |t: &str| find(&items, t, |i| i.0, |i| i.1).map(|i| i.0);
        assert_eq!(find("phone"), Some("phone"));
        assert_eq!(find("電話"), Some("phone"));
        assert_eq!(find("电话"), Some("phone"));
        assert_eq!(find("电子邮件"), Some("email"));
        assert_eq!(find("fax"), None);
        assert_eq!(find(""), None);
    }

    #[test]
    fn labels_that_meet_in_one_script_collide() {
        assert_eq!(collision(&[("a", "電話"), ("b", "电话")]), Some(("a", "b")));
        assert_eq!(collision(&[("a", "email"), ("email", "E-mail")]), Some(("a", "email")));
        assert_eq!(collision(&[("a", "電話"), ("b", "郵件")]), None);
    }
}
