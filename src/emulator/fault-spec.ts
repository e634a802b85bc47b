/**
 * The fault spec of `squall emulator --faults`: one line that says what to inject, parsed here
 * and nowhere else, and printed back in the same form so a run can be repeated with its seed:
 *
 *   latency=20ms,429=0.05,500=0.05,drop=0.02,lost=0.05,blob,methods=CreateArtifact+AppendBlock
 */
import { UsageError } from '../errors.js'
import type { FaultOptions } from './faults.js'

/** Twirp methods the emulator serves and blob operations the proxy names: what `methods` takes. */
export const faultableMethods: readonly string[] = [
  'CreateArtifact',
  'FinalizeArtifact',
  'ListArtifacts',
  'GetSignedArtifactURL',
  'DeleteArtifact',
  'CreateCacheEntry',
  'FinalizeCacheEntryUpload',
  'GetCacheEntryDownloadURL',
  'CreateAppendBlob',
  'AppendBlock',
  'PutBlob',
  'PutBlock',
  'PutBlockList',
  'GetBlob',
  'GetBlobRange',
  'GetBlobProperties',
  'DeleteBlob'
]

const rateKeys = {
  '429': 'rate429',
  '500': 'rate500',
  drop: 'rateDrop',
  lost: 'rateLost'
} as const

const hint =
  'expected comma-separated latency=<ms>, 429=<p>, 500=<p>, drop=<p>, lost=<p>, blob, methods=<A+B>'

/** `0.05` or `5%`: a probability from 0 to 1. */
function probability(option: string, key: string, value: string): number {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value)
  const p = percent ? Number(percent[1]) / 100 : /^\d*\.?\d+$/.test(value) ? Number(value) : NaN
  if (!(p >= 0 && p <= 1)) {
    throw new UsageError(
      `${option}: '${key}=${value}' is not a probability; expected 0 to 1 (e.g. 0.05 or 5%)`
    )
  }
  return p
}

/** `20ms`, `0.5s` or `20` (milliseconds). */
function latency(option: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value)
  if (!m) {
    throw new UsageError(`${option}: 'latency=${value}' is not a delay; expected e.g. 20ms or 0.5s`)
  }
  return Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1))
}

/** Parses a fault spec (see the file's comment) with `seed`; a UsageError names `option`. */
export function parseFaultSpec(option: string, spec: string, seed: number): FaultOptions {
  const faults: FaultOptions = { seed }
  const seen = new Set<string>()
  const parts = spec.split(',').map(p => p.trim())
  if (parts.every(p => p === '')) throw new UsageError(`${option}: the spec is empty; ${hint}`)
  for (const part of parts) {
    if (part === '') throw new UsageError(`${option}: '${spec}' has an empty item; ${hint}`)
    const eq = part.indexOf('=')
    const key = eq < 0 ? part : part.slice(0, eq).trim()
    const value = eq < 0 ? undefined : part.slice(eq + 1).trim()
    if (seen.has(key)) throw new UsageError(`${option}: '${key}' is given twice in '${spec}'`)
    seen.add(key)
    if (key === 'blob') {
      if (value !== undefined) {
        throw new UsageError(`${option}: '${part}': blob takes no value (it turns blob faults on)`)
      }
      faults.blob = true
      continue
    }
    if (value === undefined || value === '') {
      throw new UsageError(`${option}: '${part}' has no value; ${hint}`)
    }
    if (key === 'latency') faults.latencyMs = latency(option, value)
    else if (key === 'methods') faults.methods = methodList(option, value)
    else if (key in rateKeys)
      faults[rateKeys[key as keyof typeof rateKeys]] = probability(option, key, value)
    else throw new UsageError(`${option}: '${part}': unknown fault '${key}'; ${hint}`)
  }
  const sum = Object.values(rateKeys).reduce((total, k) => total + (faults[k] ?? 0), 0)
  if (sum > 1 + 1e-9) {
    throw new UsageError(
      `${option}: the rates of '${spec}' add up to ${+sum.toFixed(6)}; their sum must not pass 1`
    )
  }
  return faults
}

function methodList(option: string, value: string): string[] {
  const names = value.split('+').map(n => n.trim())
  for (const name of names) {
    if (!faultableMethods.includes(name)) {
      throw new UsageError(
        `${option}: '${name}' in 'methods=${value}' is not a method the emulator knows; expected some of ${faultableMethods.join(', ')}`
      )
    }
  }
  return names
}

/** The spec that parses back to `faults` (seed aside): what `squall emulator` prints. */
export function formatFaultSpec(faults: FaultOptions): string {
  const parts: string[] = []
  if (faults.latencyMs) parts.push(`latency=${faults.latencyMs}ms`)
  for (const [key, field] of Object.entries(rateKeys)) {
    const rate = faults[field]
    if (rate) parts.push(`${key}=${rate}`)
  }
  if (faults.blob) parts.push('blob')
  if (faults.methods) parts.push(`methods=${faults.methods.join('+')}`)
  return parts.length > 0 ? parts.join(',') : 'latency=0ms'
}
