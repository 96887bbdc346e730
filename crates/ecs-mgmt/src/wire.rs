//! The two wire formats ECS speaks (XML and JSON): encoding request bodies, decoding response
//! bodies, and the small serde helpers ECS's loose typing needs (string booleans, numbers as
//! strings, empty elements, per-resource timestamp formats, wrapped and bare tag lists).

use std::fmt;

use ecs_common::{Error, ErrorKind, Result};
use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

/// The body format the client asks for and sends.
///
/// ECS answers in the format named by `Accept` and reads the one named by `Content-Type`; JSON
/// bodies are the XML root's content without the root element.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/json` (the default: smaller and faster to parse).
    #[default]
    Json,
    /// `application/xml`, ECS's own default.
    Xml,
}

impl Format {
    /// The media type for `Accept` and `Content-Type`.
    pub const fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xml => "application/xml",
        }
    }
}

/// Encodes a request body; `root` names the XML root element (JSON has none).
pub(crate) fn encode<T: Serialize>(value: &T, root: &str, format: Format) -> Result<Vec<u8>> {
    match format {
        Format::Json => serde_json::to_vec(value)
            .map_err(|err| Error::internal("cannot encode a JSON request body").with_source(err)),
        Format::Xml => quick_xml::se::to_string_with_root(root, value)
            .map(String::into_bytes)
            .map_err(|err| Error::internal("cannot encode an XML request body").with_source(err)),
    }
}

/// Decodes a response body, naming the failing field when the document does not fit.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], format: Format) -> Result<T> {
    match format {
        Format::Json => decode_json(body),
        Format::Xml => decode_xml(body),
    }
}

fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|err| protocol_error("JSON", &err.path().to_string(), err.inner()))
}

fn decode_xml<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let text = std::str::from_utf8(body).map_err(|err| {
        Error::new(ErrorKind::Protocol, "the XML response is not UTF-8").with_source(err)
    })?;
    let mut deserializer = quick_xml::de::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|err| protocol_error("XML", &err.path().to_string(), err.inner()))
}

fn protocol_error(format: &str, path: &str, err: &dyn fmt::Display) -> Error {
    // The inner error is flattened into the message: quick-xml and serde_json error types must
    // not leak into the public API through `source()` downcasts.
    Error::new(
        ErrorKind::Protocol,
        format!("unexpected {format} response at `{path}`: {err}"),
    )
}

/// A list that XML wraps in an element per item (`<TagSet><Tag>..</Tag></TagSet>`) and JSON
/// writes as a bare array (`"TagSet": [..]`).
pub(crate) struct Listed<'a, T> {
    pub(crate) items: &'a [T],
    pub(crate) item: &'static str,
    pub(crate) format: Format,
}

impl<T: Serialize> Serialize for Listed<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self.format {
            Format::Json => self.items.serialize(serializer),
            Format::Xml => {
                let mut list = serializer.serialize_struct("list", 1)?;
                list.serialize_field(self.item, self.items)?;
                list.end()
            }
        }
    }
}

/// Serde helpers for ECS's loosely typed values; every helper accepts both the XML (always
/// text) and the JSON (sometimes typed, sometimes text) spelling of a value.
pub(crate) mod de {
    use super::*;
    use time::OffsetDateTime;

    /// A scalar as ECS may spell it: text, a boolean, a number, or nothing at all.
    enum Scalar {
        Text(String),
        Bool(bool),
        Int(i128),
        Float(f64),
        Empty,
    }

    impl Scalar {
        fn text(self) -> Option<String> {
            match self {
                Scalar::Text(text) if text.trim().is_empty() => None,
                Scalar::Text(text) => Some(text.trim().to_owned()),
                Scalar::Bool(value) => Some(value.to_string()),
                Scalar::Int(value) => Some(value.to_string()),
                Scalar::Float(value) => Some(value.to_string()),
                Scalar::Empty => None,
            }
        }
    }

    struct ScalarVisitor;

