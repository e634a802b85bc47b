/**
 * A typed Twirp JSON client of the results service's ArtifactService, speaking what the
 * official artifact client speaks: proto field names (snake_case), int64 as strings, version 4,
 * a bearer runtime token. Every call has a timeout, retries transient failures within a budget
 * and fails with a ResultsServiceError naming the method; every attempt is counted.
 */
import type { Log } from '../log.js'
import { AlreadyExistsError, NotFoundError, ResultsServiceError } from './errors.js'
import {
  AttemptError,
  RetryError,
  defaultCallRetryPolicy,
  isTransientStatus,
  withRetry,
  type CallRetryPolicy
} from './retry.js'
import { runtimeFromEnv, type ActionsRuntime } from './runtime.js'
import type { BackendIds } from './token.js'
import {
  clip,
  malformed,
  parseJson,
  requireOk,
  stringOf,
  toEntry,
  type ArtifactEntry,
  type Fields
} from './twirp-json.js'

export type { ArtifactEntry } from './twirp-json.js'

const service = 'github.actions.results.api.v1.ArtifactService'
/** The artifact version the official client creates (v4 artifacts). */
const artifactVersion = 4

/** Options of a ResultsClient. */
export interface ResultsClientOptions extends ActionsRuntime {
  retry?: Partial<CallRetryPolicy>
  log?: Log
}

/** The ArtifactService calls the streams need, and a count of requests per method. */
export class ResultsClient {
  readonly ids: BackendIds
  private readonly baseUrl: string
  private readonly token: string
  private readonly policy: CallRetryPolicy
  private readonly log?: Log
  private readonly counts = new Map<string, number>()

  constructor(options: ResultsClientOptions) {
    this.ids = options.ids
    this.baseUrl = new URL(options.resultsUrl).origin
    this.token = options.token
    this.policy = { ...defaultCallRetryPolicy, ...options.retry }
    this.log = options.log
  }

  /** A client for the job whose runtime is in `env` (see `runtimeFromEnv`). */
  static fromEnv(
    env: NodeJS.ProcessEnv = process.env,
    options: Omit<ResultsClientOptions, keyof ActionsRuntime> = {}
  ): ResultsClient {
    return new ResultsClient({ ...runtimeFromEnv(env), ...options })
  }

  /**
   * Creates an artifact of this job; its signed upload URL. AlreadyExistsError on 409; its
   * `maybeApplied` says an attempt whose answer was lost probably made it (the upload URL is
   * lost with that answer: a name cannot be created twice).
   */
  async createArtifact(name: string, options: { mimeType?: string } = {}): Promise<string> {
    const body = await this.call('CreateArtifact', {
      ...this.idFields(),
      name,
      version: artifactVersion,
      ...(options.mimeType ? { mime_type: options.mimeType } : {})
    })
    requireOk('CreateArtifact', body)
    return stringOf('CreateArtifact', body, 'signed_upload_url')
  }

  /**
   * Marks an artifact of this job complete (visible to List and Get); its database id. When an
   * attempt whose answer was lost did the work, the retry is refused (already finalized): the
   * listing then tells whether the artifact is ours, finalized, with this size.
   */
  async finalizeArtifact(name: string, size: number | bigint, hash?: string): Promise<string> {
    let body: Fields
    try {
      body = await this.call('FinalizeArtifact', {
        ...this.idFields(),
        name,
        size: size.toString(),
        ...(hash ? { hash } : {})
      })
    } catch (error) {
      if (!(error instanceof ResultsServiceError) || !error.maybeApplied) throw error
      const done = (await this.listArtifacts({ nameFilter: name })).find(
        a =>
          a.name === name &&
          a.workflowJobRunBackendId === this.ids.workflowJobRunBackendId &&
          a.size === size.toString()
      )
      if (!done) throw error
      this.log?.('debug', `FinalizeArtifact ${name}: an attempt whose answer was lost did it`)
      return done.id
    }
    requireOk('FinalizeArtifact', body)
    return stringOf('FinalizeArtifact', body, 'artifact_id')
  }

