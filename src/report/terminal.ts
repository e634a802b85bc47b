/**
 * The terminal reporter. On a TTY: one live progress line, redrawn at most ~10 times a second,
 * with failures printed above it as they happen. Elsewhere (CI logs): plain lines, one per
 * finished attempt and per worker joining or leaving. Both end with the summary.
 */
import { jobKey } from '../protocol/job-ref.js'
import type { JobResult } from '../protocol/types.js'
import type { Outcome, Reporter, RunEvent } from '../runner/events.js'
import { formatDuration } from '../values.js'
import { firstLine, outcomeLabels, plural, printable, terminalText } from './format.js'
import { renderSummary, type SummaryStyle } from './terminal-summary.js'

export interface TerminalOptions {
  out: NodeJS.WritableStream
  /** Live progress line when true; plain lines when false. */
  tty: boolean
  /** ANSI colours; default: on for a TTY unless NO_COLOR is set. */
  color?: boolean
  /** Also print passing attempts on a TTY, debug logs and job starts. */
  verbose?: boolean
  /** How many of the slowest tests to list at the end (default 10; 0 for none). */
  slowest?: number
  /** Lines of captured output shown per failure (default 20). */
  outputLines?: number
  /** The clock, ms since epoch; a parameter so tests control throttling. */
  now?: () => number
}

/** Minimum ms between two redraws of the progress line. */
const REDRAW_MS = 100
const CLEAR_LINE = '\r\u001b[2K'

export class TerminalReporter implements Reporter {
  private total = 0
  private done = 0
  private failed = 0
  /** `id#attempt` of attempts started and not yet finished or requeued. */
  private readonly running = new Set<string>()
  /** Ids of the cases that failed in some attempt so far: a later pass of one is flaky. */
  private readonly failedCases = new Set<string>()
  private startedAt: number
  private lastDraw = Number.NEGATIVE_INFINITY
  private lineShown = false
  /** After the summary, no progress line may appear below it. */
  private over = false
  private trailing?: NodeJS.Timeout
  private ticker?: NodeJS.Timeout
  private readonly color: boolean
  private readonly now: () => number
  private readonly style: SummaryStyle

