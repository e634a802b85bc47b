/**
 * A broker serving a shared pool (runners: N): several runners submit over their own links,
 * the workers are shared, each runner gets back only its own results under its own job ids,
 * and the pool ends once every declared runner is done (or a close-pool comes).
 */
import { PROTOCOL_VERSION } from '../../src/protocol/messages.js'
import { closePool } from '../../src/cluster/close-pool.js'
import { answer, job, progressOf, resultsOf, startBroker } from './peers.js'

test('two runners with the same job ids share one worker and each gets its own results', async () => {
  const { broker, worker, runner, logs } = await startBroker({ runners: 2 })
  const a = await runner('runner-a')
  const w = await worker('w', 1)
  a.send({ type: 'submit', jobs: [job('j1', { command: 'echo a' })] })
  const first = await w.next('assign')
  // The worker sees the broker's scoped id; the command is runner A's.
  expect(first.jobs.map(j => [j.id, j.command])).toEqual([['r1:j1', 'echo a']])

  // Runner B joins after the worker: it is told of the worker as if it had seen it join.
  const b = await runner('runner-b')
  b.send({ type: 'submit', jobs: [job('j1', { command: 'echo b' })] })
  await b.until('worker-joined', () => progressOf(b).some(e => e.kind === 'worker-joined'))
  expect(progressOf(b).filter(e => e.kind === 'worker-joined')).toMatchObject([
    { worker: 'w', slots: 1 }
  ])

  w.send({
    type: 'progress',
    events: [{ kind: 'started', job: { id: 'r1:j1', attempt: 1 }, worker: 'w', at: 7 }]
  })
  w.send(answer(first.jobs[0]!, 'w', 'failed'))
  const second = await w.next('assign', 2)
  expect(second.jobs.map(j => [j.id, j.command])).toEqual([['r2:j1', 'echo b']])
  w.send(answer(second.jobs[0]!, 'w', 'passed'))

  await a.until('a result', () => resultsOf(a).length === 1)
  await b.until('a result', () => resultsOf(b).length === 1)
  expect(resultsOf(a).map(r => [r.id, r.status])).toEqual([['j1', 'failed']])
  expect(resultsOf(b).map(r => [r.id, r.status])).toEqual([['j1', 'passed']])
  expect(progressOf(a).filter(e => e.kind === 'started')).toEqual([
    { kind: 'started', job: { id: 'j1', attempt: 1 }, worker: 'w', at: 7 }
  ])
  expect(progressOf(b).filter(e => e.kind === 'started')).toEqual([])

  // A's done leaves the pool open for B: no shutdown yet.
  a.send({ type: 'done' })
  await b.until('the broker to hear A is done', () =>
    logs.some(l => l.includes('runner runner-a is done; 1 of 2 runner(s) finished'))
  )
  expect(logs.filter(l => l.includes('run over'))).toEqual([])
  expect(w.of('shutdown')).toEqual([])

  b.send({ type: 'done' })
  await expect(broker.finished).resolves.toEqual({ ok: true, reason: 'all 2 runner(s) are done' })
  await w.next('shutdown')
  await broker.stop('test over')
})

test('a runner beyond the declared count is refused', async () => {
  const { broker, runner, connect } = await startBroker({ runners: 1 })
  await runner('runner-a')
  const extra = await connect()
  extra.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'runner', id: 'runner-b' })
  const refusal = await extra.next('error')
  expect(refusal.code).toBe('pool-full')
  await extra.whenClosed()
  await broker.stop('test over')
})

test('close-pool ends the pool while a declared runner never came', async () => {
  const { broker, worker, runner, connect } = await startBroker({ runners: 1 })
  const w = await worker('w')
  await runner('runner-a')
  // A closer takes no runner's seat: it is welcome even when every declared runner has joined.
  const stopper = await connect()
  stopper.send({ type: 'hello', version: PROTOCOL_VERSION, role: 'closer', id: 'stop-step' })
  await stopper.next('welcome')
  stopper.send({ type: 'close-pool', reason: 'the stop step ran' })
  await expect(broker.finished).resolves.toEqual({
    ok: true,
    reason: 'the pool was closed: the stop step ran'
  })
  expect((await w.next('shutdown')).reason).toContain('stop step')
  await broker.stop('test over')
})

test('a runner that left for good counts as finished, and the pool says so', async () => {
  const { broker, runner, logs } = await startBroker({ runners: 2, runnerGraceMs: 20 })
  const a = await runner('runner-a')
  const b = await runner('runner-b')
  a.send({ type: 'done' })
  await b.link.close()
  await expect(broker.finished).resolves.toEqual({
    ok: false,
    reason: 'every runner finished, 1 of them by leaving (runner-b)'
  })
  expect(logs.some(l => l.includes('1 of 2 runner(s) finished, the pool stays open'))).toBe(true)
  await broker.stop('test over')
})

test('closePool proves the secret as a closer, asks, and resolves once the broker has closed', async () => {
  const secret = 's'.repeat(20)
  const { broker, transport } = await startBroker({ runners: 2, secret })
  const closing = closePool(await transport.connect('broker'), {
    id: 'stop-step',
    reason: 'the stop step ran',
    secret,
    timeoutMs: 10_000
  })
  await expect(broker.finished).resolves.toMatchObject({ ok: true })
  // The broker's host stops it once the run is over; that closes the closer's link.
  await broker.stop('over')
  await expect(closing).resolves.toBeUndefined()
})

test('closePool fails clearly when the broker cannot prove the secret', async () => {
  const { broker, transport } = await startBroker({ runners: 1 })
  await expect(
    closePool(await transport.connect('broker'), {
      id: 'stop-step',
      reason: 'x',
      secret: 's'.repeat(20),
      timeoutMs: 10_000
    })
  ).rejects.toThrow(/cannot prove it/)
  await broker.stop('test over')
})

test('what a runner leaves open when it finishes early is withdrawn, not run for nobody', async () => {
  const { broker, worker, runner } = await startBroker({ runners: 2 })
  const a = await runner('runner-a')
  const b = await runner('runner-b')
  const w = await worker('w', 1)
  a.send({ type: 'submit', jobs: [job('j1'), job('j2')] })
  const first = await w.next('assign')
  expect(first.jobs.map(j => j.id)).toEqual(['r1:j1'])
  // Runner A is interrupted: it says done with j1 running and j2 queued.
  a.send({ type: 'done' })
  const cancel = await w.next('cancel')
  expect(cancel.jobs).toEqual([{ id: 'r1:j1', attempt: 1 }])
  w.send(answer(first.jobs[0]!, 'w', 'cancelled'))
  // The pool goes on for B; A's queued j2 never reaches the worker.
  b.send({ type: 'submit', jobs: [job('j1')] })
  const next = await w.next('assign', 2)
  expect(next.jobs.map(j => j.id)).toEqual(['r2:j1'])
  w.send(answer(next.jobs[0]!, 'w'))
  await b.until('its result', () => resultsOf(b).length === 1)
  expect(resultsOf(b).map(r => [r.id, r.status])).toEqual([['j1', 'passed']])
  b.send({ type: 'done' })
  await expect(broker.finished).resolves.toMatchObject({ ok: true })
  expect(w.of('assign').flatMap(m => m.jobs.map(j => j.id))).toEqual(['r1:j1', 'r2:j1'])
  await broker.stop('test over')
})
