/**
 * Runner side of the cargo framework: builds the test executables once
 * (`cargo test --no-run --message-format=json`), finds the workspace root (panic locations
 * are relative to it), and asks each executable for its tests (`--list --format terse`).
 */
import { dirname, isAbsolute, relative, sep } from 'node:path'
import { UsageError } from '../errors.js'
import type { TestItem } from './framework.js'
import { splitCargoArgs } from './cargo-args.js'
import { outputTail, runTool } from './tool-process.js'

const HINT = "the cargo framework runs 'cargo' from PATH (or $CARGO): install Rust"

/** What a cargo item carries in `TestItem.data`; paths relative to the suite root, `/`-separated. */
export interface CargoItemData extends Record<string, unknown> {
  /** The test executable. */
  binary: string
  /** The package's directory (where `cargo test` runs the executable). */
  cwd: string
  /** The workspace root: panic locations are relative to it. */
  root: string
  /** The item id's prefix: the target's name, made unique. */
  target: string
}

/** A test executable from a `compiler-artifact` message. */
export interface CargoTestBinary {
  packageId: string
  targetName: string
  kind: string
  executable: string
  manifestPath: string
}

/** Builds and lists; items are `<target>::<test name>`. */
export async function listCargoTests(cwd: string, args: readonly string[]): Promise<TestItem[]> {
  const cargoArgs = splitCargoArgs(args)
  const built = await cargo(
    cwd,
    ['test', '--no-run', '--message-format=json-render-diagnostics', ...cargoArgs.cargo],
    'cargo test --no-run'
  )
  const binaries = parseCargoArtifacts(built)
  const manifest = cargoArgs.manifestPath ? ['--manifest-path', cargoArgs.manifestPath] : []
  const located = await cargo(
    cwd,
    ['locate-project', '--workspace', '--message-format', 'plain', ...manifest],
    'cargo locate-project'
  )
  const root = relativePath(cwd, dirname(located.trim()))
  const names = targetKeys(binaries)
  const listArgs = [
    ...cargoArgs.binary,
    ...(cargoArgs.exact ? ['--exact'] : []),
    ...cargoArgs.filters
  ]
  const items: TestItem[] = []
  for (const [index, binary] of binaries.entries()) {
    const listed = await runTool(binary.executable, ['--list', '--format', 'terse', ...listArgs], {
      cwd: dirname(binary.manifestPath),
      hint: HINT
    })
    if (listed.code !== 0) {
      throw new UsageError(
        `${binary.executable} --list failed (exit code ${String(listed.code)}):\n${outputTail(listed)}`
      )
    }
    const target = names[index] as string
    const data: CargoItemData = {
      binary: relativePath(cwd, binary.executable),
      cwd: relativePath(cwd, dirname(binary.manifestPath)),
      root,
      target
    }
    for (const name of parseTerseList(listed.stdout))
      items.push({ id: `${target}::${name}`, name, data })
  }
  return items
}

/** Test executables from cargo's JSON messages (one per line; other lines ignored). */
export function parseCargoArtifacts(stdout: string): CargoTestBinary[] {
  const out: CargoTestBinary[] = []
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.startsWith('{')) continue
    let message: Record<string, unknown>
    try {
      message = JSON.parse(line) as Record<string, unknown>
    } catch {
      continue
    }
    if (message.reason !== 'compiler-artifact') continue
    const profile = message.profile as { test?: boolean } | undefined
    const target = message.target as { name?: string; kind?: string[] } | undefined
    if (!profile?.test || typeof message.executable !== 'string' || !target?.name) continue
    out.push({
      packageId: String(message.package_id ?? ''),
      targetName: target.name,
      kind: target.kind?.[0] ?? 'test',
      executable: message.executable,
      manifestPath: String(message.manifest_path ?? '')
    })
  }
  return out
}

/**
 * Id prefixes: the target's name, unless two executables share it (a crate's lib and bin of
 * the same name, tests of the same name in two packages): then `<name>[<kind>]`, then the
 * package id too.
 */
export function targetKeys(binaries: readonly CargoTestBinary[]): string[] {
  const count = (keys: string[], key: string): number => keys.filter(k => k === key).length
  const plain = binaries.map(b => b.targetName)
  const kinded = binaries.map((b, i) =>
    count(plain, plain[i] as string) > 1 ? `${b.targetName}[${b.kind}]` : b.targetName
  )
  return binaries.map((b, i) =>
    count(kinded, kinded[i] as string) > 1
      ? `${b.packageId}/${kinded[i] as string}`
      : (kinded[i] as string)
  )
}

/** Names from `--list --format terse` (`name: test`; benchmarks are not run). */
export function parseTerseList(stdout: string): string[] {
  const out: string[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^(.+): test$/.exec(line.trimEnd())
    if (match) out.push(match[1] as string)
  }
  return out
}

async function cargo(cwd: string, args: string[], what: string): Promise<string> {
  const result = await runTool(process.env.CARGO ?? 'cargo', args, { cwd, hint: HINT })
  if (result.code !== 0) {
    throw new UsageError(
      `${what} failed (exit code ${String(result.code)}) in ${cwd}:\n${outputTail(result)}`
    )
  }
  return result.stdout
}

function relativePath(from: string, to: string): string {
  const path = isAbsolute(to) ? relative(from, to) : to
  return (sep === '/' ? path : path.split(sep).join('/')) || '.'
}
