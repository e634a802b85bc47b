import { MAX_NOTICES, NOTICE_CHARS } from '../../../src/protocol/types.js'
import {
  encodeLine,
  parseSessionLine,
  type SessionMessage
} from '../../../src/worker/session/messages.js'

describe('session messages', () => {
  test('done carries the files’ own walls; a malformed map is dropped, the done kept', () => {
    const done = {
      t: 'done',
      job: 'j#1',
      itemWallMs: { 'a.test.js': 120, 'b.test.js': 0 }
    } as const
    expect(parseSessionLine(encodeLine(done).trim())).toEqual(done)
    for (const itemWallMs of [{ 'a.test.js': -1 }, { 'a.test.js': 'slow' }, [3], 'x']) {
      expect(parseSessionLine(JSON.stringify({ t: 'done', job: 'j#1', itemWallMs }))).toEqual({
        t: 'done',
        job: 'j#1'
      })
    }
    expect(parseSessionLine(JSON.stringify({ t: 'done', itemWallMs: {} }))).toBeUndefined()
  })

  test('done carries notices: strings only, the first few, each cut to length', () => {
    const done: SessionMessage = { t: 'done', job: 'j#1', notices: ['coverage is on'] }
    expect(parseSessionLine(encodeLine(done).trim())).toEqual(done)
    const long = 'x'.repeat(NOTICE_CHARS + 50)
    const many = [long, 3, '', ...Array.from({ length: MAX_NOTICES + 2 }, (_, i) => `n${i}`)]
    const parsed = parseSessionLine(JSON.stringify({ t: 'done', job: 'j#1', notices: many }))
    expect(parsed).toEqual({
      t: 'done',
      job: 'j#1',
      notices: ['x'.repeat(NOTICE_CHARS), 'n0', 'n1', 'n2'].slice(0, MAX_NOTICES)
    })
    for (const notices of ['coverage', [], [4], null]) {
      expect(parseSessionLine(JSON.stringify({ t: 'done', job: 'j#1', notices }))).toEqual({
        t: 'done',
        job: 'j#1'
      })
    }
  })
})
