//! Object users (`/object/users`): the S3 identities whose names are S3 access key ids.

use ecs_common::{ErrorKind, Result};
use http::Method;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::{EcsMgmtClient, ReadBack};
use crate::pagination::{ItemStream, Page, paginate};
use crate::request::{ApiRequest, Path, require};
use crate::wire::{Format, Listed, de};

/// A user tag (`name` = `value`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserTag {
    /// The tag name.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// The tag value.
    #[serde(default, deserialize_with = "de::string")]
    pub value: String,
}

impl UserTag {
    /// A tag.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        UserTag {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// An entry of a user listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ObjectUser {
    /// The user id (the S3 access key id).
    #[serde(default, deserialize_with = "de::string")]
    pub userid: String,
    /// The user's namespace.
    #[serde(default, deserialize_with = "de::string")]
    pub namespace: String,
}

/// A user's details (`GET /object/users/{uid}/info`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ObjectUserInfo {
    /// The user id.
    #[serde(default, deserialize_with = "de::string")]
    pub name: String,
    /// The user's namespace.
    #[serde(default, deserialize_with = "de::string")]
    pub namespace: String,
    /// Whether the user is locked out of the data path.
    #[serde(default, deserialize_with = "de::bool")]
    pub locked: bool,
    /// When the user was created (ECS writes `Mon Nov 25 09:55:38 GMT 2019`).
    #[serde(default, deserialize_with = "de::opt_time")]
    pub created: Option<OffsetDateTime>,
    /// The user's tags (XML `<tags><tag>..</tag></tags>`, JSON `"tag": [..]`).
    #[serde(
        default,
        rename = "tags",
        alias = "tag",
        deserialize_with = "de::wrapped_list"
    )]
    pub tags: Vec<UserTag>,
}

#[derive(Deserialize)]
pub(crate) struct UserList {
    #[serde(default)]
    pub(crate) blobuser: Vec<ObjectUser>,
    #[serde(rename = "NextMarker", default, deserialize_with = "de::opt_string")]
    pub(crate) next_marker: Option<String>,
}

#[derive(Deserialize)]
struct UserLock {
    #[serde(
        rename = "isLocked",
        alias = "locked",
        default,
        deserialize_with = "de::bool"
    )]
    is_locked: bool,
}

#[derive(Deserialize)]
struct UserTags {
    #[serde(default, alias = "tag", deserialize_with = "de::wrapped_list")]
    tags: Vec<UserTag>,
}

#[derive(Serialize)]
struct CreateBody<'a> {
    user: &'a str,
    namespace: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Listed<'a, UserTag>>,
}

#[derive(Serialize)]
struct UserRef<'a> {
    user: &'a str,
    namespace: &'a str,
}

#[derive(Serialize)]
struct LockBody<'a> {
    user: &'a str,
    namespace: &'a str,
    #[serde(rename = "isLocked")]
    is_locked: bool,
}

#[derive(Serialize)]
struct TagsBody<'a> {
    tags: Listed<'a, UserTag>,
}

fn tags_listed(tags: &[UserTag], format: Format) -> Listed<'_, UserTag> {
    Listed {
        items: tags,
        item: "tag",
        format,
    }
}

/// `POST /object/users` (root `user_create_param`).
pub(crate) fn create_request(
    uid: &str,
    namespace: &str,
    tags: &[UserTag],
    format: Format,
) -> Result<ApiRequest> {
    require(uid, "user id")?;
    require(namespace, "namespace")?;
    let body = CreateBody {
        user: uid,
        namespace,
        tags: (!tags.is_empty()).then(|| tags_listed(tags, format)),
    };
    ApiRequest::new(
        Method::POST,
        Path::new("object/users"),
        format,
        "create object user",
    )
    .body(&body, "user_create_param", format)
}

/// `GET /object/users/{uid}/info?namespace=`.
pub(crate) fn info_request(uid: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    require(uid, "user id")?;
    Ok(ApiRequest::get(
        Path::new("object/users").seg(uid).lit("info"),
        format,
        "object user info",
    )
    .query_opt("namespace", Some(namespace).filter(|ns| !ns.is_empty())))
}

