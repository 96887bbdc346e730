//! Conversions between Java arguments and Rust values: strings, string maps, nullable `Long`s,
//! byte arrays.
//!
//! A `null` where a value is required becomes `EcsException(INVALID_INPUT)` naming the argument,
//! never a `NullPointerException` from deep inside JNI.

use std::collections::HashMap;

use jni::Env;
use jni::objects::{JByteArray, JObject, JObjectArray, JString};
use jni::refs::Reference as _;

use crate::error::{BridgeError, BridgeResult};

/// A required `String` argument.
pub(crate) fn string(env: &Env<'_>, value: &JString<'_>, name: &str) -> BridgeResult<String> {
    optional_string(env, value)?.ok_or_else(|| BridgeError::null_argument(name))
}

/// An optional `String` argument (`null` is `None`).
pub(crate) fn optional_string(env: &Env<'_>, value: &JString<'_>) -> BridgeResult<Option<String>> {
    if value.is_null() {
        return Ok(None);
    }
    Ok(Some(value.try_to_string(env)?))
}

/// An optional `java.lang.Long` argument (`null` is `None`).
pub(crate) fn optional_long(env: &mut Env<'_>, value: &JObject<'_>) -> BridgeResult<Option<i64>> {
    if value.is_null() {
        return Ok(None);
    }
    let long = env
        .call_method(
            value,
            jni::jni_str!("longValue"),
            jni::jni_sig!(() -> jlong),
            &[],
        )?
        .j()?;
    Ok(Some(long))
}

/// A `java.lang.Long` for `value`, or `null` for `None`.
pub(crate) fn new_optional_long<'local>(
    env: &mut Env<'local>,
    value: Option<i64>,
) -> BridgeResult<JObject<'local>> {
    match value {
        Some(value) => Ok(env.new_object(
            &crate::classes::get()?.long,
            jni::jni_sig!((value: jlong) -> void),
            &[jni::objects::JValue::Long(value)],
        )?),
        None => Ok(JObject::null()),
    }
}

/// A required `byte[]` argument.
pub(crate) fn bytes(env: &Env<'_>, value: &JByteArray<'_>, name: &str) -> BridgeResult<Vec<u8>> {
    if value.is_null() {
        return Err(BridgeError::null_argument(name));
    }
    Ok(env.convert_byte_array(value)?)
}

/// A map flattened by the Java side into `String[] { key0, value0, key1, value1, ... }`.
///
/// A `null` value is skipped (an absent detail); a `null` key or an odd length is invalid input.
pub(crate) fn string_map(
    env: &mut Env<'_>,
    flat: &JObjectArray<'_, JString<'_>>,
    name: &str,
) -> BridgeResult<HashMap<String, String>> {
    if flat.is_null() {
        return Err(BridgeError::null_argument(name));
    }
    let len = flat.len(env)?;
    if len % 2 != 0 {
        return Err(
            ecs_common::Error::invalid_input(format!("{name} must hold key/value pairs")).into(),
        );
    }
    let mut map = HashMap::with_capacity(len / 2);
    for index in (0..len).step_by(2) {
        // One local frame per pair: a long array never holds a local reference per element
        // (`-Xcheck:jni` flagged 100,000 of them, and the JVM's table grew with each).
        env.with_local_frame(PAIR_FRAME_CAPACITY, |env| -> BridgeResult<()> {
            let key = flat.get_element(env, index)?;
            let value = flat.get_element(env, index + 1)?;
            let key = string(env, &key, "a detail key")?;
            if let Some(value) = optional_string(env, &value)? {
                map.insert(key, value);
            }
            Ok(())
        })?;
    }
    Ok(map)
}

/// A Java `String` for `value`, or `null` for `None`.
pub(crate) fn new_optional_string<'local>(
    env: &mut Env<'local>,
    value: Option<&str>,
) -> BridgeResult<JString<'local>> {
    match value {
        Some(value) => Ok(env.new_string(value)?),
        None => Ok(JString::default()),
    }
}

/// Builds a Java array of `class` from `items`, converting each with `make`.
///
/// Each element is made in its own local frame, so a long listing holds only the array and one
/// element's temporaries at a time, never a local reference per string it made.
pub(crate) fn object_array<'local, T>(
    env: &mut Env<'local>,
    class: &jni::objects::Global<jni::objects::JClass<'static>>,
    items: &[T],
    mut make: impl for<'frame> FnMut(&mut Env<'frame>, &T) -> BridgeResult<JObject<'frame>>,
) -> BridgeResult<JObjectArray<'local>> {
    let len = i32::try_from(items.len())
        .map_err(|_| ecs_common::Error::internal("too many items for a Java array"))?;
    let array = env.new_object_array(len, class, JObject::null())?;
    for (index, item) in items.iter().enumerate() {
        env.with_local_frame(ELEMENT_FRAME_CAPACITY, |env| -> BridgeResult<()> {
            let element = make(env, item)?;
            array.set_element(env, index, &element)?;
            Ok(())
        })?;
    }
    Ok(array)
}

/// Local references one key/value pair needs: the two strings.
const PAIR_FRAME_CAPACITY: usize = 4;

/// Local references one element needs: its strings and nested objects, and the element itself.
const ELEMENT_FRAME_CAPACITY: usize = 8;
