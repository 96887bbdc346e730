//! Object bodies: immutable byte blobs held in memory or in files, written and read as streams.
//!
//! A [`Blob`] is a list of segments. A plain upload is one segment; a completed multipart upload
//! is the parts' segments side by side (no copy), and a copied object shares its source's segments.
//! File segments are reference counted: the file goes when the last version (or reader) holding it
//! drops, so deleting a version while someone downloads it is safe.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use md5::{Digest, Md5};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::sync::mpsc;

use super::StorageError;

/// How many bytes a file read hands out at once.
const READ_CHUNK: usize = 64 * 1024;
/// How many chunks a reader may buffer ahead of the client.
const READ_AHEAD: usize = 4;

/// Where new blobs go.
#[derive(Clone, Debug)]
pub(crate) enum Backend {
    /// Bodies live in memory.
    Memory,
    /// Bodies are files in `dir`; `retain` (set when the storage shuts down) keeps files whose
    /// last holder drops afterwards, so they outlive the process for the next start.
    Disk {
        dir: PathBuf,
        retain: Arc<AtomicBool>,
    },
}

impl Backend {
    /// A backend writing files under `dir/blobs` (created if missing).
    pub(crate) fn disk(dir: &Path) -> io::Result<Self> {
        let blobs = dir.join("blobs");
        std::fs::create_dir_all(&blobs)?;
        Ok(Self::Disk {
            dir: blobs,
            retain: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Keeps every file from now on (the storage is shutting down, not deleting).
    pub(crate) fn retain_files(&self) {
        if let Self::Disk { retain, .. } = self {
            retain.store(true, Ordering::SeqCst);
        }
    }

    /// The blob file `name` of this backend's directory (for reloading an index).
    pub(crate) fn existing_file(&self, name: &str) -> Option<FileRef> {
        match self {
            Self::Memory => None,
            Self::Disk { dir, retain } => {
                let path = dir.join(name);
                path.is_file().then(|| {
                    FileRef(Arc::new(BlobFile {
                        path,
                        retain: retain.clone(),
                    }))
                })
            }
        }
    }
}

/// A file holding one segment; removed when the last holder drops it (unless retained).
struct BlobFile {
    path: PathBuf,
    retain: Arc<AtomicBool>,
}

impl Drop for BlobFile {
    fn drop(&mut self) {
        if self.retain.load(Ordering::SeqCst) {
            return;
        }
        if let Err(err) = std::fs::remove_file(&self.path) {
            tracing::warn!(path = %self.path.display(), %err, "could not remove blob file");
        }
    }
}

/// A shared handle on a blob file, for rebuilding blobs from a saved index.
#[derive(Clone)]
pub(crate) struct FileRef(Arc<BlobFile>);

impl fmt::Debug for FileRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FileRef").field(&self.0.path).finish()
    }
}

/// A contiguous piece of a blob.
#[derive(Clone)]
enum Segment {
    Memory(Arc<[Bytes]>),
    File(Arc<BlobFile>),
}

/// An immutable object body.
#[derive(Clone, Default)]
pub(crate) struct Blob {
    segments: Vec<(Segment, u64)>,
    len: u64,
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blob")
            .field("segments", &self.segments.len())
            .field("len", &self.len)
            .finish()
    }
}

/// A freshly written blob with its MD5.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) blob: Blob,
    pub(crate) md5: [u8; 16],
}

