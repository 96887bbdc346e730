//! S3 secret keys of object users (`/object/user-secret-keys`): at most two per user, so a key
//! can be rotated with a grace period for the old one.

use std::fmt;

use ecs_common::{Error, ErrorKind, ExposeSecret, Result, SecretString};
use http::Method;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::{EcsMgmtClient, ReadBack};
use crate::request::{ApiRequest, Path, require};
use crate::wire::{Format, de};

/// How to create a secret key.
#[derive(Clone, Default)]
pub struct SecretKeyCreate {
    /// The secret to install; `None` lets ECS generate one.
    pub secret: Option<SecretString>,
    /// Minutes the user's current key stays valid after the new one is created (rotation).
    /// Leave `None` when the user has no key yet.
    pub existing_key_expiry_mins: Option<u32>,
}

impl fmt::Debug for SecretKeyCreate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKeyCreate")
            .field("secret", &ecs_common::redacted(self.secret.as_ref()))
            .field("existing_key_expiry_mins", &self.existing_key_expiry_mins)
            .finish()
    }
}

/// One secret key of a user.
#[derive(Clone)]
#[non_exhaustive]
pub struct SecretKey {
    /// The secret (S3 secret access key); never printed by `Debug`.
    pub secret: SecretString,
    /// When the key was created (ECS writes `2015-12-14 05:13:39.597`, UTC).
    pub created: Option<OffsetDateTime>,
    /// When the key stops working, if it is being rotated out.
    pub expires: Option<OffsetDateTime>,
    /// The key's id (SHA-256 of the secret) on releases that report it.
    pub id: Option<String>,
}

/// A slot of [`UserSecretKeys`]; the same shape as a created [`SecretKey`].
pub type KeySlot = SecretKey;

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey")
            .field("secret", &"** redacted **")
            .field("created", &self.created)
            .field("expires", &self.expires)
            .field("id", &self.id)
            .finish()
    }
}

/// The (up to two) secret keys of a user.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct UserSecretKeys {
    /// The first key slot.
    pub key_1: Option<KeySlot>,
    /// The second key slot.
    pub key_2: Option<KeySlot>,
}

impl UserSecretKeys {
    /// The keys that exist, first slot first.
    pub fn keys(&self) -> impl Iterator<Item = &KeySlot> {
        self.key_1.iter().chain(self.key_2.iter())
    }

    /// The slot holding `secret`, if any.
    pub fn find(&self, secret: &SecretString) -> Option<&KeySlot> {
        self.keys()
            .find(|key| key.secret.expose_secret() == secret.expose_secret())
    }

    /// The newest key, preferring one without an expiry (the key that is not being rotated out).
    pub fn current(&self) -> Option<&KeySlot> {
        self.keys()
            .max_by_key(|key| (key.expires.is_none(), key.created))
    }
}

/// The response of a key creation (`user_secret_key`). Holds a secret: no `Debug`.
#[derive(Deserialize)]
pub(crate) struct RawCreated {
    #[serde(default, deserialize_with = "de::string")]
    pub(crate) secret_key: String,
    #[serde(default, deserialize_with = "de::opt_time")]
    pub(crate) key_timestamp: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_time")]
    key_expiry_timestamp: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_string")]
    secret_key_id: Option<String>,
}

/// The response of a key listing (`user_secret_keys`). Holds secrets: no `Debug`.
#[derive(Deserialize)]
pub(crate) struct RawKeys {
    #[serde(default, deserialize_with = "de::string")]
    secret_key_1: String,
    #[serde(default, deserialize_with = "de::opt_time")]
    key_timestamp_1: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_time")]
    key_expiry_timestamp_1: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    secret_key_1_exist: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_string")]
    secret_key_1_id: Option<String>,
    #[serde(default, deserialize_with = "de::string")]
    secret_key_2: String,
    #[serde(default, deserialize_with = "de::opt_time")]
    key_timestamp_2: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_time")]
    key_expiry_timestamp_2: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "de::opt_bool")]
    secret_key_2_exist: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_string")]
    secret_key_2_id: Option<String>,
}

impl RawKeys {
    pub(crate) fn into_keys(self) -> UserSecretKeys {
        UserSecretKeys {
            key_1: slot(
                self.secret_key_1,
                self.secret_key_1_exist,
                self.key_timestamp_1,
                self.key_expiry_timestamp_1,
                self.secret_key_1_id,
            ),
            key_2: slot(
                self.secret_key_2,
                self.secret_key_2_exist,
                self.key_timestamp_2,
                self.key_expiry_timestamp_2,
                self.secret_key_2_id,
            ),
        }
    }
}

