// The ECS page in a real headless Chromium (Debian's), against the CloudStack API stand-in:
// every API call runs CloudStack's call sequence through the ECS plug-in, JNI and the Rust driver
// against ecs-sim, and the bucket browser talks S3 to ecs-sim straight from the page, which works
// only because of the CORS rule the driver puts on new buckets. Each test saves a screenshot.

import test, { before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { start } from './fixture.js'

let env
let page
let shot = 0

before(async () => {
  env = await start()
  page = await env.browser.newPage()
  await page.setViewport({ width: 1280, height: 800 })
  page.setDefaultTimeout(30000)
})

after(async () => {
  await env?.stop()
})

/** A test that saves a screenshot of the page at its end, passed or failed. */
function ui (name, body) {
  test(name, async () => {
    try {
      await body()
    } finally {
      shot++
      const file = `${String(shot).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}.png`
      await page?.screenshot({ path: path.join(env.out, file), fullPage: false }).catch(() => {})
    }
  })
}

const tid = (id) => `[data-testid="${id}"]`
const inputOf = (id) => `input${tid(id)}, ${tid(id)} input, textarea${tid(id)}`

async function text (selector) {
  await page.waitForSelector(selector, { visible: true })
  return page.$eval(selector, (el) => el.textContent.trim())
}

async function fill (id, value) {
  const sel = inputOf(id)
  await page.waitForSelector(sel, { visible: true })
  await page.$eval(sel, (el) => el.focus())
  await page.keyboard.down('Control')
  await page.keyboard.press('KeyA')
  await page.keyboard.up('Control')
  await page.keyboard.press('Backspace')
  if (value) await page.keyboard.type(value)
}

async function openTab (name) {
  const tabs = await page.$$('.ant-tabs-tab')
  for (const t of tabs) {
    if ((await t.evaluate((el) => el.textContent)).includes(name)) {
      await t.click()
      return
    }
  }
  throw new Error(`no tab ${name}`)
}

async function bucketRow (name) {
  await page.waitForSelector(tid('browse-' + name), { visible: true })
  return page.evaluate((n) => {
    const row = document.querySelector(`[data-testid="browse-${n}"]`).closest('tr')
    return [...row.querySelectorAll('td')].map((td) => td.textContent.trim())
  }, name)
}

/** Waits until no modal, drawer or alert is moving (a click during an animation can miss). */
async function settled () {
  await page.waitForFunction(() => !document.querySelector('[class*="-enter"], [class*="-appear"], [class*="-leave"]'))
}

async function click (selector) {
  await settled()
  await page.click(selector)
}

async function closeDrawer () {
  await click('.ant-drawer-close')
  await waitGone(tid('objects'))
}

async function waitGone (selector) {
  await page.waitForFunction((s) => !document.querySelector(s) || document.querySelector(s).offsetParent === null, {}, selector)
}

function storeValues (overrides = {}) {
  return {
    name: 'ecs-1',
    mgmtUrl: env.mgmtUrl,
    saUser: 'root',
    saPassword: 'ChangeMe',
    namespace: 'ns1',
    publicUrl: env.s3Url,
    corsOrigins: env.origin,
    ...overrides
  }
}

async function fillStore (values) {
  for (const [field, value] of Object.entries(values)) await fill('field-' + field, value)
}

const files = {
  'a.txt': Buffer.from('hello from the ECS page\n'),
  'b.bin': randomBytes(300 * 1024),
  'guide.txt': Buffer.from('inside docs/\n')
}

function writeFixtures () {
  const dir = path.join(env.out, 'upload')
  rmSync(dir, { recursive: true, force: true })
  const paths = {}
  for (const [name, body] of Object.entries(files)) {
    const p = path.join(dir, name)
    paths[name] = p
  }
  return { dir, paths }
}

ui('the page opens inside the UI host page after login, on the same origin', async () => {
  await page.goto(`${env.origin}/client/`)
  assert.match(await text('.fixture'), /TEST FIXTURE/)
  await page.type('#password', 'password')
  await click('button[type=submit]')
  const frameHandle = await page.waitForSelector('iframe#plugin:not([hidden])')
  const frame = await frameHandle.contentFrame()
  await frame.waitForSelector(tid('tabs'))
  assert.equal(await frame.$eval(tid('user'), (el) => el.textContent.trim()), 'admin · admin')
  assert.equal(new URL(frame.url()).origin, env.origin)
  const config = await (await fetch(`${env.origin}/client/config.json`)).json()
  assert.equal(config.plugins[0].path, 'plugins/ecs/index.html')
})

ui('without a session the API refuses and the page says to log in', async () => {
  const res = await fetch(`${env.origin}/client/api?command=listBuckets&response=json`)
  assert.equal(res.status, 401)
  const body = await res.json()
  assert.equal(body.listbucketsresponse.errorcode, 401)
  assert.match(body.listbucketsresponse.errortext, /unable to verify user credentials/)
  const context = await env.browser.createBrowserContext()
  const other = await context.newPage()
  await other.goto(env.pageUrl)
  await other.waitForSelector(tid('no-session'))
  assert.match(await other.$eval(tid('no-session'), (el) => el.textContent), /Log in to CloudStack first/)
  await context.close()
})

ui('add form: each invalid field shows the driver\'s message inline', async () => {
  await page.goto(env.pageUrl)
  await page.waitForSelector(tid('tabs'))
  await openTab('Add ECS object storage')
  await fill('field-corsOrigins', '')
  await click(tid('add-submit'))
  const required = {
    mgmtUrl: 'store detail mgmt_url is required',
    saUser: 'store detail sa_user is required',
    saPassword: 'store detail sa_password is required',
    namespace: 'store detail namespace is required',
    publicUrl: 'store detail s3_public_url is required (or the legacy s3_host)'
  }
  for (const [field, message] of Object.entries(required)) {
    assert.equal(await text(tid('err-' + field)), message, field)
  }
  assert.equal(await page.evaluate(() => document.activeElement.closest('[data-testid]')?.dataset.testid ?? document.activeElement.dataset.testid), 'field-name', 'focus moves to the first invalid field')
  await fillStore(storeValues({
    mgmtUrl: 'ecs.example.com:4443',
    saUser: 'bad:user',
    namespace: 'bad/ns',
    publicUrl: 'https://user:pw@s3.example.com',
    privateUrl: 'ftp://s3.internal',
    userPrefix: 'CS<',
    replicationGroup: 'rg</vpool>',
    corsOrigins: 'https://x.example.com/path',
    caCert: '-----BEGIN nothing'
  }))
  await click(tid('add-submit'))
  const bad = {
    mgmtUrl: 'store detail mgmt_url must start with http:// or https://',
    saUser: "store detail sa_user must be at most 255 characters without ':' or control characters",
    namespace: "store detail namespace contains the invalid character '/' (1-255 of a-z, A-Z, 0-9, '-', '_')",
    publicUrl: 'store detail s3_public_url must not carry credentials',
    privateUrl: 'store detail s3_host must start with http:// or https://',
    userPrefix: "store detail user_prefix contains the invalid character 'C' (0-32 of a-z, 0-9, '-', '_', '.')",
    replicationGroup: "store detail replication_group contains the invalid character '<' (a URN or a name of a-z, A-Z, 0-9, '-', '_', '.', ':')",
    corsOrigins: 'store detail cors_origins has an invalid origin "https://x.example.com/path" (expected scheme://host[:port])',
    caCert: 'store detail ca_cert is unusable: the CA certificate holds no PEM certificate'
  }
  for (const [field, message] of Object.entries(bad)) {
    assert.equal(await text(tid('err-' + field)), message, field)
  }
  assert.equal(await page.$(tid('add-error')), null, 'nothing was sent to CloudStack')
})

ui('add form: a wrong password shows the driver\'s diagnosis', async () => {
  await click(tid('add-reset'))
  await fillStore(storeValues({ name: 'ecs-wrong', saPassword: 'not-the-password' }))
  await click(tid('add-submit'))
  const error = await text(tid('add-error'))
  assert.match(error, /failed its checks/, error)
  assert.match(error, /login/i, error)
  await page.$eval(tid('add-error'), (el) => el.scrollIntoView({ block: 'center' }))
})

ui('add form: keyboard only', async () => {
  await page.goto(env.pageUrl)
  await page.waitForSelector(tid('tabs'))
  // Reach the second tab with the keyboard alone, then open it with Enter.
  await page.focus('.ant-tabs-tab-btn')
  for (let hops = 0; hops < 4; hops++) {
    if ((await page.evaluate(() => document.activeElement.textContent)).includes('Add ECS object storage')) break
    await page.keyboard.press('Tab')
  }
  assert.match(await page.evaluate(() => document.activeElement.textContent), /Add ECS object storage/)
  await page.keyboard.press('Enter')
  await page.waitForSelector(inputOf('field-name'), { visible: true })
  await page.keyboard.press('Tab')
  const values = storeValues({ name: 'ecs-kbd', publicUrl: env.s3UrlAlias, corsOrigins: env.origin })
  const order = ['name', 'mgmtUrl', 'saUser', 'saPassword', 'namespace', 'replicationGroup', 'publicUrl', 'privateUrl', 'userPrefix', 'corsOrigins']
  // Tab order follows the form; every field is reachable and typed into by keyboard alone.
  for (let i = 0, field = order[0]; i < order.length; field = order[++i]) {
    for (let hops = 0; hops < 6; hops++) {
      const at = await page.evaluate(() => (document.activeElement.closest('[data-testid^="field-"]') ?? document.activeElement).dataset?.testid)
      if (at === 'field-' + field) break
      await page.keyboard.press('Tab')
    }
    const at = await page.evaluate(() => (document.activeElement.closest('[data-testid^="field-"]') ?? document.activeElement).dataset?.testid)
    assert.equal(at, 'field-' + field, `Tab reaches ${field}`)
    await page.keyboard.down('Control')
    await page.keyboard.press('KeyA')
    await page.keyboard.up('Control')
    await page.keyboard.press('Backspace')
    if (values[field]) await page.keyboard.type(values[field])
  }
  await page.keyboard.press('Enter')
  await page.waitForFunction((t) => document.querySelector(t)?.textContent.includes('ecs-kbd'), {}, tid('store-select'))
})

ui('add a valid ECS store', async () => {
  await openTab('Add ECS object storage')
  await fillStore(storeValues())
  await click(tid('add-submit'))
  await page.waitForFunction((t) => document.querySelector(t)?.textContent.includes('ecs-1'), {}, tid('store-select'))
  assert.equal(await text(tid('store-url')), env.s3Url)
})

ui('create bucket: no object-lock switch, encryption only at creation with a note', async () => {
  await click(tid('create-bucket'))
  await page.waitForSelector(tid('create-form'), { visible: true })
  await settled()
  const options = await page.$$eval('.ant-modal .ant-checkbox-wrapper, .ant-modal .ant-switch', (els) => els.map((e) => e.textContent.trim()))
  assert.deepEqual(options, ['Versioning', 'Encryption'], 'no object-lock switch')
  assert.match(await text(tid('object-lock-note')), /not offered/)
  assert.match(await text(tid('encryption-note')), /only now/)
  await fill('bucket-name', 'My_Bucket')
  await click(tid('create-ok'))
  assert.equal(await text(tid('err-bucket-name')), 'invalid bucket name "My_Bucket": it must be lower case')
  await fill('bucket-name', 'photos')
  await fill('bucket-quota', '5')
  await click(tid('bucket-versioning'))
  await click(tid('bucket-encryption'))
  await click(tid('create-ok'))
  await waitGone(tid('create-form'))
  const row = await bucketRow('photos')
  assert.deepEqual(row.slice(0, 7), ['photos', 'admin', '0 B', '5 GiB', 'on', 'on', 'private'])
  assert.equal(row[7], `${env.s3Url}/photos`)
  // A second, plain bucket for the browser and delete tests.
  await click(tid('create-bucket'))
  await page.waitForSelector(tid('create-form'), { visible: true })
  await settled()
  await fill('bucket-name', 'docs')
  await click(tid('create-ok'))
  await waitGone(tid('create-form'))
  assert.deepEqual((await bucketRow('docs')).slice(3, 7), ['none', 'off', 'off', 'private'])
})

ui('update bucket: quota, versioning and policy, and no encryption switch', async () => {
  await click(tid('edit-photos'))
  await page.waitForSelector(tid('edit-form'), { visible: true })
  await settled()
  assert.equal(await page.$(`${tid('edit-form')} .ant-switch, ${tid('edit-form')} [data-testid*="encryption"] input`), null)
  assert.match(await text(tid('edit-encryption')), /Encryption: on, fixed when the bucket was created/)
  await fill('edit-quota', '7')
  await click(tid('edit-policy'))
  await page.waitForSelector('.ant-select-item-option[title^="Public"]', { visible: true })
  await click('.ant-select-item-option[title^="Public"]')
  await click(tid('edit-ok'))
  await waitGone(tid('edit-form'))
  await page.waitForFunction(() => {
    const row = document.querySelector('[data-testid="browse-photos"]')?.closest('tr')
    return row && row.textContent.includes('7 GiB') && row.textContent.includes('public')
  })
  assert.deepEqual((await bucketRow('photos')).slice(3, 7), ['7 GiB', 'on', 'on', 'public'])
})

ui('browse: upload several files with progress, folders, list by prefix', async () => {
  const { paths } = writeFixtures()
  const { mkdirSync } = await import('node:fs')
  mkdirSync(path.dirname(paths['a.txt']), { recursive: true })
  for (const [name, p] of Object.entries(paths)) writeFileSync(p, files[name])
  await click(tid('open-docs'))
  await page.waitForSelector(tid('objects'), { visible: true })
  await settled()
  const input = await page.$(tid('upload-input'))
  await input.uploadFile(paths['a.txt'], paths['b.bin'])
  await page.waitForSelector(tid('object-b.bin'), { visible: true })
  const progress = await page.$$eval(`${tid('uploads')} .ant-progress-text`, (els) => els.map((e) => e.textContent.trim() || e.getAttribute('title') || 'done'))
  assert.equal(progress.length, 2)
  assert.equal(await page.$(`${tid('uploads')} [role=alert]`), null, 'no upload failed')
  await fill('folder-name', 'guides')
  await click(tid('open-folder'))
  await page.waitForFunction((t) => document.querySelector(t)?.textContent.includes('guides'), {}, tid('crumbs'))
  await (await page.$(tid('upload-input'))).uploadFile(paths['guide.txt'])
  await page.waitForSelector(tid('object-guide.txt'), { visible: true })
  await click(`${tid('crumbs')} a`)
  await page.waitForSelector(tid('folder-guides/'), { visible: true })
  const names = await page.$$eval(`${tid('objects')} tbody tr [data-testid^="object-"], ${tid('objects')} tbody tr [data-testid^="folder-"]`, (els) => els.map((e) => e.dataset.testid))
  assert.deepEqual(names.sort(), ['folder-guides/', 'object-a.txt', 'object-b.bin'])
  await fill('prefix-filter', 'a')
  await page.keyboard.press('Enter')
  await page.waitForFunction((t) => !document.querySelector(t), {}, tid('object-b.bin'))
  assert.ok(await page.$(tid('object-a.txt')))
  await fill('prefix-filter', '')
  await page.keyboard.press('Enter')
  await page.waitForSelector(tid('object-b.bin'), { visible: true })
})

ui('browse: download returns the uploaded bytes', async () => {
  for (const f of readdirSync(env.downloads)) rmSync(path.join(env.downloads, f))
  await click(tid('download-b.bin'))
  const target = path.join(env.downloads, 'b.bin')
  const deadline = Date.now() + 20000
  while (!existsSync(target) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  assert.ok(existsSync(target), 'the download arrived')
  assert.ok(Buffer.compare(readFileSync(target), files['b.bin']) === 0, 'same bytes')
})

ui('browse: delete an object', async () => {
  await click(tid('remove-a.txt'))
  await page.waitForFunction((t) => !document.querySelector(t), {}, tid('object-a.txt'))
  assert.ok(await page.$(tid('object-b.bin')))
  await closeDrawer()
})

ui('browse: object versions in a versioned bucket', async () => {
  const { paths } = writeFixtures()
  const { mkdirSync } = await import('node:fs')
  mkdirSync(path.dirname(paths['a.txt']), { recursive: true })
  await click(tid('open-photos'))
  await page.waitForSelector(tid('objects'), { visible: true })
  await settled()
  writeFileSync(paths['a.txt'], 'version one\n')
  await (await page.$(tid('upload-input'))).uploadFile(paths['a.txt'])
  await page.waitForSelector(tid('object-a.txt'), { visible: true })
  writeFileSync(paths['a.txt'], 'version two, longer\n')
  await (await page.$(tid('upload-input'))).uploadFile(paths['a.txt'])
  await page.waitForFunction((t) => document.querySelector(t)?.closest('tr')?.textContent.includes('20 B'), {}, tid('object-a.txt'))
  await click(tid('show-versions'))
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="objects"] tbody tr [data-testid="object-a.txt"]').length === 2)
  await click(tid('show-versions'))
  await page.waitForSelector(tid('remove-a.txt'), { visible: true })
  await click(tid('remove-a.txt'))
  await page.waitForFunction((t) => !document.querySelector(t), {}, tid('object-a.txt'))
  await click(tid('show-versions'))
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="objects"] tbody tr')].filter((r) => r.querySelector('[data-testid="object-a.txt"]'))
    return rows.length === 3 && rows.some((r) => r.textContent.includes('delete marker'))
  })
})

