/**
 * The pytest suite: a slow collection (a conftest importing a module that busy-waits ~1.5 s at
 * import, paid by every pytest start) and a few thousand parametrized tests over skewed files
 * (one ~40% of the test time). A skipped test, an xfail and a module-level `importorskip` are
 * in it too, so the counts check sees the outcomes that are easy to lose.
 * The framework's own 2-way run needs pytest-xdist, from Debian's packages for the bench only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { delimiter, join } from 'node:path'
import { dominantDurations, logNormalDurations } from './random.js'
import { freshSuiteDir, put, type BenchSuite, type Command, type Counts } from './suite.js'

const SEED = 17
/** The heavy import's busy wait, ms: collection cost every pytest process pays. */
const IMPORT_MS = 1500
const PER_TEST_PROBE = 1000
const DEBIAN_PACKAGES = '/usr/lib/python3/dist-packages'
const DEBIAN_PYTHON = '/usr/bin/python3'
export const XDIST_HINT = 'apt-get install python3-pytest-xdist'

function testFile(index: number, cases: number, ms: number): string {
  const lines = [
    'import time',
    '',
    'import pytest',
    '',
    '',
    `@pytest.mark.parametrize("case", range(${cases}))`,
    'def test_case(case):',
    `    time.sleep(${(ms / 1000).toFixed(4)})`
  ]
  if (index === 1) {
    lines.push('', '', '@pytest.mark.skip(reason="on purpose")', 'def test_skipped():', '    pass')
    lines.push('', '', '@pytest.mark.xfail(reason="known")', 'def test_xfail():', '    assert 0')
  }
  return `${lines.join('\n')}\n`
}

export function pytestSuite(scale: number): BenchSuite {
  const dir = freshSuiteDir('pytest')
  const files = Math.max(4, Math.round(30 * scale))
  const counts = logNormalDurations(files, 0.5, Math.max(200, 3000 * scale), SEED + 1).map(c =>
    Math.max(5, Math.round(c))
  )
  let workMs = 0
  let longestUnitMs = 0
  let tests = 1 // the module-level skip
  const names: string[] = ['tests/test_optional.py']
  dominantDurations(files, 0.4, 24_000 * scale, SEED).forEach((fileMs, i) => {
    const cases = counts[i] as number
    const ms = Math.max(0.1, fileMs / cases)
    workMs += ms * cases
    longestUnitMs = Math.max(longestUnitMs, ms)
    tests += cases + (i === 1 ? 2 : 0)
    const name = `tests/test_file${String(i).padStart(3, '0')}.py`
    names.push(name)
    put(dir, name, testFile(i, cases, ms))
  })
  put(
    dir,
    'tests/test_optional.py',
    'import pytest\n\npytest.importorskip("squall_bench_absent")\n'
  )
  put(dir, 'pytest.ini', '[pytest]\ntestpaths = tests\n')
  put(dir, 'conftest.py', 'import heavy  # noqa: F401  (collection pays the import)\n')
  put(
    dir,
    'heavy.py',
    `import time\n\n_until = time.monotonic() + ${IMPORT_MS / 1000}\nTABLE = 0\nwhile time.monotonic() < _until:\n    TABLE = sum(i * i for i in range(1000)) % 1000003\n`
  )
  put(dir, 'probe/test_startup.py', 'def test_starts():\n    pass\n')
  put(
    dir,
    'probe/test_many.py',
    `import pytest\n\n\n@pytest.mark.parametrize("case", range(${PER_TEST_PROBE}))\ndef test_case(case):\n    pass\n`
  )
  const python = choosePython(dir)
  const pytest = ['python3', '-m', 'pytest', '-q']
  names.sort()
  return {
    framework: 'pytest',
    dir,
    describe: `${files + 1} files, ${tests} tests, import ${IMPORT_MS} ms at collection; ${python.describe}`,
    workMs,
    longestUnitMs,
    tests,
    units: tests,
    passThrough: [],
    env: python.env,
    note: python.describe,
    probe: () => ({ argv: [...pytest, 'probe/test_startup.py'], env: python.env }),
    perUnitProbe: () => ({
      command: { argv: [...pytest, 'probe/test_many.py'], env: python.env },
      units: PER_TEST_PROBE
    }),
    ownUnavailable: () => (python.xdist ? undefined : XDIST_HINT),
    own: (report): Command => ({
      argv: [...pytest, '-n', '2', '--junitxml', report],
      env: { ...python.env, ...python.xdist }
    }),
    ownCounts: junitCounts,
    // pytest has no --shard: a static split of the files, round-robin, as a sharding plugin does.
    shard: (index, total) => ({
      argv: [...pytest, ...names.filter((_, i) => i % total === index - 1)],
      env: python.env
    }),
    clearCaches: () => {
      for (const sub of ['.pytest_cache', '__pycache__', 'tests/__pycache__']) {
        rmSync(join(dir, sub), { recursive: true, force: true })
      }
    }
  }
}

