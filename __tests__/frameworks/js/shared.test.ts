/** Pure parts shared by the jest and vitest frameworks: arguments, reports, retries, timings. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { glob } from 'tinyglobby'
import { listedFiles } from '../../../src/frameworks/jest/jest.js'
import { jestJobOptions } from '../../../src/frameworks/jest/options.js'
import { jestGrammar, splitArgs, vitestGrammar } from '../../../src/frameworks/js/args.js'
import { casesFromReport, matchFile, stripAnsi } from '../../../src/frameworks/js/report.js'
import {
  escapeRegExp,
  fileDurations,
  fileOfCase,
  narrowFileJob,
  retryFileJob,
  shellWord,
  type JobShape,
  type JsPayload
} from '../../../src/frameworks/js/jobs.js'
import {
  accidentalMatches,
  literalGlob,
  vitestJobOptions
} from '../../../src/frameworks/vitest/vitest.js'
import type { JobResult, JobSpec } from '../../../src/protocol/types.js'

describe('splitArgs', () => {
  test('separates jest options (with their values) from path filters', () => {
    const split = splitArgs(
      ['src/a', '-t', 'adds one', '--config', 'jest.config.cjs', '--ci', '--max-workers=2', 'lib'],
      jestGrammar
    )
    expect(split.positionals).toEqual(['src/a', 'lib'])
    expect(split.options.map(o => [o.name, o.words])).toEqual([
      ['testNamePattern', ['-t', 'adds one']],
      ['config', ['--config', 'jest.config.cjs']],
      ['ci', ['--ci']],
      ['maxWorkers', ['--max-workers=2']]
    ])
  })

  test('jest array options take every value up to the next flag; `--` ends options', () => {
    const split = splitArgs(
      ['--selectProjects', 'a', 'b', '--verbose', 'x', '--', '-odd'],
      jestGrammar
    )
    expect(split.options.map(o => o.words)).toEqual([['--selectProjects', 'a', 'b'], ['--verbose']])
    expect(split.positionals).toEqual(['x', '-odd'])
  })

  test('vitest optional values take the next word only when it is not a flag', () => {
    const a = splitArgs(['--silent', '--project', 'web', 'filter'], vitestGrammar)
    expect(a.options.map(o => o.words)).toEqual([['--silent'], ['--project', 'web']])
    expect(a.positionals).toEqual(['filter'])
    const b = splitArgs(['--silent', 'passed-only', '--no-isolate', 'x'], vitestGrammar)
    expect(b.options.map(o => o.words)).toEqual([['--silent', 'passed-only'], ['--no-isolate']])
    expect(b.positionals).toEqual(['x'])
  })
})

describe('job options', () => {
  test('jest jobs drop filters and job-owned options, and run in band unless told', () => {
    expect(
      jestJobOptions(['src', '--json', '--outputFile', 'x.json', '--shard=1/2', '-t', 'a'])
    ).toEqual(['--ci', '-t', 'a', '--maxWorkers=1'])
    expect(jestJobOptions(['-w', '3', '--ci'])).toEqual(['-w', '3', '--ci'])
  })

  test('vitest jobs drop filters and reporters, and run one file at a time unless told', () => {
    expect(
      vitestJobOptions(['src', '--reporter', 'dot', '--outputFile.junit=j.xml', '--bail', '1'])
    ).toEqual(['--bail', '1', '--no-file-parallelism'])
    // The kind of pool is not a number of files at once: one file at a time still.
    expect(vitestJobOptions(['--pool=threads'])).toEqual([
      '--pool=threads',
      '--no-file-parallelism'
    ])
    expect(vitestJobOptions(['--maxWorkers=2'])).toEqual(['--maxWorkers=2'])
    expect(vitestJobOptions(['--poolOptions.threads.singleThread'])).toEqual([
      '--poolOptions.threads.singleThread'
    ])
  })
})

describe('quoting and patterns', () => {
  test('shellWord survives sh for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).filter(s => !s.includes('\0')),
        word => {
          const out = spawnSync('sh', ['-c', `printf %s ${shellWord(word)}`], { encoding: 'utf8' })
          expect(out.stdout).toBe(word)
        }
      ),
      { numRuns: 40 }
    )
  })

  test('escapeRegExp matches the text itself and nothing longer', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), text => {
        const re = new RegExp(`^(?:${escapeRegExp(text)})$`)
        expect(re.test(text)).toBe(true)
        expect(re.test(`${text}x`)).toBe(false)
      })
    )
  })

  test('literalGlob matches only the file it names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'squall-glob-'))
    try {
      for (const name of [
        '[id].test.ts',
        'i.test.ts',
        'd.test.ts',
        'a+(b).test.ts',
        'ab.test.ts'
      ]) {
        writeFileSync(join(dir, name), '')
      }
      await expect(glob([literalGlob('[id].test.ts')], { cwd: dir })).resolves.toEqual([
        '[id].test.ts'
      ])
      await expect(glob([literalGlob('a+(b).test.ts')], { cwd: dir })).resolves.toEqual([
        'a+(b).test.ts'
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('accidentalMatches finds listed files a batch filter would also catch', () => {
    const all = [
      'sum.test.ts',
      'checksum.test.ts',
      'lib/sum.test.ts',
      'other.test.ts',
      'Sum.test.ts.bak'
    ]
    expect(accidentalMatches(['sum.test.ts'], all)).toEqual([
      'checksum.test.ts',
      'lib/sum.test.ts',
      'Sum.test.ts.bak'
    ])
    expect(accidentalMatches(['sum.test.ts', 'checksum.test.ts'], all)).toEqual([
      'lib/sum.test.ts',
      'Sum.test.ts.bak'
    ])
    expect(accidentalMatches(['other.test.ts'], all)).toEqual([])
  })

  test('listedFiles reads the JSON line and ignores what configs print', () => {
    expect(listedFiles('loading config\n["/r/a.test.js","/r/b.test.js"]\n')).toEqual([
      '/r/a.test.js',
      '/r/b.test.js'
    ])
    expect(listedFiles('/r/a.test.js\n/r/b.test.js\nnoise\n')).toEqual([
      '/r/a.test.js',
      '/r/b.test.js'
    ])
  })
})

describe('casesFromReport', () => {
  const files = ['a.test.js', 'lib/a.test.js', 'gone.test.js']
  const report = [
    {
      name: '/w/repo/lib/a.test.js',
      status: 'failed',
      message: '',
      assertionResults: [
        {
          fullName: 'x works',
          status: 'failed',
          duration: 7,
          location: { line: 3, column: 1 },
          failureMessages: [
            '\u001b[31mError: boom\u001b[39m\n    at helper (/w/repo/lib/util.js:9:1)\n    at Object.<anonymous> (/w/repo/lib/a.test.js:5:9)'
          ]
        },
        { ancestorTitles: ['x'], title: 'twin', status: 'passed', duration: 1 },
        { ancestorTitles: ['x'], title: 'twin', status: 'passed', duration: 1 },
        { fullName: 'later', status: 'todo', duration: null, location: { line: 9 } }
      ]
    },
    {
      name: '/w/repo/a.test.js',
      status: 'failed',
      message:
        '  ● Test suite failed to run\n\n    afterAll broke\n\n      at Object.<anonymous> (a.test.js:12:3)',
      assertionResults: [{ fullName: 'fine', status: 'passed', duration: 2 }]
    }
  ]

  test('maps assertions to cases with ids, lines, messages and clean output', () => {
    const cases = casesFromReport(report, files)
    expect(cases.map(c => [c.id, c.status, c.line])).toEqual([
      ['lib/a.test.js::x works', 'failed', 5],
      ['lib/a.test.js::x twin', 'passed', undefined],
      ['lib/a.test.js::x twin (2)', 'passed', undefined],
      ['lib/a.test.js::later', 'skipped', 9],
      ['a.test.js::fine', 'passed', undefined],
      ['a.test.js', 'error', 12],
      ['gone.test.js', 'error', undefined]
    ])
    expect(cases[0]?.message).toBe('Error: boom')
    expect(cases[0]?.output).not.toContain('\u001b')
    expect(cases[5]?.message).toBe('afterAll broke')
    expect(cases[6]?.message).toContain('missing from the report')
  })

  test('matchFile prefers the longest id a path ends with', () => {
    expect(matchFile('/w/repo/lib/a.test.js', ['a.test.js', 'lib/a.test.js'])).toBe('lib/a.test.js')
    expect(matchFile('/w/repo/a.test.js', ['a.test.js', 'lib/a.test.js'])).toBe('a.test.js')
    expect(matchFile('/w/repo/ba.test.js', ['a.test.js'])).toBe('/w/repo/ba.test.js')
  })

  test('stripAnsi leaves plain text alone', () => {
    fc.assert(
      fc.property(
        fc.string().filter(s => !s.includes('\u001b')),
        s => stripAnsi(s) === s
      )
    )
  })
})

describe('retries and durations', () => {
  const shape: JobShape = {
    framework: 't',
    startupMs: 100,
    defaultMs: 100,
    command: (files: string[], data: JsPayload) =>
      `run ${data.namePattern ?? '*'} ${files.join(' ')}`
  }
  const job: JobSpec = {
    id: 't-1',
    name: 't',
    command: 'run * a.test.js b.test.js c.test.js',
    timeoutMs: 1000,
    labels: [],
    attempt: 1,
    layers: [],
    framework: {
      name: 't',
      tests: ['a.test.js', 'b.test.js', 'c.test.js'],
      data: { launcher: ['t'], options: [] }
    }
  }

  test('fileOfCase splits ids at the file they start with', () => {
    expect(fileOfCase('b.test.js::x::y', ['a.test.js', 'b.test.js'])).toEqual({
      file: 'b.test.js',
      name: 'x::y'
    })
    expect(fileOfCase('b.test.js', ['b.test.js'])).toEqual({ file: 'b.test.js' })
    expect(fileOfCase('z.test.js::x', ['b.test.js'])).toBeUndefined()
  })

  test('a retry runs the failed tests of their files only', () => {
    const retry = retryFileJob(job, ['c.test.js::one', 'a.test.js::t(w)o'], shape)
    expect(retry.framework?.tests).toEqual(['a.test.js', 'c.test.js'])
    expect(retry.command).toBe('run ^(?:one|t\\(w\\)o)$ a.test.js c.test.js')
    expect(retry.id).toBe(job.id)
  })

  test('a failed file reruns whole; unknown ids leave the job as it was', () => {
    expect(retryFileJob(job, ['b.test.js', 'a.test.js::x'], shape).command).toBe(
      'run * a.test.js b.test.js'
    )
    expect(retryFileJob(job, ['elsewhere.test.js::x'], shape)).toBe(job)
  })

  test('narrowing to items runs exactly those files whole, even after a retry by name', () => {
    const byName = retryFileJob(job, ['c.test.js::one', 'a.test.js::two'], shape)
    const alone = narrowFileJob(byName, ['c.test.js'], shape)
    expect(alone.framework?.tests).toEqual(['c.test.js'])
    expect(alone.framework?.data?.namePattern).toBeUndefined()
    expect(alone.command).toBe('run * c.test.js')
    expect(alone.name).toBe('t c.test.js (1 file, retry)')
    expect(narrowFileJob(job, ['b.test.js', 'elsewhere.test.js'], shape).command).toBe(
      'run * b.test.js'
    )
    expect(narrowFileJob(job, ['elsewhere.test.js'], shape)).toBe(job)
  })

  test('too many names rerun the files whole', () => {
    const many = Array.from(
      { length: 500 },
      (_, i) => `a.test.js::a rather long test name number ${i}`
    )
    expect(retryFileJob(job, many, shape).command).toBe('run * a.test.js')
  })

  test("file durations are their tests' own time; the job's other time is left out", () => {
    const result = {
      durationMs: 1000,
      cases: [
        { id: 'a.test.js::x', name: 'x', file: 'a.test.js', status: 'passed', durationMs: 300 },
        { id: 'b.test.js::y', name: 'y', file: 'b.test.js', status: 'passed', durationMs: 0 }
      ]
    } as unknown as JobResult
    expect(fileDurations(job, result)).toEqual(
      new Map([
        ['a.test.js', 300],
        ['b.test.js', 0],
        ['c.test.js', 0]
      ])
    )
    expect(fileDurations(job, { ...result, cases: undefined }).size).toBe(0)
  })

  test("a file's own wall, as the framework measured it, is its duration; a wall shorter than its tests is not trusted", () => {
    const result = {
      durationMs: 2000,
      itemWallMs: { 'a.test.js': 650, 'b.test.js': 420, 'c.test.js': 5 },
      cases: [
        { id: 'a.test.js::x', name: 'x', file: 'a.test.js', status: 'passed', durationMs: 300 },
        { id: 'b.test.js::y', name: 'y', file: 'b.test.js', status: 'passed', durationMs: 0 },
        { id: 'c.test.js::z', name: 'z', file: 'c.test.js', status: 'passed', durationMs: 40 }
      ]
    } as unknown as JobResult
    expect(fileDurations(job, result)).toEqual(
      new Map([
        ['a.test.js', 650],
        ['b.test.js', 420],
        ['c.test.js', 40]
      ])
    )
  })
})
