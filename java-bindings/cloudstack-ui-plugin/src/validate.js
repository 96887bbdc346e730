// Inline validation of the "Add ECS object storage" form and the bucket forms. Each rule and
// message mirrors the Rust driver (crates/ecs-driver/src/config.rs and validate.rs), so the page
// says in advance what the driver would answer: "store detail <key> <problem>".

/** The detail keys the page sends (see details.js). */
export const KEYS = {
  mgmtUrl: 'mgmt_url',
  saUser: 'sa_user',
  saPassword: 'sa_password',
  namespace: 'namespace',
  publicUrl: 's3_public_url',
  privateUrl: 's3_host',
  insecure: 'insecure',
  caCert: 'ca_cert',
  userPrefix: 'user_prefix',
  replicationGroup: 'replication_group',
  corsOrigins: 'cors_origins'
}

const fieldError = (key, problem) => `store detail ${key} ${problem}`

/** Rust's `{:?}` of a string, close enough for messages: quoted, with escapes. */
const debugStr = (text) => JSON.stringify(text)

/** Rust's `{:?}` of a char. */
const debugChar = (c) => {
  if (c === "'") return "'\\''"
  const s = JSON.stringify(c)
  return "'" + s.slice(1, -1).replace(/\\"/g, '"') + "'"
}

/** `parse_base_url`: an http/https URL with a host and nothing after the path. */
export function baseUrlProblem (key, text) {
  let url
  try {
    url = new URL(text)
  } catch {
    const why = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text) ? 'invalid URL' : 'relative URL without a base'
    return fieldError(key, `is not a valid URL (${why}): ${debugStr(text)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fieldError(key, 'must start with http:// or https://')
  }
  if (!url.hostname) return fieldError(key, 'has no host')
  if (url.username !== '' || url.password !== '') return fieldError(key, 'must not carry credentials')
  if (text.includes('?') || text.includes('#')) return fieldError(key, 'must not have a query or fragment')
  return null
}

function identifierProblem (text, min, max, allowed) {
  const length = new TextEncoder().encode(text).length
  if (length < min || length > max) return `has an invalid length ${length}`
  for (const c of text) {
    if (!allowed(c)) return `contains the invalid character ${debugChar(c)}`
  }
  return null
}

const isAlnum = (c) => /^[A-Za-z0-9]$/.test(c)

export function namespaceProblem (name) {
  const p = identifierProblem(name, 1, 255, (c) => isAlnum(c) || c === '-' || c === '_')
  return p && fieldError(KEYS.namespace, `${p} (1-255 of a-z, A-Z, 0-9, '-', '_')`)
}

export function userPrefixProblem (prefix) {
  const p = identifierProblem(prefix, 0, 32, (c) => /^[a-z0-9._-]$/.test(c))
  return p && fieldError(KEYS.userPrefix, `${p} (0-32 of a-z, 0-9, '-', '_', '.')`)
}

export function replicationGroupProblem (group) {
  const p = identifierProblem(group, 1, 255, (c) => isAlnum(c) || '-_.:'.includes(c))
  return p && fieldError(KEYS.replicationGroup, `${p} (a URN or a name of a-z, A-Z, 0-9, '-', '_', '.', ':')`)
}

/** One CORS origin: `*` or `scheme://host[:port]`. */
function corsOriginOk (origin) {
  if (origin === '*') return true
  let url
  try {
    url = new URL(origin)
  } catch {
    return false
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' && url.pathname === '/' && !origin.includes('?') && !origin.includes('#') &&
    url.username === '' && url.password === '' && !/[?#]$/.test(origin.replace(/\/+$/, ''))
}

export function corsOriginsProblem (text) {
  for (const origin of text.split(/[, \n\t]/).filter((o) => o !== '')) {
    if (!corsOriginOk(origin)) {
      return fieldError(KEYS.corsOrigins, `has an invalid origin ${debugStr(origin)} (expected scheme://host[:port])`)
    }
  }
  return null
}

export function saUserProblem (user) {
  // eslint-disable-next-line no-control-regex
  if ([...user].length > 255 || /[\u0000-\u001f\u007f-\u009f:]/.test(user)) {
    return fieldError(KEYS.saUser, "must be at most 255 characters without ':' or control characters")
  }
  return null
}

export function caCertProblem (pem) {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(pem)) {
    return fieldError(KEYS.caCert, 'is unusable: the CA certificate holds no PEM certificate')
  }
  return null
}

/** The upstream `s3_host`: `host[:port]` (https implied) or a full URL. */
export function legacyHostProblem (host) {
  const text = host.includes('://') ? host : 'https://' + host.replace(/\/+$/, '')
  return baseUrlProblem(KEYS.privateUrl, text)
}

const trimmed = (v) => (v ?? '').trim()

/**
 * Every problem of the add-store form, by form field; an empty object when it is valid.
 * @param {object} form name, mgmtUrl, saUser, saPassword, namespace, publicUrl, privateUrl,
 *   insecure, caCert, userPrefix, replicationGroup, corsOrigins
 */
export function storeFormProblems (form) {
  const problems = {}
  const required = (field, key) => {
    if (trimmed(form[field]) === '') problems[field] = fieldError(key, 'is required')
    return trimmed(form[field]) !== ''
  }
  if (trimmed(form.name) === '') problems.name = 'the store needs a name'
  if (required('mgmtUrl', KEYS.mgmtUrl)) {
    const p = baseUrlProblem(KEYS.mgmtUrl, trimmed(form.mgmtUrl))
    if (p) problems.mgmtUrl = p
  }
  if (required('saUser', KEYS.saUser)) {
    const p = saUserProblem(trimmed(form.saUser))
    if (p) problems.saUser = p
  }
  // The password is taken verbatim: spaces may be part of it.
  if (!form.saPassword) problems.saPassword = fieldError(KEYS.saPassword, 'is required')
  if (required('namespace', KEYS.namespace)) {
    const p = namespaceProblem(trimmed(form.namespace))
    if (p) problems.namespace = p
  }
  if (trimmed(form.publicUrl) === '') {
    problems.publicUrl = fieldError(KEYS.publicUrl, 'is required (or the legacy s3_host)')
  } else {
    const p = baseUrlProblem(KEYS.publicUrl, trimmed(form.publicUrl))
    if (p) problems.publicUrl = p
  }
  if (trimmed(form.privateUrl) !== '') {
    const p = legacyHostProblem(trimmed(form.privateUrl))
    if (p) problems.privateUrl = p
  }
  if (trimmed(form.caCert) !== '') {
    const p = caCertProblem(trimmed(form.caCert))
    if (p) problems.caCert = p
  }
  if (form.userPrefix !== undefined && form.userPrefix !== null && trimmed(form.userPrefix) !== '') {
    const p = userPrefixProblem(trimmed(form.userPrefix))
    if (p) problems.userPrefix = p
  }
  if (trimmed(form.replicationGroup) !== '') {
    const p = replicationGroupProblem(trimmed(form.replicationGroup))
    if (p) problems.replicationGroup = p
  }
  if (trimmed(form.corsOrigins) !== '') {
    const p = corsOriginsProblem(trimmed(form.corsOrigins))
    if (p) problems.corsOrigins = p
  }
  return problems
}

/** The driver's `bucket_name` check, with its message. */
export function bucketNameProblem (name) {
  const problem = (() => {
    if (name.length < 3 || name.length > 63) return 'it must be 3 to 63 characters long'
    for (const c of name) {
      if (!/^[a-z0-9.-]$/.test(c)) {
        return /^[A-Z]$/.test(c) ? 'it must be lower case' : "it may hold only a-z, 0-9, '.' and '-'"
      }
    }
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'it must start and end with a letter or digit'
    if (name.includes('..') || name.includes('.-') || name.includes('-.')) {
      return "it must not contain '..', '.-' or '-.'"
    }
    if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(name)) {
      return 'it must not be an IP address'
    }
    if (name.startsWith('xn--') || name.startsWith('sthree-') || name.endsWith('-s3alias')) {
      return 'it must not use a reserved prefix or suffix'
    }
    return null
  })()
  return problem && `invalid bucket name ${debugStr(name)}: ${problem}`
}

/** The largest quota the driver accepts, in GiB. */
export const MAX_QUOTA_GIB = 2 ** 30

export function quotaProblem (gib) {
  if (gib === null || gib === undefined || gib === '') return null
  if (!Number.isInteger(Number(gib)) || Number(gib) < 0) return 'the quota is a whole number of GiB (0 = none)'
  if (Number(gib) > MAX_QUOTA_GIB) return `invalid quota ${gib} GiB: at most ${MAX_QUOTA_GIB} GiB`
  return null
}
