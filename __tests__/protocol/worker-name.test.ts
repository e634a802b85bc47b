/** Worker ids are unique; what people see is the name before the suffix. */
import {
  cleanWorkerName,
  workerIdFor,
  workerName,
  workerNames
} from '../../src/protocol/worker-name.js'

test('an id is the name with a suffix; the name comes back from it', () => {
  expect(workerIdFor('worker-3', 'a1b2c3')).toBe('worker-3@a1b2c3')
  expect(workerName('worker-3@a1b2c3')).toBe('worker-3')
  expect(workerIdFor('local-1')).toBe('local-1')
  expect(workerName('local-1')).toBe('local-1')
  // Ids without a suffix (older workers, --id) are their own name.
  expect(workerName('host-1234')).toBe('host-1234')
  expect(workerName('@x')).toBe('@x')
})

test('names are made safe for ids and logs', () => {
  expect(cleanWorkerName(' GitHub Actions 3 ')).toBe('GitHub-Actions-3')
  expect(cleanWorkerName('a@b/c')).toBe('a-b-c')
  expect(workerIdFor('@@', 'x')).toBe('worker@x')
  expect(cleanWorkerName('x'.repeat(300))).toHaveLength(100)
})

test('two workers of one name are shown by their whole ids, never as one', () => {
  const names = workerNames(['tests@aaa', 'tests@bbb', 'worker-1@ccc', 'coordinator'])
  expect([...names.values()]).toEqual(['tests@aaa', 'tests@bbb', 'worker-1', 'coordinator'])
})
