/**
 * Runner side of the cargo framework: builds the test executables once
 * (`cargo test --no-run --message-format=json`), finds the workspace root (panic locations
 * are relative to it), and asks each executable for its tests (`--list --format terse`),
 * and cargo for each library's doc tests (`cargo test --doc -p <package> -- --list`).
 */
import { dirname, isAbsolute, relative, sep } from 'node:path'
import { UsageError } from '../../errors.js'
import type { ListOptions, TestItem } from '../core/framework.js'
import { libtestSelection, splitCargoArgs } from './args.js'
import { outputTail, runTool } from '../core/tool-process.js'
import {
  hostPlatform,
  platformFromRustTriple,
  platformLabels,
  type Platform
} from '../../protocol/platform.js'

const HINT = "the cargo framework runs 'cargo' from PATH (or $CARGO): install Rust"

/** What a cargo item carries in `TestItem.data`; paths relative to the suite root, `/`-separated. */
export interface CargoItemData extends Record<string, unknown> {
  /** The test executable; '' for doc tests (rustdoc compiles them where they run). */
  binary: string
  /** The package's directory (where `cargo test` runs the executable). */
  cwd: string
  /** The workspace root: panic locations are relative to it. */
  root: string
  /** The item id's prefix: the target's name, made unique (`<crate>[doc]` for doc tests). */
  target: string
  /** Doc tests only: what `cargo test --doc` needs besides the names. */
  doctest?: DoctestData
}

/** How a job runs one library's doc tests with cargo. */
export interface DoctestData extends Record<string, unknown> {
  /** `-p` spec: `name@version`, the same on every machine. */
  package: string
  /** The user's cargo options, without package choices. */
  cargo: string[]
  /** After `--`: the user's libtest options and name filters. */
  testArgs: string[]
}

/** A library whose doc tests `cargo test` runs. */
export interface CargoDocCrate {
  packageId: string
  targetName: string
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
export async function listCargoTests({ cwd, args, onLeftOut }: ListOptions): Promise<TestItem[]> {
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
  const listArgs = libtestSelection(cargoArgs)
  const items: TestItem[] = []
  // The executables run only where they were built for (doc tests are compiled where they run).
  const labels = platformLabels(cargoTargetPlatform(cargoArgs.target))
  let benchmarks = 0
  if (cargoArgs.docTests === 'only') binaries.length = 0
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
      items.push({ id: `${target}::${name}`, name, data, labels })
    benchmarks += listed.stdout
      .split(/\r?\n/)
      .filter(line => /: bench$/.test(line.trimEnd())).length
  }
  // `#[bench]` functions (nightly): `cargo test` runs each once as a test; squall does not.
  if (benchmarks > 0) onLeftOut?.('benchmarks', benchmarks)
  if (cargoArgs.docTests !== 'none') items.push(...(await listDocTests(cwd, built, root, args)))
  return items
}

/**
 * Each library's doc tests, listed by cargo as `cargo test` would run them. The filters go
 * to rustdoc as they are (it splits them at spaces, so a doc test's name, which has spaces,
 * cannot select it: a job runs all of a library's doc tests, see cargo.ts).
 */
async function listDocTests(
  cwd: string,
  built: string,
  root: string,
  args: readonly string[]
): Promise<TestItem[]> {
  const cargoArgs = splitCargoArgs(args)
  const testArgs = libtestSelection(cargoArgs)
  const items: TestItem[] = []
  for (const crate of parseDocCrates(built)) {
    const doctest: DoctestData = {
      package: packageSpec(crate.packageId),
      cargo: cargoArgs.docCargo,
      testArgs
    }
    const listed = await cargo(
      cwd,
      [
        'test',
        '--doc',
        '-p',
        doctest.package,
        ...doctest.cargo,
        '--',
        '--list',
        '--format',
        'terse',
        ...testArgs
      ],
      `cargo test --doc -p ${doctest.package} -- --list`
    )
    const target = `${crate.targetName}[doc]`
    const data: CargoItemData = { binary: '', cwd: '.', root, target, doctest }
    for (const name of parseTerseList(listed)) items.push({ id: `${target}::${name}`, name, data })
  }
  return items
}

/** Libraries with doc tests, from cargo's JSON messages (one per package and target). */
export function parseDocCrates(stdout: string): CargoDocCrate[] {
  const out = new Map<string, CargoDocCrate>()
  for (const message of messages(stdout)) {
    const target = message.target as { name?: string; doctest?: boolean } | undefined
    if (message.reason !== 'compiler-artifact' || target?.doctest !== true || !target.name) continue
    const packageId = String(message.package_id ?? '')
    out.set(`${packageId}\u0000${target.name}`, { packageId, targetName: target.name })
  }
  return [...out.values()]
}

/**
 * A package id as a `-p` spec that holds on every machine (the id itself has the path):
 * `path+file:///w/a#name@1.0.0`, `path+file:///w/name#1.0.0` (cargo 1.77+) and
 * `name 1.0.0 (path+file:///w/a)` (older) all give `name@1.0.0`.
 */
export function packageSpec(packageId: string): string {
  const old = /^(\S+) (\S+) \(/.exec(packageId)
  if (old) return `${old[1] as string}@${old[2] as string}`
  const hash = packageId.lastIndexOf('#')
  if (hash < 0) return packageId
  const fragment = packageId.slice(hash + 1)
  if (fragment.includes('@')) return fragment
  const url = packageId.slice(0, hash).replace(/\/+$/, '')
  return `${url.slice(url.lastIndexOf('/') + 1)}@${fragment}`
}

/** Test executables from cargo's JSON messages (one per line; other lines ignored). */
export function parseCargoArtifacts(stdout: string): CargoTestBinary[] {
  const out: CargoTestBinary[] = []
  for (const message of messages(stdout)) {
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

/** The JSON objects of cargo's messages, one per line; other lines skipped. */
function messages(stdout: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.startsWith('{')) continue
    try {
      out.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      continue
    }
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

/**
 * The platform cargo built for: `--target`'s triple, else this machine (the runner has just
 * run the executables with `--list`, so they run here). A triple squall does not know falls
 * back to this machine too.
 */
export function cargoTargetPlatform(target: string | undefined): Platform {
  return (target !== undefined ? platformFromRustTriple(target) : undefined) ?? hostPlatform()
}
