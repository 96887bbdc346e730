// Starts what the browser tests talk to, all on 127.0.0.1: ecs-sim (the ECS emulator), the
// CloudStack API stand-in (java-bindings/cloudstack-ui-fixture: harness → plug-in → JNI → Rust
// driver → ecs-sim) serving the built page, and Debian's Chromium driven by puppeteer-core.
// Every process started here is stopped by stop().

import { spawn } from 'node:child_process'
import { createServer, connect } from 'node:net'
import { once } from 'node:events'
import { mkdirSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import puppeteer from 'puppeteer-core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const projectDir = path.resolve(here, '..')

function need (name) {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run the suite with \`cargo xtask ui-test\``)
  return value
}

async function freePort () {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address()
  server.close()
  await once(server, 'close')
  return port
}

async function waitForPort (port, child, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} during start-up`)
    const ok = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => { s.destroy(); resolve(true) })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${what} did not open port ${port} within ${timeoutMs} ms`)
}

export async function start () {
  const sim = need('ECS_SIM_BIN')
  const native = need('ECS_NATIVE_LIB')
  const classpath = need('UI_FIXTURE_CLASSPATH')
  const out = process.env.UI_TEST_OUT ?? path.resolve(projectDir, 'target/ui-test')
  const page = path.join(projectDir, 'dist')
  if (!existsSync(path.join(page, 'index.html'))) throw new Error(`${page}/index.html is missing: build the page first (npm run build)`)
  mkdirSync(out, { recursive: true })
  const processes = []
  const log = []

  const mgmtPort = await freePort()
  const s3Port = await freePort()
  const simProc = spawn(sim, ['--mgmt-addr', `127.0.0.1:${mgmtPort}`, '--s3-addr', `127.0.0.1:${s3Port}`, '--log', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] })
  processes.push(simProc)
  simProc.stdout.on('data', (d) => log.push(`sim: ${d}`))
  simProc.stderr.on('data', (d) => log.push(`sim: ${d}`))
  await waitForPort(mgmtPort, simProc, 'ecs-sim')
  await waitForPort(s3Port, simProc, 'ecs-sim')

  const java = spawn('java', [`-Decs.native.path=${native}`, '-cp', classpath, 'io.ecscloudstack.uifixture.ApiStandIn', '--page', page], { stdio: ['pipe', 'pipe', 'pipe'] })
  processes.push(java)
  java.stderr.on('data', (d) => log.push(`fixture: ${d}`))
  const origin = await new Promise((resolve, reject) => {
    let buffer = ''
    const timer = setTimeout(() => reject(new Error('the API stand-in did not start within 60 s\n' + log.join(''))), 60000)
    java.stdout.on('data', (d) => {
      buffer += d
      const m = /ui-fixture: listening on (\S+)/.exec(buffer)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    java.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the API stand-in exited with ${code}\n${log.join('')}`))
    })
  })

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--lang=en-US']
  })
  const downloads = path.join(out, 'downloads')
  mkdirSync(downloads, { recursive: true })
  const cdp = await browser.target().createCDPSession()
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true })

  const env = {
    origin,
    mgmtUrl: `http://127.0.0.1:${mgmtPort}`,
    s3Url: `http://127.0.0.1:${s3Port}`,
    s3UrlAlias: `http://localhost:${s3Port}`,
    pageUrl: `${origin}/client/plugins/ecs/index.html`,
    out,
    downloads,
    browser,
    log,
    async stop () {
      await browser.close().catch(() => {})
      java.stdin.end()
      for (const p of processes.reverse()) {
        if (p.exitCode === null) {
          const exited = once(p, 'exit')
          if (p !== java) p.kill('SIGTERM')
          const timer = setTimeout(() => p.kill('SIGKILL'), 5000)
          await exited
          clearTimeout(timer)
        }
      }
    }
  }
  return env
}
