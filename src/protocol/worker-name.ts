/**
 * Worker names and worker ids. A worker's id must be unique in its cluster (the broker keys its
 * state by it), but people should read a name they recognise: `local-2`, `worker-3` (a matrix
 * index), a job's name. So an id is the name, with `@` and a suffix when the name alone may
 * not be unique (matrix jobs of one workflow job share a job name); reports show the name.
 */

/** Separates a worker's name from the suffix that makes its id unique. */
const SEPARATOR = '@'

/** Characters a name keeps; others become `-` (ids travel in logs and environment variables). */
const unsafe = /[^A-Za-z0-9_.-]+/g

/** A name made safe for an id: unsafe runs become `-`, at most 100 characters. */
export function cleanWorkerName(name: string): string {
  return name
    .trim()
    .replace(unsafe, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
}

/** The id for a worker named `name`, unique by `suffix` (omitted: the name is the id). */
export function workerIdFor(name: string, suffix?: string): string {
  const clean = cleanWorkerName(name) || 'worker'
  return suffix === undefined || suffix === '' ? clean : `${clean}${SEPARATOR}${suffix}`
}

/** What people see for a worker id: its name, without the suffix that made it unique. */
export function workerName(id: string): string {
  const at = id.lastIndexOf(SEPARATOR)
  return at > 0 ? id.slice(0, at) : id
}

/**
 * Display names for a set of worker ids: each id's name, or the whole id where two ids share a
 * name (two workers must never look like one).
 */
export function workerNames(ids: Iterable<string>): Map<string, string> {
  const all = [...new Set(ids)]
  const count = new Map<string, number>()
  for (const id of all) count.set(workerName(id), (count.get(workerName(id)) ?? 0) + 1)
  return new Map(all.map(id => [id, (count.get(workerName(id)) ?? 0) > 1 ? id : workerName(id)]))
}
