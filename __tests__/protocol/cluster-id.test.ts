/** The one cluster-id rule and the one default, for every host. */
import {
  checkClusterId,
  clusterBase,
  clusterIdOr,
  defaultClusterId,
  runAttempt
} from '../../src/protocol/cluster-id.js'

test('ids are 1–64 letters, digits, _ - or ., starting with a letter or digit', () => {
  expect(checkClusterId('1234-2')).toBe('1234-2')
  expect(checkClusterId('a'.repeat(64))).toBe('a'.repeat(64))
  expect(() => checkClusterId('a'.repeat(65))).toThrow(/1–64/)
  expect(() => checkClusterId('-x')).toThrow(/'-x' is not valid/)
  expect(() => checkClusterId('a b', "input 'cluster-id'")).toThrow(
    /^input 'cluster-id': cluster id 'a b' is not valid/
  )
})

test('the default is the run id and attempt in Actions, else local-<attempt>', () => {
  expect(defaultClusterId({ GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '3' })).toBe('77-3')
  expect(defaultClusterId({ GITHUB_RUN_ID: '77' })).toBe('77-1')
  expect(defaultClusterId({})).toBe('local-1')
  expect(clusterIdOr('', '--cluster-id', { GITHUB_RUN_ID: '5' })).toBe('5-1')
  expect(clusterIdOr(undefined, '--cluster-id', {})).toBe('local-1')
  expect(clusterIdOr('mine', '--cluster-id', { GITHUB_RUN_ID: '5' })).toBe('mine')
  expect(() => clusterIdOr('a/b', '--cluster-id')).toThrow(/^--cluster-id: cluster id 'a\/b'/)
})

test('the base of a cluster id is the same in every attempt of a run', () => {
  const attempt = (n: number) => ({ GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: String(n) })
  expect(clusterBase(defaultClusterId(attempt(1)), attempt(1))).toBe('77')
  expect(clusterBase(defaultClusterId(attempt(3)), attempt(3))).toBe('77')
  expect(clusterBase('jest-3', attempt(3))).toBe('jest')
  expect(clusterBase('jest', attempt(3))).toBe('jest')
  expect(clusterBase('local-1', {})).toBe('local')
  expect([runAttempt({}), runAttempt(attempt(4)), runAttempt({ GITHUB_RUN_ATTEMPT: 'x' })]).toEqual(
    [1, 4, 1]
  )
})