ui('delete a non-empty bucket: ECS\'s message is shown as is', async () => {
  await closeDrawer()
  await click(tid('delete-docs'))
  await page.waitForSelector(tid('confirm-delete'), { visible: true })
  await settled()
  await click(tid('confirm-delete'))
  const error = await text(tid('bucket-error'))
  assert.match(error, /not empty|NOT_EMPTY/i, error)
  assert.ok(await bucketRow('docs'), 'the bucket is still listed')
})

ui('delete an empty bucket', async () => {
  await click(tid('create-bucket'))
  await page.waitForSelector(tid('create-form'), { visible: true })
  await settled()
  await fill('bucket-name', 'scratch')
  await click(tid('create-ok'))
  await waitGone(tid('create-form'))
  await bucketRow('scratch')
  await click(tid('delete-scratch'))
  await page.waitForSelector(tid('confirm-delete'), { visible: true })
  await settled()
  await click(tid('confirm-delete'))
  await page.waitForFunction((t) => !document.querySelector(t), {}, tid('browse-scratch'))
})

ui('remove a store: refused while it has buckets, done when empty', async () => {
  await click(tid('delete-store'))
  await page.waitForSelector(tid('confirm-delete-store'), { visible: true })
  await settled()
  await click(tid('confirm-delete-store'))
  assert.match(await text(tid('bucket-error')), /Cannot delete object store with buckets/)
  await click(`${tid('bucket-error')} .ant-alert-close-icon`)
  await click(tid('store-select'))
  await page.waitForSelector('.ant-select-item-option[title="ecs-kbd"]', { visible: true })
  await click('.ant-select-item-option[title="ecs-kbd"]')
  await page.waitForFunction((t) => document.querySelector(t)?.textContent.includes('localhost'), {}, tid('store-url'))
  await click(tid('delete-store'))
  await page.waitForSelector(tid('confirm-delete-store'), { visible: true })
  await settled()
  await click(tid('confirm-delete-store'))
  await page.waitForFunction((t) => !document.querySelector(t)?.textContent.includes('ecs-kbd'), {}, tid('store-select'))
  assert.equal(await page.$(tid('bucket-error')), null)
})

ui('narrow window: the page fits and stays usable', async () => {
  await page.setViewport({ width: 390, height: 800 })
  await page.goto(env.pageUrl)
  await page.waitForSelector(tid('browse-photos'), { visible: true })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `no sideways scrolling of the page (overflow ${overflow}px)`)
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'))
  await settled()
  await page.screenshot({ path: path.join(env.out, 'narrow-buckets.png') })
  await click(tid('open-photos'))
  await page.waitForSelector(tid('objects'), { visible: true })
  await settled()
  const drawer = await page.$eval('.ant-drawer-content-wrapper', (el) => el.getBoundingClientRect().width)
  assert.ok(drawer <= 390, `the browser fits (${drawer}px)`)
  await page.screenshot({ path: path.join(env.out, 'narrow-browser.png') })
  await closeDrawer()
  await openTab('Add ECS object storage')
})
