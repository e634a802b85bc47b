/** The job summary's account of `workers: auto`: the table the count was chosen from. Pure. */
import type { WorkerChoice } from '../scheduler/choose-workers.js'

/** Markdown: the choice, why, and each count's predicted wall time and runner-minutes. */
export function workerChoiceMarkdown(choice: WorkerChoice): string {
  const lines = [
    '### squall: worker count',
    '',
    `**${choice.workers} worker(s)**: ${choice.reason}.`
  ]
  if (choice.table.length > 0) {
    lines.push('', '| workers | predicted wall time | runner-minutes |', '|---:|---:|---:|')
    for (const row of choice.table) {
      const mark = row.workers === choice.workers ? ' ◀' : ''
      lines.push(
        `| ${row.workers}${mark} | ${(row.wallMs / 1000).toFixed(1)} s | ${row.runnerMinutes.toFixed(1)} |`
      )
    }
  }
  return `${lines.join('\n')}\n`
}

/**
 * One line for the coordinator's summary: the plan's prediction next to the run's wall time,
 * the run summary's duration (listing to the end): the figure the plan's simulation predicts
 * (choose-workers.ts) and the one the `predict` bench section compares it with.
 */
export function predictedVsActual(predictedMs: number, actualMs: number): string {
  const ratio = predictedMs > 0 ? actualMs / predictedMs : Number.NaN
  const off = Number.isFinite(ratio) ? ` (actual ÷ predicted ${ratio.toFixed(2)})` : ''
  return `Wall time: predicted ${(predictedMs / 1000).toFixed(1)} s by workers: auto, actual ${(actualMs / 1000).toFixed(1)} s${off}.`
}
