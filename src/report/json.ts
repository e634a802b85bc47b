/** The JSON result file: totals, every test's outcome, and every attempt of every job. */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Reporter, RunEvent, RunSummary, TestOutcome } from '../runner/events.js'

export interface JsonOptions {
  /** Where to write; parent directories are created. */
  path: string
}

/** One attempt of one job, as the file records it. */
export interface JsonAttempt {
  id: string
  name: string
  attempt: number
  worker: string
  status: string
  durationMs: number
  exitCode: number | null
  signal: string | null
  message: string | null
  /** Wall-clock start, ms since epoch (0 when it never started). */
  startedAt: number
  /** True when another attempt was scheduled after this one. */
  retry: boolean
}

/** The file's shape; `version` changes on any incompatible change. */
export interface JsonReport {
  version: 1
  framework: string
  summary: RunSummary
  tests: TestOutcome[]
  jobs: JsonAttempt[]
}

export class JsonReporter implements Reporter {
  private readonly jobs: JsonAttempt[] = []
  private finished?: { summary: RunSummary; tests: TestOutcome[] }
  private transport?: Record<string, number>
  private framework = ''

  constructor(private readonly options: JsonOptions) {}

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.framework = event.framework
        break
      case 'job-finished': {
        const r = event.result
        this.jobs.push({
          id: r.id,
          name: event.job.name,
          attempt: r.attempt,
          worker: r.worker,
          status: r.status,
          durationMs: r.durationMs,
          exitCode: r.exitCode,
          signal: r.signal,
          message: r.message ?? null,
          startedAt: r.startedAt,
          retry: event.retry
        })
        break
      }
      case 'run-finished':
        this.finished = { summary: event.summary, tests: event.tests }
        break
      case 'transport-figures':
        this.transport = event.figures
        break
      default:
        break
    }
  }

  /** The document as it stands; undefined until the run has finished. */
  report(): JsonReport | undefined {
    if (!this.finished) return undefined
    const { summary, tests } = this.finished
    return {
      version: 1,
      framework: this.framework,
      summary: this.transport ? { ...summary, transport: this.transport } : summary,
      tests,
      jobs: this.jobs
    }
  }

  async finish(): Promise<void> {
    const report = this.report()
    if (!report) return
    await mkdir(dirname(this.options.path), { recursive: true })
    await writeFile(this.options.path, `${JSON.stringify(report, null, 2)}\n`)
  }
}
