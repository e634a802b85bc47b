import { PROTOCOL_VERSION } from '../../src/protocol/messages.js'
import { breakMemoryLink } from '../../src/transport/memory.js'
import { answer, job, progressOf, resultsOf, startBroker, type Peer } from './peers.js'

const started = (peer: Peer, id: string, worker: string): void =>
  peer.send({
    type: 'progress',
    events: [{ kind: 'started', job: { id, attempt: 1 }, worker, at: 5 }]
  })

describe('a run', () => {
  test('runner submits, workers run, results come back once, done shuts workers down', async () => {
    const { broker, worker, runner } = await startBroker()
    const r = await runner()
    const a = await worker('a')
    const b = await worker('b')
    r.send({
      type: 'submit',
      jobs: [
        job('j1', { expectedMs: 30 }),
        job('j2', { expectedMs: 20 }),
        job('j3', { expectedMs: 10 })
      ]
    })
    const toA = await a.next('assign')
    const toB = await b.next('assign')
    expect([toA.jobs.map(j => j.id), toB.jobs.map(j => j.id)]).toEqual([['j1'], ['j2']])
    started(a, 'j1', 'a')
    a.send(answer(toA.jobs[0]!, 'a'))
    const third = await a.next('assign', 2)
    expect(third.jobs.map(j => j.id)).toEqual(['j3'])
    b.send(answer(toB.jobs[0]!, 'b', 'failed'))
    a.send(answer(third.jobs[0]!, 'a'))
    await r.until('3 results', () => resultsOf(r).length === 3)
    expect(
      resultsOf(r)
        .map(x => [x.id, x.worker, x.status])
        .sort()
    ).toEqual([
      ['j1', 'a', 'passed'],
      ['j2', 'b', 'failed'],
      ['j3', 'a', 'passed']
    ])
    const progress = progressOf(r)
    expect(progress.filter(e => e.kind === 'worker-joined').map(e => e.worker)).toEqual(['a', 'b'])
    expect(progress.filter(e => e.kind === 'started')).toEqual([
      { kind: 'started', job: { id: 'j1', attempt: 1 }, worker: 'a', at: 5 }
    ])
    expect(broker.stats()).toMatchObject({ workers: 2, queued: 0, running: 0, badLinks: 0 })

    r.send({ type: 'done' })
    await expect(broker.finished).resolves.toEqual({ ok: true, reason: 'the runner is done' })
    await a.next('shutdown')
    await b.next('shutdown')
    await broker.stop('test over')
    await r.whenClosed()
    await a.whenClosed()
  })

  test('a worker joining after done gets shutdown at once', async () => {
    const { broker, runner, connect } = await startBroker()
    const r = await runner()
    r.send({ type: 'done' })
    await broker.finished
    const late = await connect()
    late.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'worker', id: 'late', slots: 1 })
    expect((await late.next('shutdown')).reason).toContain('over')
    await late.whenClosed()
    expect(late.of('welcome')).toEqual([])
    await broker.stop('test over')
  })

  test('results finished in one turn reach the runner in one batch', async () => {
    const { broker, worker, runner } = await startBroker()
    const r = await runner()
    const a = await worker('a', 2)
    r.send({ type: 'submit', jobs: [job('x'), job('y')] })
    const assign = await a.next('assign')
    expect(assign.jobs).toHaveLength(2)
    a.send(answer(assign.jobs[0]!, 'a'))
    a.send(answer(assign.jobs[1]!, 'a'))
    await r.until('2 results', () => resultsOf(r).length === 2)
    expect(r.of('result')).toHaveLength(1)
    await broker.stop('test over')
  })
})

describe('lost workers', () => {
  test('a worker dropped mid-job: the job is requeued to another worker and reported once', async () => {
    const { broker, worker, runner } = await startBroker()
    const r = await runner()
    const a = await worker('a')
    r.send({ type: 'submit', jobs: [job('j')] })
    await a.next('assign')
    started(a, 'j', 'a')
    await r.until('started', () => progressOf(r).some(e => e.kind === 'started'))
    const b = await worker('b')
    breakMemoryLink(a.link)
    const again = await b.next('assign')
    expect(again.jobs.map(j => j.id)).toEqual(['j'])
    b.send(answer(again.jobs[0]!, 'b'))
    await r.until('result', () => resultsOf(r).length === 1)
    const kinds = progressOf(r).map(e => `${e.kind}:${e.worker}`)
    expect(kinds).toEqual(expect.arrayContaining(['requeued:a', 'worker-left:a']))
    expect(resultsOf(r).map(x => [x.id, x.worker])).toEqual([['j', 'b']])
    await broker.stop('test over')
    expect(resultsOf(r)).toHaveLength(1)
  })

  test('a silent worker is dropped on tick; its late result is ignored', async () => {
    const { broker, worker, runner, clock } = await startBroker({
      scheduler: { heartbeatTimeoutMs: 1000 }
    })
    const r = await runner()
    const a = await worker('a')
    const b = await worker('b')
    r.send({ type: 'submit', jobs: [job('j1', { expectedMs: 2 }), job('j2', { expectedMs: 1 })] })
    const toA = await a.next('assign')
    const toB = await b.next('assign')
    clock.now += 900
    b.send(answer(toB.jobs[0]!, 'b'))
    await r.until('b heard', () => resultsOf(r).length === 1)
    clock.now += 200
    broker.tick()
    await a.whenClosed()
    // a's answer never counts: its link is gone, and b gets the job.
    a.send(answer(toA.jobs[0]!, 'a'))
    const moved = await b.next('assign', 2)
    expect(moved.jobs.map(j => j.id)).toEqual(['j1'])
    await r.until('requeued', () => progressOf(r).some(e => e.kind === 'requeued'))
    expect(progressOf(r).find(e => e.kind === 'worker-left')).toMatchObject({
      worker: 'a',
      reason: expect.stringContaining('silent')
    })
    expect(resultsOf(r).map(x => x.id)).toEqual(['j2'])
    await broker.stop('test over')
  })
})

