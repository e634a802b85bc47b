/**
 * One naming rule for every framework's jobs: `<framework> <first place>[ +N more] (<count>)`,
 * where a place is what a person looks for (a file, a package, a binary) and the count is of
 * the job's items (files for jest/vitest, tests elsewhere); a narrowed retry says so.
 */
export function jobName(
  framework: string,
  places: readonly string[],
  count: number,
  unit: 'file' | 'test',
  retry = false
): string {
  const distinct = [...new Set(places)]
  const more = distinct.length > 1 ? ` +${distinct.length - 1} more` : ''
  const what = count === 1 ? `1 ${unit}` : `${count} ${unit}s`
  return `${framework} ${distinct[0] ?? ''}${more} (${what}${retry ? ', retry' : ''})`
}
