/**
 * The shared pool's inputs — the broker action's `runners` and `stop`, the runner action's
 * `broker` and `cluster-id` — read through @actions/core's real contract (INPUT_* variables,
 * with action.yml's defaults as the Actions runner passes them).
 */
import { getPoolInputs } from '../../src/actions/broker/pool-inputs.js'
import { getBrokerReach } from '../../src/actions/runner/reach-inputs.js'
import { UsageError } from '../../src/errors.js'
import { resolveAction } from '../helpers/actions-runner.js'

const saved = { ...process.env }
afterEach(() => {
  process.env = { ...saved }
})

function given(action: string, inputs: Record<string, string>): void {
  Object.assign(process.env, resolveAction(action, inputs).inputEnv, {
    GITHUB_RUN_ID: '77',
    GITHUB_RUN_ATTEMPT: '3'
  })
}

test('by default the broker serves one runner of its own job', () => {
  given('broker', {})
  expect(getPoolInputs()).toEqual({ runners: 0, stop: false })
})

test('runners keeps it alive for that many runner jobs; stop closes a pool instead', () => {
  given('broker', { runners: '2' })
  expect(getPoolInputs()).toEqual({ runners: 2, stop: false })
  given('broker', { runners: '0', stop: 'true' })
  expect(getPoolInputs()).toEqual({ runners: 0, stop: true })
})

test('bad pool inputs name the input, the value and what was expected', () => {
  given('broker', { runners: 'two' })
  expect(() => getPoolInputs()).toThrow(
    new UsageError("input 'runners': 'two' is not a whole number of at least 0")
  )
  given('broker', { runners: '2', stop: 'true' })
  expect(() => getPoolInputs()).toThrow(/input 'stop': true closes a pool and starts no broker/)
  given('broker', { runners: '0', stop: 'yes please' })
  expect(() => getPoolInputs()).toThrow(/input 'stop': 'yes please' is not a boolean/)
})

test('the runner finds its broker in its own job by default, or a broker job of the attempt', () => {
  given('runner', {})
  expect(getBrokerReach()).toEqual({ kind: 'local' })
  given('runner', { broker: 'artifacts' })
  // The same cluster id the broker and worker actions derive: run id and attempt.
  expect(getBrokerReach()).toEqual({ kind: 'artifacts', clusterId: '77-3' })
  given('runner', { broker: 'artifacts', 'cluster-id': 'jest-pool' })
  expect(getBrokerReach()).toEqual({ kind: 'artifacts', clusterId: 'jest-pool' })
  given('runner', { broker: 'tcp' })
  expect(() => getBrokerReach()).toThrow(/input 'broker': 'tcp' is not a broker place/)
})
