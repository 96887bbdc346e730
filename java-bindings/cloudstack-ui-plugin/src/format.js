/** Bytes as CloudStack's UI shows sizes. */
export function bytes (n) {
  if (n === null || n === undefined) return '-'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
  let v = Number(n)
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

export function when (d) {
  if (!d) return '-'
  const date = d instanceof Date ? d : new Date(d)
  return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
}