/// A slot exists when ECS says so, or (before ECS 3.2 had the flags) when it holds a secret.
fn slot(
    secret: String,
    exists: Option<bool>,
    created: Option<OffsetDateTime>,
    expires: Option<OffsetDateTime>,
    id: Option<String>,
) -> Option<KeySlot> {
    let present = exists.unwrap_or(!secret.is_empty()) && (!secret.is_empty() || id.is_some());
    present.then(|| SecretKey {
        secret: SecretString::from(secret),
        created,
        expires,
        id,
    })
}

#[derive(Serialize)]
struct CreateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    existing_key_expiry_time_mins: Option<u32>,
    namespace: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    secretkey: Option<&'a str>,
}

#[derive(Serialize)]
struct DeleteBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<&'a str>,
    namespace: &'a str,
}

/// `POST /object/user-secret-keys/{uid}` (root `user_secret_key_create`).
pub(crate) fn create_request(
    uid: &str,
    namespace: &str,
    create: &SecretKeyCreate,
    format: Format,
) -> Result<ApiRequest> {
    require(uid, "user id")?;
    require(namespace, "namespace")?;
    let secret = create.secret.as_ref().map(|s| s.expose_secret());
    if secret.is_some_and(|s| s.is_empty() || s.chars().any(char::is_control)) {
        return Err(Error::invalid_input(
            "a supplied secret key must be non-empty printable text",
        ));
    }
    let body = CreateBody {
        existing_key_expiry_time_mins: create.existing_key_expiry_mins,
        namespace,
        secretkey: secret,
    };
    ApiRequest::new(
        Method::POST,
        Path::new("object/user-secret-keys").seg(uid),
        format,
        "create secret key",
    )
    .body(&body, "user_secret_key_create", format)
}

/// `GET /object/user-secret-keys/{uid}[/{namespace}]`.
pub(crate) fn get_request(
    uid: &str,
    namespace: Option<&str>,
    format: Format,
) -> Result<ApiRequest> {
    require(uid, "user id")?;
    let mut path = Path::new("object/user-secret-keys").seg(uid);
    if let Some(namespace) = namespace {
        require(namespace, "namespace")?;
        path = path.seg(namespace);
    }
    Ok(ApiRequest::get(path, format, "get secret keys"))
}

/// `POST /object/user-secret-keys/{uid}/deactivate` (root `user_secret_key_delete`); without a
/// secret, ECS deletes both keys. Repeating it is harmless.
pub(crate) fn delete_request(
    uid: &str,
    namespace: &str,
    secret: Option<&SecretString>,
    format: Format,
) -> Result<ApiRequest> {
    require(uid, "user id")?;
    let body = DeleteBody {
        secret_key: secret.map(|s| s.expose_secret()),
        namespace,
    };
    ApiRequest::new(
        Method::POST,
        Path::new("object/user-secret-keys")
            .seg(uid)
            .lit("deactivate"),
        format,
        "delete secret key",
    )
    .idempotent(true)
    .body(&body, "user_secret_key_delete", format)
}

/// Secret key calls; get one with [`EcsMgmtClient::secret_keys`].
#[derive(Clone, Debug)]
pub struct SecretKeys {
    client: EcsMgmtClient,
}

