// A node:test reporter that prints one closing line, `N passed, M failed`, counting top-level
// tests (each test file's tests are top level).
export default async function * summary (source) {
  let passed = 0
  let failed = 0
  for await (const event of source) {
    if (event.data?.nesting !== 0 || event.data?.details?.type === 'suite') continue
    if (event.type === 'test:pass') passed++
    if (event.type === 'test:fail') failed++
  }
  yield `${passed} passed, ${failed} failed\n`
}