/// `GET /object/users/{namespace}` (or `/object/users` for every namespace) with paging.
pub(crate) fn list_request(
    namespace: Option<&str>,
    marker: Option<&str>,
    format: Format,
) -> Result<ApiRequest> {
    let path = match namespace {
        Some(namespace) => {
            require(namespace, "namespace")?;
            Path::new("object/users").seg(namespace)
        }
        None => Path::new("object/users"),
    };
    Ok(ApiRequest::get(path, format, "list object users").query_opt("marker", marker))
}

/// `POST /object/users/deactivate` (root `user_delete_param`); repeating it is harmless.
pub(crate) fn delete_request(uid: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    require(uid, "user id")?;
    ApiRequest::new(
        Method::POST,
        Path::new("object/users/deactivate"),
        format,
        "delete object user",
    )
    .idempotent(true)
    .body(
        &UserRef {
            user: uid,
            namespace,
        },
        "user_delete_param",
        format,
    )
}

/// `PUT /object/users/lock` (root `user_lock_param`).
pub(crate) fn lock_request(
    uid: &str,
    namespace: &str,
    locked: bool,
    format: Format,
) -> Result<ApiRequest> {
    require(uid, "user id")?;
    ApiRequest::new(
        Method::PUT,
        Path::new("object/users/lock"),
        format,
        "lock object user",
    )
    .body(
        &LockBody {
            user: uid,
            namespace,
            is_locked: locked,
        },
        "user_lock_param",
        format,
    )
}

/// `GET /object/users/lock/{uid}/{namespace}`.
pub(crate) fn lock_status_request(
    uid: &str,
    namespace: &str,
    format: Format,
) -> Result<ApiRequest> {
    require(uid, "user id")?;
    require(namespace, "namespace")?;
    Ok(ApiRequest::get(
        Path::new("object/users/lock").seg(uid).seg(namespace),
        format,
        "object user lock",
    ))
}

/// `GET /object/users/{uid}/tags?namespace=`.
pub(crate) fn tags_request(uid: &str, namespace: &str, format: Format) -> Result<ApiRequest> {
    require(uid, "user id")?;
    Ok(ApiRequest::get(
        Path::new("object/users").seg(uid).lit("tags"),
        format,
        "object user tags",
    )
    .query("namespace", namespace))
}

/// `POST` (add), `PUT` (update values) or `DELETE` (remove) `/object/users/{uid}/tags`.
pub(crate) fn change_tags_request(
    method: Method,
    uid: &str,
    namespace: &str,
    tags: &[UserTag],
    format: Format,
) -> Result<ApiRequest> {
    require(uid, "user id")?;
    let (operation, root) = match method {
        Method::POST => ("add object user tags", "add_user_tags"),
        Method::PUT => ("update object user tags", "update_user_tags"),
        _ => ("remove object user tags", "remove_user_tags"),
    };
    ApiRequest::new(
        method,
        Path::new("object/users").seg(uid).lit("tags"),
        format,
        operation,
    )
    .query("namespace", namespace)
    .body(
        &TagsBody {
            tags: tags_listed(tags, format),
        },
        root,
        format,
    )
}

/// Object user calls; get one with [`EcsMgmtClient::object_users`].
#[derive(Clone, Debug)]
pub struct ObjectUsers {
    client: EcsMgmtClient,
}

impl ObjectUsers {
    pub(crate) fn new(client: EcsMgmtClient) -> Self {
        ObjectUsers { client }
    }

    fn format(&self) -> Format {
        self.client.format()
    }

    /// Creates a user without keys (see [`SecretKeys::create`](crate::SecretKeys::create)).
    ///
    /// If the answer is lost, the user is read back instead of being created blindly again.
    /// An existing user fails with [`ErrorKind::AlreadyExists`].
    pub async fn create(&self, uid: &str, namespace: &str) -> Result<()> {
        self.create_with_tags(uid, namespace, &[]).await
    }

    /// Creates a user with tags.
    pub async fn create_with_tags(
        &self,
        uid: &str,
        namespace: &str,
        tags: &[UserTag],
    ) -> Result<()> {
        let request = create_request(uid, namespace, tags, self.format())?;
        let read_back = || async {
            match self.info(uid, namespace).await {
                Ok(_) => Ok(ReadBack::Applied(())),
                Err(read) if read.kind() == ErrorKind::NotFound => Ok(ReadBack::Absent),
                Err(read) => Err(read),
            }
        };
        self.client
            .call_or_read_back(&request, |_| Ok(()), read_back)
            .await
    }

