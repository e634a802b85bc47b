/** The actions' log honours a log-level input, through @actions/core's real output. */
import { coreLogAt } from '../../../src/actions/shared/core-log.js'

function written(run: () => void): string {
  const lines: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    lines.push(String(chunk))
    return true
  }) as typeof process.stdout.write
  try {
    run()
  } finally {
    process.stdout.write = write
  }
  return lines.join('')
}

test('below the level nothing is written; from it on, lines go through core', () => {
  const out = written(() => {
    const log = coreLogAt('warning')
    log('debug', 'd')
    log('info', 'i')
    log('warning', 'w')
  })
  expect(out).not.toMatch(/\bd\b|\bi\b/)
  expect(out).toMatch(/^::warning::w$/m)
})

test('at debug, debug lines are shown as ordinary lines', () => {
  const out = written(() => {
    const log = coreLogAt('debug')
    log('debug', 'details')
    log('info', 'i')
  })
  expect(out).toMatch(/^debug: details$/m)
  expect(out).toMatch(/^i$/m)
})

test('at info, debug lines are left to step debugging', () => {
  const out = written(() => coreLogAt('info')('debug', 'hidden'))
  expect(out).toMatch(/^::debug::hidden$/m)
})