describe('refused links', () => {
  test('a first message that is not hello: error, then closed', async () => {
    const { broker, connect } = await startBroker()
    const peer = await connect()
    peer.send({ type: 'submit', jobs: [] })
    expect(await peer.next('error')).toMatchObject({ code: 'expected-hello' })
    await peer.whenClosed()
    expect(broker.stats().badLinks).toBe(1)
    await broker.stop('test over')
  })

  test('a hello with bad fields: error, then closed; the broker carries on', async () => {
    const { broker, connect, worker } = await startBroker()
    for (const hello of [
      { type: 'hello', version: PROTOCOL_VERSION, role: 'worker', id: '', slots: 1 },
      { type: 'hello', version: PROTOCOL_VERSION, role: 'worker', id: 'w', slots: 0 },
      { type: 'hello', version: PROTOCOL_VERSION, role: 'boss', id: 'w' },
      { type: 'hello', version: PROTOCOL_VERSION, role: 'worker', id: 'w', labels: 'gpu' },
      { type: 'nonsense' },
      'not even an object'
    ]) {
      const peer = await connect()
      // Deliberately malformed: what a broken or hostile peer could put on the wire.
      peer.send(hello as never)
      const error = await peer.next('error')
      expect(['bad-hello', 'bad-message']).toContain(error.code)
      await peer.whenClosed()
    }
    expect(broker.stats().badLinks).toBe(6)
    await worker('fine')
    expect(broker.stats().workers).toBe(1)
    await broker.stop('test over')
  })

  test('a version mismatch: an error naming both versions, then closed', async () => {
    const { broker, connect } = await startBroker()
    const peer = await connect()
    peer.send({ type: 'hello', version: PROTOCOL_VERSION + 1, role: 'worker', id: 'w', slots: 1 })
    const error = await peer.next('error')
    expect(error.code).toBe('version-mismatch')
    expect(error.message).toContain(`peer speaks ${PROTOCOL_VERSION + 1}`)
    expect(error.message).toContain(`broker speaks ${PROTOCOL_VERSION}`)
    await peer.whenClosed()
    await broker.stop('test over')
  })

  test('no hello in time: closed', async () => {
    const { broker, connect } = await startBroker({ helloTimeoutMs: 50 })
    const peer = await connect()
    await peer.whenClosed()
    expect((await peer.next('error')).code).toBe('hello-timeout')
    await broker.stop('test over')
  })

  test('a second runner is refused while the first stays', async () => {
    const { broker, runner, connect, worker } = await startBroker()
    const first = await runner('first')
    const second = await connect()
    second.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'runner', id: 'second' })
    expect((await second.next('error')).code).toBe('runner-busy')
    await second.whenClosed()
    const a = await worker('a')
    first.send({ type: 'submit', jobs: [job('j')] })
    const assign = await a.next('assign')
    a.send(answer(assign.jobs[0]!, 'a'))
    await first.until('result', () => resultsOf(first).length === 1)
    expect(first.closed).toBe(false)
    await broker.stop('test over')
  })
})