    /// A user's details; [`ErrorKind::NotFound`] when there is no such user.
    pub async fn info(&self, uid: &str, namespace: &str) -> Result<ObjectUserInfo> {
        self.client
            .call_decode(&info_request(uid, namespace, self.format())?)
            .await
    }

    /// Every user of a namespace, fetched page by page as the stream is read.
    pub fn list(&self, namespace: &str) -> ItemStream<ObjectUser> {
        self.list_in(Some(namespace.to_owned()))
    }

    /// Every user of every namespace.
    pub fn list_all(&self) -> ItemStream<ObjectUser> {
        self.list_in(None)
    }

    fn list_in(&self, namespace: Option<String>) -> ItemStream<ObjectUser> {
        let this = self.clone();
        paginate(move |marker| {
            let (this, namespace) = (this.clone(), namespace.clone());
            async move {
                this.list_page(namespace.as_deref(), marker.as_deref())
                    .await
            }
        })
    }

    /// One page of users; `namespace: None` lists every namespace.
    pub async fn list_page(
        &self,
        namespace: Option<&str>,
        marker: Option<&str>,
    ) -> Result<Page<ObjectUser>> {
        let list: UserList = self
            .client
            .call_decode(
                &self
                    .client
                    .paged(list_request(namespace, marker, self.format())?),
            )
            .await?;
        Ok(Page::new(list.blobuser, list.next_marker))
    }

    /// Deletes a user and its secret keys.
    pub async fn delete(&self, uid: &str, namespace: &str) -> Result<()> {
        self.client
            .call_unit(&delete_request(uid, namespace, self.format())?)
            .await
    }

    /// Locks (`true`) or unlocks (`false`) a user.
    pub async fn lock(&self, uid: &str, namespace: &str, locked: bool) -> Result<()> {
        self.client
            .call_unit(&lock_request(uid, namespace, locked, self.format())?)
            .await
    }

    /// Whether a user is locked.
    pub async fn is_locked(&self, uid: &str, namespace: &str) -> Result<bool> {
        let lock: UserLock = self
            .client
            .call_decode(&lock_status_request(uid, namespace, self.format())?)
            .await?;
        Ok(lock.is_locked)
    }

    /// A user's tags.
    pub async fn tags(&self, uid: &str, namespace: &str) -> Result<Vec<UserTag>> {
        let tags: UserTags = self
            .client
            .call_decode(&tags_request(uid, namespace, self.format())?)
            .await?;
        Ok(tags.tags)
    }

