/**
 * The results service's artifact records, as pure state: names unique per run, at most 500
 * artifacts created per job, visible to List/Get once finalized. No I/O; time passed in.
 *
 * Run attempts: every attempt of a workflow run has its own run backend id (the `scp` claim of
 * its jobs' tokens), but the run's artifacts are one set. A re-run ("Re-run failed jobs")
 * lists the artifacts of earlier attempts, each with the backend ids it was created under,
 * can download them with those ids, and cannot reuse their names (409, as on GitHub: hence
 * cluster ids that carry the attempt). `linkAttempt` tells the store which backend ids are
 * attempts of one run.
 */
import { createHash } from 'node:crypto'
import { TwirpError } from './twirp.js'

/** One artifact as the service records it. */
export interface ArtifactRecord {
  /** database_id: large like the real ones, so callers never assume small ids. */
  id: bigint
  /** The run backend id of the attempt that created it. */
  runId: string
  jobId: string
  name: string
  /** The blob (inside the results container) the signed URLs point at. */
  blobName: string
  /** The file name the download URL asks the browser to save as. */
  fileName: string
  mimeType?: string
  version: number
  createdAt: Date
  expiresAt?: string
  finalized: boolean
  size: bigint
  digest?: string
}

/** What CreateArtifact asks for. */
export interface CreateRequest {
  runId: string
  jobId: string
  name: string
  version: number
  mimeType?: string
  expiresAt?: string
}

/** The limit of artifacts one job may create. */
export const maxArtifactsPerJob = 500
/** Artifact names are 1..256 characters. */
export const maxNameLength = 256
/** Characters the service refuses in names (file system hostile). */
const invalidNameCharacters = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/']

/** Throws `invalid_argument` when the service would refuse the name. */
export function validateArtifactName(name: string): void {
  if (name.length === 0 || name.length > maxNameLength) {
    throw new TwirpError(
      'invalid_argument',
      `artifact name must be 1 to ${maxNameLength} characters, got ${name.length}`
    )
  }
  const bad = invalidNameCharacters.find(c => name.includes(c))
  if (bad !== undefined) {
    throw new TwirpError(
      'invalid_argument',
      `artifact name ${JSON.stringify(name)} contains the invalid character ${JSON.stringify(bad)}`
    )
  }
}

function isZip(mimeType: string | undefined): boolean {
  return mimeType === undefined || mimeType === '' || mimeType === 'application/zip'
}

/** Artifacts of all runs, keyed by run then name; deleted ones are forgotten. */
export class ArtifactStore {
  /** Keyed by the run (its first attempt's backend id), then name. */
  private readonly byRun = new Map<string, Map<string, ArtifactRecord>>()
  /** An attempt's run backend id → the run's (first attempt's) backend id. */
  private readonly runOf = new Map<string, string>()
  private readonly createdByJob = new Map<string, number>()
  private nextId = 1_000_000_001n

  /** Makes `attemptRunId` a later attempt of the run whose first attempt is `runId`. */
  linkAttempt(attemptRunId: string, runId: string): void {
    if (attemptRunId !== runId) this.runOf.set(attemptRunId, this.runKey(runId))
  }

  /** True when two run backend ids are attempts of the same run. */
  sameRun(a: string, b: string): boolean {
    return this.runKey(a) === this.runKey(b)
  }

  /** Records a new artifact; 409 for a name taken in the run, 429 past the job limit. */
  create(req: CreateRequest, now: Date): ArtifactRecord {
    validateArtifactName(req.name)
    const run = this.run(this.runKey(req.runId))
    if (run.has(req.name)) {
      throw new TwirpError(
        'already_exists',
        'an artifact with this name already exists on the workflow run'
      )
    }
    const jobKey = `${req.runId}:${req.jobId}`
    const created = this.createdByJob.get(jobKey) ?? 0
    if (created >= maxArtifactsPerJob) {
      throw new TwirpError(
        'resource_exhausted',
        `the job has created ${created} artifacts, the limit of ${maxArtifactsPerJob} per job`
      )
    }
    this.createdByJob.set(jobKey, created + 1)
    const id = this.nextId++
    const zip = isZip(req.mimeType)
    const nameHash = createHash('sha256').update(req.name).digest('hex').slice(0, 16)
    const record: ArtifactRecord = {
      id,
      runId: req.runId,
      jobId: req.jobId,
      name: req.name,
      blobName: `${req.runId}/${req.jobId}/artifacts/${id}-${nameHash}${zip ? '.zip' : ''}`,
      fileName: zip ? `${req.name}.zip` : req.name,
      mimeType: req.mimeType,
      version: req.version,
      createdAt: now,
      expiresAt: req.expiresAt,
      finalized: false,
      size: 0n
    }
    run.set(req.name, record)
    return record
  }

  /** Marks the artifact of this job finalized with its size and optional digest. */
  finalize(
    runId: string,
    jobId: string,
    name: string,
    size: bigint,
    digest?: string
  ): ArtifactRecord {
    const record = this.find(runId, jobId, name)
    if (!record) throw new TwirpError('not_found', 'artifact not found')
    if (record.finalized) {
      throw new TwirpError('failed_precondition', `artifact ${name} is already finalized`)
    }
    if (size < 0n) throw new TwirpError('invalid_argument', 'size must not be negative')
    record.finalized = true
    record.size = size
    record.digest = digest
    return record
  }

  /**
   * Finalized artifacts of the whole run (every attempt's), optionally filtered by exact name
   * and id.
   */
  list(runId: string, nameFilter?: string, idFilter?: bigint): ArtifactRecord[] {
    const all = [...(this.byRun.get(this.runKey(runId))?.values() ?? [])]
    return all
      .filter(a => a.finalized)
      .filter(a => nameFilter === undefined || a.name === nameFilter)
      .filter(a => idFilter === undefined || a.id === idFilter)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  /** The finalized artifact of (run, job, name), the triple the client sends; else 404. */
  get(runId: string, jobId: string, name: string): ArtifactRecord {
    const record = this.find(runId, jobId, name)
    if (!record || !record.finalized) {
      throw new TwirpError('not_found', 'artifact not found')
    }
    return record
  }

  /** Forgets the artifact of (run, job, name), which frees its name; 404 when absent. */
  delete(runId: string, jobId: string, name: string): ArtifactRecord {
    const record = this.find(runId, jobId, name)
    if (!record) throw new TwirpError('not_found', 'artifact not found')
    this.byRun.get(this.runKey(runId))?.delete(name)
    return record
  }

  /** How many artifacts each job (`run:job`) has created. */
  createdPerJob(): Record<string, number> {
    return Object.fromEntries(this.createdByJob)
  }

  /** The record of (attempt's run backend id, job, name), finalized or not. */
  private find(runId: string, jobId: string, name: string): ArtifactRecord | undefined {
    const record = this.byRun.get(this.runKey(runId))?.get(name)
    return record && record.runId === runId && record.jobId === jobId ? record : undefined
  }

  private runKey(runId: string): string {
    return this.runOf.get(runId) ?? runId
  }

  private run(runId: string): Map<string, ArtifactRecord> {
    let run = this.byRun.get(runId)
    if (!run) {
      run = new Map()
      this.byRun.set(runId, run)
    }
    return run
  }
}
