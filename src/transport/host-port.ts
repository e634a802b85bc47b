/** `host:port` addresses as the TCP transport and the CLI take them. */
import { isIP } from 'node:net'
import { UsageError } from '../errors.js'

/** A parsed TCP address. */
export interface HostPort {
  host: string
  port: number
}

/**
 * Splits `host:port` (an IPv6 host in brackets: `[::1]:7700`). Port 0 means "any free port"
 * when listening. Throws a UsageError naming the value and the expected form.
 */
export function parseHostPort(address: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address.trim())
  const port = match ? Number(match[3]) : NaN
  const host = match ? (match[1] ?? match[2] ?? '') : ''
  const bracketed = match?.[1] !== undefined
  if (!match || port > 65535 || (bracketed && isIP(host) !== 6)) {
    throw new UsageError(
      `'${address}' is not a TCP address; expected HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:7700 or [::1]:7700`
    )
  }
  return { host, port }
}

/** The inverse of parseHostPort: brackets an IPv6 host. */
export function formatHostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`
}

/**
 * True for hosts only this machine can reach: 127.0.0.0/8, ::1 (IPv4-mapped too) and
 * `localhost`. A broker listening anywhere else needs a cluster secret.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
  if (bare === 'localhost') return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (isIP(bare) === 6) {
    if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)
    return mapped !== null && (mapped[1] as string).startsWith('127.')
  }
  return false
}
