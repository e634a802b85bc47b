import { RunnerRoster, isRefusal, type Refusal, type Seat } from '../../src/broker/runner-roster.js'

const seat = (admission: Seat | Refusal): Seat => {
  if (isRefusal(admission)) throw new Error(`refused: ${admission.text}`)
  return admission
}

describe('one runner (declared 0)', () => {
  test('one seat: ids unchanged, a second runner refused while the first is connected', () => {
    const roster = new RunnerRoster(0)
    const first = seat(roster.admit('a'))
    expect(first).toEqual({ key: 'runner', prefix: '', fresh: true })
    expect(roster.admit('b')).toMatchObject({ code: 'runner-busy' })
    expect(roster.scope(first.key, 'j1')).toBe('j1')
    expect(roster.owner('j1')).toEqual({ key: 'runner', id: 'j1' })
  })

  test('a runner that left may be replaced by another, which takes the same seat', () => {
    const roster = new RunnerRoster(0)
    roster.admit('a')
    roster.left('runner')
    expect(seat(roster.admit('b'))).toEqual({ key: 'runner', prefix: '', fresh: false })
  })

  test('its done ends the run', () => {
    const roster = new RunnerRoster(0)
    roster.admit('a')
    expect(roster.over).toBe(false)
    roster.finish('runner')
    expect(roster.over).toBe(true)
    expect(roster.progress()).toEqual({ finished: 1, expected: 1 })
  })
})

describe('a shared pool (declared N)', () => {
  test('the pool is over only when every declared runner has finished', () => {
    const roster = new RunnerRoster(2)
    const a = seat(roster.admit('a'))
    roster.finish(a.key)
    // The second runner has not even joined yet: the pool stays open for it.
    expect(roster.over).toBe(false)
    expect(roster.progress()).toEqual({ finished: 1, expected: 2 })
    const b = seat(roster.admit('b'))
    expect(roster.over).toBe(false)
    roster.finish(b.key)
    expect(roster.over).toBe(true)
  })

  test('each runner gets its own prefix; ids map back to their runner', () => {
    const roster = new RunnerRoster(12)
    const keys = Array.from({ length: 12 }, (_, i) => seat(roster.admit(`r-${i}`)))
    expect(keys[0]?.prefix).toBe('r1:')
    expect(keys[9]?.prefix).toBe('r10:')
    // r1: must not claim r10:'s jobs.
    expect(roster.owner(roster.scope('r-9', 'j1'))).toEqual({ key: 'r-9', id: 'j1' })
    expect(roster.owner(roster.scope('r-0', 'j1'))).toEqual({ key: 'r-0', id: 'j1' })
    expect(roster.owner(roster.scope('r-0', 'r2:x'))).toEqual({ key: 'r-0', id: 'r2:x' })
    expect(roster.owner('j1')).toBeUndefined()
  })

  test('refuses a runner beyond the declared count, a second link of a connected one, and one that finished', () => {
    const roster = new RunnerRoster(1)
    const a = seat(roster.admit('a'))
    expect(roster.admit('a')).toMatchObject({ code: 'runner-busy' })
    expect(roster.admit('b')).toMatchObject({ code: 'pool-full' })
    roster.left(a.key)
    expect(seat(roster.admit('a'))).toEqual({ key: 'a', prefix: 'r1:', fresh: false })
    roster.finish(a.key)
    roster.left(a.key)
    expect(roster.admit('a')).toMatchObject({ code: 'runner-done' })
  })

  test('rejects a declared count that is not a whole number', () => {
    expect(() => new RunnerRoster(-1)).toThrow(RangeError)
    expect(() => new RunnerRoster(1.5)).toThrow(RangeError)
  })
})
