//! Store details as CloudStack holds them: read from a JSON or `key=value` file, then
//! overridden by command-line flags.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The details map of one object store (`object_store_details` in CloudStack).
pub(crate) type Details = HashMap<String, String>;

/// Reads a details file: a JSON object (`{"mgmt_url": "https://ecs:4443", ...}`) or lines of
/// `key=value` (blank lines and `#` comments ignored).
pub(crate) fn read_file(path: &Path) -> Result<Details> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the details file {}", path.display()))?;
    parse(&text).with_context(|| format!("cannot parse the details file {}", path.display()))
}

/// Parses details text in either format; JSON when the first non-blank character is `{`.
pub(crate) fn parse(text: &str) -> Result<Details> {
    if text.trim_start().starts_with('{') {
        parse_json(text)
    } else {
        parse_key_values(text)
    }
}

fn parse_json(text: &str) -> Result<Details> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).context("the JSON is not an object")?;
    object
        .into_iter()
        .map(|(key, value)| {
            let value = match value {
                serde_json::Value::String(text) => text,
                serde_json::Value::Bool(flag) => flag.to_string(),
                serde_json::Value::Number(number) => number.to_string(),
                serde_json::Value::Null => String::new(),
                other => bail!("detail {key:?} must be a string, number or boolean, not {other}"),
            };
            Ok((key, value))
        })
        .collect()
}

fn parse_key_values(text: &str) -> Result<Details> {
    let mut details = Details::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) =
            split_pair(line).with_context(|| format!("line {}: expected key=value", index + 1))?;
        details.insert(key, value);
    }
    Ok(details)
}

/// Splits `key=value` (the value may itself contain `=`); the key is trimmed and non-empty.
pub(crate) fn split_pair(text: &str) -> Result<(String, String)> {
    let Some((key, value)) = text.split_once('=') else {
        bail!("{text:?} has no '='");
    };
    let key = key.trim();
    if key.is_empty() {
        bail!("{text:?} has an empty key");
    }
    Ok((key.to_owned(), value.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_value_lines_with_comments_and_equals_in_values() {
        let details = parse("# store\nmgmt_url = https://ecs:4443\n\nsa_password=a=b\n").unwrap();
        assert_eq!(details["mgmt_url"], "https://ecs:4443");
        assert_eq!(details["sa_password"], "a=b");
        assert_eq!(details.len(), 2);
    }

    #[test]
    fn parses_json_with_scalars() {
        let details = parse(r#"{"namespace": "ns1", "insecure": true, "size": 10}"#).unwrap();
        assert_eq!(details["insecure"], "true");
        assert_eq!(details["size"], "10");
    }

    #[test]
    fn rejects_nested_json_and_lines_without_equals() {
        assert!(parse(r#"{"a": {"b": 1}}"#).is_err());
        let err = parse("mgmt_url\n").unwrap_err();
        assert!(format!("{err:#}").contains("line 1"), "{err:#}");
    }
}
