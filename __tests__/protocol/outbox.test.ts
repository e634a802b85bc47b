import type { Message } from '../../src/protocol/messages.js'
import type { JobResult } from '../../src/protocol/types.js'
import { Outbox } from '../../src/protocol/outbox.js'

const result = (id: string): JobResult => ({
  id,
  attempt: 1,
  worker: 'w',
  status: 'passed',
  exitCode: 0,
  signal: null,
  durationMs: 1,
  startedAt: 1,
  stdout: { text: '', truncatedBytes: 0 },
  stderr: { text: '', truncatedBytes: 0 }
})

describe('Outbox', () => {
  test('results that come together go out as one message, after their progress', async () => {
    const sent: Message[] = []
    const outbox = new Outbox(m => sent.push(m), 10)
    outbox.addProgress({ kind: 'started', job: { id: 'a', attempt: 1 }, worker: 'w', at: 1 })
    outbox.addResult(result('a'))
    outbox.addResult(result('b'))
    expect(sent).toEqual([])
    await new Promise(r => setTimeout(r, 50))
    expect(sent.map(m => m.type)).toEqual(['progress', 'result'])
    expect(sent[1]).toEqual({ type: 'result', results: [result('a'), result('b')] })
  })

  test('flush sends at once; discard drops', async () => {
    const sent: Message[] = []
    const outbox = new Outbox(m => sent.push(m), 10_000)
    outbox.addResult(result('a'))
    outbox.flush()
    expect(sent).toHaveLength(1)
    outbox.addResult(result('b'))
    outbox.discard()
    outbox.flush()
    expect(sent).toHaveLength(1)
  })
})
