import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from '../../../src/errors.js'
import {
  commandItems,
  commandsFramework,
  parseJobsFile,
  slug,
  uniqueIds
} from '../../../src/frameworks/commands/commands.js'
import type { PlanOptions } from '../../../src/frameworks/core/framework.js'
import { getFramework } from '../../../src/frameworks/index.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-commands-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function planOptions(extra: Partial<PlanOptions> = {}): PlanOptions {
  return {
    cwd: dir,
    args: [],
    timeoutMs: 60_000,
    slots: 4,
    timings: new Map(),
    failedBefore: new Set(),
    ...extra
  }
}

function parseError(text: string): string {
  try {
    parseJobsFile(text, 'jobs.json')
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error('expected a UsageError')
}

describe('parseJobsFile: JSON', () => {
  test('reads every field', () => {
    const text = JSON.stringify([
      {
        name: 'unit',
        command: 'npm test',
        timeout: 1.5,
        labels: ['linux'],
        env: { A: '1' },
        cwd: 'pkg'
      },
      { name: 'argv', argv: ['node', '-e', '0'] }
    ])
    expect(parseJobsFile(`  \n${text}`, 'jobs.json')).toEqual([
      {
        name: 'unit',
        command: 'npm test',
        timeout: 1.5,
        labels: ['linux'],
        env: { A: '1' },
        cwd: 'pkg'
      },
      { name: 'argv', argv: ['node', '-e', '0'] }
    ])
  })

  test('an empty array is an empty suite', () => {
    expect(parseJobsFile('[]', 'jobs.json')).toEqual([])
  })

  test.each([
    [
      [{ name: 'ok', command: 'true' }, { name: 'broken' }],
      'jobs.json: jobs[1] ("broken"): command/argv: expected exactly one of "command" (a string) and "argv" (an array of strings), got neither'
    ],
    [
      [{ name: 'both', command: 'true', argv: ['true'] }],
      'jobs.json: jobs[0] ("both"): command/argv: expected exactly one of "command" (a string) and "argv" (an array of strings), got both'
    ],
    [[{ command: 'true' }], 'jobs.json: jobs[0]: name: expected a non-empty string, got nothing'],
    [
      [{ name: '  ', command: 'true' }],
      'jobs.json: jobs[0]: name: expected a non-empty string, got string "  "'
    ],
    [
      [{ name: 'x', command: 'true', timeout: '5' }],
      'jobs.json: jobs[0] ("x"): timeout: expected a positive number of seconds, got string "5"'
    ],
    [
      [{ name: 'x', command: 'true', timeout: 0 }],
      'jobs.json: jobs[0] ("x"): timeout: expected a positive number of seconds, got number 0'
    ],
    [
      [{ name: 'x', argv: [] }],
      'jobs.json: jobs[0] ("x"): argv: expected a non-empty array of strings (program first), got an array []'
    ],
    [
      [{ name: 'x', argv: ['node', 3] }],
      'jobs.json: jobs[0] ("x"): argv: expected a non-empty array of strings (program first), got an array ["node",3]'
    ],
    [
      [{ name: 'x', command: 'true', env: { A: 1 } }],
      'jobs.json: jobs[0] ("x"): env.A: expected a string, got number 1'
    ],
    [
      [{ name: 'x', command: 'true', env: ['A=1'] }],
      'jobs.json: jobs[0] ("x"): env: expected an object of string values, got an array ["A=1"]'
    ],
    [
      [{ name: 'x', command: 'true', labels: 'gpu' }],
      'jobs.json: jobs[0] ("x"): labels: expected an array of non-empty strings, got string "gpu"'
    ],
    [
      [{ name: 'x', command: 'true', cwd: '' }],
      'jobs.json: jobs[0] ("x"): cwd: expected a non-empty string, got string ""'
    ],
    [
      [{ name: 'x', command: 'true', timout: 3 }],
      'jobs.json: jobs[0] ("x"): timout: expected one of the fields name, command, argv, timeout, labels, env, cwd, got an unknown field'
    ],
    [
      ['echo hi'],
      'jobs.json: jobs[0]: entry: expected an object with "name" and "command" or "argv", got string "echo hi"'
    ],
    [
      [
        { name: 'a', command: 'true' },
        { name: 'b', command: 'true' },
        { name: 'a', command: 'false' }
      ],
      'jobs.json: jobs[0] and jobs[2] have the same name "a"; each name must be unique'
    ]
  ])('rejects %j', (jobs, message) => {
    expect(parseError(JSON.stringify(jobs))).toBe(message)
  })

  test('invalid JSON names the file', () => {
    expect(parseError('[{"name": "a",]')).toMatch(/^jobs\.json: not valid JSON: /)
  })
})

describe('parseJobsFile: text', () => {
  test('one command per line; blank lines and comments skipped; the command is the name', () => {
    const jobs = parseJobsFile(
      '# setup\necho one\n\n   \n  echo two  \r\n#echo three\n',
      'jobs.txt'
    )
    expect(jobs).toEqual([
      { name: 'echo one', command: 'echo one' },
      { name: 'echo two', command: 'echo two' }
    ])
  })

  test('a repeated command names both lines', () => {
    expect(() => parseJobsFile('echo a\n# x\necho b\necho a\n', 'jobs.txt')).toThrow(
      new UsageError(
        'jobs.txt: line 1 and line 4 have the same command "echo a"; each command must be unique'
      )
    )
  })

  test('an empty file is an empty suite', () => {
    expect(parseJobsFile('\n# nothing\n', 'jobs.txt')).toEqual([])
  })
})

describe('ids', () => {
  test('slugs are readable and stable', () => {
    expect(slug('Auth / Unit tests')).toBe('auth-unit-tests')
    expect(slug('auth/unit')).toBe(slug('auth/unit'))
    expect(slug('!!!')).toMatch(/^job-[0-9a-f]{8}$/)
    expect(slug('x'.repeat(200))).toMatch(/^x{60}-[0-9a-f]{8}$/)
  })

  test('a later name with a taken slug gets a suffix from its own name; others keep theirs', () => {
    const ids = uniqueIds(['a b', 'a-b', 'c'])
    expect(ids[0]).toBe('a-b')
    expect(ids[1]).toMatch(/^a-b-[0-9a-f]{6}$/)
    expect(ids[2]).toBe('c')
    // Adding a job in front of them does not change their ids.
    expect(uniqueIds(['new', 'a b', 'a-b', 'c']).slice(1)).toEqual(ids)
    expect(new Set(uniqueIds(['x', 'X', 'x!', 'x?'])).size).toBe(4)
  })
})

describe('commands framework', () => {
  test('is in the framework table', () => {
    expect(getFramework('commands')).toBe(commandsFramework)
  })

  test('list needs --jobs', async () => {
    await expect(commandsFramework.list({ cwd: dir, args: [], timeoutMs: 1000 })).rejects.toThrow(
      new UsageError('--jobs is required for the commands framework')
    )
  })

  test('list reports an unreadable file', async () => {
    await expect(
      commandsFramework.list({ cwd: dir, args: [], timeoutMs: 1000, jobsFile: 'missing.json' })
    ).rejects.toThrow(
      new UsageError("--jobs: cannot read 'missing.json' (ENOENT); expected a jobs file")
    )
  })

  test('list reads a file relative to cwd and names it in errors', async () => {
    writeFileSync(
      join(dir, 'jobs.json'),
      JSON.stringify([{ name: 'ok', command: 'true' }, { name: 'broken' }])
    )
    await expect(
      commandsFramework.list({ cwd: dir, args: [], timeoutMs: 1000, jobsFile: 'jobs.json' })
    ).rejects.toThrow(/^jobs\.json: jobs\[1\] \("broken"\)/)
    writeFileSync(join(dir, 'jobs.txt'), 'echo one\necho two\n')
    const items = await commandsFramework.list({
      cwd: dir,
      args: [],
      timeoutMs: 1000,
      jobsFile: 'jobs.txt'
    })
    expect(items.map(i => [i.id, i.name])).toEqual([
      ['echo-one', 'echo one'],
      ['echo-two', 'echo two']
    ])
  })

  test('plan: one job per item with timeouts, history and framework data', () => {
    const items = commandItems(
      parseJobsFile(
        JSON.stringify([
          {
            name: 'Unit',
            command: 'npm test',
            timeout: 2,
            labels: ['linux'],
            env: { A: '1' },
            cwd: 'pkg'
          },
          { name: 'lint', argv: ['npx', 'eslint', '.'] }
        ]),
        'jobs.json'
      )
    )
    const jobs = commandsFramework.plan(
      items,
      planOptions({ timings: new Map([['lint', 1234]]), failedBefore: new Set(['unit']) })
    )
    expect(jobs).toEqual([
      {
        id: 'unit',
        name: 'Unit',
        command: 'npm test',
        env: { A: '1' },
        cwd: 'pkg',
        timeoutMs: 2000,
        labels: ['linux'],
        attempt: 1,
        failedBefore: true,
        layers: [],
        framework: { name: 'commands', tests: ['unit'] }
      },
      {
        id: 'lint',
        name: 'lint',
        argv: ['npx', 'eslint', '.'],
        timeoutMs: 60_000,
        labels: [],
        expectedMs: 1234,
        attempt: 1,
        layers: [],
        framework: { name: 'commands', tests: ['lint'] }
      }
    ])
  })

  test('has no parse: the job is the test', () => {
    expect(commandsFramework.parse).toBeUndefined()
  })
})
