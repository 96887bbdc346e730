//! Request bodies in XML or JSON, read through one lenient accessor API.
//!
//! XML is turned into the JSON shape ECS uses (root content, repeated elements as arrays, leaf
//! text as strings), and JSON bodies wrapped in their XML root name are unwrapped, so handlers
//! read `blockSize` the same way whatever the client sent. Numbers and booleans are accepted as
//! JSON values or as strings, as ECS clients send both.

use std::collections::HashMap;

use quick_xml::events::Event;
use serde_json::{Map, Value as Json};

use crate::error::EcsError;

/// A parsed request body.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Input(Json);

impl Input {
    /// Parses `bytes` as JSON when `content_type` says so, else as XML; empty means no fields.
    pub(crate) fn parse(content_type: Option<&str>, bytes: &[u8]) -> Result<Input, EcsError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Input(Json::Object(Map::new())));
        }
        let json = content_type.is_some_and(|value| value.contains("json"))
            || bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{');
        if json {
            serde_json::from_slice(bytes)
                .map(Input)
                .map_err(|error| EcsError::bad_body(format!("Unable to parse JSON body: {error}")))
        } else {
            parse_xml(bytes).map(Input)
        }
    }

    /// The raw JSON value.
    pub(crate) fn json(&self) -> &Json {
        &self.0
    }

    /// Unwraps `{"root": {...}}` into `{...}` (ECS accepts both forms).
    pub(crate) fn root(self, root: &str) -> Input {
        match self.0 {
            Json::Object(map) if map.len() == 1 && map.get(root).is_some_and(Json::is_object) => {
                Input(
                    map.into_iter()
                        .next()
                        .map(|(_, inner)| inner)
                        .unwrap_or_default(),
                )
            }
            other => Input(other),
        }
    }

    fn get(&self, key: &str) -> Option<&Json> {
        self.0.get(key).filter(|value| !value.is_null())
    }

    /// A string field; numbers and booleans are given as text.
    pub(crate) fn str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Json::String(text) => Some(text.clone()),
            Json::Number(number) => Some(number.to_string()),
            Json::Bool(flag) => Some(flag.to_string()),
            _ => None,
        }
    }

    /// A non-empty string field, or 400/1005 naming it.
    pub(crate) fn required(&self, key: &str) -> Result<String, EcsError> {
        self.str(key)
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty())
            .ok_or_else(|| EcsError::missing(key))
    }

    /// An integer field (JSON number or numeric text); 400/1008 when not an integer.
    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, EcsError> {
        let invalid = || EcsError::invalid(format!("Parameter {key} must be an integer"));
        match self.get(key) {
            None => Ok(None),
            Some(Json::Number(number)) => number.as_i64().map(Some).ok_or_else(invalid),
            Some(Json::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Json::String(text)) => text.trim().parse().map(Some).map_err(|_| invalid()),
            Some(_) => Err(invalid()),
        }
    }

    /// A boolean field (JSON boolean or `true`/`false` text); 400/1008 otherwise.
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, EcsError> {
        let invalid = || EcsError::invalid(format!("Parameter {key} must be true or false"));
        match self.get(key) {
            None => Ok(None),
            Some(Json::Bool(flag)) => Ok(Some(*flag)),
            Some(Json::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Json::String(text)) => match text.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(invalid()),
            },
            Some(_) => Err(invalid()),
        }
    }

    /// A nested object field.
    pub(crate) fn child(&self, key: &str) -> Option<Input> {
        self.get(key)
            .filter(|value| value.is_object())
            .cloned()
            .map(Input)
    }

    /// A repeated field: an array's items, a single value as one item, nothing when absent or
    /// empty text (`<tags></tags>`).
    pub(crate) fn list(&self, key: &str) -> Vec<Input> {
        match self.get(key) {
            None => Vec::new(),
            Some(Json::Array(items)) => items.iter().cloned().map(Input).collect(),
            Some(Json::String(text)) if text.trim().is_empty() => Vec::new(),
            Some(other) => vec![Input(other.clone())],
        }
    }

    /// The item as text, when it is a string or number.
    pub(crate) fn as_text(&self) -> Option<String> {
        match &self.0 {
            Json::String(text) => Some(text.clone()),
            Json::Number(number) => Some(number.to_string()),
            Json::Bool(flag) => Some(flag.to_string()),
            _ => None,
        }
    }
}

