//! Generators of hostile input: awkward scalars, documents built from a parser's own vocabulary
//! (so generated XML and JSON reach deep into the models instead of failing at the first
//! byte), mutated copies of valid documents, and raw bytes.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};

/// Scalars that have broken parsers before: boundaries of integer types, signs, exponents,
/// spellings of booleans and nulls, dates in several formats, entities, byte-order marks.
const AWKWARD: &[&str] = &[
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1",
    "01",
    "+5",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999",
    "1e308",
    "1e309",
    "-1e309",
    "1.5",
    "0.000001",
    "NaN",
    "Infinity",
    "-inf",
    "true",
    "false",
    "TRUE",
    "False",
    "yes",
    "null",
    "None",
    "nil",
    "{}",
    "[]",
    "2024-02-30T25:61:61Z",
    "2024-01-01T00:00:00Z",
    "2024-01-01T00:00:00.123456789+14:00",
    "1970-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "Thu Jan 01 00:00:00 UTC 1970",
    "Mon Feb 31 99:99:99 XYZ 2024",
    "2024-01-01 00:00:00.000",
    "-62135596800000",
    "253402300800000",
    "&amp;",
    "&lt;x&gt;",
    "&#0;",
    "&#x110000;",
    "&bogus;",
    "&",
    "]]>",
    "<![CDATA[x]]>",
    "\u{feff}",
    "\u{0}",
    "\u{7f}",
    "\u{202e}",
    "\u{10ffff}",
    "é",
    "%00",
    "%zz",
    "%",
    "a%2Fb",
    "\\",
    "\"",
    "'",
    "\r\n",
    "\t",
    "urn:storageos:ReplicationDataService:rg1:global",
    "urn:storageos:",
    "arn:aws:s3:::bucket/*",
    "*",
    "SYSTEM_ADMIN",
    "NAMESPACE_ADMIN",
    "Enabled",
    "Suspended",
    "GB",
    "KB",
];

/// An awkward scalar: one of the known troublemakers, an integer or float at any magnitude, or
/// a short run of arbitrary characters.
pub fn scalar_text() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        4 => select(AWKWARD).prop_map(str::to_owned),
        2 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|n| n.to_string()),
        2 => "[a-zA-Z0-9 ._:/-]{0,12}",
        1 => any::<String>().prop_map(|text| text.chars().take(24).collect()),
    ]
}

/// Awkward text: scalars, arbitrary Unicode, long runs and markup characters.
pub fn awkward_text() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        6 => scalar_text(),
        2 => any::<String>(),
        1 => (select(&["a", "é", "<", "&", "%", "\u{0}", "9", "-"][..]), 100usize..70_000)
            .prop_map(|(unit, count)| unit.repeat(count)),
        1 => proptest::collection::vec(scalar_text(), 1..5).prop_map(|parts| parts.concat()),
    ]
}

/// Text assembled from a caller's vocabulary (names, separators, known values) and awkward
/// pieces: generated URLs, names and headers that look almost right.
pub fn text_from(words: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    let piece = prop_oneof![
        6 => select(words).prop_map(str::to_owned),
        2 => scalar_text(),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

/// Raw bytes, short or long.
pub fn bytes() -> impl Strategy<Value = Vec<u8>> + Clone {
    prop_oneof![
        3 => proptest::collection::vec(any::<u8>(), 0..64),
        1 => proptest::collection::vec(any::<u8>(), 0..4096),
    ]
}

/// An element or attribute name: mostly the parser's vocabulary, sometimes not a name at all.
fn name(vocab: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        8 => select(vocab).prop_map(str::to_owned),
        1 => select(&["", "a:b", "xmlns", "1x", "x y", "ns:error", "-", "é", "Ω"][..])
            .prop_map(str::to_owned),
        1 => "[a-z_]{1,8}",
    ]
}

/// XML text content: escaped (well formed) or raw (often not).
fn xml_text() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        3 => scalar_text().prop_map(|text| escape_xml(&text)),
        1 => awkward_text(),
    ]
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A generated XML node, written out as text.
fn xml_node(vocab: &'static [&'static str]) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => (name(vocab), xml_text()).prop_map(|(name, text)| format!("<{name}>{text}</{name}>")),
        1 => name(vocab).prop_map(|name| format!("<{name}/>")),
        1 => xml_text(),
        1 => select(
            &["<!-- c -->", "<![CDATA[<x>]]>", "<?pi x?>", "</", "<", "<a", "&", "<!DOCTYPE x>"][..]
        )
        .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        (
            name(vocab),
            proptest::collection::vec((name(vocab), scalar_text()), 0..2),
            proptest::collection::vec(inner, 0..6),
            prop_oneof![8 => Just(true), 1 => Just(false)],
        )
            .prop_map(|(name, attributes, children, closed)| {
                let attributes: String = attributes
                    .iter()
                    .map(|(key, value)| format!(" {key}=\"{}\"", escape_xml(value)))
                    .collect();
                let close = if closed {
                    format!("</{name}>")
                } else {
                    String::new()
                };
                format!("<{name}{attributes}>{}{close}", children.concat())
            })
    })
}

