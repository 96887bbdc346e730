// CloudStack's API, called the way CloudStack's own UI calls it: same origin (the page runs
// inside the UI), the session cookie sent by the browser, and the `sessionkey` parameter read
// from the `sessionkey` cookie CloudStack sets at login.

/** An API failure: CloudStack's `errorcode` and `errortext`, shown to the user as they are. */
export class ApiError extends Error {
  constructor (command, errorcode, errortext) {
    super(errortext)
    this.command = command
    this.errorcode = errorcode
  }
}

const API_PATH = new URL('../../api', document.baseURI).pathname

function cookie (name) {
  const found = document.cookie.split('; ').find((c) => c.startsWith(name + '='))
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null
}

/** @returns {boolean} whether the browser holds a CloudStack session key */
export const hasSession = () => cookie('sessionkey') !== null

/** @returns {string|null} the logged-in user's id, from CloudStack's `userid` cookie */
export const userId = () => cookie('userid')

/**
 * Calls one API command.
 * @param {string} command e.g. listBuckets
 * @param {Record<string, any>} params parameters (undefined and null are left out)
 * @param {'GET'|'POST'} method POST for commands that change things or carry secrets
 * @returns {Promise<object>} the body of `<command>response`
 */
export async function api (command, params = {}, method = 'GET') {
  const args = new URLSearchParams({ command, response: 'json' })
  const key = cookie('sessionkey')
  if (key) args.set('sessionkey', key)
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue
    ;(method === 'POST' ? body : args).set(k, String(v))
  }
  let res
  try {
    res = await fetch(`${API_PATH}?${args}`, {
      method,
      credentials: 'same-origin',
      headers: method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
      body: method === 'POST' ? body : undefined
    })
  } catch (err) {
    throw new ApiError(command, 0, `CloudStack's API cannot be reached: ${err.message}`)
  }
  let json
  try {
    json = await res.json()
  } catch {
    throw new ApiError(command, res.status, `CloudStack answered ${res.status} without JSON`)
  }
  const out = json[command.toLowerCase() + 'response'] ?? json.errorresponse ?? {}
  if (!res.ok || out.errorcode) {
    throw new ApiError(command, out.errorcode ?? res.status, out.errortext ?? `HTTP ${res.status}`)
  }
  return out
}

/**
 * Polls an async job (queryAsyncJobResult) until it ends.
 * @returns {Promise<object>} the job's `jobresult`
 */
export async function waitForJob (command, jobid, { intervalMs = 500, timeoutMs = 300000 } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = await api('queryAsyncJobResult', { jobid })
    if (job.jobstatus === 1) return job.jobresult
    if (job.jobstatus === 2) {
      throw new ApiError(command, job.jobresult?.errorcode ?? 530, job.jobresult?.errortext ?? 'the job failed')
    }
    if (Date.now() > deadline) throw new ApiError(command, 0, `job ${jobid} did not finish in time`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
