// The page's inline validation says what the driver says (crates/ecs-driver/src/config.rs,
// validate.rs): the same keys, the same problems, the same wording.
import test from 'node:test'
import assert from 'node:assert/strict'
import { addStoreParams } from '../src/details.js'
import { bucketNameProblem, quotaProblem, storeFormProblems } from '../src/validate.js'

const valid = {
  name: 'ecs-1',
  mgmtUrl: 'https://ecs.example.com:4443/',
  saUser: 'cloudstack',
  saPassword: 's3cr3t pass',
  namespace: 'cloud',
  publicUrl: 'https://s3.example.com:9021',
  privateUrl: '',
  insecure: false,
  caCert: '',
  userPrefix: '',
  replicationGroup: '',
  corsOrigins: ''
}

test('validation: a valid form has no problem, and every field maps to the driver\'s detail key', () => {
  assert.deepEqual(storeFormProblems(valid), {})
  const params = addStoreParams({ ...valid, privateUrl: 'http://10.0.0.5:9020', insecure: true, userPrefix: 'acs_', replicationGroup: 'rg1', corsOrigins: 'https://cloud.example.com' })
  const details = {}
  for (let i = 0; params[`details[${i}].key`]; i++) details[params[`details[${i}].key`]] = params[`details[${i}].value`]
  assert.equal(params.provider, 'ECS')
  assert.equal(params.url, 'https://s3.example.com:9021')
  assert.deepEqual(details, {
    mgmt_url: 'https://ecs.example.com:4443/',
    sa_user: 'cloudstack',
    sa_password: 's3cr3t pass',
    namespace: 'cloud',
    s3_public_url: 'https://s3.example.com:9021',
    s3_host: 'http://10.0.0.5:9020',
    insecure: 'true',
    user_prefix: 'acs_',
    replication_group: 'rg1',
    cors_origins: 'https://cloud.example.com'
  })
})

test('validation: missing and bad values give the driver\'s messages', () => {
  const cases = [
    [{ mgmtUrl: '' }, 'mgmtUrl', 'store detail mgmt_url is required'],
    [{ mgmtUrl: 'ecs.example.com:4443' }, 'mgmtUrl', 'store detail mgmt_url must start with http:// or https://'],
    [{ mgmtUrl: 'ftp://ecs.example.com' }, 'mgmtUrl', 'store detail mgmt_url must start with http:// or https://'],
    [{ mgmtUrl: 'https://user:pw@ecs.example.com' }, 'mgmtUrl', 'store detail mgmt_url must not carry credentials'],
    [{ mgmtUrl: 'https://ecs.example.com/?x=1' }, 'mgmtUrl', 'store detail mgmt_url must not have a query or fragment'],
    [{ publicUrl: 'not a url' }, 'publicUrl', 'store detail s3_public_url is not a valid URL (relative URL without a base): "not a url"'],
    [{ publicUrl: '' }, 'publicUrl', 'store detail s3_public_url is required (or the legacy s3_host)'],
    [{ saUser: '   ' }, 'saUser', 'store detail sa_user is required'],
    [{ saUser: 'bad:user' }, 'saUser', "store detail sa_user must be at most 255 characters without ':' or control characters"],
    [{ saPassword: '' }, 'saPassword', 'store detail sa_password is required'],
    [{ namespace: 'bad/ns' }, 'namespace', "store detail namespace contains the invalid character '/' (1-255 of a-z, A-Z, 0-9, '-', '_')"],
    [{ userPrefix: 'CS<' }, 'userPrefix', "store detail user_prefix contains the invalid character 'C' (0-32 of a-z, 0-9, '-', '_', '.')"],
    [{ replicationGroup: 'rg</vpool>' }, 'replicationGroup', "store detail replication_group contains the invalid character '<' (a URN or a name of a-z, A-Z, 0-9, '-', '_', '.', ':')"],
    [{ corsOrigins: 'https://ok.example.com, javascript:alert(1)' }, 'corsOrigins', 'store detail cors_origins has an invalid origin "javascript:alert(1)" (expected scheme://host[:port])'],
    [{ corsOrigins: 'https://x.example.com/path' }, 'corsOrigins', 'store detail cors_origins has an invalid origin "https://x.example.com/path" (expected scheme://host[:port])'],
    [{ caCert: '-----BEGIN nothing' }, 'caCert', 'store detail ca_cert is unusable: the CA certificate holds no PEM certificate']
  ]
  for (const [change, field, message] of cases) {
    assert.equal(storeFormProblems({ ...valid, ...change })[field], message, JSON.stringify(change))
  }
  assert.equal(storeFormProblems({ ...valid, corsOrigins: '* http://localhost:8080' }).corsOrigins, undefined)
  assert.equal(storeFormProblems({ ...valid, privateUrl: 's3.internal:9020' }).privateUrl, undefined, 'host[:port] as upstream s3_host')
})

test('validation: bucket names and quotas follow the driver', () => {
  assert.equal(bucketNameProblem('my-bucket.01'), null)
  assert.equal(bucketNameProblem('My_Bucket'), 'invalid bucket name "My_Bucket": it must be lower case')
  assert.equal(bucketNameProblem('ab'), 'invalid bucket name "ab": it must be 3 to 63 characters long')
  assert.equal(bucketNameProblem('a..b'), "invalid bucket name \"a..b\": it must not contain '..', '.-' or '-.'")
  assert.equal(bucketNameProblem('192.168.1.1'), 'invalid bucket name "192.168.1.1": it must not be an IP address')
  assert.equal(bucketNameProblem('xn--abc'), 'invalid bucket name "xn--abc": it must not use a reserved prefix or suffix')
  assert.equal(quotaProblem(5), null)
  assert.equal(quotaProblem(2 ** 30 + 1), 'invalid quota 1073741825 GiB: at most 1073741824 GiB')
})
