/** Errors of the results service client: which call failed, how, after how many attempts. */
import { ClusterError } from '../errors.js'

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
}

/** A results-service call failed for good (not retryable, or the retry budget is spent). */
export class ResultsServiceError extends ClusterError {
  override name = 'ResultsServiceError'
  readonly method: string
  readonly status?: number
  readonly code?: string
  readonly attempts: number

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
