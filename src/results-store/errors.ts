/**
 * Errors of the results store: which call failed (a Twirp method or a blob operation), how,
 * after how many attempts.
 */
import { ClusterError } from '../errors.js'
import { isTransientStatus } from './retry.js'

/** A blob answer that was not a success, or no answer at all. */
export class BlobError extends Error {
  override name = 'BlobError'
  constructor(
    readonly operation: string,
    /** HTTP status; undefined when no answer came (reset, timeout). */
    readonly status: number | undefined,
    /** Azure's x-ms-error-code, e.g. `AppendPositionConditionNotMet`. */
    readonly code: string | undefined,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }

  /** Worth another try: no answer, throttled, or a server error. */
  get transient(): boolean {
    return this.status === undefined || isTransientStatus(this.status)
  }
}

/** What went wrong in a call, as far as the answer tells. */
export interface ResultsFailure {
  /** Twirp method, e.g. `CreateArtifact`. */
  method: string
  /** HTTP status of the last answer; absent when there was none (reset, timeout). */
  status?: number
  /** Twirp error code of the last answer (`not_found`, `already_exists`…). */
  code?: string
  /** Attempts made, the first included. */
  attempts: number
  /** The service's message or the network error. */
  detail: string
  /**
   * An earlier attempt got no answer or a server error, so it may have been applied: a 409 of
   * CreateArtifact is then likely our own first attempt's work.
   */
  maybeApplied?: boolean
}

/** A results-service call failed for good (not retryable, or the retry budget is spent). */
export class ResultsServiceError extends ClusterError {
  override name = 'ResultsServiceError'
  readonly method: string
  readonly status?: number
  readonly code?: string
  readonly attempts: number
  /** See ResultsFailure.maybeApplied. */
  readonly maybeApplied: boolean

  constructor(failure: ResultsFailure, options?: { cause?: unknown }) {
    const answer = failure.status === undefined ? 'no answer' : `HTTP ${failure.status}`
    const code = failure.code ? ` ${failure.code}` : ''
    const tries = failure.attempts === 1 ? '1 attempt' : `${failure.attempts} attempts`
    super(
      `results service ${failure.method} failed after ${tries}: ${answer}${code}: ${failure.detail}`,
      options
    )
    this.method = failure.method
    this.status = failure.status
    this.code = failure.code
    this.attempts = failure.attempts
    this.maybeApplied = failure.maybeApplied ?? false
  }
}

/** 409: an artifact of that name already exists in the run. The caller decides what it means. */
export class AlreadyExistsError extends ResultsServiceError {
  override name = 'AlreadyExistsError'
}

/** 404: no such (finalized) artifact, or not for these ids. */
export class NotFoundError extends ResultsServiceError {
  override name = 'NotFoundError'
}