  constructor(private readonly options: TerminalOptions) {
    this.color = options.color ?? (options.tty && !process.env.NO_COLOR)
    this.now = options.now ?? Date.now
    this.startedAt = this.now()
    this.style = {
      paint: (outcome, text) => this.paint(outcome, text),
      dim: text => this.dim(text)
    }
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.total = event.jobs
        this.startedAt = event.at
        this.print(
          `squall: ${plural(event.tests, event.unit ?? 'test')} in ${plural(event.jobs, 'job')} (${event.framework})`
        )
        // The elapsed time keeps moving while nothing else does.
        if (this.options.tty) this.ticker = setInterval(() => this.draw(), 1000).unref()
        break
      case 'worker-joined': {
        const labels = event.labels.length > 0 ? `, labels ${event.labels.join(', ')}` : ''
        this.print(
          printable(`worker ${event.worker} joined (${plural(event.slots, 'slot')}${labels})`)
        )
        break
      }
      case 'worker-left':
        this.print(printable(`worker ${event.worker} left: ${event.reason}`))
        break
      case 'job-started':
        this.running.add(jobKey(event.job))
        if (this.options.verbose)
          this.print(
            `START   ${printable(event.job.name)} ${this.dim(`(${printable(event.worker)})`)}`
          )
        else this.draw()
        break
      case 'job-requeued':
        this.running.delete(jobKey(event.job))
        this.print(
          printable(
            `requeued ${event.job.name} from ${event.worker || 'the queue'}: ${event.reason}`
          )
        )
        break
      case 'job-finished':
        // A crashed job whose items run again one per job: each of those is a job to finish.
        this.total += Math.max(0, (event.split?.length ?? 0) - 1)
        this.finished(event.result, event.job.name, event.retry)
        break
      case 'log':
        if (event.level !== 'debug' || this.options.verbose)
          this.print(`${event.level}: ${printable(event.message)}`)
        break
      case 'run-finished':
        this.over = true
        this.stopTimers()
        this.clearLine()
        this.options.out.write(
          renderSummary(
            event.summary,
            event.tests,
            { slowest: this.options.slowest, outputLines: this.options.outputLines },
            this.style
          )
        )
        break
      default:
        break
    }
  }

  async finish(): Promise<void> {
    this.over = true
    this.stopTimers()
    this.clearLine()
  }

  private finished(result: JobResult, name: string, retry: boolean): void {
    this.running.delete(jobKey(result))
    if (!retry) {
      this.done++
      if (result.status !== 'passed') this.failed++
    }
    const outcome = attemptOutcome(result, this.failedCases)
    for (const c of result.cases ?? [])
      if (c.status === 'failed' || c.status === 'error') this.failedCases.add(c.id)
    // On a TTY the progress line counts plain passes; everything else deserves a line.
    if (this.options.tty && outcome === 'passed' && !this.options.verbose) return this.draw()
    const details = [formatDuration(result.durationMs), printable(result.worker) || 'no worker']
    if (result.attempt > 1) details.push(`attempt ${result.attempt}`)
    const why = result.status === 'passed' ? '' : `: ${reason(result)}`
    const label = this.paint(outcome, outcomeLabels[outcome].padEnd(7))
    this.print(
      `${label} ${printable(name)} ${this.dim(`(${details.join(', ')})`)}${why}${retry ? ' — retrying' : ''}`
    )
  }

  private draw(): void {
    if (!this.options.tty || this.over) return
    const now = this.now()
    if (now - this.lastDraw < REDRAW_MS) {
      // Throttled: make sure the latest counts still show once the burst is over.
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined
        this.draw()
      }, REDRAW_MS).unref()
      return
    }
    this.lastDraw = now
    const parts = [
      `${this.done}/${this.total} jobs`,
      this.paint(this.failed > 0 ? 'failed' : 'none', `${this.failed} failed`),
      `${this.running.size} running`,
      formatDuration(now - this.startedAt)
    ]
    let line = parts.join(' · ')
    const columns = (this.options.out as { columns?: number }).columns
    // A line wider than the terminal wraps, and \r would then redraw only its last row.
    if (columns && !this.color && line.length >= columns) line = line.slice(0, columns - 1)
    this.options.out.write(`${CLEAR_LINE}${line}`)
    this.lineShown = true
  }

  private clearLine(): void {
    if (this.lineShown) this.options.out.write(CLEAR_LINE)
    this.lineShown = false
  }

  /** A line above the progress line (or a plain line), then the progress line again. */
  private print(text: string): void {
    this.clearLine()
    this.options.out.write(`${text}\n`)
    this.draw()
  }

  private stopTimers(): void {
    clearInterval(this.ticker)
    clearTimeout(this.trailing)
    this.ticker = undefined
    this.trailing = undefined
  }

  private paint(outcome: string, text: string): string {
    if (!this.color) return text
    const code =
      outcome === 'passed'
        ? 32
        : outcome === 'flaky' || outcome === 'skipped'
          ? 33
          : outcome === 'none'
            ? 0
            : 31
    return code === 0 ? text : `\u001b[${code}m${text}\u001b[0m`
  }

  private dim(text: string): string {
    return this.color ? `\u001b[2m${text}\u001b[0m` : text
  }
}

/**
 * How one finished attempt is labelled. A retry that passed shows FLAKY only when a test that
 * failed before passed in it (or the job is the test): a retry whose tests were only not
 * reached before is a plain pass, and a narrowed retry whose cases were all skipped ran
 * nothing — the tests it was meant to rerun keep their failure.
 */
export function attemptOutcome(result: JobResult, failedBefore: ReadonlySet<string>): Outcome {
  if (result.status !== 'passed' || result.attempt <= 1) return result.status
  const cases = result.cases
  if (cases === undefined) return 'flaky'
  if (cases.some(c => c.status === 'passed' && failedBefore.has(c.id))) return 'flaky'
  return cases.length > 0 && cases.every(c => c.status === 'skipped') ? 'skipped' : 'passed'
}

/** One line on why an attempt did not pass. */
function reason(result: JobResult): string {
  if (result.message) return firstLine(terminalText(result.message))
  if (result.signal) return `killed by ${result.signal}`
  if (result.exitCode !== null) return `exit code ${result.exitCode}`
  return result.status
}
