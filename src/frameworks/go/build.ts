/**
 * Runner side of the go framework: finds the packages that have tests, builds each one's
 * test binary once (`go test -c`) under `.squall/bin/go/`, and asks each binary for its
 * tests (`-test.list`).
 */
import { mkdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { UsageError } from '../../errors.js'
import type { ListOptions, TestItem } from '../core/framework.js'
import { splitGoArgs } from './args.js'
import { outputTail, runTool } from '../core/tool-process.js'
import { platformFromGo, platformLabels, type Platform } from '../../protocol/platform.js'

/** Where test binaries go, relative to the suite root. */
export const GO_BIN_DIR = '.squall/bin/go'
const HINT = "the go framework runs 'go' from PATH: install Go"

/** What a go item carries in `TestItem.data`; paths relative to the suite root, `/`-separated. */
export interface GoItemData extends Record<string, unknown> {
  pkg: string
  pkgDir: string
  binary: string
}

/** One package as `go list` describes it. */
export interface GoPackage {
  importPath: string
  dir: string
  testFiles: number
}

const LIST_FORMAT = '{{.ImportPath}}\t{{len .TestGoFiles}}\t{{len .XTestGoFiles}}\t{{.Dir}}'

/** Lists, builds and asks the binaries; items are `<import path>::<TestName>`. */
export async function listGoTests({ cwd, args, onLeftOut }: ListOptions): Promise<TestItem[]> {
  const goArgs = splitGoArgs(args)
  const patterns = goArgs.packages.length > 0 ? goArgs.packages : ['./...']
  const listed = await go(
    cwd,
    ['list', ...goArgs.listFlags, '-f', LIST_FORMAT, ...patterns],
    'go list'
  )
  const packages = parseGoList(listed).filter(p => p.testFiles > 0)
  await mkdir(join(cwd, GO_BIN_DIR), { recursive: true })
  const items: TestItem[] = []
  // The binaries run only where they were built for: GOOS/GOARCH as go resolves them.
  const labels = platformLabels(
    parseGoEnvPlatform(await go(cwd, ['env', 'GOOS', 'GOARCH'], 'go env'))
  )
  let benchmarks = 0
  // One package at a time: the go command parallelises each build, and the machine is shared.
  for (const pkg of packages) {
    const binary = `${GO_BIN_DIR}/${binaryName(pkg.importPath)}`
    await go(
      cwd,
      ['test', '-c', '-o', binary, ...goArgs.buildFlags, pkg.importPath],
      `go test -c ${pkg.importPath}`
    )
    const names = await runTool(join(cwd, binary), ['-test.list', goArgs.run ?? '.*'], {
      cwd: pkg.dir,
      hint: HINT
    })
    if (names.code !== 0) {
      throw new UsageError(
        `${binary} -test.list failed (exit code ${String(names.code)}):\n${outputTail(names)}`
      )
    }
    benchmarks += countBenchmarks(names.stdout)
    const pkgDir = toPosix(relative(cwd, pkg.dir)) || '.'
    for (const name of parseTestList(names.stdout)) {
      const data: GoItemData = { pkg: pkg.importPath, pkgDir, binary }
      items.push({ id: `${pkg.importPath}::${name}`, name, data, labels })
    }
  }
  // `go test` runs them only with -bench, which squall does not pass on.
  if (benchmarks > 0) onLeftOut?.('benchmarks', benchmarks)
  return items
}

/** Benchmarks among the names from `-test.list`. */
export function countBenchmarks(stdout: string): number {
  return stdout.split(/\r?\n/).filter(line => /^Benchmark[\p{L}\p{N}_]*$/u.test(line.trim())).length
}

/** `go env GOOS GOARCH` (one value a line) into a platform in Node's names. */
export function parseGoEnvPlatform(stdout: string): Platform {
  const [goos = '', goarch = ''] = stdout.split(/\r?\n/).map(line => line.trim())
  if (goos === '' || goarch === '')
    throw new UsageError(`go env GOOS GOARCH printed ${JSON.stringify(stdout)}; expected two lines`)
  return platformFromGo(goos, goarch)
}

/** `go list -f LIST_FORMAT` lines into packages. */
export function parseGoList(stdout: string): GoPackage[] {
  const out: GoPackage[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const [importPath, tests, xtests, ...dir] = line.split('\t')
    if (!importPath || dir.length === 0) continue
    out.push({ importPath, dir: dir.join('\t'), testFiles: Number(tests) + Number(xtests) })
  }
  return out
}

/** Names from `-test.list`: tests, fuzz targets and examples (benchmarks are not run). */
export function parseTestList(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => /^(Test|Fuzz|Example)[\p{L}\p{N}_]*$/u.test(line))
}

/** A file name for a package's test binary: the import path with `/` and the like as `_`. */
export function binaryName(importPath: string): string {
  return `${importPath.replace(/[^A-Za-z0-9._-]/g, '_')}.test`
}

async function go(cwd: string, args: string[], what: string): Promise<string> {
  const result = await runTool('go', args, { cwd, hint: HINT })
  if (result.code !== 0) {
    throw new UsageError(
      `${what} failed (exit code ${String(result.code)}) in ${cwd}:\n${outputTail(result)}`
    )
  }
  return result.stdout
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/')
}