/// One XML element under construction.
#[derive(Default)]
struct Element {
    text: String,
    children: Vec<(String, Json)>,
}

impl Element {
    fn into_json(self) -> Json {
        if self.children.is_empty() {
            return Json::String(self.text.trim().to_owned());
        }
        let mut map: Map<String, Json> = Map::new();
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (name, _) in &self.children {
            *counts.entry(name.clone()).or_default() += 1;
        }
        for (name, value) in self.children {
            if counts.get(&name).copied().unwrap_or(0) > 1 {
                let entry = map.entry(name).or_insert_with(|| Json::Array(Vec::new()));
                if let Json::Array(items) = entry {
                    items.push(value);
                }
            } else {
                map.insert(name, value);
            }
        }
        Json::Object(map)
    }
}

fn parse_xml(bytes: &[u8]) -> Result<Json, EcsError> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| EcsError::bad_body("Request body is not UTF-8"))?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<(String, Element)> = Vec::new();
    let bad = |error: &dyn std::fmt::Display| {
        EcsError::bad_body(format!("Unable to parse XML body: {error}"))
    };
    loop {
        match reader.read_event().map_err(|error| bad(&error))? {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                stack.push((name, Element::default()));
            }
            Event::Empty(empty) => {
                let name = String::from_utf8_lossy(empty.local_name().as_ref()).into_owned();
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.push((name, Json::String(String::new()))),
                    None => return Ok(Json::Object(Map::new())),
                }
            }
            Event::Text(content) => {
                let decoded = content.decode().map_err(|error| bad(&error))?;
                let unescaped =
                    quick_xml::escape::unescape(&decoded).map_err(|error| bad(&error))?;
                if let Some((_, element)) = stack.last_mut() {
                    element.text.push_str(&unescaped);
                }
            }
            Event::CData(content) => {
                if let Some((_, element)) = stack.last_mut() {
                    element.text.push_str(&String::from_utf8_lossy(&content));
                }
            }
            Event::GeneralRef(reference) => {
                let name = String::from_utf8_lossy(&reference).into_owned();
                let resolved = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => return Err(bad(&format!("unknown entity &{name};"))),
                };
                if let Some((_, element)) = stack.last_mut() {
                    element.text.push_str(resolved);
                }
            }
            Event::End(_) => {
                let Some((name, element)) = stack.pop() else {
                    return Err(bad(&"unbalanced end tag"));
                };
                let value = element.into_json();
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.push((name, value)),
                    None => {
                        return Ok(match value {
                            Json::String(_) => Json::Object(Map::new()),
                            object => object,
                        });
                    }
                }
            }
            Event::Eof => return Err(bad(&"unexpected end of document")),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_becomes_unwrapped_json_with_lists() {
        let input = Input::parse(
            Some("application/xml"),
            br#"<?xml version="1.0"?><bucket_list><id>a</id><id>b&amp;c</id><x><y>1</y></x><tags></tags></bucket_list>"#,
        )
        .unwrap();
        assert_eq!(
            input.json(),
            &serde_json::json!({"id": ["a", "b&c"], "x": {"y": "1"}, "tags": ""})
        );
        assert_eq!(input.list("id").len(), 2);
        assert!(input.list("tags").is_empty());
        assert_eq!(input.child("x").unwrap().int("y").unwrap(), Some(1));
    }

    #[test]
    fn json_root_wrapper_is_optional() {
        let wrapped = Input::parse(None, br#"{"bucket_quota_param": {"blockSize": "5"}}"#).unwrap();
        let input = wrapped.root("bucket_quota_param");
        assert_eq!(input.int("blockSize").unwrap(), Some(5));
        assert!(input.int("notificationSize").unwrap().is_none());
    }

    #[test]
    fn lenient_scalars_and_errors() {
        let input = Input::parse(
            Some("application/json"),
            br#"{"a": true, "b": "false", "c": "x", "n": 3}"#,
        )
        .unwrap();
        assert_eq!(input.bool("a").unwrap(), Some(true));
        assert_eq!(input.bool("b").unwrap(), Some(false));
        assert_eq!(input.bool("c").unwrap_err().code, 1008);
        assert_eq!(input.str("n").as_deref(), Some("3"));
        assert_eq!(input.required("zz").unwrap_err().code, 1005);
        assert_eq!(Input::parse(None, b"<a>").unwrap_err().code, 1013);
    }
}
