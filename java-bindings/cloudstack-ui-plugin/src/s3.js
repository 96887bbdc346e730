// The bucket browser's S3 calls, made by the browser straight to the bucket's S3 URL with the
// account's keys (as CloudStack's own bucket browser does). They work only when the bucket's
// CORS rule admits the UI's origin: the rule the driver puts on new buckets (`cors_origins`).

import {
  S3Client, ListObjectsV2Command, ListObjectVersionsCommand, GetObjectCommand,
  DeleteObjectCommand, PutObjectCommand
} from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'

/**
 * A client for one bucket, from CloudStack's bucket row (url, accesskey, usersecretkey).
 * The bucket URL is path-style, `<s3 endpoint>/<bucket>`.
 */
export function bucketClient (bucket) {
  const url = new URL(bucket.url)
  const parts = url.pathname.replace(/\/+$/, '').split('/')
  const name = decodeURIComponent(parts.pop() || bucket.name)
  url.pathname = parts.join('/') || '/'
  const client = new S3Client({
    endpoint: url.toString().replace(/\/+$/, ''),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: bucket.accesskey,
      secretAccessKey: bucket.usersecretkey ?? bucket.secretkey
    },
    // ECS predates the SDK's default CRC checksums; send and check them only where S3 requires.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED'
  })
  return { client, name }
}

/** One level of a listing: folders (common prefixes) and objects under `prefix`. */
export async function listLevel ({ client, name }, prefix, filter = '') {
  const folders = []
  const objects = []
  let token
  do {
    const out = await client.send(new ListObjectsV2Command({
      Bucket: name, Prefix: prefix + filter, Delimiter: '/', ContinuationToken: token, MaxKeys: 1000
    }))
    for (const p of out.CommonPrefixes ?? []) folders.push(p.Prefix)
    for (const o of out.Contents ?? []) {
      if (o.Key !== prefix) objects.push({ key: o.Key, size: o.Size, modified: o.LastModified, etag: o.ETag })
    }
    token = out.IsTruncated ? out.NextContinuationToken : undefined
  } while (token)
  return { folders, objects }
}

/** Every version and delete marker under `prefix`. */
export async function listVersions ({ client, name }, prefix) {
  const versions = []
  let keyMarker
  let versionMarker
  do {
    const out = await client.send(new ListObjectVersionsCommand({
      Bucket: name, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionMarker
    }))
    for (const v of out.Versions ?? []) {
      versions.push({ key: v.Key, versionId: v.VersionId, latest: v.IsLatest, size: v.Size, modified: v.LastModified, deleteMarker: false })
    }
    for (const m of out.DeleteMarkers ?? []) {
      versions.push({ key: m.Key, versionId: m.VersionId, latest: m.IsLatest, size: 0, modified: m.LastModified, deleteMarker: true })
    }
    keyMarker = out.IsTruncated ? out.NextKeyMarker : undefined
    versionMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined
  } while (keyMarker)
  versions.sort((a, b) => a.key.localeCompare(b.key) || (b.modified - a.modified))
  return versions
}

/**
 * Uploads one file with progress: a presigned PUT sent with XMLHttpRequest, whose upload
 * events report bytes sent (fetch cannot).
 */
export async function upload ({ client, name }, key, file, onProgress) {
  const signed = await getSignedUrl(client, new PutObjectCommand({
    Bucket: name, Key: key, ContentType: file.type || 'application/octet-stream'
  }), { expiresIn: 900 })
  await new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', signed)
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream')
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total) }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size, file.size)
        resolve()
      } else {
        const code = /<Code>([^<]*)<\/Code>/.exec(xhr.responseText)?.[1]
        const message = /<Message>([^<]*)<\/Message>/.exec(xhr.responseText)?.[1]
        reject(new Error(`upload of ${key} refused: HTTP ${xhr.status}${code ? ' ' + code : ''}${message ? ': ' + message : ''}`))
      }
    }
    xhr.onerror = () => reject(new Error(`upload of ${key} failed: the S3 endpoint cannot be reached or its CORS rule does not admit this page's origin`))
    xhr.send(file)
  })
}

/** The object's bytes (one version, or the latest). */
export async function download ({ client, name }, key, versionId) {
  const out = await client.send(new GetObjectCommand({ Bucket: name, Key: key, VersionId: versionId }))
  const bytes = await out.Body.transformToByteArray()
  return new Blob([bytes], { type: out.ContentType || 'application/octet-stream' })
}

export async function remove ({ client, name }, key, versionId) {
  await client.send(new DeleteObjectCommand({ Bucket: name, Key: key, VersionId: versionId }))
}

/** A readable message for an S3 SDK error. */
export function s3Message (err) {
  if (err?.name === 'TypeError' || /fetch/i.test(err?.message ?? '')) {
    return `the S3 endpoint cannot be reached or its CORS rule does not admit this page's origin (${err.message})`
  }
  const code = err?.Code ?? err?.name
  return code && code !== 'Error' ? `${code}: ${err.message}` : String(err?.message ?? err)
}
