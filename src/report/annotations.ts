/** Annotations on failing tests, with file and line where the framework knows them. */
import { failingOutcomes, type Outcome, type Reporter, type RunEvent } from '../runner/events.js'

export interface Annotation {
  title: string
  message: string
  file?: string
  startLine?: number
}

export interface AnnotationOptions {
  /** core.error in the action; a collector in tests. */
  emit: (annotation: Annotation) => void
  /** GitHub shows at most 10 error annotations per step; more are folded into one. */
  max?: number
  /** Makes absolute file paths relative to the workspace, as annotations need. */
  relativeTo?: string
}

const titles: Partial<Record<Outcome, string>> = {
  failed: 'Test failed',
  'timed-out': 'Test timed out',
  error: 'Test errored',
  cancelled: 'Test cancelled'
}

export class AnnotationReporter implements Reporter {
  private count = 0
  private extra = 0

  constructor(private readonly options: AnnotationOptions) {}

  onEvent(event: RunEvent): void {
    if (event.type === 'test-finished') {
      const t = event.test
      // A quarantined test's failure is known and does not fail the run: no error annotation.
      if (!failingOutcomes.has(t.outcome) || t.quarantined === true) return
      if (this.count >= (this.options.max ?? 10)) {
        this.extra++
        return
      }
      this.count++
      const last = t.attempts[t.attempts.length - 1]
      const message = [last?.message, last?.output]
        .filter(Boolean)
        .join('\n')
        .trim()
        .split('\n')
        .slice(0, 30)
        .join('\n')
      this.options.emit({
        title: `${titles[t.outcome] ?? 'Test failed'}: ${t.name}`,
        message: message || t.outcome,
        ...(t.file ? { file: this.relative(t.file) } : {}),
        ...(t.line ? { startLine: t.line } : {})
      })
    }
    if (event.type === 'run-finished' && this.extra > 0) {
      this.options.emit({
        title: 'More failures',
        message: `${this.extra} more failing test(s) are listed in the job summary.`
      })
    }
  }

  private relative(file: string): string {
    const root = this.options.relativeTo
    if (root && file.startsWith(`${root}/`)) return file.slice(root.length + 1)
    return file
  }
}