/// An XML document whose elements are mostly named from `vocab`: sometimes well formed and
/// shaped like the model, sometimes broken in one place.
pub fn xml_doc(vocab: &'static [&'static str]) -> impl Strategy<Value = String> {
    (
        prop_oneof![
            3 => Just(String::new()),
            1 => Just("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>".to_owned()),
            1 => Just("\u{feff}".to_owned()),
        ],
        name(vocab),
        proptest::collection::vec(xml_node(vocab), 0..6),
    )
        .prop_map(|(prolog, root, children)| {
            format!("{prolog}<{root}>{}</{root}>", children.concat())
        })
}

/// A JSON value whose object keys are mostly from `vocab`.
pub fn json_value(vocab: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|n| Number::from_f64(n).map_or(Value::Null, Value::Number)),
        4 => scalar_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            1 => proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            3 => proptest::collection::vec((name(vocab), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A JSON document from [`json_value`], whole or cut short.
pub fn json_doc(vocab: &'static [&'static str]) -> impl Strategy<Value = String> {
    (json_value(vocab), any::<u8>()).prop_map(|(value, cut)| {
        let text = value.to_string();
        if cut < 220 {
            text
        } else {
            let keep = text.len() * usize::from(cut - 220) / 36;
            text.char_indices()
                .take_while(|(at, _)| *at < keep)
                .map(|(_, c)| c)
                .collect()
        }
    })
}

/// One edit of a document.
#[derive(Clone, Debug)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
    Truncate(usize),
    Replace(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop_oneof![
        3 => select(
            &["<", ">", "</", "/>", "\"", "'", "{", "}", "[", "]", ",", ":", "&", "=", "\u{0}",
              "\u{feff}", "-", "e99999", "9999999999999999999999", "null", "true", "\\u0000",
              "\\ud800", "<x>", "</x>", "%", "\n"][..]
        )
        .prop_map(str::to_owned),
        1 => scalar_text(),
    ];
    prop_oneof![
        2 => (any::<usize>(), 1usize..16).prop_map(|(at, len)| Edit::Delete(at, len)),
        3 => (any::<usize>(), token.clone()).prop_map(|(at, text)| Edit::Insert(at, text)),
        1 => (any::<usize>(), 1usize..64).prop_map(|(at, len)| Edit::Duplicate(at, len)),
        1 => any::<usize>().prop_map(Edit::Truncate),
        2 => (any::<usize>(), token).prop_map(|(at, text)| Edit::Replace(at, text)),
    ]
}

fn apply(doc: &mut Vec<u8>, edit: &Edit) {
    let len = doc.len();
    let at = |position: usize| if len == 0 { 0 } else { position % (len + 1) };
    match edit {
        Edit::Delete(position, count) => {
            let start = at(*position);
            let end = (start + count).min(len);
            doc.drain(start..end);
        }
        Edit::Insert(position, text) => {
            let start = at(*position);
            doc.splice(start..start, text.bytes());
        }
        Edit::Duplicate(position, count) => {
            let start = at(*position);
            let end = (start + count).min(len);
            let copy = doc[start..end].to_vec();
            doc.splice(end..end, copy);
        }
        Edit::Truncate(position) => doc.truncate(at(*position)),
        Edit::Replace(position, text) => {
            let start = at(*position);
            let end = (start + text.len()).min(len);
            doc.splice(start..end, text.bytes());
        }
    }
}

/// A copy of one of `seeds` (valid documents) with one to four byte-level edits: deletions,
/// insertions of markup and awkward values, duplications, truncation. May not be UTF-8.
pub fn mutated(seeds: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    (select(seeds), proptest::collection::vec(edit(), 1..5)).prop_map(|(seed, edits)| {
        let mut doc = seed.into_bytes();
        for edit in &edits {
            apply(&mut doc, edit);
        }
        doc
    })
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;

    #[test]
    fn edits_stay_in_bounds() {
        let mut doc = b"<a>1</a>".to_vec();
        for edit in [
            Edit::Delete(usize::MAX, 99),
            Edit::Duplicate(3, 1000),
            Edit::Replace(usize::MAX - 1, "xyz".to_owned()),
            Edit::Truncate(5),
            Edit::Insert(0, "<".to_owned()),
        ] {
            apply(&mut doc, &edit);
        }
        assert!(doc.starts_with(b"<"), "{doc:?}");
        let mut empty = Vec::new();
        apply(&mut empty, &Edit::Delete(7, 3));
        apply(&mut empty, &Edit::Duplicate(7, 3));
        assert!(empty.is_empty());
    }

    #[test]
    fn documents_use_the_vocabulary() {
        const VOCAB: &[&str] = &["bucket_info", "name", "quota"];
        let mut runner = TestRunner::deterministic();
        let mut named = 0;
        for _ in 0..200 {
            let doc = xml_doc(VOCAB)
                .new_tree(&mut runner)
                .expect("tree")
                .current();
            let json = json_doc(VOCAB)
                .new_tree(&mut runner)
                .expect("tree")
                .current();
            if doc.contains("<name>") || json.contains("\"quota\"") {
                named += 1;
            }
        }
        assert!(
            named > 20,
            "only {named} of 200 documents used the vocabulary"
        );
    }
}