    impl<'de> Visitor<'de> for ScalarVisitor {
        type Value = Scalar;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a text, boolean or number value")
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Scalar, E> {
            Ok(Scalar::Bool(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Scalar, E> {
            Ok(Scalar::Int(v.into()))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Scalar, E> {
            Ok(Scalar::Int(v.into()))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Scalar, E> {
            Ok(Scalar::Float(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Scalar, E> {
            Ok(Scalar::Text(v.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Scalar, E> {
            Ok(Scalar::Text(v))
        }
        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Scalar, E> {
            Ok(Scalar::Empty)
        }
        fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Scalar, E> {
            Ok(Scalar::Empty)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Scalar, D::Error> {
            d.deserialize_any(ScalarVisitor)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Scalar, A::Error> {
            // An XML element with attributes or children but no text (`<a/>` in some readers).
            let mut text = None;
            while let Some(key) = map.next_key::<String>()? {
                if key == "$text" || key == "$value" {
                    text = Some(map.next_value::<String>()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(text.map_or(Scalar::Empty, Scalar::Text))
        }
    }

    fn scalar<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Scalar::text)
    }

    /// A string; an empty element or `null` is `None`.
    pub(crate) fn opt_string<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<String>, D::Error> {
        scalar(d)
    }

    /// A string where absence and emptiness both mean "".
    pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
        scalar(d).map(Option::unwrap_or_default)
    }

    /// A boolean spelled `true`/`false` (any case) or as a JSON boolean; empty is `None`.
    pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<bool>, D::Error> {
        match scalar(d)? {
            None => Ok(None),
            Some(text) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(text) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(other) => Err(serde::de::Error::custom(format!(
                "`{other}` is not a boolean"
            ))),
        }
    }

    /// A boolean where absence means `false`.
    pub(crate) fn bool<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
        opt_bool(d).map(Option::unwrap_or_default)
    }

    /// An integer spelled as a number or as text (`"12"`, `"12.0"`); empty is `None`.
    pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<i64>, D::Error> {
        match scalar(d)? {
            None => Ok(None),
            Some(text) => parse_i64(&text)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an integer"))),
        }
    }

    /// A size in GB where ECS writes `-1` (or any negative value) for "not set".
    pub(crate) fn opt_size_gb<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<u64>, D::Error> {
        opt_i64(d).map(|value| value.and_then(|v| u64::try_from(v).ok()))
    }

    /// An unsigned count spelled as a number or text; empty is `None`.
    pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<u64>, D::Error> {
        match opt_i64(d)? {
            None => Ok(None),
            Some(value) => u64::try_from(value)
                .map(Some)
                .map_err(|_| serde::de::Error::custom(format!("`{value}` is negative"))),
        }
    }

    /// A decimal such as billing's `"107.0"`; empty is `None`.
    pub(crate) fn opt_f64<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<f64>, D::Error> {
        match scalar(d)? {
            None => Ok(None),
            Some(text) => text
                .parse::<f64>()
                .map(Some)
                .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a number"))),
        }
    }

    pub(crate) fn parse_i64(text: &str) -> Option<i64> {
        if let Ok(value) = text.parse::<i64>() {
            return Some(value);
        }
        let value = text.parse::<f64>().ok()?;
        (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
    }

    /// A timestamp in any of the formats ECS uses (see [`crate::time_format`]); empty is `None`.
    ///
    /// A value in an unknown format is dropped (`None`, logged at debug level) rather than
    /// failing the whole call: a timestamp is never worth losing a bucket listing over.
    pub(crate) fn opt_time<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<OffsetDateTime>, D::Error> {
        Ok(scalar(d)?.and_then(|text| {
            let parsed = crate::time_format::parse(&text);
            if parsed.is_none() {
                tracing::debug!(value = %text, "ignoring a timestamp in an unknown format");
            }
            parsed
        }))
    }

    /// A list that XML wraps (`<TagSet><Tag>..</Tag></TagSet>`, `<tags><tag>..</tag></tags>`)
    /// and JSON writes bare (`[..]`); an empty element, `""` or `null` is an empty list.
    pub(crate) fn wrapped_list<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        struct ListVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list, or an element wrapping a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Vec<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(items)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Vec<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key.starts_with('@') || key == "$text" {
                        map.next_value::<IgnoredAny>()?;
                    } else {
                        items.extend(map.next_value::<OneOrMany<T>>()?.0);
                    }
                }
                Ok(items)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Vec<T>, E> {
                if v.trim().is_empty() {
                    Ok(Vec::new())
                } else {
                    Err(E::custom(format!("`{v}` is not a list")))
                }
            }
            fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_some<D: Deserializer<'de>>(
                self,
                d: D,
            ) -> std::result::Result<Vec<T>, D::Error> {
                d.deserialize_any(self)
            }
        }

        d.deserialize_any(ListVisitor(std::marker::PhantomData))
    }

    /// One item or a sequence of items (XML repeats an element; JSON may give an array).
    struct OneOrMany<T>(Vec<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct OneOrManyVisitor<T>(std::marker::PhantomData<T>);

            impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
                type Value = OneOrMany<T>;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("one item or a list of items")
                }
                fn visit_seq<A: SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> std::result::Result<Self::Value, A::Error> {
                    let mut items = Vec::new();
                    while let Some(item) = seq.next_element()? {
                        items.push(item);
                    }
                    Ok(OneOrMany(items))
                }
                fn visit_map<A: MapAccess<'de>>(
                    self,
                    map: A,
                ) -> std::result::Result<Self::Value, A::Error> {
                    T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                        .map(|item| OneOrMany(vec![item]))
                }
            }

            d.deserialize_any(OneOrManyVisitor(std::marker::PhantomData))
        }
    }

    /// Strings as XML wraps them (`<groups><group>a</group><group>b</group></groups>`) or JSON
    /// lists them (`["a","b"]`); one bare string is one item, an empty element none.
    pub(crate) fn wrapped_strings<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Vec<String>, D::Error> {
        Texts::deserialize(d).map(|texts| texts.0)
    }

    struct Texts(Vec<String>);

    impl<'de> Deserialize<'de> for Texts {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct TextsVisitor;

            impl<'de> Visitor<'de> for TextsVisitor {
                type Value = Texts;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("strings, or an element wrapping them")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Texts, E> {
                    let text = v.trim();
                    Ok(Texts(if text.is_empty() {
                        Vec::new()
                    } else {
                        vec![text.to_owned()]
                    }))
                }
                fn visit_seq<A: SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> std::result::Result<Texts, A::Error> {
                    let mut items = Vec::new();
                    while let Some(Texts(more)) = seq.next_element()? {
                        items.extend(more);
                    }
                    Ok(Texts(items))
                }
                fn visit_map<A: MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> std::result::Result<Texts, A::Error> {
                    let mut items = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        if key.starts_with('@') {
                            map.next_value::<IgnoredAny>()?;
                        } else {
                            items.extend(map.next_value::<Texts>()?.0);
                        }
                    }
                    Ok(Texts(items))
                }
                fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Texts, E> {
                    Ok(Texts(Vec::new()))
                }
                fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Texts, E> {
                    Ok(Texts(Vec::new()))
                }
            }

            d.deserialize_any(TextsVisitor)
        }
    }

    /// A list of strings that may also come as one comma-separated string
    /// (`namespace_admins`), or as repeated elements.
    pub(crate) fn string_list<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Vec<String>, D::Error> {
        #[derive(Clone, Copy)]
        struct StringsVisitor;

        impl<'de> Visitor<'de> for StringsVisitor {
            type Value = Vec<String>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    if !item.trim().is_empty() {
                        items.push(item.trim().to_owned());
                    }
                }
                Ok(items)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                // XML text reached through `deserialize_any` arrives as a `$text` entry.
                let mut items = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "$text" || key == "$value" {
                        let text = map.next_value::<String>()?;
                        items.extend(self.visit_str::<A::Error>(&text)?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(items)
            }
            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(v.split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_owned)
                    .collect())
            }
            fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
                Ok(Vec::new())
            }
        }

