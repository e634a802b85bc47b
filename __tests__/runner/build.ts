/** Small builders for jobs and results in runner tests. */
import {
  emptyOutput,
  type JobResult,
  type JobSpec,
  type TestCaseResult
} from '../../src/protocol/types.js'

export function job(id: string, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    id,
    name: id,
    command: 'true',
    timeoutMs: 1000,
    labels: [],
    attempt: 1,
    layers: [],
    ...extra
  }
}

export function result(
  spec: Pick<JobSpec, 'id' | 'attempt'>,
  extra: Partial<JobResult> = {}
): JobResult {
  const status = extra.status ?? 'passed'
  return {
    id: spec.id,
    attempt: spec.attempt,
    worker: 'w1',
    status,
    exitCode: status === 'passed' ? 0 : status === 'failed' ? 1 : null,
    signal: null,
    durationMs: 100,
    startedAt: 1,
    stdout: emptyOutput,
    stderr: emptyOutput,
    ...extra
  }
}

export function testCase(
  id: string,
  status: TestCaseResult['status'],
  extra: Partial<TestCaseResult> = {}
): TestCaseResult {
  return { id, name: id, status, durationMs: 10, ...extra }
}
