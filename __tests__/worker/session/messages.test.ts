import { encodeLine, parseSessionLine } from '../../../src/worker/session/messages.js'

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
})