        d.deserialize_any(StringsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Loose {
        #[serde(default, deserialize_with = "de::opt_bool")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "de::opt_i64")]
        number: Option<i64>,
        #[serde(default, deserialize_with = "de::opt_string")]
        text: Option<String>,
        #[serde(rename = "TagSet", default, deserialize_with = "de::wrapped_list")]
        tags: Vec<Pair>,
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Pair {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Value")]
        value: String,
    }

    #[test]
    fn loose_scalars_decode_from_both_formats() {
        let xml = b"<r><flag>true</flag><number>12</number><text></text>\
            <TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></TagSet></r>";
        let json = br#"{"flag":"true","number":"12.0","text":"","TagSet":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]}"#;
        for (body, format) in [(&xml[..], Format::Xml), (&json[..], Format::Json)] {
            let loose: Loose = decode(body, format).unwrap();
            assert_eq!(loose.flag, Some(true));
            assert_eq!(loose.number, Some(12));
            assert_eq!(loose.text, None);
            assert_eq!(loose.tags.len(), 2, "{format:?}");
            assert_eq!(loose.tags[1].key, "b");
        }
    }

    #[test]
    fn single_wrapped_item_and_empty_lists_decode() {
        let one: Loose = decode(
            b"<r><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></r>",
            Format::Xml,
        )
        .unwrap();
        assert_eq!(
            one.tags,
            vec![Pair {
                key: "a".into(),
                value: "1".into()
            }]
        );
        let empty: Loose = decode(b"<r><TagSet/><flag/></r>", Format::Xml).unwrap();
        assert!(empty.tags.is_empty());
        assert_eq!(empty.flag, None);
        let null: Loose =
            decode(br#"{"TagSet":null,"flag":false,"number":-1}"#, Format::Json).unwrap();
        assert!(null.tags.is_empty());
        assert_eq!((null.flag, null.number), (Some(false), Some(-1)));
    }

    #[test]
    fn a_bad_boolean_names_the_field() {
        let err = decode::<Loose>(br#"{"flag":"maybe"}"#, Format::Json).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
        assert!(err.message().contains("flag"), "{err}");
    }

    #[test]
    fn listed_wraps_in_xml_and_stays_bare_in_json() {
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "TagSet")]
            tags: Listed<'a, Pair>,
            namespace: &'a str,
        }
        let items = [Pair {
            key: "k<&>".into(),
            value: "v".into(),
        }];
        let xml = encode(
            &Body {
                tags: Listed {
                    items: &items,
                    item: "Tag",
                    format: Format::Xml,
                },
                namespace: "ns",
            },
            "add_bucket_tags",
            Format::Xml,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(xml).unwrap(),
            "<add_bucket_tags><TagSet><Tag><Key>k&lt;&amp;&gt;</Key><Value>v</Value></Tag></TagSet>\
             <namespace>ns</namespace></add_bucket_tags>"
        );
        let json = encode(
            &Body {
                tags: Listed {
                    items: &items,
                    item: "Tag",
                    format: Format::Json,
                },
                namespace: "ns",
            },
            "add_bucket_tags",
            Format::Json,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"TagSet":[{"Key":"k<&>","Value":"v"}],"namespace":"ns"}"#
        );
    }

    /// The `link` element ECS adds to many documents (`<link rel="self" href="..."/>`).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
    struct Link {
        /// The relation, usually `self`.
        #[serde(rename = "@rel", alias = "rel", default)]
        rel: String,
        /// The path of the linked resource.
        #[serde(rename = "@href", alias = "href", default)]
        href: String,
    }

    #[test]
    fn link_reads_attributes_and_json_fields() {
        #[derive(Deserialize)]
        struct Doc {
            link: Link,
        }
        let xml: Doc = decode(br#"<d><link rel="self" href="/x"/></d>"#, Format::Xml).unwrap();
        let json: Doc = decode(br#"{"link":{"rel":"self","href":"/x"}}"#, Format::Json).unwrap();
        assert_eq!(xml.link, json.link);
        assert_eq!(xml.link.href, "/x");
    }
}
