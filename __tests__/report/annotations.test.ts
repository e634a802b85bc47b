/** Annotations from a recorded run replayed into the reporter, as the actions emit them. */
import { AnnotationReporter, type Annotation } from '../../src/report/annotations.js'
import { replay } from '../../src/report/replay.js'
import type { RunEvent } from '../../src/runner/events.js'
import { ioMessage, ioOutput, recordedRun } from './recorded-run.js'

async function emitted(
  options: { max?: number; relativeTo?: string } = {},
  events: RunEvent[] = recordedRun()
): Promise<Annotation[]> {
  const out: Annotation[] = []
  await replay(events, [new AnnotationReporter({ ...options, emit: a => out.push(a) })])
  return out
}

test('one annotation per failing, timed-out or errored test, in the order they end, with file and line', async () => {
  expect(await emitted()).toEqual([
    {
      title: 'Test failed: reads <file> & "quotes"',
      message: `${ioMessage}\n${ioOutput}`,
      file: 'src/io.test.ts',
      startLine: 12
    },
    {
      title: 'Test errored: src/boom.test.ts',
      message: 'could not start: spawn jest ENOENT'
    },
    {
      title: 'Test timed out: src/slow.test.ts',
      message: `timed out after 5.0s\n${Array.from({ length: 29 }, (_, i) => `slow line ${i + 1}`).join('\n')}`
    }
  ])
})

test('flaky, skipped and passed tests are not annotated', async () => {
  const titles = (await emitted()).map(a => a.title)
  expect(titles.some(t => /connects|adds|divides|writes/.test(t))).toBe(false)
})

test('past the limit, the rest fold into one annotation when the run finishes', async () => {
  const out = await emitted({ max: 1 })
  expect(out.map(a => a.title)).toEqual(['Test failed: reads <file> & "quotes"', 'More failures'])
  expect(out[1]?.message).toBe('2 more failing test(s) are listed in the job summary.')
})

test('absolute paths become relative to the workspace', async () => {
  const events = recordedRun().map(e =>
    e.type === 'test-finished' && e.test.file
      ? { ...e, test: { ...e.test, file: `/ws/${e.test.file}` } }
      : e
  )
  const [first] = await emitted({ relativeTo: '/ws' }, events)
  expect(first?.file).toBe('src/io.test.ts')
})

test('a cancelled test fails the run, so it is annotated like the other failing outcomes', async () => {
  const at = 1
  const cancelled: RunEvent = {
    type: 'test-finished',
    at,
    test: {
      id: 'src/late.test.ts',
      name: 'src/late.test.ts',
      outcome: 'cancelled',
      durationMs: 0,
      attempts: [
        {
          attempt: 1,
          worker: '',
          status: 'cancelled',
          durationMs: 0,
          message: 'cancelled: runner stopped'
        }
      ]
    }
  }
  expect(await emitted({}, [cancelled])).toEqual([
    { title: 'Test cancelled: src/late.test.ts', message: 'cancelled: runner stopped' }
  ])
})
