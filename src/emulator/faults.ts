/**
 * Seeded fault injection: each eligible request draws one number from a deterministic PRNG,
 * so the same seed and the same order of requests give the same faults.
 */

/** What to inject. Rates are probabilities in [0, 1]; their sum should not pass 1. */
export interface FaultOptions {
  /** Seed of the PRNG; the same seed gives the same sequence of faults. */
  seed: number
  /** Added to every eligible request before it is served (or failed). */
  latencyMs?: number
  /** Twirp: 429 resource_exhausted. Blob: 503 ServerBusy, how Azure Storage throttles. */
  rate429?: number
  /** Twirp: 500 internal. Blob: 500 InternalError. */
  rate500?: number
  /** The connection is destroyed without an answer. */
  rateDrop?: number
  /**
   * The request is served (a write lands) and then its answer is lost: half of these cut the
   * connection, half answer 500. The client cannot tell it from a request never served.
   */
  rateLost?: number
  /**
   * Only these are eligible: Twirp method names (`CreateArtifact`) and, when `blob` is on,
   * blob operation names (`AppendBlock`, `GetBlobRange`…). All when absent.
   */
  methods?: string[]
  /** Also inject on blob requests (through the blob proxy). Off by default. */
  blob?: boolean
}

/** The fate of one request. `lost-drop` and `lost-500` are served first, then fail. */
export type FaultDecision = {
  latencyMs: number
  fault: 'none' | '429' | '500' | 'drop' | 'lost-drop' | 'lost-500'
}

/** mulberry32: small, fast, and good enough to spread faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const none: FaultDecision = { latencyMs: 0, fault: 'none' }

/** Decides faults for a stream of requests; replaced as a whole by `setFaults`. */
export class FaultInjector {
  private readonly random: () => number

  constructor(private readonly options: FaultOptions) {
    for (const [name, rate] of Object.entries({
      rate429: options.rate429,
      rate500: options.rate500,
      rateDrop: options.rateDrop,
      rateLost: options.rateLost
    })) {
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
        throw new Error(`faults.${name}: '${rate}' is not a probability; expected 0 to 1`)
      }
    }
    const sum =
      (options.rate429 ?? 0) +
      (options.rate500 ?? 0) +
      (options.rateDrop ?? 0) +
      (options.rateLost ?? 0)
    if (sum > 1 + 1e-9) {
      throw new Error(`faults: the rates add up to ${sum}; their sum must not pass 1`)
    }
    this.random = seededRandom(options.seed)
  }

  /** The fate of the next request of `kind` named `name`. */
  decide(kind: 'twirp' | 'blob', name: string): FaultDecision {
    const o = this.options
    if (kind === 'blob' && !o.blob) return none
    if (o.methods && !o.methods.includes(name)) return none
    const latencyMs = o.latencyMs ?? 0
    const r = this.random()
    let edge = o.rate429 ?? 0
    if (r < edge) return { latencyMs, fault: '429' }
    edge += o.rate500 ?? 0
    if (r < edge) return { latencyMs, fault: '500' }
    edge += o.rateDrop ?? 0
    if (r < edge) return { latencyMs, fault: 'drop' }
    // One draw decides both whether and how an answer is lost, so older seeds keep their faults.
    const lost = o.rateLost ?? 0
    if (r < edge + lost / 2) return { latencyMs, fault: 'lost-drop' }
    if (r < edge + lost) return { latencyMs, fault: 'lost-500' }
    return { latencyMs, fault: 'none' }
  }
}