  /** Finalized artifacts of the whole run, optionally only the one with this exact name. */
  async listArtifacts(
    options: { nameFilter?: string; idFilter?: string } = {}
  ): Promise<ArtifactEntry[]> {
    const body = await this.call('ListArtifacts', {
      ...this.idFields(),
      ...(options.nameFilter !== undefined ? { name_filter: options.nameFilter } : {}),
      ...(options.idFilter !== undefined ? { id_filter: options.idFilter } : {})
    })
    const list = body['artifacts'] ?? []
    if (!Array.isArray(list)) throw malformed('ListArtifacts', 'artifacts is not a list')
    return list.map((raw: unknown) => toEntry(raw))
  }

  /**
   * A signed download URL of an artifact created by job `jobBackendId` (this job by default).
   * NotFoundError when there is no such finalized artifact.
   */
  async getSignedArtifactUrl(
    name: string,
    jobBackendId = this.ids.workflowJobRunBackendId
  ): Promise<string> {
    const body = await this.call('GetSignedArtifactURL', {
      workflow_run_backend_id: this.ids.workflowRunBackendId,
      workflow_job_run_backend_id: jobBackendId,
      name
    })
    return stringOf('GetSignedArtifactURL', body, 'signed_url')
  }

  /**
   * Deletes an artifact created by job `jobBackendId` (this job by default; any job of the run
   * may delete the run's artifacts, as the official client does); its database id, or
   * undefined when an attempt whose answer was lost deleted it (the retry finds nothing: 404).
   * NotFoundError when there is no such artifact.
   */
  async deleteArtifact(
    name: string,
    jobBackendId = this.ids.workflowJobRunBackendId
  ): Promise<string | undefined> {
    let body: Fields
    try {
      body = await this.call('DeleteArtifact', {
        workflow_run_backend_id: this.ids.workflowRunBackendId,
        workflow_job_run_backend_id: jobBackendId,
        name
      })
    } catch (error) {
      if (error instanceof NotFoundError && error.maybeApplied) return undefined
      throw error
    }
    requireOk('DeleteArtifact', body)
    return stringOf('DeleteArtifact', body, 'artifact_id')
  }

  /** HTTP requests sent so far, per Twirp method (retries included). */
  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts)
  }

  private idFields(): Fields {
    return {
      workflow_run_backend_id: this.ids.workflowRunBackendId,
      workflow_job_run_backend_id: this.ids.workflowJobRunBackendId
    }
  }

  private async call(method: string, request: Fields): Promise<Fields> {
    const url = `${this.baseUrl}/twirp/${service}/${method}`
    let status: number | undefined
    let code: string | undefined
    let maybeApplied = false
    try {
      return await withRetry(
        async (signal, attempt) => {
          // The attempt before this one failed without a clear refusal: it may have landed.
          if (attempt > 1 && (status === undefined || status >= 500 || status === 408))
            maybeApplied = true
          status = undefined
          code = undefined
          this.counts.set(method, (this.counts.get(method) ?? 0) + 1)
          const response = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json',
              authorization: `Bearer ${this.token}`
            },
            body: JSON.stringify(request),
            signal
          })
          status = response.status
          const text = await response.text()
          const body = parseJson(text)
          if (response.ok) {
            if (!body)
              throw new AttemptError(`the answer is not a JSON object: ${clip(text)}`, false)
            return body
          }
          code = typeof body?.['code'] === 'string' ? body['code'] : undefined
          const msg =
            typeof body?.['msg'] === 'string' ? body['msg'] : clip(text) || response.statusText
          throw new AttemptError(msg, isTransientStatus(status))
        },
        this.policy,
        {
          onRetry: (error, attempt) =>
            this.log?.(
              'debug',
              `${method} attempt ${attempt} failed (${status ?? 'no answer'}): ${error.message}; retrying`
            )
        }
      )
    } catch (error) {
      if (!(error instanceof RetryError)) throw error
      const failure = {
        method,
        status,
        code,
        attempts: error.attempts,
        detail: error.message,
        maybeApplied
      }
      if (status === 409) throw new AlreadyExistsError(failure, { cause: error })
      if (status === 404) throw new NotFoundError(failure, { cause: error })
      throw new ResultsServiceError(failure, { cause: error })
    }
  }
}
