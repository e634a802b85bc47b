/**
 * The runner's (and coordinator's) inputs for the HTML report and the quarantine, read through
 * @actions/core's real contract: INPUT_* variables, as the Actions runner sets them.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getRunnerInputs } from '../../src/actions/runner/inputs.js'
import { UsageError } from '../../src/errors.js'
import { makeTempDir } from '../helpers/cli.js'

const saved = { ...process.env }
let temp: { dir: string; remove: () => void }
beforeEach(() => {
  temp = makeTempDir()
  process.env.GITHUB_WORKSPACE = temp.dir
  // The action.yml defaults, as the runner passes them.
  for (const [name, value] of Object.entries({
    framework: 'jest',
    retries: '0',
    timeout: '600',
    'local-slots': '2',
    summary: 'true',
    annotations: 'true',
    timings: 'true',
    'fail-on-flaky': 'false',
    'html-report': 'false',
    quarantine: '',
    rerun: 'failed',
    'pass-with-no-tests': 'false',
    'predicted-wall-ms': '0'
  }))
    process.env[`INPUT_${name.toUpperCase()}`] = value
})
afterEach(() => {
  process.env = { ...saved }
  temp.remove()
})

test('html-report is a boolean; quarantine defaults to none named', () => {
  expect(getRunnerInputs()).toMatchObject({ htmlReport: false, quarantine: '' })
  process.env['INPUT_HTML-REPORT'] = 'true'
  expect(getRunnerInputs().htmlReport).toBe(true)
  process.env['INPUT_HTML-REPORT'] = 'yes please'
  expect(() => getRunnerInputs()).toThrow(
    "input 'html-report': 'yes please' is not a boolean; expected true or false"
  )
})

test('a quarantine file must exist, relative to the workspace', () => {
  process.env.INPUT_QUARANTINE = 'ci/quarantine.txt'
  expect(() => getRunnerInputs()).toThrow(UsageError)
  expect(() => getRunnerInputs()).toThrow(
    "input 'quarantine': 'ci/quarantine.txt' does not exist; expected a file of test ids relative to the workspace"
  )
  mkdirSync(join(temp.dir, 'ci'))
  writeFileSync(join(temp.dir, 'ci', 'quarantine.txt'), 'a::b\n')
  expect(getRunnerInputs().quarantine).toBe('ci/quarantine.txt')
})