/** The interpreter every pytest row of the bench runs, squall's included. */
interface PythonChoice {
  /** PATH with a `python3` naming that interpreter first: squall runs `python3 -m pytest`. */
  env: Record<string, string>
  /** Extra environment under which it imports xdist (the framework's own row), if it can. */
  xdist: Record<string, string> | undefined
  describe: string
}

/**
 * Debian's Python when it has pytest and pytest-xdist (`apt-get install python3-pytest-xdist`):
 * then the framework's own `pytest -n 2`, the shards and squall all run that one interpreter
 * (squall through a `python3` first on PATH), so the comparison is fair. Else the `python3` on
 * PATH, with Debian's xdist and execnet alone on PYTHONPATH for the own row when they import.
 */
function choosePython(dir: string): PythonChoice {
  const imports = (python: string, modules: string, env: NodeJS.ProcessEnv): boolean =>
    spawnSync(python, ['-c', `import ${modules}`], { env, stdio: 'ignore' }).status === 0
  if (imports(DEBIAN_PYTHON, 'pytest, xdist, execnet', process.env)) {
    const bin = join(dir, '.python-bin')
    mkdirSync(bin, { recursive: true })
    symlinkSync(DEBIAN_PYTHON, join(bin, 'python3'))
    const version = pytestVersion(DEBIAN_PYTHON)
    return {
      env: { PATH: [bin, process.env.PATH].filter(Boolean).join(delimiter) },
      xdist: {},
      describe: `every pytest row runs ${DEBIAN_PYTHON} (Debian's pytest ${version} and xdist)`
    }
  }
  const describe = `every pytest row runs python3 from PATH (pytest ${pytestVersion('python3')})`
  if (imports('python3', 'xdist, execnet', process.env)) return { env: {}, xdist: {}, describe }
  if (!existsSync(join(DEBIAN_PACKAGES, 'xdist'))) return { env: {}, xdist: undefined, describe }
  const path = join(dir, '.xdist-path')
  mkdirSync(path, { recursive: true })
  for (const entry of readdirSync(DEBIAN_PACKAGES)) {
    if (/^(xdist|execnet|pytest_xdist-.*\.dist-info|execnet-.*\.(egg|dist)-info)$/.test(entry)) {
      symlinkSync(join(DEBIAN_PACKAGES, entry), join(path, entry))
    }
  }
  const pythonPath = [path, process.env.PYTHONPATH].filter(Boolean).join(delimiter)
  const xdist = imports('python3', 'xdist, execnet', { ...process.env, PYTHONPATH: pythonPath })
  return { env: {}, xdist: xdist ? { PYTHONPATH: pythonPath } : undefined, describe }
}

function pytestVersion(python: string): string {
  const r = spawnSync(python, ['-c', 'import pytest; print(pytest.__version__)'], {
    encoding: 'utf8'
  })
  return r.status === 0 ? r.stdout.trim() : 'unknown'
}

/** Counts from pytest's JUnit XML: every `<testsuite>` element's totals added up. */
export function junitCounts(report: string): Counts {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 }
  for (const match of readFileSync(report, 'utf8').matchAll(/<testsuite\s([^>]*)>/g)) {
    const attr = (name: string): number =>
      Number(new RegExp(`\\b${name}="(\\d+)"`).exec(match[1] as string)?.[1] ?? 0)
    const failed = attr('failures') + attr('errors')
    total.failed += failed
    total.skipped += attr('skipped')
    total.passed += attr('tests') - failed - attr('skipped')
  }
  return total
}
