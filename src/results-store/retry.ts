/**
 * One way to retry a remote call: exponential backoff with jitter, a cap on attempts, a total
 * time budget and a timeout per attempt. Built on p-retry; the caller classifies failures.
 */
import pRetry from 'p-retry'

/** How hard to try one remote call. All times in milliseconds. */
export interface CallRetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number
  /** Delay before the first retry; later ones grow by `factor`, randomised ×1–2. */
  minDelayMs: number
  /** Cap of one delay. */
  maxDelayMs: number
  factor: number
  /** No new attempt starts after this much time has passed since the first. */
  budgetMs: number
  /** One attempt is aborted after this long (never longer than what is left of the budget). */
  timeoutMs: number
}

/** Defaults sized for a service that throttles: about two minutes before giving up. */
export const defaultCallRetryPolicy: CallRetryPolicy = {
  attempts: 10,
  minDelayMs: 250,
  maxDelayMs: 15_000,
  factor: 2,
  budgetMs: 120_000,
  timeoutMs: 30_000
}

/** A failed attempt, classified by the caller: retry it or give up at once. */
export class AttemptError extends Error {
  override name = 'AttemptError'
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

/** Why `withRetry` gave up, with the last attempt's error. */
export class RetryError extends Error {
  override name = 'RetryError'
  constructor(
    readonly last: AttemptError,
    readonly attempts: number,
    /** `fatal`: not retryable; `spent`: attempts or budget used up; `aborted`: the caller's signal. */
    readonly reason: 'fatal' | 'spent' | 'aborted'
  ) {
    super(last.message, { cause: last })
  }
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy is spent. `attempt` gets a
 * signal that aborts at its timeout; anything it throws that is not an AttemptError counts as
 * retryable (a reset connection, a timeout).
 */
export async function withRetry<T>(
  attempt: (signal: AbortSignal, attemptNumber: number) => Promise<T>,
  policy: CallRetryPolicy,
  options: {
    signal?: AbortSignal
    onRetry?: (error: AttemptError, attemptNumber: number) => void
  } = {}
): Promise<T> {
  const started = Date.now()
  let attempts = 0
  let last: AttemptError | undefined
  try {
    return await pRetry(
      async attemptNumber => {
        attempts = attemptNumber
        const left = policy.budgetMs - (Date.now() - started)
        // Never let one attempt outlive the budget, but give it a fair chance to finish.
        const timeout = AbortSignal.timeout(Math.max(1000, Math.min(policy.timeoutMs, left)))
        const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout
        try {
          return await attempt(signal, attemptNumber)
        } catch (error) {
          last = classify(error, timeout.aborted, policy.timeoutMs)
          throw last
        }
      },
      {
        retries: policy.attempts - 1,
        factor: policy.factor,
        minTimeout: policy.minDelayMs,
        maxTimeout: policy.maxDelayMs,
        randomize: true,
        maxRetryTime: policy.budgetMs,
        signal: options.signal,
        shouldRetry: error => error instanceof AttemptError && error.retryable,
        onFailedAttempt: error => {
          if (error instanceof AttemptError && error.retryable) options.onRetry?.(error, attempts)
        }
      }
    )
  } catch (error) {
    if (options.signal?.aborted) {
      throw new RetryError(last ?? new AttemptError('aborted', false), attempts, 'aborted')
    }
    const final = last ?? classify(error, false, policy.timeoutMs)
    throw new RetryError(final, attempts, final.retryable ? 'spent' : 'fatal')
  }
}

function classify(error: unknown, timedOut: boolean, timeoutMs: number): AttemptError {
  if (error instanceof AttemptError) return error
  if (timedOut) return new AttemptError(`no answer within ${timeoutMs} ms`, true, { cause: error })
  return new AttemptError(describeNetworkError(error), true, { cause: error })
}

/** `fetch failed (ECONNRESET)` rather than a bare `fetch failed`. */
export function describeNetworkError(error: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (instanceof Error fails there).
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') {
    return String(error)
  }
  const { message, cause } = error as {
    message: string
    cause?: { code?: unknown; message?: unknown }
  }
  const detail = cause && typeof cause === 'object' ? (cause.code ?? cause.message) : undefined
  return detail ? `${message} (${String(detail)})` : message
}

/** An answer worth another try: throttled (429), timed out (408) or a server error (5xx). */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500
}
