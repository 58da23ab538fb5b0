//! Every user-facing text lives in `locales/{ru,kk,en}.json` and reaches the screen
//! through leptos_i18n. These checks fail when a key is missing (or empty) in one
//! language, when a translation loses or invents a placeholder, or when a component
//! writes text into the page itself.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const LANGUAGES: [&str; 3] = ["ru", "kk", "en"];

/// Languages' own names, shown in themselves whatever the page's language.
const ENDONYMS: [&str; 3] = ["Қазақша", "Русский", "English"];

/// The kiosk keypad's rows are keys to press, not texts to read.
const KEY_LAYOUTS: &str = "src/kiosk/keypad.rs";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `section.key` → text.
fn texts(language: &str) -> BTreeMap<String, String> {
    let path = root().join(format!("locales/{language}.json"));
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let mut flat = BTreeMap::new();
    flatten("", &json, &mut flat);
    flat
}

fn flatten(prefix: &str, value: &serde_json::Value, into: &mut BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, value, into);
            }
        }
        serde_json::Value::String(text) => {
            into.insert(prefix.to_owned(), text.clone());
        }
        other => panic!("{prefix}: not a text: {other}"),
    }
}

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}"))
        .map(|(name, _)| name.trim().to_owned())
        .collect()
}

/// CLDR plural categories, as leptos_i18n suffixes them (`key_few`): Russian has more
/// forms than Kazakh or English, so the key counts without them.
const PLURALS: [&str; 6] = ["_zero", "_one", "_two", "_few", "_many", "_other"];

/// The texts by key with the plural forms of one key joined (their placeholders
/// together), and a check that each plural key has its `_other` form.
fn by_key(texts: BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut joined: BTreeMap<String, String> = BTreeMap::new();
    for (key, text) in &texts {
        let base = PLURALS
            .iter()
            .find_map(|suffix| key.strip_suffix(suffix))
            .filter(|base| texts.contains_key(&format!("{base}_other")))
            .unwrap_or(key);
        joined.entry(base.to_owned()).or_default().push_str(text);
    }
    joined
}

#[test]
fn every_key_is_in_every_language_with_the_same_placeholders() {
    let all: Vec<_> = LANGUAGES.iter().map(|l| (*l, by_key(texts(l)))).collect();
    let keys: BTreeSet<&String> = all.iter().flat_map(|(_, t)| t.keys()).collect();
    let mut problems = Vec::new();
    for key in keys {
        let found: Vec<_> = all.iter().map(|(l, t)| (*l, t.get(key))).collect();
        for (language, text) in &found {
            match text {
                None => problems.push(format!("{key}: missing in {language}")),
                Some(text) if text.trim().is_empty() => {
                    problems.push(format!("{key}: empty in {language}"))
                }
                Some(_) => {}
            }
        }
        let sets: BTreeSet<_> = found
            .iter()
            .filter_map(|(_, text)| text.map(|t| placeholders(t)))
            .collect();
        if sets.len() > 1 {
            problems.push(format!("{key}: placeholders differ: {sets:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A string literal of Rust source, and what stands right before and after it.
struct Literal {
    text: String,
    before: char,
    after: char,
    line: usize,
}

/// The string literals of a Rust file, comments skipped. Written here because a full
/// Rust parser (syn) does not see inside `view!`'s tokens as text positions, and this
/// needs only strings, chars and comments told apart.
fn literals(source: &str) -> Vec<Literal> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let (mut i, mut line, mut last) = (0, 1, ' ');
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        if c == '\n' {
            line += 1;
        }
        if c == '/' && next == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == '*' {
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '\'' {
            // A char literal ('"', '\'', 'x') or a lifetime ('a): skip the former.
            if next == '\\' {
                i += 4;
                while i < chars.len() && chars[i - 1] != '\'' {
                    i += 1;
                }
                continue;
            }
            if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                continue;
            }
        }
        let raw = c == 'r' && (next == '"' || next == '#') && !last.is_alphanumeric();
        if c == '"' || raw {
            let hashes = if raw {
                let mut n = 0;
                i += 1;
                while chars[i] == '#' {
                    n += 1;
                    i += 1;
                }
                n
            } else {
                0
            };
            let start_line = line;
            i += 1;
            let mut text = String::new();
            loop {
                let ch = chars[i];
                if ch == '\n' {
                    line += 1;
                }
                if !raw && ch == '\\' {
                    text.push(chars[i + 1]);
                    i += 2;
                    continue;
                }
                if ch == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                text.push(ch);
                i += 1;
            }
            let after = chars[i..]
                .iter()
                .copied()
                .find(|c| !c.is_whitespace())
                .unwrap_or(' ');
            found.push(Literal {
                text,
                before: last,
                after,
                line: start_line,
            });
            last = '"';
            continue;
        }
        if !c.is_whitespace() {
            last = c;
        }
        i += 1;
    }
    found
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Two letters in a row: a word, not a symbol or a space between elements.
fn has_word(text: &str) -> bool {
    text.chars()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| w[0].is_alphabetic() && w[1].is_alphabetic())
}

#[test]
fn no_component_writes_text_of_its_own() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut problems = Vec::new();
    for file in files.into_iter().filter(|f| !f.ends_with(KEY_LAYOUTS)) {
        let source = fs::read_to_string(&file).unwrap();
        for literal in literals(&source) {
            if ENDONYMS.contains(&literal.text.as_str()) {
                continue;
            }
            // Russian or Kazakh text belongs in the locale files, wherever it is.
            let cyrillic = literal.text.chars().any(is_cyrillic);
            // In a `view!`, a literal between tags (`>"…"<`) is text on the page.
            let page_text = literal.before == '>'
                && matches!(literal.after, '<' | '{')
                && has_word(&literal.text);
            if cyrillic || page_text {
                problems.push(format!(
                    "{}:{}: {:?}",
                    file.strip_prefix(root()).unwrap_or(&file).display(),
                    literal.line,
                    literal.text
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "hard-coded text:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scanner_sees_page_text_and_not_comments() {
    let found = literals(
        "// \"comment\"\nview! { <p>\"Привет\"</p> <a href=\"/x\">{t!(i18n, a)}</a> }\nlet c = '\"';",
    );
    let texts: Vec<_> = found
        .iter()
        .map(|l| (l.text.as_str(), l.before, l.after))
        .collect();
    assert_eq!(texts, [("Привет", '>', '<'), ("/x", '=', '>')]);
}