describe('bad messages after hello', () => {
  test('get an error reply and are ignored; the link and the run go on', async () => {
    const { broker, runner, worker } = await startBroker()
    const r = await runner()
    const a = await worker('a')
    a.send({ type: 'submit', jobs: [job('sneaky')] })
    expect((await a.next('error')).code).toBe('unexpected')
    a.send({ type: 'result', results: [{ id: 'nope' }] } as never)
    expect((await a.next('error', 2)).code).toBe('bad-message')
    a.send({ type: 'result', results: 'many' } as never)
    expect((await a.next('error', 3)).code).toBe('bad-message')
    r.send({ type: 'submit', jobs: [{ id: 'broken' } as never, job('ok')] })
    expect((await r.next('error')).message).toContain('1 item(s)')
    r.send({ type: 'assign', jobs: [] })
    expect((await r.next('error', 2)).code).toBe('unexpected')
    const assign = await a.next('assign')
    expect(assign.jobs.map(j => j.id)).toEqual(['ok'])
    a.send(answer(assign.jobs[0]!, 'a'))
    await r.until('result', () => resultsOf(r).length === 1)
    expect(a.closed || r.closed).toBe(false)
    await broker.stop('test over')
  })

  test("a message of another direction is refused as 'unexpected', naming it and the direction", async () => {
    const { broker, runner, worker } = await startBroker()
    const r = await runner()
    const a = await worker('a')
    a.send({ type: 'done' })
    expect(await a.next('error')).toMatchObject({
      code: 'unexpected',
      message: expect.stringContaining(
        "'done' does not travel worker → broker: it travels runner → broker"
      )
    })
    // A second hello is no longer the handshake: it travels first, or not at all.
    r.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'runner', id: 'again' })
    expect(await r.next('error')).toMatchObject({
      code: 'unexpected',
      message: expect.stringContaining(
        "'hello' does not travel runner → broker: it travels peer → broker (first message)"
      )
    })
    // Neither link is dropped and the run goes on.
    r.send({ type: 'submit', jobs: [job('j')] })
    const assign = await a.next('assign')
    a.send(answer(assign.jobs[0]!, 'a'))
    await r.until('result', () => resultsOf(r).length === 1)
    expect(a.closed || r.closed).toBe(false)
    await broker.stop('test over')
  })

  test('error messages from peers are logged, never answered', async () => {
    const { broker, runner, worker, logs } = await startBroker()
    const r = await runner()
    const a = await worker('a')
    a.send({ type: 'error', code: 'x', message: 'from worker' })
    r.send({ type: 'error', code: 'y', message: 'from runner' })
    await r.until(
      'logs',
      () => logs.some(l => l.includes('from worker')) && logs.some(l => l.includes('from runner'))
    )
    expect(a.of('error')).toEqual([])
    expect(r.of('error')).toEqual([])
    await broker.stop('test over')
  })
})

describe('the runner', () => {
  test('what happened while no runner was connected is delivered when one connects', async () => {
    const { broker, runner, worker } = await startBroker()
    const first = await runner('first')
    const a = await worker('a')
    first.send({ type: 'submit', jobs: [job('j')] })
    const assign = await a.next('assign')
    await first.link.close()
    await first.whenClosed()
    await new Promise(resolve => setTimeout(resolve, 10))
    a.send(answer(assign.jobs[0]!, 'a'))
    await new Promise(resolve => setTimeout(resolve, 10))
    const second = await runner('second')
    await second.until('result', () => resultsOf(second).length === 1)
    expect(progressOf(second).map(e => e.kind)).toEqual(['worker-joined'])
    await broker.stop('test over')
  })

  test('a runner gone past runnerGraceMs: workers shut down, finished not ok', async () => {
    const { broker, runner, worker } = await startBroker({ runnerGraceMs: 50 })
    const r = await runner()
    const a = await worker('a')
    breakMemoryLink(r.link)
    const outcome = await broker.finished
    expect(outcome.ok).toBe(false)
    expect(outcome.reason).toContain('did not return')
    await a.next('shutdown')
    await broker.stop('test over')
  })

  test('a runner back within the grace carries on', async () => {
    const { broker, runner, worker } = await startBroker({ runnerGraceMs: 200 })
    const first = await runner('first')
    const a = await worker('a')
    breakMemoryLink(first.link)
    await first.whenClosed()
    const second = await runner('second')
    await new Promise(resolve => setTimeout(resolve, 300))
    second.send({ type: 'submit', jobs: [job('j')] })
    expect((await a.next('assign')).jobs.map(j => j.id)).toEqual(['j'])
    expect(a.of('shutdown')).toEqual([])
    await broker.stop('test over')
  })

  test('cancel: the worker is told, and its answer reaches the runner as cancelled', async () => {
    const { broker, runner, worker } = await startBroker()
    const r = await runner()
    const a = await worker('a')
    r.send({ type: 'submit', jobs: [job('run'), job('wait')] })
    await a.next('assign')
    r.send({
      type: 'cancel',
      jobs: [
        { id: 'run', attempt: 1 },
        { id: 'wait', attempt: 1 }
      ],
      reason: 'fail fast'
    })
    const cancel = await a.next('cancel')
    expect(cancel).toEqual({
      type: 'cancel',
      jobs: [{ id: 'run', attempt: 1 }],
      reason: 'fail fast'
    })
    a.send(answer({ id: 'run', attempt: 1 }, 'a', 'failed'))
    await r.until('2 results', () => resultsOf(r).length === 2)
    expect(
      resultsOf(r)
        .map(x => [x.id, x.status])
        .sort()
    ).toEqual([
      ['run', 'cancelled'],
      ['wait', 'cancelled']
    ])
    await broker.stop('test over')
  })
})

test('stop: workers told to shut down, every link and the listener closed', async () => {
  const { broker, runner, worker, listener, transport } = await startBroker()
  const r = await runner()
  const a = await worker('a')
  await broker.stop('operator said so')
  await expect(broker.finished).resolves.toEqual({
    ok: false,
    reason: 'stopped before the run was over: operator said so'
  })
  expect((await a.next('shutdown')).reason).toContain('operator said so')
  await a.whenClosed()
  await r.whenClosed()
  await expect(transport.connect(listener.address)).rejects.toThrow()
  await broker.stop('again')
})
