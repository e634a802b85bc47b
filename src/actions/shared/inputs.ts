/**
 * Typed readers for action inputs. Each throws a UsageError naming the input, the value and
 * what was expected; nothing else in an action calls core.getInput.
 */
import * as core from '@actions/core'
import { resolve } from 'node:path'
import { parse as parseShell } from 'shell-quote'
import { UsageError } from '../../errors.js'
import { clusterIdOr } from '../../protocol/cluster-id.js'
import { outputPathProblem } from '../../report/output-path.js'
import {
  checkedEnvNames,
  checkedLabels,
  checkedTimeoutMs,
  durationHint,
  unitDurationMs
} from '../../values.js'

export function text(name: string): string {
  return core.getInput(name).trim()
}

export function bool(name: string): boolean {
  try {
    return core.getBooleanInput(name)
  } catch {
    throw new UsageError(
      `input '${name}': '${core.getInput(name)}' is not a boolean; expected true or false`
    )
  }
}

export function int(name: string, min: number, fallback?: number): number {
  const raw = text(name)
  if (raw === '' && fallback !== undefined) return fallback
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`input '${name}': '${raw}' is not a whole number of at least ${min}`)
  }
  return n
}

/** `90`, `90s`, `45m`, `5h30m` → milliseconds (plain numbers are seconds). */
export function duration(name: string, fallback?: number): number {
  const raw = text(name)
  if (raw === '' && fallback !== undefined) return fallback
  const ms = /^\d+(\.\d+)?$/.test(raw) && Number(raw) > 0 ? Number(raw) * 1000 : unitDurationMs(raw)
  if (ms === undefined)
    throw new UsageError(`input '${name}': '${raw}' is not a duration; ${durationHint}`)
  return checkedTimeoutMs(`input '${name}'`, raw, ms)
}

/** `512M`, `2G`, `100000` → bytes. */
export function size(name: string): number {
  const raw = text(name)
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)B?$/i.exec(raw)
  if (!m) throw new UsageError(`input '${name}': '${raw}' is not a size; expected e.g. 512M or 2G`)
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase()] as number
  return Math.round(Number(m[1]) * unit)
}

/** Comma- or newline-separated labels. */
export function labels(name: string): string[] {
  return checkedLabels(`input '${name}'`, text(name), /[,\n]/)
}

/** Comma- or newline-separated environment variable names. */
export function envNames(name: string): string[] {
  return checkedEnvNames(`input '${name}'`, text(name), /[,\n]/)
}

/** Shell-quoted words; `$VAR` stays literal, operators and globs are rejected. */
export function words(name: string): string[] {
  const raw = text(name)
  const out: string[] = []
  for (const token of parseShell(raw, key => `$${key}`)) {
    if (typeof token !== 'string') {
      throw new UsageError(
        `input '${name}': '${raw}' has shell operators or globs; pass plain, quoted words`
      )
    }
    out.push(token)
  }
  return out
}

/**
 * A file a report will be written to, relative to the workspace: checked before the run, so a
 * bad path does not lose the run's report at its end. '' when not given.
 */
export function outputPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = text(name)
  if (raw === '') return raw
  const problem = outputPathProblem(resolve(env.GITHUB_WORKSPACE ?? process.cwd(), raw))
  if (problem !== undefined)
    throw new UsageError(`input '${name}': '${raw}' ${problem}; expected a file path to write`)
  return raw
}

/** One path per line. */
export function lines(name: string): string[] {
  return text(name)
    .split('\n')
    .map(s => s.trim())
    .filter(Boolean)
}

/** The cluster id: the input, else the default for this run attempt. */
export function clusterId(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return clusterIdOr(text(name), `input '${name}'`, env)
}
