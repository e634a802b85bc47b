/**
 * The reporter fan-out finishes every reporter even when one fails: a JUnit file that cannot
 * be written does not keep the JSON file from being written, and the failure is still said.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReportError } from '../../src/errors.js'
import { fanOut } from '../../src/report/fan-out.js'
import { JsonReporter, type JsonReport } from '../../src/report/json.js'
import { JunitReporter } from '../../src/report/junit.js'
import { recordedRun, summary } from './recorded-run.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-fan-out-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test.each([
  ['JUnit first', true],
  ['JSON first', false]
])('a failing JUnit write does not stop the JSON write (%s)', async (_order, junitFirst) => {
  // The JUnit file's parent turns out to be a file: its write fails at the end of the run.
  const blocker = join(dir, 'not-a-dir')
  writeFileSync(blocker, 'a file where a directory should be')
  const junit = new JunitReporter({ path: join(blocker, 'junit.xml') })
  const jsonPath = join(dir, 'out', 'summary.json')
  const json = new JsonReporter({ path: jsonPath })
  const reporters = fanOut(junitFirst ? [junit, json] : [json, junit])
  for (const event of recordedRun()) reporters.onEvent(event)
  const finishing = reporters.finish()
  await expect(finishing).rejects.toBeInstanceOf(ReportError)
  await expect(finishing).rejects.toThrow(/could not write every report: .*not-a-dir/)
  const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as JsonReport
  expect(report.summary).toEqual(summary)
  expect(existsSync(join(blocker, 'junit.xml'))).toBe(false)
})

test('a fan-out whose reporters all finish resolves', async () => {
  const jsonPath = join(dir, 'summary.json')
  const junitPath = join(dir, 'junit.xml')
  const reporters = fanOut([
    new JunitReporter({ path: junitPath }),
    new JsonReporter({ path: jsonPath })
  ])
  for (const event of recordedRun()) reporters.onEvent(event)
  await reporters.finish()
  expect(readFileSync(junitPath, 'utf8')).toContain('<testsuites')
  expect(existsSync(jsonPath)).toBe(true)
})
