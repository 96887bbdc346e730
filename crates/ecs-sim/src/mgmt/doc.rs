//! Response documents built once and rendered as ECS XML or as ECS JSON.
//!
//! ECS's JSON is the XML root's content without the root wrapper; repeated XML elements become
//! JSON arrays; `link` is an attribute-only element in XML and `{"rel","href"}` in JSON. A
//! [`Doc`] records a response as ordered fields so both renderings come from one description.

use std::fmt::Write as _;

use quick_xml::escape::escape;
use serde_json::{Map, Value as Json};

/// The wire format of a management request or response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `application/xml`, ECS's default.
    Xml,
    /// `application/json`.
    Json,
}

impl Format {
    /// The `Content-Type` of a response in this format.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "application/xml",
            Format::Json => "application/json",
        }
    }
}

/// One field value of a [`Doc`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    /// A string (`""` renders as an empty element).
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A decimal number (billing sizes in KB/MB/GB).
    Float(f64),
    /// A nested element / object.
    Obj(Doc),
    /// Repeated elements with the field's name in XML; an array in JSON.
    List(Vec<Val>),
    /// In XML an element (the field's name) holding repeated `item` elements; in JSON an array
    /// under `json_key`, or under the field's name when `None`.
    Wrapped {
        item: &'static str,
        json_key: Option<&'static str>,
        items: Vec<Val>,
    },
    /// A `link` with `rel="self"`: attributes in XML, an object in JSON.
    Link(String),
}

/// An ordered document: the XML root name plus fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Doc {
    root: &'static str,
    fields: Vec<(String, Val)>,
}

impl Doc {
    /// Starts a document whose XML root element is `root`.
    pub(crate) fn new(root: &'static str) -> Self {
        Doc {
            root,
            fields: Vec::new(),
        }
    }

    /// Appends a field.
    pub(crate) fn val(mut self, name: &str, value: Val) -> Self {
        self.fields.push((name.to_owned(), value));
        self
    }

    /// Appends a string field.
    pub(crate) fn str(self, name: &str, value: impl Into<String>) -> Self {
        self.val(name, Val::Str(value.into()))
    }

    /// Appends a string field when `value` is present.
    pub(crate) fn opt_str(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.str(name, value),
            None => self,
        }
    }

    /// Appends an integer field.
    pub(crate) fn int(self, name: &str, value: i64) -> Self {
        self.val(name, Val::Int(value))
    }

    /// Appends a boolean field.
    pub(crate) fn bool(self, name: &str, value: bool) -> Self {
        self.val(name, Val::Bool(value))
    }

    /// Appends a nested document.
    pub(crate) fn obj(self, name: &str, value: Doc) -> Self {
        self.val(name, Val::Obj(value))
    }

    /// Appends repeated elements (a JSON array).
    pub(crate) fn list(self, name: &str, items: Vec<Val>) -> Self {
        self.val(name, Val::List(items))
    }

    /// Appends a self link.
    pub(crate) fn link(self, href: impl Into<String>) -> Self {
        self.val("link", Val::Link(href.into()))
    }

    /// Renders the document in `format`.
    pub(crate) fn render(&self, format: Format) -> String {
        match format {
            Format::Xml => self.to_xml(),
            Format::Json => self.to_json().to_string(),
        }
    }

    /// The XML rendering, with ECS's declaration.
    pub(crate) fn to_xml(&self) -> String {
        let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
        write_element(&mut out, self.root, &Val::Obj(self.clone()));
        out
    }

    /// The JSON rendering: the root's content without a wrapper.
    pub(crate) fn to_json(&self) -> Json {
        let mut map = Map::new();
        for (name, value) in &self.fields {
            let (key, json) = match value {
                Val::Wrapped {
                    json_key, items, ..
                } => (
                    json_key.map_or_else(|| name.clone(), str::to_owned),
                    Json::Array(items.iter().map(val_json).collect()),
                ),
                other => (name.clone(), val_json(other)),
            };
            map.insert(key, json);
        }
        Json::Object(map)
    }
}

