//! Turns `locales/<tag>.json` into Rust at build time: a `Msg` enum with one variant per key and
//! a `text(Language, Msg)` table. The first language is the reference; every other must have
//! exactly its keys and the same `{placeholders}`, or the build fails naming what is wrong. The
//! app then carries plain string tables: no parser, no catalogue loading at run time.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};
use std::path::Path;

/// One language's messages, keys flattened with dots (`{"kiosk": {"title": …}}` is `kiosk.title`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Messages {
    /// The name of the `Language` variant these messages are for.
    pub variant: String,
    pub file: String,
    pub entries: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueError {
    Unreadable { file: String, reason: String },
    NotAnObjectOfStrings { file: String, key: String },
    BadKey { file: String, key: String },
    Missing { file: String, keys: Vec<String> },
    Unexpected { file: String, keys: Vec<String> },
    Placeholders { file: String, key: String, expected: Vec<String>, found: Vec<String> },
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogueError::Unreadable { file, reason } => write!(f, "{file}: cannot read: {reason}"),
            CatalogueError::NotAnObjectOfStrings { file, key } => {
                write!(f, "{file}: `{key}` must be a string or an object of strings")
            }
            CatalogueError::BadKey { file, key } => {
                write!(f, "{file}: key `{key}` may use only a-z, 0-9 and _ between dots")
            }
            CatalogueError::Missing { file, keys } => write!(f, "{file}: missing translations for {}", keys.join(", ")),
            CatalogueError::Unexpected { file, keys } => {
                write!(f, "{file}: keys not in the reference language: {}", keys.join(", "))
            }
            CatalogueError::Placeholders { file, key, expected, found } => write!(
                f,
                "{file}: `{key}` has placeholders {found:?} but the reference language has {expected:?}"
            ),
        }
    }
}

/// Reads and flattens one language file.
pub fn read(path: &Path, variant: &str) -> Result<Messages, CatalogueError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| CatalogueError::Unreadable { file: file.clone(), reason: e.to_string() })?;
    parse(&file, variant, &text)
}

pub fn parse(file: &str, variant: &str, text: &str) -> Result<Messages, CatalogueError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| CatalogueError::Unreadable { file: file.to_owned(), reason: e.to_string() })?;
    let mut entries = BTreeMap::new();
    flatten(file, "", &value, &mut entries)?;
    Ok(Messages { variant: variant.to_owned(), file: file.to_owned(), entries })
}

fn flatten(file: &str, prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) -> Result<(), CatalogueError> {
    let Value::Object(map) = value else {
        return Err(CatalogueError::NotAnObjectOfStrings { file: file.to_owned(), key: prefix.to_owned() });
    };
    for (name, value) in map {
        let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err(CatalogueError::BadKey { file: file.to_owned(), key });
        }
        match value {
            Value::String(s) => {
                out.insert(key, s.clone());
            }
            Value::Object(_) => flatten(file, &key, value, out)?,
            _ => return Err(CatalogueError::NotAnObjectOfStrings { file: file.to_owned(), key }),
        }
    }
    Ok(())
}

