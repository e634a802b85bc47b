/**
 * The wire messages between runner, broker and worker. Every transport carries these; which
 * way each travels, and the validator of each direction, is `directions.ts`.
 */
import type { JobRef, JobResult, JobSpec } from './types.js'

/** Bumped on any incompatible change to the messages below (2: the challenge handshake). */
export const PROTOCOL_VERSION = 2

/** `closer`: a stop step that only closes a shared pool (it submits nothing, takes no seat). */
export type Role = 'runner' | 'worker' | 'closer'

/**
 * Broker → peer, first on every link: a fresh nonce for the peer to prove the cluster secret
 * over (see handshake.ts), and whether the broker requires that proof.
 */
export interface ChallengeMessage {
  type: 'challenge'
  version: number
  /** 64 hex digits. */
  nonce: string
  secret: boolean
}

/** First message of the side that connected (after the challenge when it has a secret). */
export interface HelloMessage {
  type: 'hello'
  version: number
  role: Role
  /** Worker or runner id, unique in the cluster (e.g. `w-<host>-<pid>`). */
  id: string
  /** Worker only: how many jobs it runs at once. */
  slots?: number
  /** Worker only: labels it offers. */
  labels?: string[]
  /** With a cluster secret: the peer's nonce, for the broker's proof in welcome (64 hex). */
  nonce?: string
  /** With a cluster secret: HMAC proof over the challenge's nonce (64 hex). */
  proof?: string
}

/** The broker's answer to a hello. */
export interface WelcomeMessage {
  type: 'welcome'
  version: number
  clusterId: string
  /** A peer silent for longer than this is considered gone. */
  heartbeatMs: number
  /** With a cluster secret: the broker's HMAC proof over the hello's nonce (64 hex). */
  proof?: string
}

/** Runner → broker: jobs to run. */
export interface SubmitMessage {
  type: 'submit'
  jobs: JobSpec[]
}

/** Broker → worker: jobs to run now (or soon, within the prefetch window). */
export interface AssignMessage {
  type: 'assign'
  jobs: JobSpec[]
}

/** Broker → worker: stop these attempts; runner → broker: withdraw these jobs. */
export interface CancelMessage {
  type: 'cancel'
  jobs: JobRef[]
  reason: string
}

/** Worker → broker, and broker → runner: finished attempts, batched. */
export interface ResultMessage {
  type: 'result'
  results: JobResult[]
}

export type ProgressEvent =
  | { kind: 'started'; job: JobRef; worker: string; at: number }
  | { kind: 'worker-joined'; worker: string; slots: number; labels: string[]; at: number }
  | { kind: 'worker-left'; worker: string; reason: string; at: number }
  | { kind: 'requeued'; job: JobRef; worker: string; reason: string; at: number }

/** Worker → broker (started) and broker → runner (everything): what is happening. */
export interface ProgressMessage {
  type: 'progress'
  events: ProgressEvent[]
}

/** Worker → broker: assigned jobs it will not start (deadline near); they go back to the queue. */
export interface ReleaseMessage {
  type: 'release'
  jobs: JobRef[]
  reason: string
}

/** Runner → broker: the run is over; the broker shuts its workers down. */
export interface DoneMessage {
  type: 'done'
}

/**
 * Closer → broker: close the shared pool now (a stop step, when a declared runner will
 * never say `done`): workers are shut down and late ones find the closed marker.
 */
export interface ClosePoolMessage {
  type: 'close-pool'
  reason: string
}

/** Broker → worker: finish up and exit 0. */
export interface ShutdownMessage {
  type: 'shutdown'
  reason: string
}

/** Either direction: keeps the link alive and proves the peer is there. */
export interface HeartbeatMessage {
  type: 'heartbeat'
  at: number
}

/** Either direction: something the peer must know; the sender may close after. */
export interface ErrorMessage {
  type: 'error'
  code: string
  message: string
}

/** Any message, whichever way it travels: what a transport carries (receivers narrow it). */
export type Message =
  | ChallengeMessage
  | HelloMessage
  | WelcomeMessage
  | SubmitMessage
  | AssignMessage
  | CancelMessage
  | ResultMessage
  | ProgressMessage
  | ReleaseMessage
  | DoneMessage
  | ClosePoolMessage
  | ShutdownMessage
  | HeartbeatMessage
  | ErrorMessage

export type MessageType = Message['type']