impl Blob {
    /// The body length in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// The blob made of `parts` one after the other, sharing their storage.
    pub(crate) fn concat<'a>(parts: impl IntoIterator<Item = &'a Blob>) -> Blob {
        let mut out = Blob::default();
        for part in parts {
            out.segments.extend(part.segments.iter().cloned());
            out.len += part.len;
        }
        out
    }

    /// The blob's files as (file name, length), or `None` if any part lives in memory.
    pub(crate) fn file_segments(&self) -> Option<Vec<(String, u64)>> {
        self.segments
            .iter()
            .map(|(segment, len)| match segment {
                Segment::File(file) => {
                    Some((file.path.file_name()?.to_string_lossy().into_owned(), *len))
                }
                Segment::Memory(_) => None,
            })
            .collect()
    }

    /// A blob made of these files (as saved by [`Blob::file_segments`]).
    pub(crate) fn from_files(files: Vec<(FileRef, u64)>) -> Blob {
        let len = files.iter().map(|(_, l)| l).sum();
        Blob {
            segments: files
                .into_iter()
                .map(|(f, l)| (Segment::File(f.0), l))
                .collect(),
            len,
        }
    }

    /// Streams `body` into a new blob, refusing it once it grows past `limit` bytes.
    pub(crate) async fn write<S, E>(
        backend: &Backend,
        body: S,
        limit: Option<u64>,
    ) -> Result<Written, StorageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: fmt::Display,
    {
        match backend {
            Backend::Memory => write_memory(body, limit).await,
            Backend::Disk { dir, retain } => write_file(dir, retain, body, limit).await,
        }
    }

    /// Streams bytes `start..end` (end exclusive, clamped to the length) of the blob.
    ///
    /// A background task feeds a small bounded channel, so at most a few chunks are in memory
    /// whatever the blob's size.
    pub(crate) fn read(&self, start: u64, end: u64) -> BlobReader {
        let (tx, rx) = mpsc::channel(READ_AHEAD);
        let blob = self.clone();
        let end = end.min(self.len);
        tokio::spawn(async move {
            if let Err(err) = blob.feed(start, end, &tx).await {
                // The receiver may be gone already; then nobody needs the error.
                let _ = tx.send(Err(err)).await;
            }
        });
        BlobReader { rx }
    }

    async fn feed(
        &self,
        mut start: u64,
        end: u64,
        tx: &mpsc::Sender<io::Result<Bytes>>,
    ) -> io::Result<()> {
        let mut offset = 0u64;
        for (segment, seg_len) in &self.segments {
            let seg_end = offset + seg_len;
            if start < end && start < seg_end {
                let from = start - offset;
                let to = end.min(seg_end) - offset;
                if !feed_segment(segment, from, to, tx).await? {
                    return Ok(());
                }
                start = offset + to;
            }
            offset = seg_end;
        }
        Ok(())
    }
}

/// Sends `from..to` of one segment; `false` when the receiver went away.
async fn feed_segment(
    segment: &Segment,
    from: u64,
    to: u64,
    tx: &mpsc::Sender<io::Result<Bytes>>,
) -> io::Result<bool> {
    match segment {
        Segment::Memory(chunks) => {
            let mut offset = 0u64;
            for chunk in chunks.iter() {
                let chunk_end = offset + chunk.len() as u64;
                if from < chunk_end && offset < to {
                    let lo = from.saturating_sub(offset) as usize;
                    let hi = (to.min(chunk_end) - offset) as usize;
                    if tx.send(Ok(chunk.slice(lo..hi))).await.is_err() {
                        return Ok(false);
                    }
                }
                offset = chunk_end;
            }
            Ok(true)
        }
        Segment::File(file) => {
            let mut f = tokio::fs::File::open(&file.path).await?;
            f.seek(io::SeekFrom::Start(from)).await?;
            let mut remaining = to - from;
            while remaining > 0 {
                let want = remaining.min(READ_CHUNK as u64) as usize;
                let mut buf = vec![0u8; want];
                f.read_exact(&mut buf).await?;
                remaining -= want as u64;
                if tx.send(Ok(Bytes::from(buf))).await.is_err() {
                    return Ok(false);
                }
            }
            Ok(true)
        }
    }
}

/// The stream of a blob's bytes (see [`Blob::read`]).
#[derive(Debug)]
pub(crate) struct BlobReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
}

impl Stream for BlobReader {
    type Item = io::Result<Bytes>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

fn check_limit(size: u64, limit: Option<u64>) -> Result<(), StorageError> {
    match limit {
        Some(limit) if size > limit => Err(StorageError::QuotaExceeded),
        _ => Ok(()),
    }
}

fn body_error(err: impl fmt::Display) -> StorageError {
    StorageError::IncompleteBody(err.to_string())
}

async fn write_memory<S, E>(mut body: S, limit: Option<u64>) -> Result<Written, StorageError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: fmt::Display,
{
    let mut hasher = Md5::new();
    let mut chunks = Vec::new();
    let mut len = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(body_error)?;
        len += chunk.len() as u64;
        check_limit(len, limit)?;
        hasher.update(&chunk);
        if !chunk.is_empty() {
            chunks.push(chunk);
        }
    }
    let segments = if len == 0 {
        Vec::new()
    } else {
        vec![(Segment::Memory(chunks.into()), len)]
    };
    Ok(Written {
        blob: Blob { segments, len },
        md5: hasher.finalize().into(),
    })
}