fn val_json(value: &Val) -> Json {
    match value {
        Val::Str(text) => Json::String(text.clone()),
        Val::Int(number) => Json::from(*number),
        Val::Bool(flag) => Json::Bool(*flag),
        Val::Float(number) => {
            serde_json::Number::from_f64(*number).map_or(Json::Null, Json::Number)
        }
        Val::Obj(doc) => doc.to_json(),
        Val::List(items) | Val::Wrapped { items, .. } => {
            Json::Array(items.iter().map(val_json).collect())
        }
        Val::Link(href) => serde_json::json!({ "rel": "self", "href": href }),
    }
}

fn write_element(out: &mut String, name: &str, value: &Val) {
    match value {
        Val::Str(text) if text.is_empty() => {
            let _ = write!(out, "<{name}/>");
        }
        Val::Str(text) => {
            let _ = write!(out, "<{name}>{}</{name}>", escape(text.as_str()));
        }
        Val::Int(number) => {
            let _ = write!(out, "<{name}>{number}</{name}>");
        }
        Val::Bool(flag) => {
            let _ = write!(out, "<{name}>{flag}</{name}>");
        }
        Val::Float(number) => {
            let text = serde_json::Number::from_f64(*number)
                .map(|n| n.to_string())
                .unwrap_or_default();
            let _ = write!(out, "<{name}>{text}</{name}>");
        }
        Val::Obj(doc) if doc.fields.is_empty() => {
            let _ = write!(out, "<{name}/>");
        }
        Val::Obj(doc) => {
            let _ = write!(out, "<{name}>");
            for (field, value) in &doc.fields {
                write_element(out, field, value);
            }
            let _ = write!(out, "</{name}>");
        }
        Val::List(items) => {
            for item in items {
                write_element(out, name, item);
            }
        }
        Val::Wrapped { items, .. } if items.is_empty() => {
            let _ = write!(out, "<{name}/>");
        }
        Val::Wrapped { item, items, .. } => {
            let _ = write!(out, "<{name}>");
            for value in items {
                write_element(out, item, value);
            }
            let _ = write!(out, "</{name}>");
        }
        Val::Link(href) => {
            let _ = write!(
                out,
                r#"<{name} rel="self" href="{}"/>"#,
                escape(href.as_str())
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Doc {
        Doc::new("object_buckets")
            .list(
                "object_bucket",
                vec![
                    Val::Obj(
                        Doc::new("object_bucket")
                            .str("name", "a&b")
                            .int("block_size", -1),
                    ),
                    Val::Obj(
                        Doc::new("object_bucket")
                            .str("name", "c")
                            .bool("locked", true),
                    ),
                ],
            )
            .link("/object/bucket")
            .val(
                "tags",
                Val::Wrapped {
                    item: "tag",
                    json_key: Some("tag"),
                    items: vec![Val::Str("x".into())],
                },
            )
            .str("Filter", "")
    }

    #[test]
    fn xml_repeats_elements_and_escapes() {
        assert_eq!(
            sample().to_xml(),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><object_buckets>"#,
                "<object_bucket><name>a&amp;b</name><block_size>-1</block_size></object_bucket>",
                "<object_bucket><name>c</name><locked>true</locked></object_bucket>",
                r#"<link rel="self" href="/object/bucket"/><tags><tag>x</tag></tags><Filter/></object_buckets>"#
            )
        );
    }

    #[test]
    fn json_is_unwrapped_with_arrays() {
        assert_eq!(
            sample().to_json(),
            serde_json::json!({
                "object_bucket": [{"name": "a&b", "block_size": -1}, {"name": "c", "locked": true}],
                "link": {"rel": "self", "href": "/object/bucket"},
                "tag": ["x"],
                "Filter": ""
            })
        );
    }
}