impl SecretKeys {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        SecretKeys { client }
    }

    /// Creates a key, generated by ECS or supplied in `create.secret`.
    ///
    /// A user holding two valid keys already fails (ECS refuses a third). When the answer is
    /// lost, a supplied secret is looked for among the user's keys instead of being sent again;
    /// a generated one cannot be recognised, so that case fails with the transport error and
    /// the caller should inspect [`get`](Self::get).
    pub async fn create(
        &self,
        uid: &str,
        namespace: &str,
        create: SecretKeyCreate,
    ) -> Result<SecretKey> {
        let request = create_request(uid, namespace, &create, self.client.format())?;
        let read_back = || async {
            // A key ECS generated cannot be recognised among the user's keys.
            let secret = create
                .secret
                .as_ref()
                .ok_or_else(|| Error::unsupported("a generated secret key cannot be read back"))?;
            let keys = self.get(uid, Some(namespace)).await?;
            Ok::<_, Error>(match keys.find(secret) {
                Some(found) => ReadBack::Applied(found.clone()),
                None => ReadBack::Absent,
            })
        };
        self.client
            .call_or_read_back(
                &request,
                |response| self.decode_created(&response.body, &request),
                read_back,
            )
            .await
    }

    fn decode_created(&self, body: &[u8], request: &ApiRequest) -> Result<SecretKey> {
        let raw: RawCreated = crate::wire::decode(body, request.accept)?;
        if raw.secret_key.is_empty() {
            return Err(Error::new(
                ErrorKind::Protocol,
                "ECS created a key but returned no secret",
            )
            .with_operation(request.operation));
        }
        Ok(SecretKey {
            secret: SecretString::from(raw.secret_key),
            created: raw.key_timestamp,
            expires: raw.key_expiry_timestamp,
            id: raw.secret_key_id,
        })
    }

    /// A user's keys; pass the namespace whenever it is known (required for namespace-scoped
    /// users and for namespace administrators).
    pub async fn get(&self, uid: &str, namespace: Option<&str>) -> Result<UserSecretKeys> {
        let raw: RawKeys = self
            .client
            .call_decode(&get_request(uid, namespace, self.client.format())?)
            .await?;
        Ok(raw.into_keys())
    }

    /// Deletes one key of a user.
    pub async fn delete(&self, uid: &str, namespace: &str, secret: &SecretString) -> Result<()> {
        self.client
            .call_unit(&delete_request(
                uid,
                namespace,
                Some(secret),
                self.client.format(),
            )?)
            .await
    }

    /// Deletes every key of a user.
    pub async fn delete_all(&self, uid: &str, namespace: &str) -> Result<()> {
        self.client
            .call_unit(&delete_request(uid, namespace, None, self.client.format())?)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    #[test]
    fn create_sends_supplied_secrets_and_rotation_expiry() {
        let create = SecretKeyCreate {
            secret: Some("s&<x".into()),
            existing_key_expiry_mins: Some(10),
        };
        let xml = create_request("u@x", "ns", &create, Format::Xml).unwrap();
        assert_eq!(xml.path_and_query(), "/object/user-secret-keys/u%40x");
        assert_eq!(
            xml.body_text(),
            "<user_secret_key_create><existing_key_expiry_time_mins>10</existing_key_expiry_time_mins>\
             <namespace>ns</namespace><secretkey>s&amp;&lt;x</secretkey></user_secret_key_create>"
        );
        let generated =
            create_request("u", "ns", &SecretKeyCreate::default(), Format::Json).unwrap();
        assert_eq!(generated.body_text(), r#"{"namespace":"ns"}"#);
        let empty = SecretKeyCreate {
            secret: Some("".into()),
            ..SecretKeyCreate::default()
        };
        assert_eq!(
            create_request("u", "ns", &empty, Format::Json)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
        assert!(!format!("{create:?}").contains("s&<x"));
    }

    #[test]
    fn get_and_delete_requests() {
        assert_eq!(
            get_request("u", None, Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/user-secret-keys/u"
        );
        assert_eq!(
            get_request("u", Some("n s"), Format::Xml)
                .unwrap()
                .path_and_query(),
            "/object/user-secret-keys/u/n%20s"
        );
        let delete = delete_request("u", "ns", Some(&"abc".into()), Format::Json).unwrap();
        assert_eq!(
            delete.path_and_query(),
            "/object/user-secret-keys/u/deactivate"
        );
        assert_eq!(
            delete.body_text(),
            r#"{"secret_key":"abc","namespace":"ns"}"#
        );
        assert_eq!(
            delete_request("u", "ns", None, Format::Json)
                .unwrap()
                .body_text(),
            r#"{"namespace":"ns"}"#
        );
    }

    #[test]
    fn key_slots_follow_exist_flags_and_values() {
        let raw: RawKeys = decode(
            br#"{"secret_key_1":"one","secret_key_1_exist":true,"key_timestamp_1":"2019-11-25 09:56:32.364",
                "key_expiry_timestamp_1":"","secret_key_2":"","secret_key_2_exist":false,"key_timestamp_2":"",
                "key_expiry_timestamp_2":"","link":{"rel":"self","href":"/object/secret-keys"}}"#,
            Format::Json,
        )
        .unwrap();
        let keys = raw.into_keys();
        assert_eq!(
            keys.key_1.as_ref().map(|k| k.secret.expose_secret()),
            Some("one")
        );
        assert!(keys.key_2.is_none());
        assert_eq!(
            keys.current().and_then(|k| k.created).map(|c| c.year()),
            Some(2019)
        );
        assert!(keys.find(&"one".into()).is_some());
        assert!(!format!("{keys:?}").contains("one\""));
    }
}