async fn write_file<S, E>(
    dir: &Path,
    retain: &Arc<AtomicBool>,
    mut body: S,
    limit: Option<u64>,
) -> Result<Written, StorageError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: fmt::Display,
{
    let path = dir.join(uuid::Uuid::new_v4().simple().to_string());
    let mut f = tokio::fs::File::create(&path).await?;
    // From here on the guard removes the file on every early return.
    let file = Arc::new(BlobFile {
        path,
        retain: retain.clone(),
    });
    let mut hasher = Md5::new();
    let mut len = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(body_error)?;
        len += chunk.len() as u64;
        check_limit(len, limit)?;
        hasher.update(&chunk);
        f.write_all(&chunk).await?;
    }
    f.flush().await?;
    drop(f);
    let segments = if len == 0 {
        Vec::new()
    } else {
        vec![(Segment::File(file), len)]
    };
    Ok(Written {
        blob: Blob { segments, len },
        md5: hasher.finalize().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> impl Stream<Item = Result<Bytes, io::Error>> + Unpin {
        futures::stream::iter(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p)))
                .collect::<Vec<_>>(),
        )
    }

    async fn read_all(blob: &Blob, start: u64, end: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let mut reader = blob.read(start, end);
        while let Some(chunk) = reader.next().await {
            out.extend_from_slice(&chunk.expect("read"));
        }
        out
    }

    async fn roundtrip(backend: Backend) {
        let w = Blob::write(&backend, chunks(&[b"hello ", b"", b"world"]), None)
            .await
            .expect("write");
        assert_eq!(w.blob.len(), 11);
        assert_eq!(hex::encode(w.md5), "5eb63bbbe01eeed093cb22bb8f5acdc3");
        assert_eq!(read_all(&w.blob, 0, 11).await, b"hello world");
        assert_eq!(read_all(&w.blob, 3, 8).await, b"lo wo");
        assert_eq!(read_all(&w.blob, 6, 100).await, b"world");

        let w2 = Blob::write(&backend, chunks(&[b"!!"]), None)
            .await
            .expect("write");
        let both = Blob::concat([&w.blob, &w2.blob]);
        assert_eq!(both.len(), 13);
        assert_eq!(read_all(&both, 9, 13).await, b"ld!!");
        assert_eq!(read_all(&both, 0, 13).await, b"hello world!!");
    }

    #[tokio::test]
    async fn memory_roundtrip_ranges_and_concat() {
        roundtrip(Backend::Memory).await;
    }

    #[tokio::test]
    async fn disk_roundtrip_ranges_and_concat() {
        let dir = tempfile::tempdir().expect("tempdir");
        roundtrip(Backend::disk(dir.path()).expect("backend")).await;
    }

    #[tokio::test]
    async fn limit_refuses_and_removes_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let backend = Backend::disk(dir.path()).expect("backend");
        let err = Blob::write(&backend, chunks(&[b"12345", b"6789"]), Some(8))
            .await
            .expect_err("over limit");
        assert!(matches!(err, StorageError::QuotaExceeded), "{err:?}");
        let left = std::fs::read_dir(dir.path().join("blobs"))
            .expect("dir")
            .count();
        assert_eq!(left, 0);
    }

    #[tokio::test]
    async fn file_goes_when_last_holder_drops() {
        let dir = tempfile::tempdir().expect("tempdir");
        let backend = Backend::disk(dir.path()).expect("backend");
        let w = Blob::write(&backend, chunks(&[b"abc"]), None)
            .await
            .expect("write");
        let copy = w.blob.clone();
        drop(w);
        assert_eq!(
            std::fs::read_dir(dir.path().join("blobs"))
                .expect("dir")
                .count(),
            1
        );
        assert_eq!(read_all(&copy, 0, 3).await, b"abc");
        drop(copy);
        // The reader task may still hold a clone for a moment; wait for it boundedly.
        for _ in 0..100 {
            if std::fs::read_dir(dir.path().join("blobs"))
                .expect("dir")
                .count()
                == 0
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("blob file was not removed");
    }
}
