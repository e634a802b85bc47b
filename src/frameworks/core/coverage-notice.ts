/**
 * What a run with the framework's coverage on says once: each job's framework run collects and
 * reports coverage of its own tests, into the same place, and checks thresholds on them alone.
 * Merging the jobs' coverage is not built yet; until it is, the run must not look as if the
 * report and the thresholds covered the suite.
 */
export function coverageNotice(framework: string, where: string): string {
  return (
    `coverage is on, and squall does not merge it yet: each job's ${framework} run wrote a ` +
    `report of its own tests to ${where}, so the report left there covers one job, not the ` +
    `suite, and coverage thresholds were checked per job and did not fail this run; for the ` +
    `suite's coverage run it without squall, or merge the jobs' reports`
  )
}
