//! Marker-based paging as a [`Stream`]: ECS lists return a page and an opaque next marker
//! (`NextMarker` for buckets, users and namespaces, `next_marker` for billing); the stream
//! fetches the next page only when the previous one has been consumed.

use std::future::Future;

use ecs_common::{Error, ErrorKind, Result};
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The marker to ask for the next page with; `None` on the last page.
    pub next_marker: Option<String>,
}

impl<T> Page<T> {
    /// A page; an empty marker counts as "no next page".
    pub fn new(items: Vec<T>, next_marker: Option<String>) -> Self {
        Page {
            items,
            next_marker: next_marker.filter(|marker| !marker.trim().is_empty()),
        }
    }
}

/// A stream of listed items; the error ends the stream.
pub type ItemStream<T> = BoxStream<'static, Result<T>>;

enum Cursor {
    Start,
    Next(String),
    Done,
}

/// Streams every item, fetching pages with `fetch(marker)` as needed. A page that hands back
/// the marker it was asked with would loop forever; it ends the stream with a protocol error.
pub(crate) fn paginate<T, F, Fut>(fetch: F) -> ItemStream<T>
where
    T: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    pages(fetch)
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

fn pages<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<Vec<T>>> + Send + 'static
where
    T: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>>> + Send + 'static,
{
    stream::try_unfold((Cursor::Start, fetch), |(cursor, mut fetch)| async move {
        let marker = match cursor {
            Cursor::Start => None,
            Cursor::Next(marker) => Some(marker),
            Cursor::Done => return Ok(None),
        };
        let page = fetch(marker.clone()).await?;
        let next = match page.next_marker {
            Some(next) if Some(&next) == marker.as_ref() => {
                return Err(Error::new(
                    ErrorKind::Protocol,
                    format!("ECS returned the same page marker `{next}` twice"),
                ));
            }
            Some(next) => Cursor::Next(next),
            None => Cursor::Done,
        };
        Ok(Some((page.items, (next, fetch))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_are_followed_until_no_marker() {
        let items: Vec<u32> = paginate(|marker: Option<String>| async move {
            Ok(match marker.as_deref() {
                None => Page::new(vec![1, 2], Some("a".into())),
                Some("a") => Page::new(vec![3], Some("b".into())),
                _ => Page::new(vec![4], Some(String::new())),
            })
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(items, vec![1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn a_repeated_marker_ends_with_a_protocol_error() {
        let result: Result<Vec<u32>> =
            paginate(|_| async { Ok(Page::new(vec![1], Some("same".into()))) })
                .try_collect()
                .await;
        assert_eq!(result.unwrap_err().kind(), ErrorKind::Protocol);
    }
}
