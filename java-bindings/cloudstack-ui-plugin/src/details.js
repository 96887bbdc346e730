// The addObjectStoragePool parameters built from the form: CloudStack's `details[N].key` /
// `details[N].value` pairs with the ECS plug-in's detail keys.

import { KEYS } from './validate.js'

/**
 * @param {object} form the add-store form's values
 * @returns {Record<string, string>} the API parameters (name, provider, url, details[N].*)
 */
export function addStoreParams (form) {
  const t = (v) => (v ?? '').trim()
  const details = [
    [KEYS.mgmtUrl, t(form.mgmtUrl)],
    [KEYS.saUser, t(form.saUser)],
    [KEYS.saPassword, form.saPassword],
    [KEYS.namespace, t(form.namespace)],
    // The store's URL is the public S3 URL, as the upstream form has it; it is also sent as
    // s3_public_url, which the driver reads whatever the precedence of `url` and `s3_host`.
    [KEYS.publicUrl, t(form.publicUrl)],
    [KEYS.privateUrl, t(form.privateUrl)],
    [KEYS.insecure, form.insecure ? 'true' : 'false'],
    [KEYS.caCert, t(form.caCert)],
    [KEYS.userPrefix, t(form.userPrefix)],
    [KEYS.replicationGroup, t(form.replicationGroup)],
    [KEYS.corsOrigins, t(form.corsOrigins)]
  ].filter(([, value]) => value !== '')
  const params = { name: t(form.name), provider: 'ECS', url: t(form.publicUrl) }
  details.forEach(([key, value], i) => {
    params[`details[${i}].key`] = key
    params[`details[${i}].value`] = value
  })
  return params
}