/// The `{name}` placeholders of a message, sorted.
pub fn placeholders(message: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut rest = message;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        found.insert(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    found.into_iter().collect()
}

/// Checks every language against the first: same keys, same placeholders.
pub fn check(languages: &[Messages]) -> Result<(), CatalogueError> {
    let Some((reference, others)) = languages.split_first() else { return Ok(()) };
    for other in others {
        let missing: Vec<String> =
            reference.entries.keys().filter(|k| !other.entries.contains_key(*k)).cloned().collect();
        if !missing.is_empty() {
            return Err(CatalogueError::Missing { file: other.file.clone(), keys: missing });
        }
        let unexpected: Vec<String> =
            other.entries.keys().filter(|k| !reference.entries.contains_key(*k)).cloned().collect();
        if !unexpected.is_empty() {
            return Err(CatalogueError::Unexpected { file: other.file.clone(), keys: unexpected });
        }
        for (key, message) in &reference.entries {
            let expected = placeholders(message);
            let found = placeholders(&other.entries[key]);
            if expected != found {
                return Err(CatalogueError::Placeholders { file: other.file.clone(), key: key.clone(), expected, found });
            }
        }
    }
    Ok(())
}

/// `kiosk.start_title` → `KioskStartTitle`.
fn variant_name(key: &str) -> String {
    key.split(['.', '_'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// Checks the catalogue and writes the Rust module. `language_path` is the path of the app's
/// `Language` type, whose variants the messages name.
pub fn generate(languages: &[Messages], language_path: &str) -> Result<String, CatalogueError> {
    check(languages)?;
    let keys: Vec<&String> = languages.first().map(|l| l.entries.keys().collect()).unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "// Generated by lane-i18n-build from locales/*.json. Edit those, not this.");
    let _ = writeln!(out, "/// Every message the app shows; its text comes from [`text`].");
    let _ = writeln!(out, "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Msg {{");
    for key in &keys {
        let _ = writeln!(out, "    /// `{key}`\n    {},", variant_name(key));
    }
    let _ = writeln!(out, "}}\n\nimpl Msg {{\n    pub const ALL: [Msg; {}] = [", keys.len());
    for key in &keys {
        let _ = writeln!(out, "        Msg::{},", variant_name(key));
    }
    let _ = writeln!(out, "    ];\n\n    pub const fn key(self) -> &'static str {{\n        match self {{");
    for key in &keys {
        let _ = writeln!(out, "            Msg::{} => {key:?},", variant_name(key));
    }
    let _ = writeln!(out, "        }}\n    }}\n}}\n");
    let _ = writeln!(out, "/// The message in the language.\npub const fn text(language: {language_path}, msg: Msg) -> &'static str {{\n    match language {{");
    for language in languages {
        let _ = writeln!(out, "        {language_path}::{} => match msg {{", language.variant);
        for key in &keys {
            let _ = writeln!(out, "            Msg::{} => {:?},", variant_name(key), language.entries[*key]);
        }
        let _ = writeln!(out, "        }},");
    }
    let _ = writeln!(out, "    }}\n}}");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(variant: &str, json: &str) -> Messages {
        parse(&format!("{variant}.json"), variant, json).unwrap()
    }

    #[test]
    fn nested_keys_flatten_with_dots() {
        let m = lang("English", r#"{"kiosk": {"title": "Welcome", "sub": {"x": "y"}}, "ok": "OK"}"#);
        let keys: Vec<_> = m.entries.keys().cloned().collect();
        assert_eq!(keys, vec!["kiosk.sub.x", "kiosk.title", "ok"]);
    }

    #[test]
    fn a_missing_key_fails_naming_file_and_key() {
        let en = lang("English", r#"{"a": "A", "b": "B"}"#);
        let ko = lang("Korean", r#"{"a": "가"}"#);
        let err = generate(&[en, ko], "Language").unwrap_err();
        assert_eq!(err, CatalogueError::Missing { file: "Korean.json".into(), keys: vec!["b".into()] });
        assert_eq!(err.to_string(), "Korean.json: missing translations for b");
    }

    #[test]
    fn an_extra_key_fails() {
        let en = lang("English", r#"{"a": "A"}"#);
        let zh = lang("Chinese", r#"{"a": "甲", "z": "乙"}"#);
        assert!(matches!(check(&[en, zh]), Err(CatalogueError::Unexpected { .. })));
    }

    #[test]
    fn placeholders_must_match() {
        let en = lang("English", r#"{"waiting": "{count} waiting"}"#);
        let zh = lang("Chinese", r#"{"waiting": "等待中 {n}"}"#);
        assert!(matches!(check(&[en, zh]), Err(CatalogueError::Placeholders { .. })));
        assert_eq!(placeholders("{b} and {a} and {b}"), vec!["a", "b"]);
    }

    #[test]
    fn bad_values_and_keys_are_refused() {
        assert!(matches!(parse("x", "X", r#"{"a": 1}"#), Err(CatalogueError::NotAnObjectOfStrings { .. })));
        assert!(matches!(parse("x", "X", r#"{"Bad-Key": "v"}"#), Err(CatalogueError::BadKey { .. })));
        assert!(matches!(parse("x", "X", "not json"), Err(CatalogueError::Unreadable { .. })));
    }

    #[test]
    fn generates_enum_and_table() {
        let en = lang("English", r#"{"kiosk": {"start_title": "Welcome"}}"#);
        let ko = lang("Korean", r#"{"kiosk": {"start_title": "어서 오세요"}}"#);
        let code = generate(&[en, ko], "Language").unwrap();
        assert!(code.contains("    KioskStartTitle,"));
        assert!(code.contains("Msg::KioskStartTitle => \"kiosk.start_title\","));
        assert!(code.contains("Language::Korean => match msg {\n            Msg::KioskStartTitle => \"어서 오세요\","));
    }
}