    /// Adds tags to a user.
    pub async fn add_tags(&self, uid: &str, namespace: &str, tags: &[UserTag]) -> Result<()> {
        self.client
            .call_unit(&change_tags_request(
                Method::POST,
                uid,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }

    /// Changes the values of existing tags.
    pub async fn update_tags(&self, uid: &str, namespace: &str, tags: &[UserTag]) -> Result<()> {
        self.client
            .call_unit(&change_tags_request(
                Method::PUT,
                uid,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }

    /// Removes tags from a user.
    pub async fn remove_tags(&self, uid: &str, namespace: &str, tags: &[UserTag]) -> Result<()> {
        self.client
            .call_unit(&change_tags_request(
                Method::DELETE,
                uid,
                namespace,
                tags,
                self.format(),
            )?)
            .await
    }
}

/// Decodes `body` as the lock and tag answers (the fuzz targets' entry: those documents are
/// private to this module); `(locked, tag count)` of what decoded.
#[cfg(test)]
pub(crate) fn decode_for_fuzz(body: &[u8], format: Format) -> (Option<bool>, Option<usize>) {
    (
        crate::wire::decode::<UserLock>(body, format)
            .ok()
            .map(|lock| lock.is_locked),
        crate::wire::decode::<UserTags>(body, format)
            .ok()
            .map(|tags| tags.tags.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode;

    #[test]
    fn create_escapes_and_formats_the_body() {
        let xml = create_request("cs-<1>", "ns&1", &[], Format::Xml).unwrap();
        assert_eq!(
            (xml.method.clone(), xml.path_and_query()),
            (Method::POST, "/object/users".to_owned())
        );
        assert!(!xml.idempotent);
        assert_eq!(
            xml.body_text(),
            "<user_create_param><user>cs-&lt;1&gt;</user><namespace>ns&amp;1</namespace></user_create_param>"
        );
        let tagged = create_request("u", "ns", &[UserTag::new("k", "v")], Format::Json).unwrap();
        assert_eq!(
            tagged.body_text(),
            r#"{"user":"u","namespace":"ns","tags":[{"name":"k","value":"v"}]}"#
        );
        let tagged_xml = create_request("u", "ns", &[UserTag::new("k", "v")], Format::Xml).unwrap();
        assert!(
            tagged_xml
                .body_text()
                .contains("<tags><tag><name>k</name><value>v</value></tag></tags>")
        );
        assert!(create_request("", "ns", &[], Format::Xml).is_err());
    }

    #[test]
    fn paths_encode_user_ids_and_namespaces() {
        assert_eq!(
            info_request("a/b=", "ns 1", Format::Json)
                .unwrap()
                .path_and_query(),
            "/object/users/a%2Fb%3D/info?namespace=ns%201"
        );
        assert_eq!(
            list_request(Some("ns1"), Some("m 1"), Format::Json)
                .unwrap()
                .path_and_query(),
            "/object/users/ns1?marker=m%201"
        );
        assert_eq!(
            list_request(None, None, Format::Json)
                .unwrap()
                .path_and_query(),
            "/object/users"
        );
        assert_eq!(
            lock_status_request("u", "ns", Format::Json)
                .unwrap()
                .path_and_query(),
            "/object/users/lock/u/ns"
        );
        assert_eq!(
            tags_request("u", "ns", Format::Json)
                .unwrap()
                .path_and_query(),
            "/object/users/u/tags?namespace=ns"
        );
    }

    #[test]
    fn mutations_carry_their_bodies() {
        let delete = delete_request("u", "ns", Format::Xml).unwrap();
        assert!(delete.idempotent);
        assert_eq!(
            delete.body_text(),
            "<user_delete_param><user>u</user><namespace>ns</namespace></user_delete_param>"
        );
        let lock = lock_request("u", "ns", true, Format::Json).unwrap();
        assert_eq!(lock.method, Method::PUT);
        assert_eq!(
            lock.body_text(),
            r#"{"user":"u","namespace":"ns","isLocked":true}"#
        );
        let remove = change_tags_request(
            Method::DELETE,
            "u",
            "ns",
            &[UserTag::new("a", "b")],
            Format::Xml,
        )
        .unwrap();
        assert_eq!(
            remove.body_text(),
            "<remove_user_tags><tags><tag><name>a</name><value>b</value></tag></tags></remove_user_tags>"
        );
    }

    #[test]
    fn user_info_and_lists_decode() {
        let info: ObjectUserInfo = decode(
            b"<user><namespace>ns1</namespace><name>u1</name><locked>true</locked>\
              <created>Wed Feb 25 11:16:48 UTC 2015</created><tags><tag><name>a</name><value>1</value></tag></tags></user>",
            Format::Xml,
        )
        .unwrap();
        assert!(info.locked);
        assert_eq!(info.tags, vec![UserTag::new("a", "1")]);
        assert_eq!(info.created.map(|c| c.year()), Some(2015));
        let list: UserList = decode(
            b"<users><blobuser><userid>u1</userid><namespace>ns1</namespace></blobuser>\
              <blobuser><userid>u2</userid><namespace>ns1</namespace></blobuser><Filter>userid=*</Filter>\
              <NextMarker>u2</NextMarker></users>",
            Format::Xml,
        )
        .unwrap();
        assert_eq!(list.blobuser.len(), 2);
        assert_eq!(list.next_marker.as_deref(), Some("u2"));
        let lock: UserLock =
            decode(br#"{"user_name":"u","isLocked":"true"}"#, Format::Json).unwrap();
        assert!(lock.is_locked);
    }
}
