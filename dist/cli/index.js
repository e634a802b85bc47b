import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 957:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _program_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(660);
/** `squall`: the command-line entry. All logic lives in ./program.ts. */

process.exitCode = await (0,_program_js__WEBPACK_IMPORTED_MODULE_0__/* .runCli */ .a)(process.argv.slice(2));

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 660:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  a: () => (/* binding */ runCli)
});

// EXTERNAL MODULE: ./node_modules/commander/index.js
var commander = __nccwpck_require__(909);
;// CONCATENATED MODULE: ./node_modules/commander/esm.mjs


// wrapper to provide named exports for ESM.
const {
  /* program */ "DM": program,
  /* createCommand */ "gu": createCommand,
  /* createArgument */ "er": createArgument,
  /* createOption */ "Ww": createOption,
  /* CommanderError */ "b7": CommanderError,
  /* InvalidArgumentError */ "Di": InvalidArgumentError,
  /* InvalidOptionArgumentError */ "a2": InvalidOptionArgumentError, // deprecated old name
  /* Command */ "uB": Command,
  /* Argument */ "ef": Argument,
  /* Option */ "c$": Option,
  /* Help */ "_V": Help,
} = commander;

;// CONCATENATED MODULE: ./src/errors.ts
/** Typed errors and the one place they map to exit codes. */
const ExitCode = {
    ok: 0,
    testsFailed: 1,
    usage: 2,
    cluster: 3
};
/** Bad input or configuration: names the input, the value and what was expected. */
class UsageError extends Error {
    name = 'UsageError';
}
/** A peer spoke something we cannot accept (bad frame, unknown message, version mismatch). */
class ProtocolError extends Error {
    name = 'ProtocolError';
}
/** The cluster could not do its work: broker lost, service unreachable, budget spent. */
class ClusterError extends Error {
    name = 'ClusterError';
}
/** A link closed or failed. */
class LinkClosedError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'LinkClosedError';
}
/** Maps any thrown value to the exit code the CLI and actions use. */
function exitCodeFor(error) {
    if (error instanceof UsageError)
        return ExitCode.usage;
    return ExitCode.cluster;
}
/** A one-line description of any thrown value. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/log.ts

const rank = { debug: 0, info: 1, warning: 2, error: 3 };
/** Parses a `--log-level` value; throws a message naming the value and what was expected. */
function parseLogLevel(value, input = '--log-level') {
    if (value in rank)
        return value;
    throw new UsageError(`${input}: '${value}' is not a log level; expected debug, info, warning or error`);
}
/** Writes `[prefix] level: message` lines to a stream, dropping those below `min`. */
function streamLog(out, prefix, min = 'info') {
    return (level, message) => {
        if (rank[level] < rank[min])
            return;
        out.write(`[${prefix}] ${level === 'info' ? '' : `${level}: `}${message}\n`);
    };
}
const silentLog = () => undefined;

;// CONCATENATED MODULE: ./src/protocol/messages.ts
/** Bumped on any incompatible change to the messages below. */
const PROTOCOL_VERSION = 1;

;// CONCATENATED MODULE: ./src/protocol/validate.ts
/** Checks that a decoded value is a well-formed message before anything trusts it. */


const arrayFields = {
    submit: ['jobs'],
    assign: ['jobs'],
    cancel: ['jobs'],
    result: ['results'],
    progress: ['events'],
    release: ['jobs']
};
const known = new Set([
    'hello',
    'welcome',
    'submit',
    'assign',
    'cancel',
    'result',
    'progress',
    'release',
    'done',
    'shutdown',
    'heartbeat',
    'error'
]);
/** Throws ProtocolError unless `value` looks like a Message. Deep job fields are trusted. */
function validateMessage(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new ProtocolError(`expected a message object, got ${describe(value)}`);
    }
    const type = value.type;
    if (typeof type !== 'string' || !known.has(type)) {
        throw new ProtocolError(`unknown message type ${JSON.stringify(type)}`);
    }
    for (const field of arrayFields[type] ?? []) {
        if (!Array.isArray(value[field])) {
            throw new ProtocolError(`message '${type}' needs an array '${field}'`);
        }
    }
    if (type === 'hello' || type === 'welcome') {
        const version = value.version;
        if (version !== PROTOCOL_VERSION) {
            throw new ProtocolError(`protocol version mismatch: peer speaks ${JSON.stringify(version)}, this side speaks ${PROTOCOL_VERSION}`);
        }
    }
    return value;
}
function describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value;
}

;// CONCATENATED MODULE: ./src/scheduler/priority.ts
/**
 * Negative when `a` goes first: unknown durations first (they may be long), then longest
 * expected first, then jobs that failed before, then submission order.
 */
function compareQueued(a, b) {
    const ua = a.spec.expectedMs === undefined;
    const ub = b.spec.expectedMs === undefined;
    if (ua !== ub)
        return ua ? -1 : 1;
    const ea = a.spec.expectedMs ?? 0;
    const eb = b.spec.expectedMs ?? 0;
    if (ea !== eb)
        return eb - ea;
    const fa = a.spec.failedBefore === true;
    const fb = b.spec.failedBefore === true;
    if (fa !== fb)
        return fa ? -1 : 1;
    return a.seq - b.seq;
}
/** An array kept sorted by compareQueued; insertion by binary search. */
class PriorityQueue {
    items = [];
    get length() {
        return this.items.length;
    }
    insert(item) {
        let lo = 0;
        let hi = this.items.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (compareQueued(this.items[mid], item) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        this.items.splice(lo, 0, item);
    }
    remove(item) {
        const index = this.items.indexOf(item);
        if (index < 0)
            return false;
        this.items.splice(index, 1);
        return true;
    }
    /** In priority order. */
    values() {
        return this.items;
    }
}

;// CONCATENATED MODULE: ./src/protocol/types.ts
/** Data shapes shared by every stage: what a job is and what running it produced. */
const emptyOutput = { text: '', truncatedBytes: 0 };

;// CONCATENATED MODULE: ./src/scheduler/state.ts
/** What the scheduler remembers about each job and each worker, and small helpers on it. */

const jobKey = (ref) => `${ref.id}#${ref.attempt}`;
/** True when a worker offering `offered` may run a job that needs `required`. */
function hasLabels(offered, required) {
    for (const label of required)
        if (!offered.has(label))
            return false;
    return true;
}
/** True when the job would rather not run on this worker (avoidWorkers, or it overran there). */
function avoids(job, worker) {
    return job.shunned.has(worker) || (job.spec.avoidWorkers ?? []).includes(worker);
}
/** A result for a job the scheduler ends itself (lost too often, unrunnable, cancelled). */
function syntheticResult(job, status, message) {
    return {
        id: job.spec.id,
        attempt: job.spec.attempt,
        worker: job.worker ?? job.lastWorker ?? '',
        status,
        exitCode: null,
        signal: null,
        durationMs: 0,
        startedAt: job.startedAt ?? 0,
        stdout: emptyOutput,
        stderr: emptyOutput,
        message
    };
}

;// CONCATENATED MODULE: ./src/scheduler/placement.ts
/**
 * Which queued job goes to which worker. Jobs only some workers can run come first on those
 * workers (so jobs any worker can run do not starve them), then priority order.
 */


/**
 * Hands queued jobs to active workers with room, and returns what each worker got, in order.
 * First every free slot is filled, one job per worker per round so the longest jobs spread
 * out. Then, only while more jobs are queued than all workers have slots, each worker may
 * take up to `prefetch` more: they hide the round trip of fetching work, but at the tail of
 * the run a prefetched job would wait behind a long one while another worker sits idle.
 * A worker left with a free slot and nothing in the queue for it takes a prefetched job that
 * waits behind others on another worker (`moved`: the broker cancels it there). So no worker
 * idles while work it could run waits, even when workers joined one by one and the first
 * ones prefetched.
 */
function placeJobs(queue, workers, prefetch, now) {
    const given = new Map();
    const moved = [];
    if (workers.length === 0)
        return { given, moved };
    const capable = capableCounter(workers);
    const give = (worker, job) => {
        job.state = 'assigned';
        job.worker = worker.id;
        job.assignedAt = now;
        job.slotAt = undefined;
        job.unrunnableSince = undefined;
        worker.held.add(job);
        given.set(worker, [...(given.get(worker) ?? []), job]);
    };
    const round = (limit, budget) => {
        let progress = true;
        while (progress && budget > 0 && queue.length > 0) {
            progress = false;
            for (const worker of workers) {
                if (worker.held.size >= limit(worker))
                    continue;
                const job = pick(queue, worker, workers, capable);
                if (!job)
                    continue;
                queue.remove(job);
                give(worker, job);
                progress = true;
                if (--budget <= 0 || queue.length === 0)
                    return;
            }
        }
    };
    round(w => w.slots, Infinity);
    for (const worker of workers) {
        while (worker.held.size < worker.slots) {
            const job = waitingElsewhere(worker, workers);
            if (!job)
                break;
            const from = job.worker;
            workers.find(w => w.id === from)?.held.delete(job);
            moved.push({ from, job });
            give(worker, job);
        }
    }
    const slots = workers.reduce((n, w) => n + w.slots, 0);
    if (prefetch > 0)
        round(w => w.slots + prefetch, queue.length - slots);
    return { given, moved };
}
/**
 * The best prefetched job that waits behind others on another worker and that `worker`
 * could run at once (it has the labels and the job does not avoid it).
 */
function waitingElsewhere(worker, workers) {
    let best;
    for (const other of workers) {
        if (other === worker)
            continue;
        let position = 0;
        for (const job of other.held) {
            if (position++ < other.slots || job.state !== 'assigned')
                continue;
            if (!hasLabels(worker.labels, job.spec.labels) || avoids(job, worker.id))
                continue;
            if (!best || compareQueued(job, best) < 0)
                best = job;
        }
    }
    return best;
}
/** Counts the active workers able to run a label set, cached per set within one placement. */
function capableCounter(workers) {
    const cache = new Map();
    return labels => {
        if (labels.length === 0)
            return workers.length;
        const key = [...labels].sort().join('\u0000');
        let count = cache.get(key);
        if (count === undefined) {
            count = workers.filter(w => hasLabels(w.labels, labels)).length;
            cache.set(key, count);
        }
        return count;
    };
}
/**
 * The job `worker` should take next: among those it can run, the one the fewest active
 * workers can run, then the first in priority order. A job skips a worker it avoids while
 * another active worker could run it.
 */
function pick(queue, worker, workers, capable) {
    let best;
    let bestCount = Infinity;
    for (const job of queue.values()) {
        const labels = job.spec.labels;
        if (!hasLabels(worker.labels, labels))
            continue;
        const count = capable(labels);
        if (count >= bestCount)
            continue;
        if (avoids(job, worker.id) && hasAlternative(job, worker, workers))
            continue;
        best = job;
        bestCount = count;
        // Nothing can be more special than a job only this worker can run.
        if (count <= 1)
            break;
    }
    return best;
}
function hasAlternative(job, worker, workers) {
    return workers.some(w => w !== worker && !avoids(job, w.id) && hasLabels(w.labels, job.spec.labels));
}

;// CONCATENATED MODULE: ./src/scheduler/types.ts
const defaultSchedulerOptions = {
    heartbeatTimeoutMs: 30_000,
    maxLostAttempts: 3,
    prefetch: 1,
    unrunnableAfterMs: 30_000,
    timeoutGraceMs: 30_000
};

;// CONCATENATED MODULE: ./src/scheduler/scheduler.ts





class Scheduler {
    options;
    jobs = new Map();
    queue = new PriorityQueue();
    workers = new Map();
    seq = 0;
    open = 0;
    constructor(options = {}) {
        this.options = { ...defaultSchedulerOptions, ...options };
    }
    /** Jobs submitted and not yet finished. */
    pending() {
        return this.open;
    }
    /** True when `worker` currently holds this attempt (results from others are ignored). */
    holds(worker, ref) {
        const job = this.jobs.get(jobKey(ref));
        return (job !== undefined && job.state !== 'done' && job.state !== 'queued' && job.worker === worker);
    }
    snapshot() {
        let running = 0;
        for (const worker of this.workers.values())
            running += worker.held.size;
        return {
            queued: this.queue.length,
            running,
            workers: [...this.workers.values()].map(w => ({
                id: w.id,
                slots: w.slots,
                labels: [...w.labels],
                assigned: w.held.size,
                draining: w.draining
            }))
        };
    }
    handle(event) {
        const out = [];
        const now = event.now;
        switch (event.type) {
            case 'worker-joined':
                this.join(event.worker, event.slots, event.labels, now, out);
                break;
            case 'worker-left': {
                const worker = this.workers.get(event.worker);
                if (worker)
                    this.loseWorker(worker, event.reason, out);
                break;
            }
            case 'heartbeat':
                this.seen(event.worker, now);
                break;
            case 'submitted':
                for (const spec of event.jobs)
                    this.submit(spec);
                break;
            case 'started': {
                this.seen(event.worker, now);
                const job = this.held(event.worker, event.job);
                if (job && job.state === 'assigned') {
                    job.state = 'running';
                    job.startedAt = now;
                }
                break;
            }
            case 'result':
                this.result(event.result, now, out);
                break;
            case 'released':
                this.release(event.worker, event.jobs, event.reason ?? 'released', now, out);
                break;
            case 'cancelled':
                this.cancel(event.jobs, event.reason, now, out);
                break;
            case 'tick':
                this.tick(now, out);
                break;
        }
        this.checkUnrunnable(now, out);
        this.assign(now, out);
        return out;
    }
    join(id, slots, labels, now, out) {
        const existing = this.workers.get(id);
        if (existing)
            this.loseWorker(existing, 'it connected again', out);
        this.workers.set(id, {
            id,
            slots: Math.max(1, Math.floor(slots) || 1),
            labels: new Set(labels),
            lastSeen: now,
            draining: false,
            held: new Set()
        });
    }
    seen(workerId, now) {
        const worker = this.workers.get(workerId);
        if (worker)
            worker.lastSeen = Math.max(worker.lastSeen, now);
    }
    /** The job if `worker` holds this attempt. */
    held(worker, ref) {
        return this.holds(worker, ref) ? this.jobs.get(jobKey(ref)) : undefined;
    }
    submit(spec) {
        const key = jobKey(spec);
        if (this.jobs.has(key))
            return;
        const job = {
            spec,
            seq: this.seq++,
            key,
            ref: { id: spec.id, attempt: spec.attempt },
            state: 'queued',
            assignedAt: 0,
            lost: 0,
            shunned: new Set()
        };
        this.jobs.set(key, job);
        this.queue.insert(job);
        this.open++;
    }
    result(result, now, out) {
        this.seen(result.worker, now);
        // Only the worker holding the attempt may end it: late results from lost workers and
        // duplicates are dropped here.
        const job = this.held(result.worker, result);
        if (!job)
            return;
        if (job.cancel) {
            const why = `cancelled: ${job.cancel.reason}`;
            this.finish(job, {
                ...result,
                status: 'cancelled',
                message: result.message ? `${why} (${result.message})` : why
            }, out);
            return;
        }
        this.finish(job, result, out);
    }
    release(workerId, refs, reason, now, out) {
        const worker = this.workers.get(workerId);
        if (!worker)
            return;
        this.seen(workerId, now);
        worker.draining = true;
        for (const ref of refs) {
            const job = this.held(workerId, ref);
            // A job the worker already started is its to finish; it cannot hand that back.
            if (!job || job.state !== 'assigned')
                continue;
            if (job.cancel) {
                this.finish(job, syntheticResult(job, 'cancelled', `cancelled: ${job.cancel.reason}`), out);
                continue;
            }
            out.push({
                type: 'requeued',
                job: job.ref,
                worker: workerId,
                reason: `released by ${workerId}: ${reason}`
            });
            this.requeue(job);
        }
    }
    cancel(refs, reason, now, out) {
        const perWorker = new Map();
        for (const ref of refs) {
            const job = this.jobs.get(jobKey(ref));
            if (!job || job.state === 'done' || job.cancel)
                continue;
            if (job.state === 'queued') {
                this.finish(job, syntheticResult(job, 'cancelled', `cancelled before it started: ${reason}`), out);
                continue;
            }
            job.cancel = { reason, at: now };
            const worker = job.worker;
            perWorker.set(worker, [...(perWorker.get(worker) ?? []), job.ref]);
        }
        for (const [worker, jobs] of perWorker)
            out.push({ type: 'cancel', worker, jobs, reason });
    }
    tick(now, out) {
        const { heartbeatTimeoutMs, timeoutGraceMs } = this.options;
        for (const worker of [...this.workers.values()]) {
            const silent = now - worker.lastSeen;
            if (silent <= heartbeatTimeoutMs)
                continue;
            const reason = `silent for ${silent} ms (limit ${heartbeatTimeoutMs} ms)`;
            out.push({ type: 'drop-worker', worker: worker.id, reason });
            this.loseWorker(worker, reason, out);
        }
        for (const worker of this.workers.values()) {
            for (const job of [...worker.held]) {
                if (job.cancel) {
                    if (now - job.cancel.at <= timeoutGraceMs)
                        continue;
                    const message = `cancelled: ${job.cancel.reason}; ${worker.id} did not confirm within ${timeoutGraceMs} ms`;
                    this.finish(job, syntheticResult(job, 'cancelled', message), out);
                    continue;
                }
                const since = job.startedAt ?? job.slotAt;
                const limit = job.spec.timeoutMs + timeoutGraceMs;
                if (since === undefined || now - since <= limit)
                    continue;
                const what = job.startedAt !== undefined ? 'it started' : 'it was given a slot';
                const reason = `no result from ${worker.id} ${now - since} ms after ${what} (timeout ${job.spec.timeoutMs} ms + grace ${timeoutGraceMs} ms)`;
                out.push({ type: 'cancel', worker: worker.id, jobs: [job.ref], reason });
                job.shunned.add(worker.id);
                this.lost(job, worker.id, reason, out);
            }
        }
    }
    loseWorker(worker, reason, out) {
        this.workers.delete(worker.id);
        for (const job of [...worker.held])
            this.lost(job, worker.id, `worker ${worker.id} lost: ${reason}`, out);
    }
    /** The job's worker is gone or gave up on it: back to the queue, or an error past the limit. */
    lost(job, worker, reason, out) {
        job.lastWorker = worker;
        if (job.cancel) {
            this.finish(job, syntheticResult(job, 'cancelled', `cancelled: ${job.cancel.reason}; ${reason}`), out);
            return;
        }
        job.lost++;
        if (job.lost > this.options.maxLostAttempts) {
            const message = `${reason}; gave up after ${job.lost} lost attempts (limit ${this.options.maxLostAttempts})`;
            this.finish(job, syntheticResult(job, 'error', message), out);
            return;
        }
        out.push({ type: 'requeued', job: job.ref, worker, reason });
        this.requeue(job);
    }
    requeue(job) {
        if (job.worker)
            this.workers.get(job.worker)?.held.delete(job);
        job.lastWorker = job.worker ?? job.lastWorker;
        job.worker = undefined;
        job.startedAt = undefined;
        job.slotAt = undefined;
        job.state = 'queued';
        this.queue.insert(job);
    }
    finish(job, result, out) {
        if (job.state === 'queued')
            this.queue.remove(job);
        if (job.worker)
            this.workers.get(job.worker)?.held.delete(job);
        job.state = 'done';
        this.open--;
        out.push({ type: 'finished', result });
    }
    activeWorkers() {
        return [...this.workers.values()].filter(w => !w.draining);
    }
    checkUnrunnable(now, out) {
        const active = this.activeWorkers();
        for (const job of [...this.queue.values()]) {
            const labels = job.spec.labels;
            if (active.length === 0 || active.some(w => hasLabels(w.labels, labels))) {
                job.unrunnableSince = undefined;
                continue;
            }
            job.unrunnableSince ??= now;
            const waited = now - job.unrunnableSince;
            if (waited < this.options.unrunnableAfterMs)
                continue;
            const missing = labels.filter(l => !active.some(w => w.labels.has(l)));
            const offered = active.map(w => `${w.id} [${[...w.labels].join(', ')}]`).join('; ');
            const what = missing.length > 0
                ? `no connected worker offers the label(s) [${missing.join(', ')}]`
                : `no connected worker offers all of the labels [${labels.join(', ')}] together`;
            const message = `${what} for ${waited} ms (workers: ${offered})`;
            this.finish(job, syntheticResult(job, 'error', message), out);
        }
    }
    assign(now, out) {
        const { given, moved } = placeJobs(this.queue, this.activeWorkers(), this.options.prefetch, now);
        for (const { from, job } of moved) {
            out.push({
                type: 'cancel',
                worker: from,
                jobs: [job.ref],
                reason: `moved to ${job.worker}, which is idle`
            });
        }
        for (const [worker, jobs] of given)
            out.push({ type: 'assign', worker: worker.id, jobs: jobs.map(j => j.spec) });
        // Give free slots to the jobs next in line on each worker (it starts them in order).
        for (const worker of this.workers.values()) {
            let used = 0;
            for (const job of worker.held) {
                if (used >= worker.slots)
                    break;
                job.slotAt ??= now;
                used++;
            }
        }
    }
}

;// CONCATENATED MODULE: ./src/broker/checks.ts
const statuses = new Set(['passed', 'failed', 'timed-out', 'error', 'cancelled']);
const isString = (v) => typeof v === 'string';
const isStrings = (v) => Array.isArray(v) && v.every(isString);
const isCount = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isNonNegative = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const field = (v, name) => typeof v === 'object' && v !== null ? v[name] : undefined;
/** What is wrong with a hello (the version is checked apart, to name both versions). */
function checkHello(hello) {
    if (hello.role !== 'worker' && hello.role !== 'runner') {
        return `role must be 'worker' or 'runner', got ${JSON.stringify(hello.role)}`;
    }
    if (!isString(hello.id) || hello.id.length === 0 || hello.id.length > 200) {
        return `id must be a non-empty string of at most 200 characters, got ${JSON.stringify(hello.id)}`;
    }
    if (hello.role === 'worker') {
        if (hello.slots !== undefined && !isCount(hello.slots)) {
            return `slots must be a positive integer, got ${JSON.stringify(hello.slots)}`;
        }
        if (hello.labels !== undefined && !isStrings(hello.labels))
            return 'labels must be an array of strings';
    }
    return undefined;
}
function checkJobRef(ref) {
    if (!isString(field(ref, 'id')))
        return 'a job reference needs a string id';
    if (!isCount(field(ref, 'attempt')))
        return 'a job reference needs a positive integer attempt';
    return undefined;
}
function checkJobSpec(job) {
    const ref = checkJobRef(job);
    if (ref)
        return ref;
    const spec = job;
    const id = JSON.stringify(spec.id);
    if (!isString(spec.name))
        return `job ${id}: name must be a string`;
    if (spec.command === undefined && spec.argv === undefined)
        return `job ${id}: needs a command or argv`;
    if (spec.command !== undefined && !isString(spec.command))
        return `job ${id}: command must be a string`;
    if (spec.argv !== undefined && !isStrings(spec.argv))
        return `job ${id}: argv must be an array of strings`;
    if (!isNonNegative(spec.timeoutMs) || spec.timeoutMs === 0)
        return `job ${id}: timeoutMs must be a positive number`;
    if (!isStrings(spec.labels))
        return `job ${id}: labels must be an array of strings`;
    if (!isStrings(spec.layers))
        return `job ${id}: layers must be an array of strings`;
    if (spec.expectedMs !== undefined && !isNonNegative(spec.expectedMs)) {
        return `job ${id}: expectedMs must be a non-negative number when set`;
    }
    if (spec.avoidWorkers !== undefined && !isStrings(spec.avoidWorkers)) {
        return `job ${id}: avoidWorkers must be an array of strings when set`;
    }
    return undefined;
}
function checkJobResult(result) {
    const ref = checkJobRef(result);
    if (ref)
        return ref;
    const r = result;
    if (!statuses.has(r.status))
        return `result for ${JSON.stringify(r.id)}: unknown status ${JSON.stringify(r.status)}`;
    if (!isNonNegative(r.durationMs))
        return `result for ${JSON.stringify(r.id)}: durationMs must be a non-negative number`;
    for (const stream of ['stdout', 'stderr']) {
        if (!isString(field(r[stream], 'text')))
            return `result for ${JSON.stringify(r.id)}: ${stream} must carry text`;
    }
    return undefined;
}
/** Workers only report `started`; anything else in their progress is not theirs to say. */
function checkWorkerProgress(event) {
    const kind = field(event, 'kind');
    if (kind !== 'started')
        return `a worker may only report 'started' progress, got ${JSON.stringify(kind)}`;
    return checkJobRef(event.job);
}
/** Splits items into those that pass `check` and the problems of those that do not. */
function partition(items, check) {
    const good = [];
    const problems = [];
    for (const item of items) {
        const problem = check(item);
        if (problem)
            problems.push(problem);
        else
            good.push(item);
    }
    return { good, problems };
}

;// CONCATENATED MODULE: ./src/broker/outbox.ts
class RunnerOutbox {
    progressEvents = [];
    results = [];
    /** Batches made while no runner was connected, oldest first. */
    held = [];
    runner;
    scheduled;
    get connected() {
        return this.runner !== undefined;
    }
    /** Sends what was held to the new runner, then everything else as it comes. */
    attach(link) {
        this.runner = link;
        this.flush();
    }
    detach() {
        this.runner = undefined;
    }
    progress(event) {
        this.progressEvents.push(event);
        this.schedule();
    }
    result(result) {
        this.results.push(result);
        this.schedule();
    }
    /** Sends (or holds) the current batch now. */
    flush() {
        if (this.scheduled)
            clearImmediate(this.scheduled);
        this.scheduled = undefined;
        if (this.progressEvents.length > 0)
            this.held.push({ type: 'progress', events: this.progressEvents });
        if (this.results.length > 0)
            this.held.push({ type: 'result', results: this.results });
        this.progressEvents = [];
        this.results = [];
        if (!this.runner)
            return;
        for (const message of this.held)
            this.runner.send(message);
        this.held = [];
    }
    /** Stops the pending batch timer (what is pending stays until the next flush). */
    dispose() {
        if (this.scheduled)
            clearImmediate(this.scheduled);
        this.scheduled = undefined;
    }
    schedule() {
        // Everything produced in this turn of the event loop goes out in one message per kind.
        this.scheduled ??= setImmediate(() => this.flush());
    }
}

;// CONCATENATED MODULE: ./src/broker/broker.ts
/**
 * The broker: accepts links, feeds the scheduler, carries out its actions, and streams
 * results and progress to the runner. A misbehaving peer never takes it down: bad input gets
 * an `error` reply and is ignored (a link whose first message is not a valid hello is closed).
 */







const isHello = (value) => typeof value === 'object' && value !== null && value.type === 'hello';
class Broker {
    options;
    /** Resolves when the run is over (runner done, runner gone, or stop()); never rejects. */
    finished;
    resolveFinished;
    scheduler;
    outbox = new RunnerOutbox();
    workers = new Map();
    links = new Set();
    /** Every pending timer, cleared on stop. */
    timers = new Set();
    /** Tick and heartbeat timers, cleared when the run is over. */
    intervals = new Set();
    runner;
    runnerGrace;
    over = false;
    stopping;
    log;
    now;
    heartbeatMs;
    linksAccepted = 0;
    badLinks = 0;
    constructor(options) {
        this.options = options;
        this.finished = new Promise(resolve => (this.resolveFinished = resolve));
        this.log = options.log ?? silentLog;
        this.now = options.now ?? Date.now;
        this.heartbeatMs = options.heartbeatMs ?? 10_000;
        this.scheduler = new Scheduler({ heartbeatTimeoutMs: this.heartbeatMs, ...options.scheduler });
    }
    start() {
        this.options.listener.onLink(link => this.accept(link));
        this.every(this.options.tickMs ?? 500, () => this.tick());
        this.every(Math.max(50, Math.floor(this.heartbeatMs / 3)), () => {
            const beat = { type: 'heartbeat', at: this.now() };
            for (const link of this.workers.values())
                link.send(beat);
            this.runner?.send(beat);
        });
    }
    /** Feeds the scheduler a tick now; the broker's timer does this every `tickMs`. */
    tick() {
        this.feed({ type: 'tick', now: this.now() });
    }
    stats() {
        const snapshot = this.scheduler.snapshot();
        return {
            workers: this.workers.size,
            queued: snapshot.queued,
            running: snapshot.running,
            linksAccepted: this.linksAccepted,
            badLinks: this.badLinks
        };
    }
    /** Ends the run if it is not over (workers get `shutdown`), then closes every link and the listener. */
    stop(reason) {
        this.stopping ??= this.close(reason);
        return this.stopping;
    }
    async close(reason) {
        this.end({ ok: false, reason: `stopped before the run was over: ${reason}` });
        for (const timer of this.timers)
            clearTimeout(timer);
        this.timers.clear();
        this.outbox.flush();
        this.outbox.dispose();
        await Promise.all([...this.links].map(link => link.close().catch(() => undefined)));
        await this.options.listener.close().catch(() => undefined);
    }
    /** The run is over: workers are told to shut down and `finished` resolves. Idempotent. */
    end(outcome) {
        if (this.over)
            return;
        this.over = true;
        for (const timer of this.intervals)
            clearInterval(timer);
        clearTimeout(this.runnerGrace);
        this.log(outcome.ok ? 'info' : 'warning', `run over: ${outcome.reason}; shutting ${this.workers.size} worker(s) down`);
        for (const link of this.workers.values())
            link.send({ type: 'shutdown', reason: outcome.reason });
        this.outbox.flush();
        this.resolveFinished(outcome);
    }
    every(ms, run) {
        const timer = setInterval(() => this.guard('timer', run), ms);
        timer.unref();
        this.timers.add(timer);
        this.intervals.add(timer);
    }
    after(ms, run) {
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            this.guard('timer', run);
        }, ms);
        timer.unref();
        this.timers.add(timer);
        return timer;
    }
    /** Runs `work`; a thrown error is logged, never propagated (a peer must not crash us). */
    guard(what, work) {
        try {
            work();
        }
        catch (error) {
            this.log('error', `internal error while handling ${what}: ${errorMessage(error)}`);
        }
    }
    accept(link) {
        this.linksAccepted++;
        if (this.stopping) {
            void link.close();
            return;
        }
        this.links.add(link);
        let role = 'pending';
        let id = '';
        const helloMs = this.options.helloTimeoutMs ?? 30_000;
        const helloTimer = this.after(helloMs, () => {
            if (role !== 'pending')
                return;
            role = 'closed';
            this.reject(link, 'hello-timeout', `no hello within ${helloMs} ms`);
        });
        link.onMessage(raw => this.guard(`a message from ${link.peer}`, () => {
            if (role === 'closed')
                return;
            if (role === 'pending' && isHello(raw) && raw.version !== PROTOCOL_VERSION) {
                role = 'closed';
                const text = `protocol version mismatch: peer speaks ${JSON.stringify(raw.version)}, broker speaks ${PROTOCOL_VERSION}`;
                this.reject(link, 'version-mismatch', text);
                return;
            }
            let message;
            try {
                message = validateMessage(raw);
            }
            catch (error) {
                if (role === 'pending') {
                    role = 'closed';
                    clearTimeout(helloTimer);
                    this.reject(link, 'bad-message', errorMessage(error));
                }
                else {
                    this.complain(link, 'bad-message', errorMessage(error));
                }
                return;
            }
            if (role === 'pending') {
                clearTimeout(helloTimer);
                this.timers.delete(helloTimer);
                const joined = this.hello(link, message);
                role = joined?.role ?? 'closed';
                id = joined?.id ?? '';
            }
            else if (role === 'worker') {
                this.fromWorker(id, link, message);
            }
            else {
                this.fromRunner(link, message);
            }
        }));
        link.onClose(error => this.guard(`the close of ${link.peer}`, () => {
            clearTimeout(helloTimer);
            this.timers.delete(helloTimer);
            this.links.delete(link);
            if (error)
                this.log('warning', `link ${link.peer} (${id || 'no hello'}) failed: ${error.message}`);
            if (role === 'worker' && this.workers.get(id) === link) {
                const reason = error ? `its link failed: ${error.message}` : 'it disconnected';
                this.workerGone(id, reason);
                this.feed({ type: 'worker-left', now: this.now(), worker: id, reason });
            }
            if (role === 'runner' && this.runner === link)
                this.runnerLeft();
            role = 'closed';
        }));
    }
    /** Handles the first message of a link; returns the peer's role, or undefined if refused. */
    hello(link, message) {
        if (message.type !== 'hello') {
            this.reject(link, 'expected-hello', `the first message must be hello, got '${message.type}'`);
            return undefined;
        }
        const problem = checkHello(message);
        if (problem) {
            this.reject(link, 'bad-hello', `bad hello: ${problem}`);
            return undefined;
        }
        if (message.role === 'worker')
            return this.joinWorker(link, message);
        return this.joinRunner(link, message);
    }
    welcome(link) {
        link.send({
            type: 'welcome',
            version: PROTOCOL_VERSION,
            clusterId: this.options.clusterId,
            heartbeatMs: this.heartbeatMs
        });
    }
    joinWorker(link, hello) {
        if (this.over) {
            link.send({ type: 'shutdown', reason: 'the run is over' });
            void link.close();
            return undefined;
        }
        const previous = this.workers.get(hello.id);
        if (previous) {
            this.log('warning', `worker ${hello.id} connected again from ${link.peer}; dropping its old link`);
            void previous.close();
        }
        this.workers.set(hello.id, link);
        const slots = hello.slots ?? 1;
        const labels = hello.labels ?? [];
        this.welcome(link);
        this.log('info', `worker ${hello.id} joined from ${link.peer} with ${slots} slot(s)${labels.length ? ` [${labels.join(', ')}]` : ''}`);
        this.outbox.progress({ kind: 'worker-joined', worker: hello.id, slots, labels, at: this.now() });
        this.feed({ type: 'worker-joined', now: this.now(), worker: hello.id, slots, labels });
        return { role: 'worker', id: hello.id };
    }
    joinRunner(link, hello) {
        if (this.runner) {
            this.reject(link, 'runner-busy', 'another runner is already connected to this cluster');
            return undefined;
        }
        this.runner = link;
        clearTimeout(this.runnerGrace);
        this.timers.delete(this.runnerGrace);
        this.runnerGrace = undefined;
        this.welcome(link);
        this.log('info', `runner ${hello.id} connected from ${link.peer}`);
        this.outbox.attach(link);
        return { role: 'runner', id: hello.id };
    }
    runnerLeft() {
        this.runner = undefined;
        this.outbox.detach();
        if (this.over)
            return;
        const grace = this.options.runnerGraceMs ?? 120_000;
        this.log('warning', `the runner left before the run was over; waiting ${grace} ms for it to return`);
        this.runnerGrace = this.after(grace, () => {
            if (!this.runner)
                this.end({ ok: false, reason: `the runner left and did not return within ${grace} ms` });
        });
    }
    workerGone(id, reason) {
        this.workers.delete(id);
        this.log('info', `worker ${id} left: ${reason}`);
        this.outbox.progress({ kind: 'worker-left', worker: id, reason, at: this.now() });
    }
    fromWorker(id, link, message) {
        // A link replaced by a newer one for the same worker id speaks for nobody.
        if (this.workers.get(id) !== link)
            return;
        const now = this.now();
        this.feed({ type: 'heartbeat', now, worker: id });
        switch (message.type) {
            case 'heartbeat':
                break;
            case 'progress': {
                const { good, problems } = partition(message.events, checkWorkerProgress);
                this.problems(link, problems);
                for (const event of good) {
                    const job = { id: event.job.id, attempt: event.job.attempt };
                    // A stale start (the job moved on) would mislead the runner.
                    if (!this.scheduler.holds(id, job))
                        continue;
                    this.feed({ type: 'started', now, worker: id, job });
                    this.outbox.progress({
                        kind: 'started',
                        job,
                        worker: id,
                        at: typeof event.at === 'number' ? event.at : now
                    });
                }
                break;
            }
            case 'result': {
                const { good, problems } = partition(message.results, checkJobResult);
                this.problems(link, problems);
                for (const result of good)
                    this.feed({ type: 'result', now, result: { ...result, worker: id } });
                break;
            }
            case 'release': {
                const { good, problems } = partition(message.jobs, checkJobRef);
                this.problems(link, problems);
                const reason = typeof message.reason === 'string' ? message.reason : 'released';
                this.log('info', `worker ${id} released ${good.length} job(s) and takes no more: ${reason}`);
                this.feed({ type: 'released', now, worker: id, jobs: good, reason });
                break;
            }
            case 'error':
                this.log('warning', `worker ${id} reports ${message.code}: ${message.message}`);
                break;
            default:
                this.complain(link, 'unexpected', `a worker may not send '${message.type}'`);
        }
    }
    fromRunner(link, message) {
        const now = this.now();
        switch (message.type) {
            case 'submit': {
                const { good, problems } = partition(message.jobs, checkJobSpec);
                this.problems(link, problems);
                if (good.length > 0)
                    this.feed({ type: 'submitted', now, jobs: good });
                break;
            }
            case 'cancel': {
                const { good, problems } = partition(message.jobs, checkJobRef);
                this.problems(link, problems);
                const reason = typeof message.reason === 'string' ? message.reason : 'withdrawn by the runner';
                if (good.length > 0)
                    this.feed({ type: 'cancelled', now, jobs: good, reason });
                break;
            }
            case 'done':
                this.end({ ok: true, reason: 'the runner is done' });
                break;
            case 'heartbeat':
                break;
            case 'error':
                this.log('warning', `the runner reports ${message.code}: ${message.message}`);
                break;
            default:
                this.complain(link, 'unexpected', `a runner may not send '${message.type}'`);
        }
    }
    /** Refuses a link: says why, then closes it. */
    reject(link, code, message) {
        this.badLinks++;
        this.log('warning', `refusing ${link.peer}: ${message}`);
        link.send({ type: 'error', code, message });
        void link.close();
    }
    /** Tells a peer its message was ignored and why; the link stays open. */
    complain(link, code, message) {
        this.log('warning', `ignoring a message from ${link.peer}: ${message}`);
        link.send({ type: 'error', code, message });
    }
    problems(link, problems) {
        if (problems.length === 0)
            return;
        const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
        this.complain(link, 'bad-message', `ignored ${problems.length} item(s): ${problems.slice(0, 3).join('; ')}${more}`);
    }
    feed(event) {
        if (this.over)
            return;
        for (const action of this.scheduler.handle(event))
            this.act(action);
    }
    act(action) {
        switch (action.type) {
            case 'assign':
                this.workers.get(action.worker)?.send({ type: 'assign', jobs: action.jobs });
                break;
            case 'cancel':
                this.workers
                    .get(action.worker)
                    ?.send({ type: 'cancel', jobs: action.jobs, reason: action.reason });
                break;
            case 'drop-worker': {
                const link = this.workers.get(action.worker);
                this.workerGone(action.worker, action.reason);
                void link?.close();
                break;
            }
            case 'requeued':
                this.outbox.progress({
                    kind: 'requeued',
                    job: action.job,
                    worker: action.worker,
                    reason: action.reason,
                    at: this.now()
                });
                break;
            case 'finished':
                this.outbox.result(action.result);
                break;
        }
    }
}

;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: ./src/transport/host-port.ts
/** `host:port` addresses as the TCP transport and the CLI take them. */


/**
 * Splits `host:port` (an IPv6 host in brackets: `[::1]:7700`). Port 0 means "any free port"
 * when listening. Throws a UsageError naming the value and the expected form.
 */
function parseHostPort(address) {
    const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address.trim());
    const port = match ? Number(match[3]) : NaN;
    const host = match ? (match[1] ?? match[2] ?? '') : '';
    const bracketed = match?.[1] !== undefined;
    if (!match || port > 65535 || (bracketed && (0,external_node_net_namespaceObject.isIP)(host) !== 6)) {
        throw new UsageError(`'${address}' is not a TCP address; expected HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:7700 or [::1]:7700`);
    }
    return { host, port };
}
/** The inverse of parseHostPort: brackets an IPv6 host. */
function formatHostPort(host, port) {
    return `${(0,external_node_net_namespaceObject.isIP)(host) === 6 ? `[${host}]` : host}:${port}`;
}

;// CONCATENATED MODULE: ./src/protocol/framing.ts
/**
 * Length-prefixed, versioned frames: [u32 BE length N][u8 version][u8 kind][N−2 payload bytes].
 * N counts the version and kind bytes, so an empty frame has N = 2. TCP carries message frames
 * only; the artifact transport also uses the control kinds.
 */


const FRAME_VERSION = 1;
/** What a frame carries. */
const FrameKind = { message: 0, keepalive: 1, shutdown: 2, nextSegment: 3 };
/** Frames larger than this (the length field, header included) are refused by default. */
const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
const knownKinds = new Set(Object.values(FrameKind));
const kindNames = new Map(Object.entries(FrameKind).map(([k, v]) => [v, k]));
/** Length prefix, version, kind. */
const HEADER_BYTES = 6;
// Fatal, so a payload that is not UTF-8 is refused instead of turned into U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** One frame's bytes. `kind` must be a byte; the decoder refuses kinds it does not know. */
function encodeFrame(kind, payload = Buffer.alloc(0)) {
    if (!Number.isInteger(kind) || kind < 0 || kind > 255) {
        throw new RangeError(`frame kind must be a byte, got ${kind}`);
    }
    const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
    frame.writeUInt32BE(payload.length + 2, 0);
    frame.writeUInt8(FRAME_VERSION, 4);
    frame.writeUInt8(kind, 5);
    payload.copy(frame, HEADER_BYTES);
    return frame;
}
/** A message frame: the message as UTF-8 JSON. */
function encodeMessage(message) {
    return encodeFrame(FrameKind.message, Buffer.from(JSON.stringify(message), 'utf8'));
}
/** The message a message frame carries; ProtocolError on a wrong kind, bad JSON or a bad message. */
function decodeMessage(frame) {
    if (frame.kind !== FrameKind.message) {
        throw new ProtocolError(`expected a message frame, got a ${describeKind(frame.kind)} frame`);
    }
    let value;
    try {
        value = JSON.parse(utf8.decode(frame.payload));
    }
    catch (error) {
        throw new ProtocolError(`a message frame is not valid UTF-8 JSON: ${error.message}`);
    }
    return validateMessage(value);
}
/** `keepalive`, `shutdown`… or `kind 9` for kinds without a name. */
function describeKind(kind) {
    return kindNames.get(kind) ?? `kind ${kind}`;
}
/**
 * Turns a byte stream back into frames. Bytes may arrive split anywhere; partial frames stay
 * buffered until complete. Once it has thrown, the stream is out of step for good, so every
 * later push throws the same error.
 */
class FrameDecoder {
    maxFrameBytes;
    /** Pending bytes, oldest first; joined only when a frame is complete (no quadratic copying). */
    chunks = [];
    size = 0;
    failure;
    constructor(options = {}) {
        this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    }
    /** Bytes held of an incomplete frame. */
    get buffered() {
        return this.size;
    }
    /** Appends bytes; returns every complete frame. Throws ProtocolError on bad bytes. */
    push(chunk) {
        if (this.failure)
            throw this.failure;
        if (chunk.length > 0) {
            this.chunks.push(chunk);
            this.size += chunk.length;
        }
        try {
            return this.drain();
        }
        catch (error) {
            this.failure = error;
            this.chunks = [];
            this.size = 0;
            throw error;
        }
    }
    drain() {
        const frames = [];
        while (this.size >= 4) {
            const length = this.peek(4).readUInt32BE(0);
            if (length < 2) {
                throw new ProtocolError(`frame length ${length} is too short for a frame header (at least 2)`);
            }
            if (length > this.maxFrameBytes) {
                throw new ProtocolError(`frame of ${length} bytes exceeds the ${this.maxFrameBytes}-byte limit`);
            }
            // Check the header as soon as it is here, so garbage fails without waiting for a "payload".
            if (this.size >= HEADER_BYTES)
                checkHeader(this.peek(HEADER_BYTES));
            if (this.size < 4 + length)
                break;
            const bytes = this.consume(4 + length);
            frames.push({ kind: bytes.readUInt8(5), payload: bytes.subarray(HEADER_BYTES) });
        }
        return frames;
    }
    /** The first `n` bytes (n ≤ size) without consuming them. */
    peek(n) {
        this.gather(n);
        return this.chunks[0].subarray(0, n);
    }
    /** Removes and returns the first `n` bytes (n ≤ size). */
    consume(n) {
        this.gather(n);
        const head = this.chunks[0];
        if (head.length === n)
            this.chunks.shift();
        else
            this.chunks[0] = head.subarray(n);
        this.size -= n;
        return head.subarray(0, n);
    }
    /** Makes the first chunk at least `n` bytes long, joining as few chunks as needed. */
    gather(n) {
        const first = this.chunks[0];
        if (first.length >= n)
            return;
        let count = 0;
        let got = 0;
        while (got < n)
            got += this.chunks[count++].length;
        const joined = Buffer.concat(this.chunks.slice(0, count), got);
        this.chunks.splice(0, count, joined);
    }
}
function checkHeader(header) {
    const version = header.readUInt8(4);
    if (version !== FRAME_VERSION) {
        throw new ProtocolError(`unknown frame version ${version} (this side speaks ${FRAME_VERSION})`);
    }
    const kind = header.readUInt8(5);
    if (!knownKinds.has(kind))
        throw new ProtocolError(`unknown frame kind ${kind}`);
}

;// CONCATENATED MODULE: ./src/transport/tcp-link.ts


/** How long close() waits for the peer to close its side before dropping the socket. */
const CLOSE_GRACE_MS = 2000;
class TcpLink {
    socket;
    peer;
    handler;
    held = [];
    closeHandlers = [];
    /** open → closing (close() called, flushing) → closed (handlers fired). */
    state = 'open';
    closeError;
    decoder = new FrameDecoder();
    socketClosed;
    constructor(socket, peer) {
        this.socket = socket;
        this.peer = peer;
        socket.setNoDelay(true);
        socket.on('data', (chunk) => this.receive(chunk));
        // The peer is done (every 'data' came before this). Finishing now, not at 'close', keeps a
        // send() in between from writing after the end and turning a clean close into an error.
        socket.on('end', () => {
            const held = this.decoder.buffered;
            this.finish(held > 0
                ? new ProtocolError(`${peer} closed the connection in the middle of a frame (${held} bytes held)`)
                : undefined);
        });
        socket.on('error', error => this.finish(error));
        this.socketClosed = new Promise(resolve => socket.once('close', () => {
            this.finish();
            resolve();
        }));
    }
    send(message) {
        if (this.state !== 'open')
            return;
        const frame = encodeMessage(message);
        if (frame.length - 4 > DEFAULT_MAX_FRAME_BYTES) {
            // The peer would refuse it and close the link; failing here names the culprit.
            this.fail(new ProtocolError(`cannot send a '${message.type}' message of ${frame.length - 4} bytes to ${this.peer}: frames are limited to ${DEFAULT_MAX_FRAME_BYTES} bytes`));
            return;
        }
        this.socket.write(frame);
    }
    onMessage(handler) {
        this.handler = handler;
        const held = this.held;
        this.held = [];
        for (const message of held)
            handler(message);
    }
    onClose(handler) {
        if (this.state === 'closed')
            queueMicrotask(() => handler(this.closeError));
        else
            this.closeHandlers.push(handler);
    }
    async close() {
        if (this.state === 'open') {
            this.state = 'closing';
            // end() sends what is queued, then FIN; the socket closes once the peer ends too.
            this.socket.end();
            this.destroyLater();
        }
        await this.socketClosed;
    }
    receive(chunk) {
        if (this.state !== 'open')
            return;
        let frames;
        try {
            frames = this.decoder.push(chunk);
        }
        catch (error) {
            this.fail(error);
            return;
        }
        for (const frame of frames) {
            let message;
            try {
                message = decodeMessage(frame);
            }
            catch (error) {
                this.fail(error);
                return;
            }
            if (this.handler)
                this.handler(message);
            else
                this.held.push(message);
            // A handler may have closed the link: later messages are not for it.
            if (this.state !== 'open')
                return;
        }
    }
    /** The peer spoke something we cannot accept: tell it why (best effort), then hang up. */
    fail(error) {
        if (this.state === 'closed')
            return;
        if (this.state === 'open' && error instanceof ProtocolError) {
            this.socket.write(encodeMessage({ type: 'error', code: 'protocol', message: error.message }));
        }
        this.finish(error);
        this.socket.end();
        this.destroyLater();
    }
    destroyLater() {
        // A peer that never closes its side must not hold the socket (or close()) forever.
        const timer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
        timer.unref();
        this.socket.once('close', () => clearTimeout(timer));
    }
    finish(error) {
        if (this.state === 'closed')
            return;
        this.state = 'closed';
        this.closeError = error;
        const handlers = this.closeHandlers;
        this.closeHandlers = [];
        for (const handler of handlers)
            handler(error);
    }
}

;// CONCATENATED MODULE: ./src/transport/tcp.ts
/** Links over TCP: one socket per link, message frames both ways. The embedded default. */






/** Default limit for connect(), ms. */
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
class TcpListener {
    server;
    address;
    handler;
    held = [];
    closed = false;
    constructor(server, address) {
        this.server = server;
        this.address = address;
        server.on('connection', (socket) => {
            const link = new TcpLink(socket, formatHostPort(socket.remoteAddress ?? '?', socket.remotePort ?? 0));
            if (this.handler)
                this.handler(link);
            else
                this.held.push(link);
        });
        // Accept failures (e.g. out of file descriptors) are passing; without a listener they would
        // crash the process. Links already accepted report their own errors.
        server.on('error', () => undefined);
    }
    onLink(handler) {
        this.handler = handler;
        const held = this.held;
        this.held = [];
        for (const link of held)
            handler(link);
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        // server.close() stops accepting at once; its callback would wait for every accepted link to
        // close, which is not what closing a listener means here.
        this.server.close();
    }
}
/** TCP on `host:port` addresses. Links and listeners follow the contract in link.ts. */
class TcpTransport {
    name = 'tcp';
    /** Listens on `host:port` (default `127.0.0.1:0`); the listener's address has the real port. */
    async listen(address = '127.0.0.1:0') {
        const { host, port } = parseHostPort(address);
        return await new Promise((resolve, reject) => {
            const server = (0,external_node_net_namespaceObject.createServer)();
            server.once('error', error => reject(new ClusterError(`cannot listen on ${address}: ${error.message}`)));
            server.listen(port, host, () => {
                server.removeAllListeners('error');
                const bound = server.address();
                const actual = typeof bound === 'object' && bound !== null ? bound.port : port;
                resolve(new TcpListener(server, formatHostPort(host, actual)));
            });
        });
    }
    /** Connects to `host:port`; ClusterError naming the address when it cannot within the limit. */
    async connect(address, options = {}) {
        const { host, port } = parseHostPort(address);
        const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
        return await new Promise((resolve, reject) => {
            const socket = (0,external_node_net_namespaceObject.createConnection)({ host, port });
            const timer = setTimeout(() => {
                socket.destroy();
                reject(new ClusterError(`cannot reach broker at ${address}: no connection within ${timeoutMs} ms`));
            }, timeoutMs);
            socket.once('error', (error) => {
                clearTimeout(timer);
                const reason = error.syscall && error.code ? `${error.syscall} ${error.code}` : error.message;
                reject(new ClusterError(`cannot reach broker at ${address}: ${reason}`));
            });
            socket.once('connect', () => {
                clearTimeout(timer);
                socket.removeAllListeners('error');
                resolve(new TcpLink(socket, address));
            });
        });
    }
}

;// CONCATENATED MODULE: ./src/cli/parse.ts
/** Parsers for CLI option values: each names the option, the value and what was expected. */

function positiveInt(option) {
    return (value) => {
        const n = Number(value);
        if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
            throw new UsageError(`${option}: '${value}' is not a whole number of at least 1`);
        }
        return n;
    };
}
function nonNegativeInt(option) {
    return (value) => {
        const n = Number(value);
        if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
            throw new UsageError(`${option}: '${value}' is not a whole number of 0 or more`);
        }
        return n;
    };
}
/** Seconds as a positive number (fractions allowed), returned in milliseconds. */
function secondsToMs(option) {
    return (value) => {
        const n = Number(value);
        if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
            throw new UsageError(`${option}: '${value}' is not a positive number of seconds`);
        }
        return Math.round(n * 1000);
    };
}
/**
 * A duration such as `90`, `90s`, `45m`, `5h30m`; returned in milliseconds. Plain numbers are
 * seconds.
 */
function durationToMs(option) {
    return (value) => {
        const text = value.trim();
        if (/^\d+(\.\d+)?$/.test(text))
            return secondsToMs(option)(text);
        const re = /(\d+(?:\.\d+)?)(h|m|s)/gy;
        let total = 0;
        let consumed = 0;
        for (let match = re.exec(text); match; match = re.exec(text)) {
            const unit = match[2] === 'h' ? 3_600_000 : match[2] === 'm' ? 60_000 : 1000;
            total += Number(match[1]) * unit;
            consumed = re.lastIndex;
        }
        if (text === '' || consumed !== text.length || total <= 0) {
            throw new UsageError(`${option}: '${value}' is not a duration; expected e.g. 90, 90s, 45m or 5h30m`);
        }
        return Math.round(total);
    };
}
/** Comma-separated labels: letters, digits, `-`, `_`, `.`, `:`, `=`. */
function labelList(option) {
    return (value) => {
        const labels = value
            .split(',')
            .map(s => s.trim())
            .filter(s => s !== '');
        for (const label of labels) {
            if (!/^[A-Za-z0-9_.:=-]+$/.test(label)) {
                throw new UsageError(`${option}: label '${label}' has characters other than letters, digits and - _ . : =`);
            }
        }
        return [...new Set(labels)];
    };
}
/** `host:port` with a port from 1 to 65535. */
function hostPort(option) {
    return (value) => {
        const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(value.trim());
        const port = match ? Number(match[2]) : NaN;
        if (!match || port < 1 || port > 65535) {
            throw new UsageError(`${option}: '${value}' is not an address; expected HOST:PORT, e.g. 127.0.0.1:7700`);
        }
        return value.trim();
    };
}

;// CONCATENATED MODULE: ./src/cli/broker-command.ts
/** `squall broker`: the broker on its own, for self-hosted machines and the local cluster. */







function brokerCommand(setExit) {
    return new Command('broker')
        .description('Run a broker that workers and one runner connect to over TCP.')
        .option('--host <host>', 'address to listen on', '127.0.0.1')
        .option('--port <port>', 'port to listen on (0: any free port)', nonNegativeInt('--port'), 7700)
        .option('--cluster-id <id>', 'name of this cluster (default: random)')
        .option('--heartbeat <seconds>', 'a peer silent this long is gone', secondsToMs('--heartbeat'), 30_000)
        .option('--announce', 'print {"squall":"listening",…} on stdout when ready', false)
        .option('--log-level <level>', 'debug, info, warning or error', v => parseLogLevel(v), 'info')
        .action(async (flags) => {
        setExit(await runBroker(flags));
    });
}
async function runBroker(flags) {
    const log = streamLog(process.stderr, 'broker', flags.logLevel);
    const clusterId = flags.clusterId ?? `c-${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}`;
    const listener = await new TcpTransport().listen(`${flags.host}:${flags.port}`);
    const broker = new Broker({
        listener,
        clusterId,
        heartbeatMs: flags.heartbeat,
        scheduler: { heartbeatTimeoutMs: flags.heartbeat },
        log
    });
    broker.start();
    log('info', `cluster ${clusterId} listening on ${listener.address}`);
    if (flags.announce) {
        process.stdout.write(`${JSON.stringify({ squall: 'listening', address: listener.address, clusterId })}\n`);
    }
    const stop = (signal) => {
        log('info', `${signal}: stopping`);
        void broker.stop(`broker received ${signal}`);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    const outcome = await broker.finished;
    await broker.stop(outcome.reason);
    log(outcome.ok ? 'info' : 'error', `finished: ${outcome.reason}`);
    return outcome.ok ? ExitCode.ok : ExitCode.cluster;
}

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./src/frameworks/registry.ts
/** Every framework the runner and worker know, by name. */

const frameworks = new Map();
/** Adds a framework; called once per framework module below. */
function registerFramework(framework) {
    frameworks.set(framework.name, framework);
}
function frameworkNames() {
    return [...frameworks.keys()].sort();
}
/** The framework called `name`, or a UsageError naming the known ones. */
function getFramework(name) {
    const found = frameworks.get(name);
    if (!found) {
        throw new UsageError(`--framework: unknown framework '${name}'; expected one of: ${frameworkNames().join(', ')}`);
    }
    return found;
}

;// CONCATENATED MODULE: ./src/frameworks/commands.ts
/**
 * The `commands` framework: arbitrary shell commands as tests, from a JSON array or a text
 * file with one command per line. One job per command; no per-test results (no `parse`).
 */





const FIELDS = ['name', 'command', 'argv', 'timeout', 'labels', 'env', 'cwd'];
const MAX_SLUG = 60;
/**
 * Parses a jobs file's text. JSON when the first non-space character is `[`, else one shell
 * command per line (blank lines and `#` comments skipped). `file` appears in error messages.
 */
function parseJobsFile(text, file) {
    const json = text.trimStart().startsWith('[');
    const jobs = json ? parseJson(text, file) : parseLines(text);
    const seen = new Map();
    for (const { job, where } of jobs) {
        const before = seen.get(job.name);
        if (before !== undefined) {
            const what = json ? 'name' : 'command';
            throw new UsageError(`${file}: ${before} and ${where} have the same ${what} ${JSON.stringify(job.name)}; ` +
                `each ${what} must be unique`);
        }
        seen.set(job.name, where);
    }
    return jobs.map(j => j.job);
}
/** Test items for parsed jobs: ids are unique slugs of the names, stable across runs. */
function commandItems(jobs) {
    const ids = uniqueIds(jobs.map(j => j.name));
    return jobs.map((job, i) => {
        const data = {};
        if (job.command !== undefined)
            data.command = job.command;
        if (job.argv !== undefined)
            data.argv = job.argv;
        if (job.timeout !== undefined)
            data.timeoutMs = Math.round(job.timeout * 1000);
        if (job.env !== undefined)
            data.env = job.env;
        if (job.cwd !== undefined)
            data.cwd = job.cwd;
        return {
            id: ids[i],
            name: job.name,
            ...(job.labels !== undefined ? { labels: job.labels } : {}),
            data
        };
    });
}
/**
 * Lower-case ASCII words joined by dashes. The first name to claim a slug keeps it; a later
 * name with the same slug gets a suffix hashed from the name itself, so adding or moving
 * jobs does not change the ids (and timing history) of the others.
 */
function uniqueIds(names) {
    const taken = new Set();
    return names.map(name => {
        let id = slug(name);
        for (let length = 6; taken.has(id); length += 2)
            id = `${slug(name)}-${hash(name, length)}`;
        taken.add(id);
        return id;
    });
}
/** A readable id for a name; a cut or empty slug carries a hash of the name so it stays unique. */
function slug(name) {
    const words = name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    if (words === '')
        return `job-${hash(name, 8)}`;
    if (words.length <= MAX_SLUG)
        return words;
    return `${words.slice(0, MAX_SLUG).replace(/-+$/, '')}-${hash(name, 8)}`;
}
function hash(text, length) {
    return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(text).digest('hex').slice(0, length);
}
function parseLines(text) {
    const out = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        out.push({ job: { name: line, command: line }, where: `line ${index + 1}` });
    });
    return out;
}
function parseJson(text, file) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw new UsageError(`${file}: not valid JSON: ${error.message}`);
    }
    if (!Array.isArray(value)) {
        throw new UsageError(`${file}: expected a JSON array of jobs, got ${commands_describe(value)}`);
    }
    return value.map((entry, index) => ({
        job: parseEntry(entry, file, index),
        where: `jobs[${index}]`
    }));
}
function parseEntry(entry, file, index) {
    // `got` is already in words: describe(value), or a phrase such as "neither".
    const fail = (field, expected, got, name) => {
        const who = name === undefined ? '' : ` (${JSON.stringify(name)})`;
        throw new UsageError(`${file}: jobs[${index}]${who}: ${field}: expected ${expected}, got ${got}`);
    };
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        return fail('entry', 'an object with "name" and "command" or "argv"', commands_describe(entry));
    }
    const e = entry;
    const name = typeof e.name === 'string' && e.name.trim() !== '' ? e.name : undefined;
    for (const field of Object.keys(e)) {
        if (!FIELDS.includes(field))
            fail(field, `one of the fields ${FIELDS.join(', ')}`, 'an unknown field', name);
    }
    if (name === undefined)
        return fail('name', 'a non-empty string', commands_describe(e.name));
    const job = { name };
    if ((e.command === undefined) === (e.argv === undefined)) {
        fail('command/argv', 'exactly one of "command" (a string) and "argv" (an array of strings)', e.command === undefined ? 'neither' : 'both', name);
    }
    if (e.command !== undefined) {
        if (typeof e.command !== 'string' || e.command.trim() === '') {
            fail('command', 'a non-empty string', commands_describe(e.command), name);
        }
        job.command = e.command;
    }
    if (e.argv !== undefined) {
        if (!commands_isStrings(e.argv) || e.argv.length === 0 || e.argv[0] === '') {
            fail('argv', 'a non-empty array of strings (program first)', commands_describe(e.argv), name);
        }
        job.argv = e.argv;
    }
    if (e.timeout !== undefined) {
        if (typeof e.timeout !== 'number' || !Number.isFinite(e.timeout) || e.timeout <= 0) {
            fail('timeout', 'a positive number of seconds', commands_describe(e.timeout), name);
        }
        job.timeout = e.timeout;
    }
    if (e.labels !== undefined) {
        if (!commands_isStrings(e.labels) || e.labels.some(l => l.trim() === '')) {
            fail('labels', 'an array of non-empty strings', commands_describe(e.labels), name);
        }
        job.labels = e.labels;
    }
    if (e.env !== undefined) {
        const env = e.env;
        if (typeof env !== 'object' || env === null || Array.isArray(env)) {
            fail('env', 'an object of string values', commands_describe(env), name);
        }
        for (const [key, v] of Object.entries(env)) {
            if (typeof v !== 'string')
                fail(`env.${key}`, 'a string', commands_describe(v), name);
        }
        job.env = env;
    }
    if (e.cwd !== undefined) {
        if (typeof e.cwd !== 'string' || e.cwd === '')
            fail('cwd', 'a non-empty string', commands_describe(e.cwd), name);
        job.cwd = e.cwd;
    }
    return job;
}
function commands_isStrings(value) {
    return Array.isArray(value) && value.every(v => typeof v === 'string');
}
function commands_describe(value) {
    if (value === undefined)
        return 'nothing';
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return `an array ${truncate(JSON.stringify(value))}`;
    if (typeof value === 'object')
        return 'an object';
    return `${typeof value} ${truncate(JSON.stringify(value))}`;
}
function truncate(text) {
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
/** The framework itself. */
const commandsFramework = {
    name: 'commands',
    async list(options) {
        if (!options.jobsFile)
            throw new UsageError('--jobs is required for the commands framework');
        const path = (0,external_node_path_.resolve)(options.cwd, options.jobsFile);
        let text;
        try {
            text = await (0,promises_namespaceObject.readFile)(path, 'utf8');
        }
        catch (error) {
            const reason = error.code ?? error.message;
            throw new UsageError(`--jobs: cannot read '${options.jobsFile}' (${reason}); expected a jobs file`);
        }
        return commandItems(parseJobsFile(text, options.jobsFile));
    },
    plan(items, options) {
        return items.map(item => {
            const data = (item.data ?? {});
            const job = {
                id: item.id,
                name: item.name,
                timeoutMs: data.timeoutMs ?? options.timeoutMs,
                labels: item.labels ?? [],
                attempt: 1,
                layers: [],
                framework: { name: 'commands', tests: [item.id] }
            };
            if (data.argv !== undefined)
                job.argv = data.argv;
            else
                job.command = data.command;
            if (data.env !== undefined)
                job.env = data.env;
            if (data.cwd !== undefined)
                job.cwd = data.cwd;
            const expected = options.timings.get(item.id);
            if (expected !== undefined)
                job.expectedMs = expected;
            if (options.failedBefore.has(item.id))
                job.failedBefore = true;
            return job;
        });
    }
};
registerFramework(commandsFramework);

;// CONCATENATED MODULE: ./src/frameworks/js-args.ts
/**
 * Splits the arguments a user passes through to jest or vitest into options and positional
 * filters. Listing uses them all; a job must run exactly its own files, so it keeps the
 * options and drops the filters (which would otherwise add files to every job). The split
 * follows each tool's own parser: which flags take a value, and which take several.
 */
/** Splits `args` the way the tool described by `grammar` would read them. */
function splitArgs(args, grammar) {
    const options = [];
    const positionals = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === '--') {
            positionals.push(...args.slice(i + 1));
            break;
        }
        if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
            positionals.push(arg);
            continue;
        }
        const name = flagName(arg, grammar);
        const words = [arg];
        if (!arg.includes('=') && !name.startsWith('no-')) {
            const next = () => args[i + 1];
            const isFlag = (word) => word === undefined || (word.startsWith('-') && word !== '-' && !/^-\d/.test(word));
            if (grammar.arrays.has(name)) {
                while (!isFlag(next()))
                    words.push(args[++i]);
            }
            else if (grammar.values.has(name)) {
                if (next() !== undefined && next() !== '--')
                    words.push(args[++i]);
            }
            else if (grammar.optionalValues.has(name) && !isFlag(next())) {
                words.push(args[++i]);
            }
        }
        options.push({ name, words });
    }
    return { options, positionals };
}
/** The canonical name of a flag: aliases resolved, kebab-case turned camelCase, `=…` cut. */
function flagName(arg, grammar) {
    const bare = arg.replace(/^--?/, '').split('=')[0];
    if (!arg.startsWith('--'))
        return grammar.aliases[bare] ?? bare;
    if (bare.startsWith('no-'))
        return `no-${camel(bare.slice(3))}`;
    return camel(bare);
}
/** Every option's words, flattened, leaving out those named in `drop`. */
function optionWords(options, drop) {
    return options.filter(o => !drop.has(o.name.replace(/^no-/, ''))).flatMap(o => o.words);
}
/** True when any option's canonical name (negations included) is in `names`. */
function hasOption(options, names) {
    return options.some(o => names.includes(o.name.replace(/^no-/, '')));
}
function camel(name) {
    return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}
const set = (words) => new Set(words.split(/\s+/).filter(Boolean));
/** jest 30's command line (from jest-cli's own option table). */
const jestGrammar = {
    values: set(`
    cacheDirectory changedSince collectCoverageFrom config coverageDirectory coverageThreshold
    filter globalSetup globalTeardown globals haste maxWorkers moduleNameMapper outputFile preset
    prettierPath resolver rootDir runner shard testEnvironment env testEnvironmentOptions
    testFailureExitCode testNamePattern testResultsProcessor testRunner testSequencer transform
    maxConcurrency openHandlesTimeout seed testTimeout workerGracefulExitTimeout
    coverageProvider notifyMode workerIdleMemoryLimit`),
    optionalValues: set(''),
    arrays: set(`
    coveragePathIgnorePatterns coverageReporters ignoreProjects moduleDirectories
    moduleFileExtensions modulePathIgnorePatterns modulePaths projects reporters roots
    selectProjects setupFiles setupFilesAfterEnv snapshotSerializers testMatch
    testPathIgnorePatterns testPathPatterns testRegex transformIgnorePatterns
    unmockedModulePathPatterns watchPathIgnorePatterns`),
    aliases: {
        c: 'config',
        w: 'maxWorkers',
        t: 'testNamePattern',
        b: 'bail',
        e: 'expand',
        i: 'runInBand',
        o: 'onlyChanged',
        f: 'onlyFailures',
        u: 'updateSnapshot'
    }
};
/** vitest 3's command line (options declared with `<value>` or `[value]`). */
const vitestGrammar = {
    values: set(`
    root config testNamePattern dir reporter outputFile outputFile.json outputFile.junit
    outputFile.html coverage.provider coverage.include coverage.exclude coverage.extension
    coverage.reportsDirectory coverage.reporter coverage.thresholds.lines
    coverage.thresholds.functions coverage.thresholds.branches coverage.thresholds.statements
    coverage.ignoreClassMethods coverage.processingConcurrency coverage.customProviderModule
    coverage.watermarks.statements coverage.watermarks.lines coverage.watermarks.branches
    coverage.watermarks.functions mode workspace browser browser.name browser.provider
    browser.providerOptions browser.connectTimeout pool poolOptions poolOptions.threads
    poolOptions.threads.maxThreads poolOptions.threads.minThreads poolOptions.vmThreads
    poolOptions.vmThreads.maxThreads poolOptions.vmThreads.minThreads
    poolOptions.vmThreads.memoryLimit poolOptions.forks poolOptions.forks.maxForks
    poolOptions.forks.minForks poolOptions.vmForks poolOptions.vmForks.maxForks
    poolOptions.vmForks.minForks poolOptions.vmForks.memoryLimit maxWorkers minWorkers
    environment shard sequence sequence.seed sequence.hooks sequence.setupFiles testTimeout
    hookTimeout bail retry diff diff.aAnnotation diff.aIndicator diff.bAnnotation
    diff.bIndicator diff.commonIndicator diff.contextLines diff.emptyFirstOrLastLinePlaceholder
    diff.maxDepth diff.truncateThreshold diff.truncateAnnotation exclude typecheck.checker
    typecheck.tsconfig typecheck.spawnTimeout project slowTestThreshold teardownTimeout
    maxConcurrency expect.poll.interval expect.poll.timeout attachmentsDir configLoader
    compare outputJson`),
    optionalValues: set(`
    api api.port api.host silent changed inspect inspectBrk mergeReports json browser.api
    browser.api.port browser.api.host`),
    arrays: set(''),
    aliases: { r: 'root', c: 'config', t: 'testNamePattern', u: 'update', w: 'watch' }
};

;// CONCATENATED MODULE: ./src/frameworks/js-report.ts
/**
 * Reads the JSON report jest writes (and vitest's json reporter, which copies its shape) into
 * per-test results. Never throws: a missing or broken report gives undefined, and a file that
 * is planned but absent from a report becomes an error case so it cannot vanish.
 */

/** Reads and parses a report file; undefined when absent or not a report. */
async function readReport(path) {
    let text;
    try {
        text = await (0,promises_namespaceObject.readFile)(path, 'utf8');
    }
    catch {
        return undefined;
    }
    try {
        const value = JSON.parse(text);
        return Array.isArray(value.testResults) ? value.testResults : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Test results for the planned `files` (ids relative to the suite root) from a report's
 * entries, whose names are absolute paths on the machine that ran them.
 */
function casesFromReport(entries, files) {
    const cases = [];
    const seen = new Set();
    for (const entry of entries) {
        const path = typeof entry.name === 'string' ? entry.name.replace(/\\/g, '/') : '';
        const file = matchFile(path, files);
        seen.add(file);
        const assertions = Array.isArray(entry.assertionResults)
            ? entry.assertionResults
            : [];
        const ids = new Map();
        let anyFailed = false;
        for (const a of assertions) {
            const result = caseOf(a, file, path);
            // Two tests with the same full name in one file still need distinct ids.
            const n = (ids.get(result.id) ?? 0) + 1;
            ids.set(result.id, n);
            if (n > 1)
                result.id = `${result.id} (${n})`;
            if (result.status === 'failed')
                anyFailed = true;
            cases.push(result);
        }
        const message = stripAnsi(js_report_text(entry.message)).trim();
        if (entry.status === 'failed' && !anyFailed) {
            // The file failed on its own: it did not load, had no tests, or a hook outside tests threw.
            cases.push({
                id: file,
                name: file,
                suite: file,
                file,
                ...lineOf(message, file, path),
                status: 'error',
                durationMs: 0,
                message: firstLine(message) ?? 'the test file failed outside its tests',
                ...(message ? { output: message } : {})
            });
        }
    }
    for (const file of files) {
        if (seen.has(file))
            continue;
        cases.push({
            id: file,
            name: file,
            suite: file,
            file,
            status: 'error',
            durationMs: 0,
            message: `${file} was planned in this job but is missing from the report`
        });
    }
    return cases;
}
function caseOf(a, file, path) {
    const name = fullName(a);
    const status = statusOf(a.status);
    const failures = Array.isArray(a.failureMessages)
        ? a.failureMessages.map(m => stripAnsi(js_report_text(m)).trimEnd()).filter(m => m !== '')
        : [];
    const output = failures.join('\n\n');
    const declared = typeof a.location?.line === 'number' ? a.location.line : undefined;
    // For a failure, the line of the failing expectation beats the line the test starts on.
    const failedAt = status === 'failed' ? lineOf(output, file, path).line : undefined;
    const line = failedAt ?? declared;
    const duration = typeof a.duration === 'number' && a.duration >= 0 ? Math.round(a.duration) : 0;
    return {
        id: `${file}::${name}`,
        name,
        suite: file,
        file,
        ...(line !== undefined ? { line } : {}),
        status,
        durationMs: duration,
        ...(status === 'failed' ? { message: firstLine(output) ?? 'failed' } : {}),
        ...(output ? { output } : {})
    };
}
function fullName(a) {
    if (typeof a.fullName === 'string' && a.fullName !== '')
        return a.fullName;
    const ancestors = Array.isArray(a.ancestorTitles) ? a.ancestorTitles.map(js_report_text) : [];
    return [...ancestors, js_report_text(a.title)].filter(t => t !== '').join(' ');
}
function statusOf(status) {
    if (status === 'passed')
        return 'passed';
    if (status === 'failed')
        return 'failed';
    // pending, skipped, todo, disabled, focused-out: the test did not run.
    return 'skipped';
}
/**
 * The planned file a report path names: the longest id the path ends with, since paths are
 * absolute on the worker (and may go through symlinks) while ids are relative.
 */
function matchFile(path, files) {
    const found = files
        .filter(f => path === f || path.endsWith(`/${f}`))
        .sort((a, b) => b.length - a.length)[0];
    return found ?? path;
}
/** The line of the first stack frame in `file`, if any. */
function lineOf(message, file, path) {
    const frame = /(?:\(|\s|^)(?:file:\/\/)?([^\s()]+?):(\d+):(\d+)\)?\s*$/;
    for (const raw of message.split('\n')) {
        const m = frame.exec(raw.trim().replace(/\\/g, '/'));
        if (!m)
            continue;
        const where = m[1];
        if (where === path || where === file || where.endsWith(`/${file}`))
            return { line: Number(m[2]) };
    }
    return {};
}
/** Removes terminal colour and cursor codes. */
function stripAnsi(value) {
    // eslint-disable-next-line no-control-regex -- matching escape codes is the point
    return value.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}
function firstLine(value) {
    return value
        .split('\n')
        .map(l => l.trim())
        .find(l => l !== '' && !/^●/.test(l));
}
function js_report_text(value) {
    return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(421);
;// CONCATENATED MODULE: ./src/frameworks/batching.ts
/**
 * Expected ms per item: history, else the median of known items of the same group (file),
 * else the suite median, else defaultMs.
 */
function estimateDurations(items, options) {
    const groupOf = options.groupOf ?? ((item) => item.file ?? '');
    const known = [];
    const knownByGroup = new Map();
    for (const item of items) {
        const ms = historyOf(item, options.timings);
        if (ms === undefined)
            continue;
        known.push(ms);
        const group = groupOf(item);
        const list = knownByGroup.get(group);
        if (list)
            list.push(ms);
        else
            knownByGroup.set(group, [ms]);
    }
    const suiteMedian = known.length > 0 ? median(known) : undefined;
    const out = new Map();
    for (const item of items) {
        const own = historyOf(item, options.timings);
        const group = knownByGroup.get(groupOf(item));
        out.set(item.id, own ?? (group ? median(group) : (suiteMedian ?? options.defaultMs)));
    }
    return out;
}
/**
 * Groups items into batches, larger early and smaller toward the end so the tail balances;
 * never one start-up per item when the start-up cost dominates. Output order: longest
 * expected first. Deterministic. Items whose labels differ never share a batch (a job's
 * labels bind all of it).
 */
function planBatches(items, options) {
    if (items.length === 0)
        return [];
    const estimates = estimateDurations(items, options);
    const slots = Math.max(1, Math.floor(options.slots));
    const maxItems = Math.max(1, Math.floor(options.maxItemsPerBatch ?? Number.POSITIVE_INFINITY));
    const startup = Math.max(0, options.startupMs);
    // Below a couple of start-ups a batch spends more time starting than testing.
    const floor = startup * 2;
    const ordered = orderItems(items, estimates, options.groupOf);
    const total = ordered.reduce((sum, item) => sum + (estimates.get(item.id) ?? 0), 0);
    const built = [];
    let remaining = total;
    let current = [];
    let work = 0;
    let target = 0;
    let labels = '';
    const close = () => {
        if (current.length === 0)
            return;
        built.push(makeBatch(current, work, startup, options.timings));
        remaining -= work;
        current = [];
        work = 0;
    };
    for (const item of ordered) {
        const ms = estimates.get(item.id) ?? 0;
        const itemLabels = labelKey(item);
        if (current.length > 0 &&
            (work >= target || current.length >= maxItems || itemLabels !== labels)) {
            close();
        }
        if (current.length === 0) {
            // Guided self-scheduling: each batch takes a fixed share of what is left, so batches
            // shrink geometrically and the last ones are short enough to even out the finish.
            target = Math.max(floor, remaining / (slots * 4));
            labels = itemLabels;
        }
        current.push(item);
        work += ms;
    }
    close();
    mergeShortTail(built, startup, maxItems, options.timings);
    return built
        .map((batch, index) => ({ batch, index }))
        .sort((a, b) => b.batch.expectedMs - a.batch.expectedMs || a.index - b.index)
        .map(entry => entry.batch);
}
/** The median of a non-empty list. */
function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1
        ? sorted[mid]
        : (sorted[mid - 1] + sorted[mid]) / 2;
}
function historyOf(item, timings) {
    const ms = timings.get(item.id);
    return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
function labelKey(item) {
    return item.labels && item.labels.length > 0 ? [...new Set(item.labels)].sort().join('\n') : '';
}
/**
 * Longest first, keeping each label set and each group together: groups (and label sets)
 * ordered by their total, items inside a group longest first, ties by id.
 */
function orderItems(items, estimates, groupOf) {
    const ms = (item) => estimates.get(item.id) ?? 0;
    const byId = (a, b) => ms(b) - ms(a) || compareText(a.id, b.id);
    const clusters = new Map();
    for (const item of items) {
        // Without groupOf each item is its own group, so order is simply longest first.
        const key = `${labelKey(item)}\u0000${groupOf ? groupOf(item) : `\u0000${item.id}`}`;
        const list = clusters.get(key);
        if (list)
            list.push(item);
        else
            clusters.set(key, [item]);
    }
    const entries = [...clusters.entries()].map(([key, list]) => {
        list.sort(byId);
        return { key, list, total: list.reduce((sum, item) => sum + ms(item), 0) };
    });
    const labelTotals = new Map();
    for (const entry of entries) {
        const label = entry.key.split('\u0000')[0];
        labelTotals.set(label, (labelTotals.get(label) ?? 0) + entry.total);
    }
    const labelOf = (key) => key.split('\u0000')[0];
    entries.sort((a, b) => (labelTotals.get(labelOf(b.key)) ?? 0) - (labelTotals.get(labelOf(a.key)) ?? 0) ||
        compareText(labelOf(a.key), labelOf(b.key)) ||
        b.total - a.total ||
        compareText(a.key, b.key));
    return entries.flatMap(entry => entry.list);
}
/** A last batch shorter than one start-up joins the one before it (same labels, room left). */
function mergeShortTail(built, startup, maxItems, timings) {
    if (built.length < 2 || startup <= 0)
        return;
    const last = built[built.length - 1];
    const before = built[built.length - 2];
    const lastWork = last.expectedMs - startup;
    if (lastWork >= startup)
        return;
    if (before.items.length + last.items.length > maxItems)
        return;
    if (labelKey(before.items[0]) !== labelKey(last.items[0]))
        return;
    const items = [...before.items, ...last.items];
    const work = before.expectedMs - startup + lastWork;
    built.splice(built.length - 2, 2, makeBatch(items, work, startup, timings));
}
function makeBatch(items, work, startup, timings) {
    return {
        items,
        expectedMs: startup + work,
        estimated: items.some(item => historyOf(item, timings) === undefined)
    };
}
function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

;// CONCATENATED MODULE: ./src/frameworks/js-shared.ts
/**
 * What the jest and vitest frameworks share on the runner side: finding the project's own
 * binary, running it to list files, and turning batches of files into jobs, narrowed retries
 * and per-file durations.
 */






/**
 * The command that starts the tool: `node_modules/.bin/<tool>` relative to the suite root
 * (the same on every worker of the same checkout), or `npx --no-install <tool>`.
 */
async function findLauncher(cwd, tool) {
    for (let dir = (0,external_node_path_.resolve)(cwd);; dir = (0,external_node_path_.dirname)(dir)) {
        const bin = (0,external_node_path_.join)(dir, 'node_modules', '.bin', tool);
        if (await executable(bin)) {
            const rel = (0,external_node_path_.relative)((0,external_node_path_.resolve)(cwd), bin).split(external_node_path_.sep).join('/');
            return [rel.startsWith('.') ? rel : `./${rel}`];
        }
        if ((0,external_node_path_.dirname)(dir) === dir)
            return ['npx', '--no-install', tool];
    }
}
async function executable(path) {
    try {
        await (0,promises_namespaceObject.access)(path, promises_namespaceObject.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Runs the tool for listing. A failure is a UsageError: the suite's configuration, filters or
 * installation are what the user has to fix; the message carries the tool's own words.
 */
function runTool(launcher, args, cwd, timeoutMs) {
    const [first, ...rest] = launcher;
    // The launcher is relative to the suite root; spawning resolves it against our own cwd.
    const file = first.includes('/') ? (0,external_node_path_.resolve)(cwd, first) : first;
    return new Promise((done, fail) => {
        (0,external_node_child_process_.execFile)(file, [...rest, ...args], { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
            if (!error)
                return done({ stdout, stderr });
            const tail = stderr.trim().split('\n').slice(-15).join('\n') || stdout.trim().slice(-2000);
            const how = error.code === 'ENOENT' ? 'was not found' : 'failed';
            fail(new UsageError(`listing tests in ${cwd}: \`${[...launcher, ...args].join(' ')}\` ${how}${tail ? `:\n${tail}` : ` (${error.message})`}`));
        });
    });
}
/** A file path as a test id: relative to the suite root, forward slashes. */
function fileId(cwd, file) {
    const abs = (0,external_node_path_.isAbsolute)(file) ? file : (0,external_node_path_.resolve)(cwd, file);
    return (0,external_node_path_.relative)((0,external_node_path_.resolve)(cwd), abs).split(external_node_path_.sep).join('/');
}
/** Items for a list of test files (ids sorted, duplicates dropped). */
function fileItems(files, launcher) {
    return [...new Set(files)].sort().map(id => ({ id, name: id, file: id, data: { launcher } }));
}
/** Quotes a word for `sh -c` when it needs it. */
function shellWord(word) {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
/** Escapes text for use inside a regular expression. */
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
/** Batches of files → jobs. */
function planFileJobs(items, options, shape, userOptions) {
    const launcher = items[0]?.data?.launcher ?? ['npx', '--no-install', shape.framework];
    const batches = planBatches(items, {
        slots: options.slots,
        timings: options.timings,
        startupMs: shape.startupMs,
        defaultMs: shape.defaultMs,
        maxItemsPerBatch: 100
    });
    const allFiles = items.map(item => item.id);
    const used = new Set();
    return batches.map(batch => {
        const files = batch.items.map(item => item.id);
        const data = { launcher, options: userOptions, ...shape.extraData?.(files, allFiles) };
        let id = `${shape.framework}-${digest(files)}`;
        for (let n = 2; used.has(id); n++)
            id = `${shape.framework}-${digest(files)}-${n}`;
        used.add(id);
        return {
            id,
            name: jobName(shape.framework, files),
            command: shape.command(files, data),
            timeoutMs: options.timeoutMs,
            labels: [],
            expectedMs: batch.estimated ? undefined : Math.round(batch.expectedMs),
            attempt: 1,
            failedBefore: files.some(f => options.failedBefore.has(f)) || undefined,
            layers: [],
            framework: { name: shape.framework, tests: files, data }
        };
    });
}
function digest(files) {
    return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(files.join('\n')).digest('hex').slice(0, 10);
}
function jobName(framework, files) {
    const more = files.length > 1 ? ` and ${files.length - 1} more` : '';
    return `${framework} ${files[0] ?? ''}${more}`;
}
/** Longest listed file that a case id (`<file>::<name>`, or a file id) belongs to. */
function fileOfCase(id, files) {
    if (files.includes(id))
        return { file: id };
    const owner = files
        .filter(f => id.startsWith(`${f}::`))
        .sort((a, b) => b.length - a.length)[0];
    return owner === undefined ? undefined : { file: owner, name: id.slice(owner.length + 2) };
}
/** Beyond this many characters a name pattern is not worth the risk: rerun whole files. */
const maxPatternLength = 4000;
/**
 * The retry for a job: only the files holding failed tests, and only those tests (an
 * anchored pattern over their full names) when every failure is a single test. A file that
 * failed as a whole reruns whole. Unknown ids leave the job as it was.
 */
function retryFileJob(job, failedTests, shape) {
    const data = job.framework?.data;
    const files = job.framework?.tests ?? [];
    if (!data || files.length === 0)
        return job;
    const owners = failedTests.map(id => fileOfCase(id, files));
    if (owners.length === 0 || owners.some(o => o === undefined))
        return job;
    const chosen = files.filter(f => owners.some(o => o?.file === f));
    const names = [...new Set(owners.map(o => o?.name))];
    let namePattern;
    if (names.every(n => n !== undefined)) {
        namePattern = `^(?:${names.map(n => escapeRegExp(n)).join('|')})$`;
        if (namePattern.length > maxPatternLength)
            namePattern = undefined;
    }
    const retryData = {
        ...data,
        ...(data.exclude
            ? { exclude: [...new Set([...data.exclude, ...files.filter(f => !chosen.includes(f))])] }
            : {}),
        ...(namePattern !== undefined ? { namePattern } : {})
    };
    if (namePattern === undefined)
        delete retryData.namePattern;
    return {
        ...job,
        name: jobName(shape.framework, chosen),
        command: shape.command(chosen, retryData),
        framework: { ...job.framework, name: shape.framework, tests: chosen, data: retryData }
    };
}
/**
 * Per-file durations for timing history: each file's test time plus an even share of the
 * job's time that no test accounts for (loading modules, set-up), start-up left out since
 * planning adds it per job.
 */
function fileDurations(job, result, startupMs) {
    const files = job.framework?.tests ?? [];
    if (files.length === 0 || result.cases === undefined)
        return new Map();
    const own = new Map(files.map(f => [f, 0]));
    for (const c of result.cases) {
        if (c.file !== undefined && own.has(c.file))
            own.set(c.file, (own.get(c.file) ?? 0) + c.durationMs);
    }
    const tests = [...own.values()].reduce((a, b) => a + b, 0);
    const share = Math.max(0, result.durationMs - startupMs - tests) / files.length;
    return new Map([...own].map(([file, ms]) => [file, Math.round(ms + share)]));
}

;// CONCATENATED MODULE: ./src/frameworks/jest.ts
/**
 * The `jest` framework: the project's own jest lists the test files (`--listTests`, so its
 * config and the user's filters apply), jobs run batches of files by exact path with a JSON
 * report in the job directory, and retries run only the failed tests (by full name).
 */





/** The report each job writes into its directory. */
const jestReportFile = 'jest.json';
/**
 * Options a job sets itself, or that would change which files run (the listing applied
 * them already): taken out of the user's arguments for jobs.
 */
const ownedByJobs = new Set([
    'json',
    'outputFile',
    'listTests',
    'runTestsByPath',
    'testLocationInResults',
    'watch',
    'watchAll',
    'showConfig',
    'findRelatedTests',
    'onlyChanged',
    'onlyFailures',
    'changedSince',
    'lastCommit',
    'changedFilesWithAncestor',
    'shard',
    'testPathPatterns'
]);
/** The user's options for a job: filters and job-owned options out. */
function jestJobOptions(args) {
    const { options } = splitArgs(args, jestGrammar);
    const kept = optionWords(options, ownedByJobs);
    // The cluster runs one job per slot: a job running in band keeps the machine's load even.
    if (!hasOption(options, ['maxWorkers', 'runInBand', 'workerThreads']))
        kept.push('--maxWorkers=1');
    if (!hasOption(options, ['ci']))
        kept.unshift('--ci');
    return kept;
}
const shape = {
    framework: 'jest',
    startupMs: 1500,
    defaultMs: 1000,
    command(files, data) {
        const options = data.namePattern === undefined ? data.options : withoutNamePattern(data.options);
        return [
            ...data.launcher.map(shellWord),
            '--json',
            '--outputFile',
            `"$SQUALL_JOB_DIR/${jestReportFile}"`,
            '--testLocationInResults',
            ...options.map(shellWord),
            ...(data.namePattern !== undefined ? ['--testNamePattern', shellWord(data.namePattern)] : []),
            // Exact paths: nothing but these files runs, whatever their names have in common.
            '--runTestsByPath',
            '--',
            ...files.map(shellWord)
        ].join(' ');
    }
};
function withoutNamePattern(options) {
    return optionWords(splitArgs(options, jestGrammar).options, new Set(['testNamePattern']));
}
const jestFramework = {
    name: 'jest',
    async list(options) {
        const launcher = await findLauncher(options.cwd, 'jest');
        const { stdout } = await runTool(launcher, ['--listTests', '--json', ...options.args], options.cwd, options.timeoutMs);
        return fileItems(listedFiles(stdout).map(file => fileId(options.cwd, file)), launcher);
    },
    plan(items, options) {
        return planFileJobs(items, options, shape, jestJobOptions(options.args));
    },
    async parse(execution) {
        const entries = await readReport((0,external_node_path_.join)(execution.jobDir, jestReportFile));
        if (!entries)
            return undefined;
        return casesFromReport(entries, execution.job.framework?.tests ?? []);
    },
    retryJob(job, failedTests) {
        return retryFileJob(job, failedTests, shape);
    },
    itemDurations(job, result) {
        return fileDurations(job, result, shape.startupMs);
    }
};
/**
 * The files `jest --listTests --json` printed: the JSON array line, else every line that is
 * an absolute path (a config may print things of its own).
 */
function listedFiles(stdout) {
    const lines = stdout.split('\n').map(l => l.trim());
    for (const line of [...lines].reverse()) {
        if (!line.startsWith('['))
            continue;
        try {
            const value = JSON.parse(line);
            if (Array.isArray(value) && value.every(v => typeof v === 'string'))
                return value;
        }
        catch {
            // not the list; keep looking
        }
    }
    return lines.filter(l => l.startsWith('/') || /^[A-Za-z]:[\\/]/.test(l));
}
registerFramework(jestFramework);

;// CONCATENATED MODULE: ./src/frameworks/vitest.ts
/**
 * The `vitest` framework: the project's own vitest lists the test files (`vitest list`, so
 * its config and the user's filters apply), jobs run batches of files with the json reporter
 * writing into the job directory, and retries run only the failed tests (by full name).
 *
 * vitest reads file arguments as substring filters: `sum.test.ts` also picks up
 * `checksum.test.ts`. Each job therefore excludes the listed files its filters would catch
 * by accident, so exactly its own files run.
 */








/** The report each job writes into its directory. */
const vitestReportFile = 'vitest.json';
/** Options a job sets itself, or that would change which files run (the listing applied them). */
const vitest_ownedByJobs = new Set([
    'reporter',
    'outputFile',
    'outputFile.json',
    'json',
    'filesOnly',
    'watch',
    'run',
    'changed',
    'shard',
    'includeTaskLocation',
    'mergeReports'
]);
/** The user's options for a job: filters and job-owned options out. */
function vitestJobOptions(args) {
    const { options } = splitArgs(args, vitestGrammar);
    const kept = optionWords(options.filter(o => !o.name.startsWith('outputFile.')), vitest_ownedByJobs);
    // The cluster runs one job per slot: one test file at a time keeps the machine's load even.
    const parallelism = ['fileParallelism', 'pool', 'poolOptions', 'maxWorkers', 'minWorkers'];
    if (!options.some(o => parallelism.some(p => o.name.replace(/^no-/, '').startsWith(p)))) {
        kept.push('--no-file-parallelism');
    }
    return kept;
}
/** Listed files, other than the batch's, that the batch's file filters would also match. */
function accidentalMatches(files, allFiles) {
    const own = new Set(files);
    const filters = files.map(f => f.toLowerCase());
    return allFiles.filter(g => !own.has(g) && filters.some(f => g.toLowerCase().includes(f)));
}
/** A file path as a glob matching only itself. */
function literalGlob(path) {
    return path.replace(/[\\*?[\]{}()!+@]/g, '\\$&');
}
const vitest_shape = {
    framework: 'vitest',
    startupMs: 2500,
    defaultMs: 1000,
    extraData(files, allFiles) {
        return { exclude: accidentalMatches(files, allFiles) };
    },
    command(files, data) {
        const options = data.namePattern === undefined
            ? data.options
            : optionWords(splitArgs(data.options, vitestGrammar).options, new Set(['testNamePattern']));
        return [
            ...data.launcher.map(shellWord),
            'run',
            '--reporter=default',
            '--reporter=json',
            `--outputFile.json="$SQUALL_JOB_DIR/${vitestReportFile}"`,
            '--includeTaskLocation',
            ...options.map(shellWord),
            ...(data.namePattern !== undefined ? ['--testNamePattern', shellWord(data.namePattern)] : []),
            ...(data.exclude ?? []).flatMap(f => ['--exclude', shellWord(literalGlob(f))]),
            // A leading dash would read as a flag; `./` keeps the same filter.
            ...files.map(f => shellWord(f.startsWith('-') ? `./${f}` : f))
        ].join(' ');
    }
};
const vitestFramework = {
    name: 'vitest',
    async list(options) {
        const launcher = await findLauncher(options.cwd, 'vitest');
        const split = splitArgs(options.args, vitestGrammar);
        // Only a name filter needs the tests collected (slow: every file is imported); files
        // alone come from the globs.
        const byName = hasOption(split.options, ['testNamePattern']);
        let files;
        try {
            files = await listFiles(launcher, options, !byName);
        }
        catch (error) {
            // A file that cannot even be collected fails the whole collection; its job will say why.
            if (!byName)
                throw error;
            files = await listFiles(launcher, options, true);
        }
        return fileItems(files.map(file => fileId(options.cwd, file)), launcher);
    },
    plan(items, options) {
        return planFileJobs(items, options, vitest_shape, vitestJobOptions(options.args));
    },
    async parse(execution) {
        const entries = await readReport((0,external_node_path_.join)(execution.jobDir, vitestReportFile));
        if (!entries)
            return undefined;
        return casesFromReport(entries, execution.job.framework?.tests ?? []);
    },
    retryJob(job, failedTests) {
        return retryFileJob(job, failedTests, vitest_shape);
    },
    itemDurations(job, result) {
        return fileDurations(job, result, vitest_shape.startupMs);
    }
};
/** `vitest list --json=<file>`: the listed files (absolute), optionally without collecting. */
async function listFiles(launcher, options, filesOnly) {
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'squall-vitest-list-'));
    try {
        const out = (0,external_node_path_.join)(dir, 'list.json');
        const { stderr } = await runTool(launcher, ['list', ...(filesOnly ? ['--filesOnly'] : []), `--json=${out}`, ...options.args], options.cwd, options.timeoutMs);
        let value;
        try {
            value = JSON.parse(await (0,promises_namespaceObject.readFile)(out, 'utf8'));
        }
        catch {
            value = undefined;
        }
        if (!Array.isArray(value)) {
            const tail = stderr.trim().split('\n').slice(-15).join('\n');
            throw new UsageError(`listing tests in ${options.cwd}: vitest list wrote no file list${tail ? `:\n${tail}` : ''}`);
        }
        return value
            .map(entry => entry.file)
            .filter((file) => typeof file === 'string');
    }
    finally {
        await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
    }
}
registerFramework(vitestFramework);

;// CONCATENATED MODULE: ./src/frameworks/index.ts
/** Importing this module registers every built-in framework. One line per framework. */





// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
;// CONCATENATED MODULE: external "node:readline"
const external_node_readline_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:readline");
;// CONCATENATED MODULE: ./src/cluster/local-cluster.ts
/**
 * Starts a broker and N workers as separate processes of this same CLI, on one machine.
 * Their logs go to files so the terminal stays readable; the tail is shown when they fail.
 */





/** A running local cluster. */
class LocalCluster {
    address;
    broker;
    workers;
    options;
    exits;
    constructor(address, broker, workers, options, exits) {
        this.address = address;
        this.broker = broker;
        this.workers = workers;
        this.options = options;
        this.exits = exits;
    }
    static async start(options) {
        (0,external_node_fs_.mkdirSync)(options.logDir, { recursive: true });
        const exits = new Map();
        const broker = spawnChild(options, 'broker', [
            'broker',
            '--host',
            '127.0.0.1',
            '--port',
            '0',
            '--cluster-id',
            options.clusterId,
            '--announce',
            ...(options.brokerArgs ?? [])
        ], exits);
        let address;
        try {
            address = await readAnnouncedAddress(broker, options.startTimeoutMs ?? 30_000);
        }
        catch (error) {
            broker.kill('SIGKILL');
            const tail = logTail((0,external_node_path_.join)(options.logDir, 'broker.log'));
            throw new ClusterError(`the broker did not start: ${error.message}${tail}`);
        }
        const workers = [];
        for (let i = 1; i <= options.workers; i++) {
            const args = [
                'worker',
                '--broker',
                address,
                '--id',
                `w${i}`,
                '--slots',
                String(options.slots),
                '--working-directory',
                options.workDir,
                ...(options.labels.length > 0 ? ['--labels', options.labels.join(',')] : []),
                ...(options.workerArgs ?? [])
            ];
            workers.push(spawnChild(options, `worker-${i}`, args, exits));
        }
        return new LocalCluster(address, broker, workers, options, exits);
    }
    workerPids() {
        return this.workers.map(w => w.pid ?? 0);
    }
    /** Waits for every process to exit; kills what is still running after `timeoutMs`. */
    async wait(timeoutMs) {
        const all = [this.broker, ...this.workers];
        const timer = setTimeout(() => {
            for (const child of all)
                if (child.exitCode === null)
                    child.kill('SIGTERM');
        }, timeoutMs);
        const hard = setTimeout(() => {
            for (const child of all)
                if (child.exitCode === null)
                    child.kill('SIGKILL');
        }, timeoutMs + 5000);
        try {
            return await Promise.all(all.map(child => this.exits.get(child)));
        }
        finally {
            clearTimeout(timer);
            clearTimeout(hard);
        }
    }
    /** Stops everything now (on failure or interrupt). */
    async kill() {
        for (const child of [this.broker, ...this.workers]) {
            if (child.exitCode === null && child.signalCode === null)
                child.kill('SIGTERM');
        }
        await this.wait(5000);
    }
    /** The last lines of each process's log, for error messages. */
    logTails() {
        const names = ['broker', ...this.workers.map((_, i) => `worker-${i + 1}`)];
        return names.map(n => logTail((0,external_node_path_.join)(this.options.logDir, `${n}.log`), n)).join('');
    }
}
function spawnChild(options, name, args, exits) {
    const [command, ...prefix] = options.self;
    const log = (0,external_node_fs_.createWriteStream)((0,external_node_path_.join)(options.logDir, `${name}.log`));
    const child = (0,external_node_child_process_.spawn)(command, [...prefix, ...args], {
        cwd: options.workDir,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    child.stderr?.pipe(log);
    exits.set(child, new Promise(resolve => {
        child.on('error', () => undefined);
        child.on('close', (code, signal) => {
            log.end();
            resolve({ name, pid: child.pid ?? 0, code, signal });
        });
    }));
    return child;
}
/** The broker prints one JSON line `{"squall":"listening","address":…}` on stdout when ready. */
function readAnnouncedAddress(child, timeoutMs) {
    return new Promise((resolve, reject) => {
        const lines = (0,external_node_readline_namespaceObject.createInterface)({ input: child.stdout });
        const timer = setTimeout(() => reject(new Error(`no address within ${timeoutMs} ms`)), timeoutMs);
        lines.on('line', line => {
            try {
                const parsed = JSON.parse(line);
                if (parsed.squall === 'listening' && parsed.address) {
                    clearTimeout(timer);
                    resolve(parsed.address);
                }
            }
            catch {
                // Not the announcement: the broker logs to stderr, so ignore anything else.
            }
        });
        child.on('close', code => {
            clearTimeout(timer);
            reject(new Error(`it exited with code ${code}`));
        });
    });
}
function logTail(path, name = 'broker', lines = 15) {
    try {
        const text = (0,external_node_fs_.readFileSync)(path, 'utf8').trimEnd();
        if (text === '')
            return '';
        const tail = text.split('\n').slice(-lines).join('\n  ');
        return `\n--- ${name} log (${path}) ---\n  ${tail}\n`;
    }
    catch {
        return '';
    }
}

;// CONCATENATED MODULE: ./src/report/json.ts
/** The JSON result file: totals, every test's outcome, and every attempt of every job. */


class JsonReporter {
    options;
    jobs = [];
    finished;
    framework = '';
    constructor(options) {
        this.options = options;
    }
    onEvent(event) {
        switch (event.type) {
            case 'run-started':
                this.framework = event.framework;
                break;
            case 'job-finished': {
                const r = event.result;
                this.jobs.push({
                    id: r.id,
                    name: event.job.name,
                    attempt: r.attempt,
                    worker: r.worker,
                    status: r.status,
                    durationMs: r.durationMs,
                    exitCode: r.exitCode,
                    signal: r.signal,
                    message: r.message ?? null,
                    startedAt: r.startedAt,
                    retry: event.retry
                });
                break;
            }
            case 'run-finished':
                this.finished = { summary: event.summary, tests: event.tests };
                break;
            default:
                break;
        }
    }
    /** The document as it stands; undefined until the run has finished. */
    report() {
        if (!this.finished)
            return undefined;
        return { version: 1, framework: this.framework, ...this.finished, jobs: this.jobs };
    }
    async finish() {
        const report = this.report();
        if (!report)
            return;
        await (0,promises_namespaceObject.mkdir)((0,external_node_path_.dirname)(this.options.path), { recursive: true });
        await (0,promises_namespaceObject.writeFile)(this.options.path, `${JSON.stringify(report, null, 2)}\n`);
    }
}

;// CONCATENATED MODULE: ./node_modules/path-expression-matcher/src/Expression.js
/**
 * Expression - Parses and stores a tag pattern expression
 * 
 * Patterns are parsed once and stored in an optimized structure for fast matching.
 * 
 * @example
 * const expr = new Expression("root.users.user");
 * const expr2 = new Expression("..user[id]:first");
 * const expr3 = new Expression("root/users/user", { separator: '/' });
 */
class Expression {
  /**
   * Create a new Expression
   * @param {string} pattern - Pattern string (e.g., "root.users.user", "..user[id]")
   * @param {Object} options - Configuration options
   * @param {string} options.separator - Path separator (default: '.')
   */
  constructor(pattern, options = {}, data) {
    this.pattern = pattern;
    this.separator = options.separator || '.';
    this.segments = this._parse(pattern);
    this.data = data;
    // Cache expensive checks for performance (O(1) instead of O(n))
    this._hasDeepWildcard = this.segments.some(seg => seg.type === 'deep-wildcard');
    this._hasAttributeCondition = this.segments.some(seg => seg.attrName !== undefined);
    this._hasPositionSelector = this.segments.some(seg => seg.position !== undefined);
  }

  /**
   * Parse pattern string into segments
   * @private
   * @param {string} pattern - Pattern to parse
   * @returns {Array} Array of segment objects
   */
  _parse(pattern) {
    const segments = [];

    // Split by separator but handle ".." specially
    let i = 0;
    let currentPart = '';

    while (i < pattern.length) {
      if (pattern[i] === this.separator) {
        // Check if next char is also separator (deep wildcard)
        if (i + 1 < pattern.length && pattern[i + 1] === this.separator) {
          // Flush current part if any
          if (currentPart.trim()) {
            segments.push(this._parseSegment(currentPart.trim()));
            currentPart = '';
          }
          // Add deep wildcard
          segments.push({ type: 'deep-wildcard' });
          i += 2; // Skip both separators
        } else {
          // Regular separator
          if (currentPart.trim()) {
            segments.push(this._parseSegment(currentPart.trim()));
          }
          currentPart = '';
          i++;
        }
      } else {
        currentPart += pattern[i];
        i++;
      }
    }

    // Flush remaining part
    if (currentPart.trim()) {
      segments.push(this._parseSegment(currentPart.trim()));
    }

    return segments;
  }

  /**
   * Parse a single segment
   * @private
   * @param {string} part - Segment string (e.g., "user", "ns::user", "user[id]", "ns::user:first")
   * @returns {Object} Segment object
   */
  _parseSegment(part) {
    const segment = { type: 'tag' };

    // NEW NAMESPACE SYNTAX (v2.0):
    // ============================
    // Namespace uses DOUBLE colon (::)
    // Position uses SINGLE colon (:)
    // 
    // Examples:
    //   "user"              → tag
    //   "user:first"        → tag + position
    //   "user[id]"          → tag + attribute
    //   "user[id]:first"    → tag + attribute + position
    //   "ns::user"          → namespace + tag
    //   "ns::user:first"    → namespace + tag + position
    //   "ns::user[id]"      → namespace + tag + attribute
    //   "ns::user[id]:first" → namespace + tag + attribute + position
    //   "ns::first"         → namespace + tag named "first" (NO ambiguity!)
    //
    // This eliminates all ambiguity:
    //   :: = namespace separator
    //   :  = position selector
    //   [] = attributes

    // Step 1: Extract brackets [attr] or [attr=value]
    let bracketContent = null;
    let withoutBrackets = part;

    const bracketMatch = part.match(/^([^\[]+)(\[[^\]]*\])(.*)$/);
    if (bracketMatch) {
      withoutBrackets = bracketMatch[1] + bracketMatch[3];
      if (bracketMatch[2]) {
        const content = bracketMatch[2].slice(1, -1);
        if (content) {
          bracketContent = content;
        }
      }
    }

    // Step 2: Check for namespace (double colon ::)
    let namespace = undefined;
    let tagAndPosition = withoutBrackets;

    if (withoutBrackets.includes('::')) {
      const nsIndex = withoutBrackets.indexOf('::');
      namespace = withoutBrackets.substring(0, nsIndex).trim();
      tagAndPosition = withoutBrackets.substring(nsIndex + 2).trim(); // Skip ::

      if (!namespace) {
        throw new Error(`Invalid namespace in pattern: ${part}`);
      }
    }

    // Step 3: Parse tag and position (single colon :)
    let tag = undefined;
    let positionMatch = null;

    if (tagAndPosition.includes(':')) {
      const colonIndex = tagAndPosition.lastIndexOf(':'); // Use last colon for position
      const tagPart = tagAndPosition.substring(0, colonIndex).trim();
      const posPart = tagAndPosition.substring(colonIndex + 1).trim();

      // Verify position is a valid keyword
      const isPositionKeyword = ['first', 'last', 'odd', 'even'].includes(posPart) ||
        /^nth\(\d+\)$/.test(posPart);

      if (isPositionKeyword) {
        tag = tagPart;
        positionMatch = posPart;
      } else {
        // Not a valid position keyword, treat whole thing as tag
        tag = tagAndPosition;
      }
    } else {
      tag = tagAndPosition;
    }

    if (!tag) {
      throw new Error(`Invalid segment pattern: ${part}`);
    }

    segment.tag = tag;
    if (namespace) {
      segment.namespace = namespace;
    }

    // Step 4: Parse attributes
    if (bracketContent) {
      if (bracketContent.includes('=')) {
        const eqIndex = bracketContent.indexOf('=');
        segment.attrName = bracketContent.substring(0, eqIndex).trim();
        segment.attrValue = bracketContent.substring(eqIndex + 1).trim();
      } else {
        segment.attrName = bracketContent.trim();
      }
    }

    // Step 5: Parse position selector
    if (positionMatch) {
      const nthMatch = positionMatch.match(/^nth\((\d+)\)$/);
      if (nthMatch) {
        segment.position = 'nth';
        segment.positionValue = parseInt(nthMatch[1], 10);
      } else {
        segment.position = positionMatch;
      }
    }

    return segment;
  }

  /**
   * Get the number of segments
   * @returns {number}
   */
  get length() {
    return this.segments.length;
  }

  /**
   * Check if expression contains deep wildcard
   * @returns {boolean}
   */
  hasDeepWildcard() {
    return this._hasDeepWildcard;
  }

  /**
   * Check if expression has attribute conditions
   * @returns {boolean}
   */
  hasAttributeCondition() {
    return this._hasAttributeCondition;
  }

  /**
   * Check if expression has position selectors
   * @returns {boolean}
   */
  hasPositionSelector() {
    return this._hasPositionSelector;
  }

  /**
   * Get string representation
   * @returns {string}
   */
  toString() {
    return this.pattern;
  }
}
;// CONCATENATED MODULE: ./node_modules/path-expression-matcher/src/Matcher.js


/**
 * MatcherView - A lightweight read-only view over a Matcher's internal state.
 *
 * Created once by Matcher and reused across all callbacks. Holds a direct
 * reference to the parent Matcher so it always reflects current parser state
 * with zero copying or freezing overhead.
 *
 * Users receive this via {@link Matcher#readOnly} or directly from parser
 * callbacks. It exposes all query and matching methods but has no mutation
 * methods — misuse is caught at the TypeScript level rather than at runtime.
 *
 * @example
 * const matcher = new Matcher();
 * const view = matcher.readOnly();
 *
 * matcher.push("root", {});
 * view.getCurrentTag(); // "root"
 * view.getDepth();      // 1
 */
class MatcherView {
  /**
   * @param {Matcher} matcher - The parent Matcher instance to read from.
   */
  constructor(matcher) {
    this._matcher = matcher;
  }

  /**
   * Get the path separator used by the parent matcher.
   * @returns {string}
   */
  get separator() {
    return this._matcher.separator;
  }

  /**
   * Get current tag name.
   * @returns {string|undefined}
   */
  getCurrentTag() {
    const path = this._matcher.path;
    return path.length > 0 ? path[path.length - 1].tag : undefined;
  }

  /**
   * Get current namespace.
   * @returns {string|undefined}
   */
  getCurrentNamespace() {
    const path = this._matcher.path;
    return path.length > 0 ? path[path.length - 1].namespace : undefined;
  }

  /**
   * Get current node's attribute value.
   * @param {string} attrName
   * @returns {*}
   */
  getAttrValue(attrName) {
    const path = this._matcher.path;
    if (path.length === 0) return undefined;
    return path[path.length - 1].values?.[attrName];
  }

  /**
   * Check if current node has an attribute.
   * @param {string} attrName
   * @returns {boolean}
   */
  hasAttr(attrName) {
    const path = this._matcher.path;
    if (path.length === 0) return false;
    const current = path[path.length - 1];
    return current.values !== undefined && attrName in current.values;
  }

  /**
   * Get the value of a "kept" attribute from the nearest ancestor (or
   * current node) that declared it via `push(tag, attrs, ns, { keep: [...] })`.
   * @param {string} attrName
   * @returns {*}
   */
  getAnyParentAttr(attrName) {
    return this._matcher.getAnyParentAttr(attrName);
  }

  /**
   * Check whether any ancestor (or the current node) kept the given
   * attribute via `push(tag, attrs, ns, { keep: [...] })`.
   * @param {string} attrName
   * @returns {boolean}
   */
  hasAnyParentAttr(attrName) {
    return this._matcher.hasAnyParentAttr(attrName);
  }

  /**
   * Get current node's sibling position (child index in parent).
   * @returns {number}
   */
  getPosition() {
    const path = this._matcher.path;
    if (path.length === 0) return -1;
    return path[path.length - 1].position ?? 0;
  }

  /**
   * Get current node's repeat counter (occurrence count of this tag name).
   * @returns {number}
   */
  getCounter() {
    const path = this._matcher.path;
    if (path.length === 0) return -1;
    return path[path.length - 1].counter ?? 0;
  }

  /**
   * Get current node's sibling index (alias for getPosition).
   * @returns {number}
   * @deprecated Use getPosition() or getCounter() instead
   */
  getIndex() {
    return this.getPosition();
  }

  /**
   * Get current path depth.
   * @returns {number}
   */
  getDepth() {
    return this._matcher.path.length;
  }

  /**
   * Get path as string.
   * @param {string} [separator] - Optional separator (uses default if not provided)
   * @param {boolean} [includeNamespace=true]
   * @returns {string}
   */
  toString(separator, includeNamespace = true) {
    return this._matcher.toString(separator, includeNamespace);
  }

  /**
   * Get path as array of tag names.
   * @returns {string[]}
   */
  toArray() {
    return this._matcher.path.map(n => n.tag);
  }

  /**
   * Match current path against an Expression.
   * @param {Expression} expression
   * @returns {boolean}
   */
  matches(expression) {
    return this._matcher.matches(expression);
  }

  /**
   * Match any expression in the given set against the current path.
   * @param {ExpressionSet} exprSet
   * @returns {boolean}
   */
  matchesAny(exprSet) {
    return exprSet.matchesAny(this._matcher);
  }
}

/**
 * Matcher - Tracks current path in XML/JSON tree and matches against Expressions.
 *
 * The matcher maintains a stack of nodes representing the current path from root to
 * current tag. It only stores attribute values for the current (top) node to minimize
 * memory usage. Sibling tracking is used to auto-calculate position and counter.
 *
 * Use {@link Matcher#readOnly} to obtain a {@link MatcherView} safe to pass to
 * user callbacks — it always reflects current state with no Proxy overhead.
 *
 * @example
 * const matcher = new Matcher();
 * matcher.push("root", {});
 * matcher.push("users", {});
 * matcher.push("user", { id: "123", type: "admin" });
 *
 * const expr = new Expression("root.users.user");
 * matcher.matches(expr); // true
 */
class Matcher {
  /**
   * Create a new Matcher.
   * @param {Object} [options={}]
   * @param {string} [options.separator='.'] - Default path separator
   */
  constructor(options = {}) {
    this.separator = options.separator || '.';
    this.path = [];
    this.siblingStacks = [];
    // Each path node: { tag, values, position, counter, namespace? }
    // values only present for current (last) node
    // Each siblingStacks entry: Map<tagName, count> tracking occurrences at each level
    this._pathStringCache = null;
    this._view = new MatcherView(this);

    // Kept-attribute stack: only populated when push() is called with options.keep.
    this._keptAttrs = [];
  }

  /**
   * Push a new tag onto the path.
   * @param {string} tagName
   * @param {Object|null} [attrValues=null]
   * @param {string|null} [namespace=null]
   * @param {Object|null} [options=null]
   * @param {string[]} [options.keep] - Names of attributes (from attrValues)
   */
  push(tagName, attrValues = null, namespace = null, options = null) {
    this._pathStringCache = null;

    // Remove values from previous current node (now becoming ancestor)
    if (this.path.length > 0) {
      this.path[this.path.length - 1].values = undefined;
    }

    // Get or create sibling tracking for current level
    const currentLevel = this.path.length;
    let level = this.siblingStacks[currentLevel];
    if (!level) {
      // `counts` tells same-name siblings apart (the "counter" — nth <item>
      // among other <item>s). `total` is every child seen at this level so
      // far, kept as a running number instead of re-added from `counts` on
      // every push — a parent with many differently-named children would
      // otherwise cost more per child the more distinct names it has.
      level = { counts: new Map(), total: 0 };
      this.siblingStacks[currentLevel] = level;
    }

    // Create a unique key for sibling tracking that includes namespace
    const siblingKey = namespace ? `${namespace}:${tagName}` : tagName;

    // Calculate counter (how many times this tag appeared at this level)
    const counter = level.counts.get(siblingKey) || 0;

    // Position = total children at this level seen before this one.
    const position = level.total;

    // Update sibling count for this tag, and the level's running total.
    level.counts.set(siblingKey, counter + 1);
    level.total++;

    // Create new node
    const node = {
      tag: tagName,
      position: position,
      counter: counter
    };

    if (namespace !== null && namespace !== undefined) {
      node.namespace = namespace;
    }

    if (attrValues !== null && attrValues !== undefined) {
      node.values = attrValues;
    }

    this.path.push(node);

    // Depth of the node we just pushed (1-based, matches this.path.length)
    const depth = this.path.length;

    // Copy only the requested attributes into the kept-attrs stack. This is
    // the one part of push() whose cost scales with input (O(keep.length))
    // rather than being O(1) — by design, since the caller is explicitly
    // opting in for specific attribute names. No options/keep => zero added
    // cost beyond the two property reads below.
    const keep = options !== null ? options.keep : null;
    if (keep !== null && keep !== undefined && keep.length > 0 && attrValues) {
      for (let i = 0; i < keep.length; i++) {
        const name = keep[i];
        if (attrValues[name] !== undefined) {
          this._keptAttrs.push({ depth, name, value: attrValues[name] });
        }
      }
    }
  }

  /**
   * Pop the last tag from the path.
   * @returns {Object|undefined} The popped node
   */
  pop() {
    if (this.path.length === 0) return undefined;
    this._pathStringCache = null;

    const node = this.path.pop();

    if (this.siblingStacks.length > this.path.length + 1) {
      this.siblingStacks.length = this.path.length + 1;
    }

    // Drop any kept attributes that belonged to the popped node (or deeper).
    // _keptAttrs is depth-ordered (push only ever appends increasing depths),
    // so this is a backward scan that stops at the first surviving entry —
    // typically O(1) since kept attrs are rare by design.
    const poppedDepth = this.path.length + 1;
    while (
      this._keptAttrs.length > 0 &&
      this._keptAttrs[this._keptAttrs.length - 1].depth >= poppedDepth
    ) {
      this._keptAttrs.pop();
    }

    return node;
  }

  /**
   * Update current node's attribute values.
   * Useful when attributes are parsed after push.
   * @param {Object} attrValues
   */
  updateCurrent(attrValues) {
    if (this.path.length > 0) {
      const current = this.path[this.path.length - 1];
      if (attrValues !== null && attrValues !== undefined) {
        current.values = attrValues;
      }
    }
  }

  /**
   * Get current tag name.
   * @returns {string|undefined}
   */
  getCurrentTag() {
    return this.path.length > 0 ? this.path[this.path.length - 1].tag : undefined;
  }

  /**
   * Get current namespace.
   * @returns {string|undefined}
   */
  getCurrentNamespace() {
    return this.path.length > 0 ? this.path[this.path.length - 1].namespace : undefined;
  }

  /**
   * Get current node's attribute value.
   * @param {string} attrName
   * @returns {*}
   */
  getAttrValue(attrName) {
    if (this.path.length === 0) return undefined;
    return this.path[this.path.length - 1].values?.[attrName];
  }

  /**
   * Check if current node has an attribute.
   * @param {string} attrName
   * @returns {boolean}
   */
  hasAttr(attrName) {
    if (this.path.length === 0) return false;
    const current = this.path[this.path.length - 1];
    return current.values !== undefined && attrName in current.values;
  }

  /**
   * Get the value of a "kept" attribute from the nearest ancestor (or
   * current node) that declared it via `push(tag, attrs, ns, { keep: [...] })`.
   * Unlike getAttrValue(), this works regardless of how deep the path has
   * gone since the attribute was pushed — but only for attribute names that
   * were explicitly marked with `keep` at push time. Cost is proportional to
   * the number of currently-kept attributes (typically 0-3), not path depth.
   * @param {string} attrName
   * @returns {*} the value, or undefined if no ancestor kept this attribute
   */
  getAnyParentAttr(attrName) {
    const kept = this._keptAttrs;
    for (let i = kept.length - 1; i >= 0; i--) {
      if (kept[i].name === attrName) return kept[i].value;
    }
    return undefined;
  }

  /**
   * Check whether any ancestor (or the current node) kept the given
   * attribute via `push(tag, attrs, ns, { keep: [...] })`.
   * @param {string} attrName
   * @returns {boolean}
   */
  hasAnyParentAttr(attrName) {
    const kept = this._keptAttrs;
    for (let i = kept.length - 1; i >= 0; i--) {
      if (kept[i].name === attrName) return true;
    }
    return false;
  }

  /**
   * Get current node's sibling position (child index in parent).
   * @returns {number}
   */
  getPosition() {
    if (this.path.length === 0) return -1;
    return this.path[this.path.length - 1].position ?? 0;
  }

  /**
   * Get current node's repeat counter (occurrence count of this tag name).
   * @returns {number}
   */
  getCounter() {
    if (this.path.length === 0) return -1;
    return this.path[this.path.length - 1].counter ?? 0;
  }

  /**
   * Get current node's sibling index (alias for getPosition).
   * @returns {number}
   * @deprecated Use getPosition() or getCounter() instead
   */
  getIndex() {
    return this.getPosition();
  }

  /**
   * Get current path depth.
   * @returns {number}
   */
  getDepth() {
    return this.path.length;
  }

  /**
   * Get path as string.
   * @param {string} [separator] - Optional separator (uses default if not provided)
   * @param {boolean} [includeNamespace=true]
   * @returns {string}
   */
  toString(separator, includeNamespace = true) {
    const sep = separator || this.separator;
    const isDefault = (sep === this.separator && includeNamespace === true);

    if (isDefault) {
      if (this._pathStringCache !== null) {
        return this._pathStringCache;
      }
      const result = this.path.map(n =>
        (n.namespace) ? `${n.namespace}:${n.tag}` : n.tag
      ).join(sep);
      this._pathStringCache = result;
      return result;
    }

    return this.path.map(n =>
      (includeNamespace && n.namespace) ? `${n.namespace}:${n.tag}` : n.tag
    ).join(sep);
  }

  /**
   * Get path as array of tag names.
   * @returns {string[]}
   */
  toArray() {
    return this.path.map(n => n.tag);
  }

  /**
   * Reset the path to empty.
   */
  reset() {
    this._pathStringCache = null;
    this.path = [];
    this.siblingStacks = [];
    this._keptAttrs = [];
  }

  /**
   * Match current path against an Expression.
   * @param {Expression} expression
   * @returns {boolean}
   */
  matches(expression) {
    const segments = expression.segments;

    if (segments.length === 0) {
      return false;
    }

    if (expression.hasDeepWildcard()) {
      return this._matchWithDeepWildcard(segments);
    }

    return this._matchSimple(segments);
  }

  /**
   * @private
   */
  _matchSimple(segments) {
    if (this.path.length !== segments.length) {
      return false;
    }

    for (let i = 0; i < segments.length; i++) {
      if (!this._matchSegment(segments[i], this.path[i], i === this.path.length - 1)) {
        return false;
      }
    }

    return true;
  }

  /**
   * @private
   */
  _matchWithDeepWildcard(segments) {
    let pathIdx = this.path.length - 1;
    let segIdx = segments.length - 1;

    while (segIdx >= 0 && pathIdx >= 0) {
      const segment = segments[segIdx];

      if (segment.type === 'deep-wildcard') {
        segIdx--;

        if (segIdx < 0) {
          return true;
        }

        const nextSeg = segments[segIdx];
        let found = false;

        for (let i = pathIdx; i >= 0; i--) {
          if (this._matchSegment(nextSeg, this.path[i], i === this.path.length - 1)) {
            pathIdx = i - 1;
            segIdx--;
            found = true;
            break;
          }
        }

        if (!found) {
          return false;
        }
      } else {
        if (!this._matchSegment(segment, this.path[pathIdx], pathIdx === this.path.length - 1)) {
          return false;
        }
        pathIdx--;
        segIdx--;
      }
    }

    return segIdx < 0;
  }

  /**
   * @private
   */
  _matchSegment(segment, node, isCurrentNode) {
    if (segment.tag !== '*' && segment.tag !== node.tag) {
      return false;
    }

    if (segment.namespace !== undefined) {
      if (segment.namespace !== '*' && segment.namespace !== node.namespace) {
        return false;
      }
    }

    if (segment.attrName !== undefined) {
      if (!isCurrentNode) {
        return false;
      }

      if (!node.values || !(segment.attrName in node.values)) {
        return false;
      }

      if (segment.attrValue !== undefined) {
        if (String(node.values[segment.attrName]) !== String(segment.attrValue)) {
          return false;
        }
      }
    }

    if (segment.position !== undefined) {
      if (!isCurrentNode) {
        return false;
      }

      const counter = node.counter ?? 0;

      if (segment.position === 'first' && counter !== 0) {
        return false;
      } else if (segment.position === 'odd' && counter % 2 !== 1) {
        return false;
      } else if (segment.position === 'even' && counter % 2 !== 0) {
        return false;
      } else if (segment.position === 'nth' && counter !== segment.positionValue) {
        return false;
      }
    }

    return true;
  }

  /**
   * Match any expression in the given set against the current path.
   * @param {ExpressionSet} exprSet
   * @returns {boolean}
   */
  matchesAny(exprSet) {
    return exprSet.matchesAny(this);
  }

  /**
   * Create a snapshot of current state.
   * @returns {Object}
   */
  snapshot() {
    return {
      path: this.path.map(node => ({ ...node })),
      siblingStacks: this.siblingStacks.map(level => level ? { counts: new Map(level.counts), total: level.total } : level),
      keptAttrs: this._keptAttrs.map(entry => ({ ...entry }))
    };
  }

  /**
   * Restore state from snapshot.
   * @param {Object} snapshot
   */
  restore(snapshot) {
    this._pathStringCache = null;
    this.path = snapshot.path.map(node => ({ ...node }));
    this.siblingStacks = snapshot.siblingStacks.map(level => level ? { counts: new Map(level.counts), total: level.total } : level);
    this._keptAttrs = (snapshot.keptAttrs || []).map(entry => ({ ...entry }));
  }

  /**
   * Return the read-only {@link MatcherView} for this matcher.
   *
   * The same instance is returned on every call — no allocation occurs.
   * It always reflects the current parser state and is safe to pass to
   * user callbacks without risk of accidental mutation.
   *
   * @returns {MatcherView}
   *
   * @example
   * const view = matcher.readOnly();
   * // pass view to callbacks — it stays in sync automatically
   * view.matches(expr);       // ✓
   * view.getCurrentTag();     // ✓
   * // view.push(...)         // ✗ method does not exist — caught by TypeScript
   */
  readOnly() {
    return this._view;
  }
}

;// CONCATENATED MODULE: ./node_modules/fast-xml-builder/src/util.js


// String(val)/val.toString() drop the sign of -0 (e.g. String(-0) === '0'), silently
// corrupting a round-tripped negative-zero value. XML has no separate int/float syntax,
// so this is the single place every raw value gets turned into text.
function valToStr(val) {
  return typeof val === 'number' && Object.is(val, -0) ? '-0' : String(val)
}

function safeComment(val) {
  return valToStr(val)
    .replace(/--/g, '- -')   // -- is illegal anywhere in comment content
    .replace(/--/g, '- -')   // handle the scenario when 2 consiucative dashes appears 
    .replace(/-$/, '- ');    // trailing - would form -- with the closing -->
}

function safeCdata(val) {
  return valToStr(val).replace(/\]\]>/g, ']]]]><![CDATA[>')
}

function escapeAttribute(val) {
  return valToStr(val).replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/**
 * Resolve a tag or attribute name through sanitizeName if configured.
 * Validation via xml-naming's qName is performed first; the sanitizeName
 * callback is invoked only when the name is invalid. If sanitizeName is
 * false (default), no validation occurs and the name is used as-is.
 *
 * @param {string}  name        - raw name from the JS object
 * @param {boolean} isAttribute - true when resolving an attribute name
 * @param {object}  options
 * @param {Matcher} matcher     - current matcher state (readonly from callback perspective)
 * @param {function} qNameValidator - function to validate tag names
 */

function resolveName(name, isAttribute, options, matcher, validator) {
  if (!options.sanitizeName) return name;

  // Processing-instruction names: validate the part after the leading "?"
  const isPI = !isAttribute && name[0] === '?';
  const bare = isPI ? name.slice(1) : name;

  if (validator(bare)) return name;

  const result = options.sanitizeName(bare, { isAttribute, matcher: matcher.readOnly() });

  // Never trust the callback's output
  if (typeof result !== 'string' || !validator(result)) {
    throw new Error(`sanitizeName returned an invalid XML name for "${bare}"`);
  }
  return isPI ? '?' + result : result;
}
;// CONCATENATED MODULE: ./node_modules/xml-naming/src/index.js
/**
 * xml-naming
 * Validates XML Name productions as defined in the XML 1.0 and 1.1 specifications.
 * Covers: Name, NCName, QName, NMToken, NMTokens
 *
 * XML 1.0 spec: https://www.w3.org/TR/xml/#NT-Name
 * XML 1.1 spec: https://www.w3.org/TR/xml11/#NT-NameStartChar
 * XML NS spec:  https://www.w3.org/TR/xml-names/#NT-NCName
 */

// ---------------------------------------------------------------------------
// Character class strings — XML 1.0
//
// NameStartChar ::= ":" | [A-Z] | "_" | [a-z]
//   | [#xC0-#xD6]   | [#xD8-#xF6]   | [#xF8-#x2FF]
//   | [#x370-#x37D] | [#x37F-#x1FFF]    <- split to exclude #x0487
//   | [#x200C-#x200D]
//   | [#x2070-#x218F] | [#x2C00-#x2FEF]
//   | [#x3001-#xD7FF] | [#xF900-#xFDCF] | [#xFDF0-#xFFFD]
//
// NameChar ::= NameStartChar | "-" | "." | [0-9]
//   | #xB7 | [#x0300-#x036F] | [#x203F-#x2040]
//
// Note: \u0487 (Combining Cyrillic Millions Sign) was added in Unicode 4.0,
// after XML 1.0 was defined against Unicode 2.0. It falls inside the range
// \u037F-\u1FFF but must be excluded. We split that range into
// \u037F-\u0486 and \u0488-\u1FFF to exclude it explicitly.
// ---------------------------------------------------------------------------

const nameStartChar10 =
  ':A-Za-z_' +
  '\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF' +
  '\u0370-\u037D' +
  '\u037F-\u0486\u0488-\u1FFF' +  // split to exclude \u0487
  '\u200C-\u200D' +
  '\u2070-\u218F' +
  '\u2C00-\u2FEF' +
  '\u3001-\uD7FF' +
  '\uF900-\uFDCF' +
  '\uFDF0-\uFFFD';

const nameChar10 =
  nameStartChar10 +
  '\\-\\.\\d' +
  '\u00B7' +
  '\u0300-\u036F' +
  '\u203F-\u2040';

// ---------------------------------------------------------------------------
// Character class strings — XML 1.1
//
// Differences from XML 1.0:
//
// NameStartChar:
//   1.0 has split ranges: \u00C0-\u00D6, \u00D8-\u00F6, \u00F8-\u02FF
//   1.1 merges them into: \u00C0-\u02FF
//   (\u00D7 x and \u00F7 / are division symbols, excluded in both versions)
//
//   1.0 tops out at \uFFFD (BMP only)
//   1.1 adds \u{10000}-\u{EFFFF} (supplementary planes)
//   These require the /u flag on the RegExp — see buildRegexes below.
//
// NameChar:
//   1.1 adds \u0487 (Combining Cyrillic Millions Sign, added in Unicode 4.0)
// ---------------------------------------------------------------------------

const nameStartChar11 =
  ':A-Za-z_' +
  '\u00C0-\u02FF' +                    // merged — 1.0 had three split ranges here
  '\u0370-\u037D' +
  '\u037F-\u0486\u0488-\u1FFF' +       // split to exclude \u0487 (combining mark, never a NameStartChar)
  '\u200C-\u200D' +
  '\u2070-\u218F' +
  '\u2C00-\u2FEF' +
  '\u3001-\uD7FF' +
  '\uF900-\uFDCF' +
  '\uFDF0-\uFFFD' +
  '\u{10000}-\u{EFFFF}';     // supplementary planes — REQUIRES /u flag on RegExp

const nameChar11 =
  nameStartChar11 +
  '\\-\\.\\d' +
  '\u00B7' +
  '\u0300-\u036F' +
  '\u0487' +                 // Combining Cyrillic Millions Sign — valid in 1.1, not 1.0
  '\u203F-\u2040';

// ---------------------------------------------------------------------------
// Regex builders
//
// XML 1.0 regexes: no flags — BMP only, standard JS regex behaviour.
// XML 1.1 regexes: /u flag — required for \u{10000}-\u{EFFFF} to match actual
//   supplementary code points rather than lone surrogates (which are illegal XML).
// ---------------------------------------------------------------------------

const buildRegexes = (startChar, char, flags = '') => {
  const ncStart = startChar.replace(':', '');
  const ncChar = char.replace(':', '');
  const ncNamePat = `[${ncStart}][${ncChar}]*`;

  return {
    name: new RegExp(`^[${startChar}][${char}]*$`, flags),
    ncName: new RegExp(`^${ncNamePat}$`, flags),
    qName: new RegExp(`^${ncNamePat}(?::${ncNamePat})?$`, flags),
    nmToken: new RegExp(`^[${char}]+$`, flags),
    nmTokens: new RegExp(`^[${char}]+(?:\\s+[${char}]+)*$`, flags),
  };
};

const regexes10 = buildRegexes(nameStartChar10, nameChar10);       // no /u — BMP only
const regexes11 = buildRegexes(nameStartChar11, nameChar11, 'u');  // /u — enables \u{10000}-\u{EFFFF}

// ---------------------------------------------------------------------------
// ASCII-only fast path (opt-in, off by default)
//
// The XML 1.0 vs 1.1 NameStartChar/NameChar productions differ *only* in
// their non-ASCII ranges (merged vs split Latin-1 ranges, \u0487, and
// supplementary planes). Restricted to ASCII, both versions collapse to the
// same character classes, so a single regex pair covers both xmlVersion
// values — no /u flag needed.
//
// Rationale: unicode-aware regexes (the /u flag, required for XML 1.1's
// supplementary-plane range) are measurably slower in V8 than plain
// non-unicode regexes on the same input, even when the input is pure ASCII.
// For the common case — HTML/SVG ids, XML tags — names are ASCII, so callers
// who know this can opt in to skip the unicode-aware matching path entirely.
// This is a real but *conditional* win: mainly for XML 1.1 input (avoids /u),
// or at scale where the larger unicode character classes add engine
// overhead. It also changes behaviour (rejects legitimate non-ASCII XML
// 1.0/1.1 names), so it must never be silently enabled — hence off by
// default.
// ---------------------------------------------------------------------------

const nameStartCharAscii = ':A-Za-z_';
const nameCharAscii = nameStartCharAscii + '\\-\\.\\d';

const regexesAscii = buildRegexes(nameStartCharAscii, nameCharAscii); // no /u — ASCII only

const getRegexes = (xmlVersion = '1.0', asciiOnly = false) => {
  if (asciiOnly) return regexesAscii;
  return xmlVersion === '1.1' ? regexes11 : regexes10;
};

// ---------------------------------------------------------------------------
// Boolean validators
// ---------------------------------------------------------------------------

/**
 * Returns true if the string is a valid XML Name.
 * Colons are allowed anywhere (Name production).
 * Used for: DOCTYPE entity names, notation names, DTD element declarations.
 *
 * @param {{ xmlVersion?: '1.0'|'1.1', asciiOnly?: boolean }} [opts]
 *   asciiOnly: skip unicode-aware matching, ASCII names only (default false).
 */
const src_name = (str, { xmlVersion = '1.0', asciiOnly = false } = {}) =>
  getRegexes(xmlVersion, asciiOnly).name.test(str);

/**
 * Returns true if the string is a valid NCName (Non-Colonized Name).
 * Colons are not permitted.
 * Used for: namespace prefixes, local names, SVG id attributes.
 *
 * @param {{ xmlVersion?: '1.0'|'1.1', asciiOnly?: boolean }} [opts]
 *   asciiOnly: skip unicode-aware matching, ASCII names only (default false).
 */
const ncName = (str, { xmlVersion = '1.0', asciiOnly = false } = {}) =>
  getRegexes(xmlVersion, asciiOnly).ncName.test(str);

/**
 * Returns true if the string is a valid QName (Qualified Name).
 * Allows exactly one colon as a prefix separator: prefix:localName.
 * Used for: element and attribute names in namespace-aware XML/SVG.
 *
 * @param {{ xmlVersion?: '1.0'|'1.1', asciiOnly?: boolean }} [opts]
 *   asciiOnly: skip unicode-aware matching, ASCII names only (default false).
 */
const qName = (str, { xmlVersion = '1.0', asciiOnly = false } = {}) =>
  getRegexes(xmlVersion, asciiOnly).qName.test(str);

/**
 * Returns true if the string is a valid NMToken.
 * Like Name but no restriction on the first character.
 * Used for: DTD NMTOKEN attribute values.
 *
 * @param {{ xmlVersion?: '1.0'|'1.1', asciiOnly?: boolean }} [opts]
 *   asciiOnly: skip unicode-aware matching, ASCII names only (default false).
 */
const nmToken = (str, { xmlVersion = '1.0', asciiOnly = false } = {}) =>
  getRegexes(xmlVersion, asciiOnly).nmToken.test(str);

/**
 * Returns true if the string is a valid NMTokens value.
 * A whitespace-separated list of NMToken values.
 * Used for: DTD NMTOKENS attribute values.
 *
 * @param {{ xmlVersion?: '1.0'|'1.1', asciiOnly?: boolean }} [opts]
 *   asciiOnly: skip unicode-aware matching, ASCII names only (default false).
 */
const nmTokens = (str, { xmlVersion = '1.0', asciiOnly = false } = {}) =>
  getRegexes(xmlVersion, asciiOnly).nmTokens.test(str);

// ---------------------------------------------------------------------------
// Memoized validator factory
//
// Real documents reuse a small vocabulary of tag/attribute names across many
// siblings (e.g. `id`, `class`, `href` repeated across hundreds of elements).
// The plain boolean validators above re-run the regex on every call
// regardless of repeats. `createValidator` returns a closure with a private
// string -> boolean cache, so repeated names after the first become O(1)
// lookups instead of regex tests.
//
// - opts (xmlVersion, asciiOnly) are fixed at creation time, so the regex is
//   resolved once, not on every call.
// - The cache is private to the returned closure — no shared/global state,
//   no cross-caller pollution.
// - `maxCacheSize` bounds memory: once the cache reaches this many entries,
//   it stops accepting new ones (existing entries keep serving hits; new
//   misses just fall through to the regex, uncached). This avoids unbounded
//   growth against adversarial/high-cardinality input (e.g. validating
//   attacker-supplied names with no repeats) without the cost/complexity of
//   a full LRU, and without the perf cliff of reset-and-refill thrashing.
// - Call `.reset()` on the returned function to clear the cache manually
//   (e.g. between unrelated parse calls).
// ---------------------------------------------------------------------------

const PRODUCTIONS = ['name', 'ncName', 'qName', 'nmToken', 'nmTokens'];

/**
 * Returns a memoized boolean validator function for a single production,
 * with opts fixed at creation time.
 *
 * @param {'name'|'ncName'|'qName'|'nmToken'|'nmTokens'} production
 * @param {{ xmlVersion?: '1.0'|'1.1', asciiOnly?: boolean, maxCacheSize?: number }} [opts]
 *   maxCacheSize: max number of distinct strings to cache (default 2048).
 *   Once reached, new strings are validated but not cached; existing cached
 *   entries keep being served.
 * @returns {((str: string) => boolean) & { reset: () => void }}
 */
const createValidator = (production, { xmlVersion = '1.0', asciiOnly = false, maxCacheSize = 2048 } = {}) => {
  if (!PRODUCTIONS.includes(production)) {
    throw new TypeError(
      `Unknown production "${production}". Must be one of: ${PRODUCTIONS.join(', ')}`
    );
  }

  const regex = getRegexes(xmlVersion, asciiOnly)[production];
  let cache = new Map();

  const validator = (str) => {
    const cached = cache.get(str);
    if (cached !== undefined) return cached;

    const result = regex.test(str);
    if (cache.size < maxCacheSize) cache.set(str, result);
    return result;
  };

  validator.reset = () => { cache = new Map(); };

  return validator;
};

// ---------------------------------------------------------------------------
// Diagnostic validator
// ---------------------------------------------------------------------------

/**
 * Validates a string against a named production and returns a detailed result.
 *
 * @param {string} str
 * @param {'name'|'ncName'|'qName'|'nmToken'|'nmTokens'} production
 * @param {{ xmlVersion?: '1.0'|'1.1', asciiOnly?: boolean }} [opts]
 * @returns {{ valid: boolean, production: string, input: string, reason?: string, position?: number }}
 */
const validate = (str, production, { xmlVersion = '1.0', asciiOnly = false } = {}) => {
  if (!PRODUCTIONS.includes(production)) {
    throw new TypeError(
      `Unknown production "${production}". Must be one of: ${PRODUCTIONS.join(', ')}`
    );
  }

  const validators = { name: src_name, ncName, qName, nmToken, nmTokens };
  const isValid = validators[production](str, { xmlVersion, asciiOnly });

  if (isValid) return { valid: true, production, input: str };

  let reason = 'Does not match the production rules';
  let position;

  // Diagnostic fallback char checks must mirror the same character set the
  // boolean validator above used, or the reported reason/position could
  // contradict the `valid: false` result (e.g. flagging a char as illegal
  // that the unicode-aware check would have accepted).
  const startCharPattern = asciiOnly ? /^[:A-Za-z_]/ : /^[:A-Za-z_\u00C0-\uFFFD]/;
  const namePattern = asciiOnly ? /[\w\-\\.:]/ : /[\w\-\\.:\u00B7\u00C0-\uFFFD]/;

  if (str.length === 0) {
    reason = 'Input is empty';
  } else if (production === 'ncName' && str.includes(':')) {
    position = str.indexOf(':');
    reason = 'Colon is not allowed in NCName';
  } else if (production === 'qName' && str.startsWith(':')) {
    reason = 'QName cannot start with a colon';
    position = 0;
  } else if (production === 'qName' && str.endsWith(':')) {
    reason = 'QName cannot end with a colon';
    position = str.length - 1;
  } else if (production === 'qName' && (str.match(/:/g) || []).length > 1) {
    reason = 'QName can have at most one colon';
    position = str.lastIndexOf(':');
  } else if (
    ['name', 'ncName', 'qName'].includes(production) &&
    !startCharPattern.test(str[0])
  ) {
    reason = `First character "${str[0]}" is not a valid NameStartChar`;
    position = 0;
  } else {
    for (let i = 0; i < str.length; i++) {
      if (!namePattern.test(str[i])) {
        reason = `Character "${str[i]}" at position ${i} is not a valid NameChar`;
        position = i;
        break;
      }
    }
  }

  return { valid: false, production, input: str, reason, position };
};

// ---------------------------------------------------------------------------
// Batch validator
// ---------------------------------------------------------------------------

/**
 * Validates an array of strings against a named production.
 *
 * @param {string[]} strings
 * @param {'name'|'ncName'|'qName'|'nmToken'|'nmTokens'} production
 * @param {{ xmlVersion?: '1.0'|'1.1', asciiOnly?: boolean }} [opts]
 * @returns {Array<{ valid: boolean, production: string, input: string, reason?: string, position?: number }>}
 */
const validateAll = (strings, production, opts = {}) =>
  strings.map(str => validate(str, production, opts));

// ---------------------------------------------------------------------------
// Sanitizer
// ---------------------------------------------------------------------------

/**
 * Transforms an invalid string into the nearest valid XML name for the given production.
 *
 * @param {string} str
 * @param {'name'|'ncName'|'qName'|'nmToken'|'nmTokens'} production
 * @param {{ replacement?: string, asciiOnly?: boolean }} [opts]
 *   asciiOnly: also replace any non-ASCII character, not just XML-illegal
 *   ones (default false).
 * @returns {string}
 */
const sanitize = (str, production = 'name', { replacement = '_', asciiOnly = false } = {}) => {
  if (!str) return replacement;

  let result = str;

  // Strip colons for NCName
  if (production === 'ncName') {
    result = result.replace(/:/g, '');
  }

  // Replace illegal characters
  const allowedCharPattern = asciiOnly ? /[^\w\-\.:]/g : /[^\w\-\.:\u00B7\u00C0-\uFFFD]/g;
  result = result.replace(allowedCharPattern, replacement);

  // Fix invalid start character for Name / NCName / QName
  if (production !== 'nmToken' && production !== 'nmTokens') {
    if (/^[\-\.\d]/.test(result)) {
      result = replacement + result;
    }
  }

  return result || replacement;
};
;// CONCATENATED MODULE: ./node_modules/fast-xml-builder/src/orderedJs2Xml.js




const EOL = "\n";

/**
 * Detect XML version from the first element of the ordered array input.
 * The first element must be a ?xml processing instruction with a version attribute.
 * Returns '1.0' if not found.
 *
 * @param {array}  jArray
 * @param {object} options
 */
function detectXmlVersionFromArray(jArray, options) {
    if (!Array.isArray(jArray) || jArray.length === 0) return '1.0';
    const first = jArray[0];
    const firstKey = propName(first);
    if (firstKey === '?xml') {
        const attrs = first[':@'];
        if (attrs) {
            const versionKey = options.attributeNamePrefix + 'version';
            if (attrs[versionKey]) return attrs[versionKey];
        }
    }
    return '1.0';
}

/**
 * @param {array} jArray
 * @param {any} options
 * @returns
 */
function toXml(jArray, options) {
    let indentation = "";
    if (options.format) {
        indentation = EOL;
    }

    // Pre-compile stopNode expressions for pattern matching
    const stopNodeExpressions = [];
    if (options.stopNodes && Array.isArray(options.stopNodes)) {
        for (let i = 0; i < options.stopNodes.length; i++) {
            const node = options.stopNodes[i];
            if (typeof node === 'string') {
                stopNodeExpressions.push(new Expression(node));
            } else if (node instanceof Expression) {
                stopNodeExpressions.push(node);
            }
        }
    }

    // Detect XML version for use in name validation
    const xmlVersion = detectXmlVersionFromArray(jArray, options);
    const qNameValidator = createValidator('qName', { xmlVersion });
    // Initialize matcher for path tracking
    const matcher = new Matcher();

    return arrToStr(jArray, options, indentation, matcher, stopNodeExpressions, qNameValidator);
}

function arrToStr(arr, options, indentation, matcher, stopNodeExpressions, qNameValidator) {
    let xmlStr = "";
    let isPreviousElementTag = false;

    if (options.maxNestedTags && matcher.getDepth() > options.maxNestedTags) {
        throw new Error("Maximum nested tags exceeded");
    }

    if (!Array.isArray(arr)) {
        // Non-array values (e.g. string tag values) should be treated as text content
        if (arr !== undefined && arr !== null) {
            let text = valToStr(arr);
            text = replaceEntitiesValue(text, options);
            return text;
        }
        return "";
    }

    for (let i = 0; i < arr.length; i++) {
        const tagObj = arr[i];
        const rawTagName = propName(tagObj);
        if (rawTagName === undefined) continue;

        // Special names are exempt from sanitizeName: internal conventions and PI tags
        // are not user-supplied XML element names.
        const isSpecialName = rawTagName === options.textNodeName
            || rawTagName === options.cdataPropName
            || rawTagName === options.commentPropName;
        //|| rawTagName[0] === '?';

        // Resolve tag name (may transform it; may throw for invalid names)
        const tagName = isSpecialName
            ? rawTagName
            : resolveName(rawTagName, false, options, matcher, qNameValidator);

        // Extract attributes from ":@" property
        const attrValues = extractAttributeValues(tagObj[":@"], options);

        // Push resolved tag to matcher WITH attributes
        matcher.push(tagName, attrValues);

        // Check if this is a stop node using Expression matching
        const isStopNode = checkStopNode(matcher, stopNodeExpressions);

        if (tagName === options.textNodeName) {
            let tagText = tagObj[rawTagName];
            if (!isStopNode) {
                tagText = options.tagValueProcessor(tagName, tagText);
                tagText = replaceEntitiesValue(tagText, options);
            }
            tagText = valToStr(tagText);
            if (isPreviousElementTag) {
                xmlStr += indentation;
            }
            xmlStr += tagText;
            isPreviousElementTag = false;
            matcher.pop();
            continue;
        } else if (tagName === options.cdataPropName) {
            if (isPreviousElementTag) {
                xmlStr += indentation;
            }
            const val = tagObj[rawTagName][0][options.textNodeName];
            const safeVal = safeCdata(val);
            xmlStr += `<![CDATA[${safeVal}]]>`;
            isPreviousElementTag = false;
            matcher.pop();
            continue;
        } else if (tagName === options.commentPropName) {
            const val = tagObj[rawTagName][0][options.textNodeName];
            const safeVal = safeComment(val);
            xmlStr += indentation + `<!--${safeVal}-->`;
            isPreviousElementTag = true;
            matcher.pop();
            continue;
        } else if (tagName[0] === "?") {
            const attStr = attr_to_str(tagObj[":@"], options, isStopNode, matcher, qNameValidator);
            const tempInd = tagName === "?xml" ? "" : indentation;
            // Text node content on PI/XML declaration tags is intentionally ignored.
            // Only attributes are valid on these tags per the XML spec.
            xmlStr += tempInd + `<${tagName}${attStr}?>`;
            isPreviousElementTag = true;
            matcher.pop();
            continue;
        }

        let newIdentation = indentation;
        if (newIdentation !== "") {
            newIdentation += options.indentBy;
        }

        // Pass isStopNode to attr_to_str so attributes are also not processed for stopNodes
        const attStr = attr_to_str(tagObj[":@"], options, isStopNode, matcher, qNameValidator);
        const tagStart = indentation + `<${tagName}${attStr}`;

        // If this is a stopNode, get raw content without processing
        let tagValue;
        if (isStopNode) {
            tagValue = getRawContent(tagObj[rawTagName], options, matcher.getDepth());
        } else {
            tagValue = arrToStr(tagObj[rawTagName], options, newIdentation, matcher, stopNodeExpressions, qNameValidator);
        }

        if (options.unpairedTags.indexOf(tagName) !== -1) {
            if (options.suppressUnpairedNode) xmlStr += tagStart + ">";
            else xmlStr += tagStart + "/>";
        } else if ((!tagValue || tagValue.length === 0) && options.suppressEmptyNode) {
            xmlStr += tagStart + "/>";
        } else if (tagValue && tagValue.endsWith(">")) {
            xmlStr += tagStart + `>${tagValue}${indentation}</${tagName}>`;
        } else {
            xmlStr += tagStart + ">";
            if (tagValue && indentation !== "" && (tagValue.includes("/>") || tagValue.includes("</"))) {
                xmlStr += indentation + options.indentBy + tagValue + indentation;
            } else {
                xmlStr += tagValue;
            }
            xmlStr += `</${tagName}>`;
        }
        isPreviousElementTag = true;

        // Pop tag from matcher
        matcher.pop();
    }

    return xmlStr;
}

/**
 * Extract attribute values from the ":@" object and return as plain object
 * for passing to matcher.push()
 */
function extractAttributeValues(attrMap, options) {
    if (!attrMap || options.ignoreAttributes) return null;

    const attrValues = {};
    let hasAttrs = false;

    for (let attr in attrMap) {
        if (!Object.prototype.hasOwnProperty.call(attrMap, attr)) continue;
        // Remove the attribute prefix to get clean attribute name
        const cleanAttrName = attr.startsWith(options.attributeNamePrefix)
            ? attr.substr(options.attributeNamePrefix.length)
            : attr;
        attrValues[cleanAttrName] = escapeAttribute(attrMap[attr]);
        hasAttrs = true;
    }

    return hasAttrs ? attrValues : null;
}

/**
 * Extract raw content from a stopNode without any processing
 * This preserves the content exactly as-is, including special characters
 */
function getRawContent(arr, options, depth = 0) {
    if (options.maxNestedTags && depth > options.maxNestedTags) {
        throw new Error("Maximum nested tags exceeded");
    }
    if (!Array.isArray(arr)) {
        // Non-array values return as-is
        if (arr !== undefined && arr !== null) {
            return valToStr(arr);
        }
        return "";
    }

    let content = "";
    for (let i = 0; i < arr.length; i++) {
        const item = arr[i];
        const tagName = propName(item);

        if (tagName === options.textNodeName) {
            // Raw text content - NO processing, NO entity replacement
            content += valToStr(item[tagName]);
        } else if (tagName === options.cdataPropName) {
            // CDATA content
            content += item[tagName][0][options.textNodeName];
        } else if (tagName === options.commentPropName) {
            // Comment content
            content += item[tagName][0][options.textNodeName];
        } else if (tagName && tagName[0] === "?") {
            // Processing instruction - skip for stopNodes
            continue;
        } else if (tagName) {
            // Nested tags within stopNode — no sanitizeName, content is raw
            const attStr = attr_to_str_raw(item[":@"], options);
            const nestedContent = getRawContent(item[tagName], options, depth + 1);

            if (!nestedContent || nestedContent.length === 0) {
                content += `<${tagName}${attStr}/>`;
            } else {
                content += `<${tagName}${attStr}>${nestedContent}</${tagName}>`;
            }
        }
    }
    return content;
}

/**
 * Build attribute string for stopNodes - NO entity replacement
 */
function attr_to_str_raw(attrMap, options) {
    let attrStr = "";
    if (attrMap && !options.ignoreAttributes) {
        for (let attr in attrMap) {
            if (!Object.prototype.hasOwnProperty.call(attrMap, attr)) continue;
            // For stopNodes, use raw value without processing
            let attrVal = attrMap[attr];
            if (attrVal === true && options.suppressBooleanAttributes) {
                attrStr += ` ${attr.substr(options.attributeNamePrefix.length)}`;
            } else {
                attrStr += ` ${attr.substr(options.attributeNamePrefix.length)}="${escapeAttribute(attrVal)}"`;
            }
        }
    }
    return attrStr;
}

function propName(obj) {
    const keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
        if (key !== ":@") return key;
    }
}

/**
 * Build attribute string, resolving attribute names through sanitizeName when configured.
 * Accepts matcher so the callback has path context.
 */
function attr_to_str(attrMap, options, isStopNode, matcher, qNameValidator) {
    let attrStr = "";
    if (attrMap && !options.ignoreAttributes) {
        for (let attr in attrMap) {
            if (!Object.prototype.hasOwnProperty.call(attrMap, attr)) continue;

            // Strip prefix to get the clean XML attribute name, then optionally sanitize it
            const cleanAttrName = attr.substr(options.attributeNamePrefix.length);
            const resolvedAttrName = isStopNode
                ? cleanAttrName  // stopNodes are raw — skip sanitizeName for attr names too
                : resolveName(cleanAttrName, true, options, matcher, qNameValidator);

            let attrVal;
            if (isStopNode) {
                // For stopNodes, use raw value without any processing
                attrVal = attrMap[attr];
            } else {
                // Normal processing: apply attributeValueProcessor and entity replacement
                attrVal = options.attributeValueProcessor(attr, attrMap[attr]);
                attrVal = replaceEntitiesValue(attrVal, options);
            }

            if (attrVal === true && options.suppressBooleanAttributes) {
                attrStr += ` ${resolvedAttrName}`;
            } else {
                attrStr += ` ${resolvedAttrName}="${escapeAttribute(attrVal)}"`;
            }
        }
    }
    return attrStr;
}

function checkStopNode(matcher, stopNodeExpressions) {
    if (!stopNodeExpressions || stopNodeExpressions.length === 0) return false;

    for (let i = 0; i < stopNodeExpressions.length; i++) {
        if (matcher.matches(stopNodeExpressions[i])) {
            return true;
        }
    }
    return false;
}

function replaceEntitiesValue(textValue, options) {
    if (textValue && textValue.length > 0 && options.processEntities) {
        for (let i = 0; i < options.entities.length; i++) {
            const entity = options.entities[i];
            textValue = textValue.replace(entity.regex, entity.val);
        }
    }
    return textValue;
}
;// CONCATENATED MODULE: ./node_modules/fast-xml-builder/src/ignoreAttributes.js
function getIgnoreAttributesFn(ignoreAttributes) {
    if (typeof ignoreAttributes === 'function') {
        return ignoreAttributes
    }
    if (Array.isArray(ignoreAttributes)) {
        return (attrName) => {
            for (const pattern of ignoreAttributes) {
                if (typeof pattern === 'string' && attrName === pattern) {
                    return true
                }
                if (pattern instanceof RegExp && pattern.test(attrName)) {
                    return true
                }
            }
        }
    }
    return () => false
}
;// CONCATENATED MODULE: ./node_modules/fast-xml-builder/src/fxb.js

//parse Empty Node as self closing node






const defaultOptions = {
  attributeNamePrefix: '@_',
  attributesGroupName: false,
  textNodeName: '#text',
  ignoreAttributes: true,
  cdataPropName: false,
  format: false,
  indentBy: '  ',
  suppressEmptyNode: false,
  suppressUnpairedNode: true,
  suppressBooleanAttributes: true,
  tagValueProcessor: function (key, a) {
    return a;
  },
  attributeValueProcessor: function (attrName, a) {
    return a;
  },
  preserveOrder: false,
  commentPropName: false,
  unpairedTags: [],
  entities: [
    { regex: new RegExp("&", "g"), val: "&amp;" },//it must be on top
    { regex: new RegExp(">", "g"), val: "&gt;" },
    { regex: new RegExp("<", "g"), val: "&lt;" },
    { regex: new RegExp("\'", "g"), val: "&apos;" },
    { regex: new RegExp("\"", "g"), val: "&quot;" }
  ],
  processEntities: true,
  stopNodes: [],
  // transformTagName: false,
  // transformAttributeName: false,
  oneListGroup: false,
  maxNestedTags: 100,
  jPath: true,  // When true, callbacks receive string jPath; when false, receive Matcher instance
  sanitizeName: false  // false = allow all names as-is (default, backward-compatible).
  // Set to a function (name, { isAttribute, matcher }) => string to
  // validate/sanitize tag and attribute names. Throw inside the function
  // to reject an invalid name.
};

function Builder(options) {
  this.options = Object.assign({}, defaultOptions, options);

  // Convert old-style stopNodes for backward compatibility
  // Old syntax: "*.tag" meant "tag anywhere in tree"
  // New syntax: "..tag" means "tag anywhere in tree"
  if (this.options.stopNodes && Array.isArray(this.options.stopNodes)) {
    this.options.stopNodes = this.options.stopNodes.map(node => {
      if (typeof node === 'string' && node.startsWith('*.')) {
        // Convert old wildcard syntax to deep wildcard
        return '..' + node.substring(2);
      }
      return node;
    });
  }

  // Pre-compile stopNode expressions for pattern matching
  this.stopNodeExpressions = [];
  if (this.options.stopNodes && Array.isArray(this.options.stopNodes)) {
    for (let i = 0; i < this.options.stopNodes.length; i++) {
      const node = this.options.stopNodes[i];
      if (typeof node === 'string') {
        this.stopNodeExpressions.push(new Expression(node));
      } else if (node instanceof Expression) {
        this.stopNodeExpressions.push(node);
      }
    }
  }

  if (this.options.ignoreAttributes === true || this.options.attributesGroupName) {
    this.isAttribute = function (/*a*/) {
      return false;
    };
  } else {
    this.ignoreAttributesFn = getIgnoreAttributesFn(this.options.ignoreAttributes)
    this.attrPrefixLen = this.options.attributeNamePrefix.length;
    this.isAttribute = isAttribute;
  }

  this.processTextOrObjNode = processTextOrObjNode

  if (this.options.format) {
    this.indentate = indentate;
    this.tagEndChar = '>\n';
    this.newLine = '\n';
  } else {
    this.indentate = function () {
      return '';
    };
    this.tagEndChar = '>';
    this.newLine = '';
  }
}

/**
 * Detect XML version from the ?xml declaration at the root of a plain-object input.
 * Checks both attributesGroupName and flat attribute forms.
 * Returns '1.0' if no declaration is found.
 */
function detectXmlVersionFromObj(jObj, options) {
  const decl = jObj['?xml'];
  if (decl && typeof decl === 'object') {
    // attributesGroupName path e.g. { '$$': { '@_version': '1.1' } }
    if (options.attributesGroupName && decl[options.attributesGroupName]) {
      const v = decl[options.attributesGroupName][options.attributeNamePrefix + 'version'];
      if (v) return v;
    }
    // flat attribute path e.g. { '@_version': '1.1' }
    const v = decl[options.attributeNamePrefix + 'version'];
    if (v) return v;
  }
  return '1.0';
}

Builder.prototype.build = function (jObj) {
  if (this.options.preserveOrder) {
    return toXml(jObj, this.options);
  } else {
    if (Array.isArray(jObj) && this.options.arrayNodeName && this.options.arrayNodeName.length > 1) {
      jObj = {
        [this.options.arrayNodeName]: jObj
      }
    }
    // Initialize matcher for path tracking
    const matcher = new Matcher();
    const xmlVersion = detectXmlVersionFromObj(jObj, this.options);
    const qNameValidator = createValidator('qName', { xmlVersion });
    return this.j2x(jObj, 0, matcher, qNameValidator).val;
  }
};

Builder.prototype.j2x = function (jObj, level, matcher, qNameValidator) {
  let attrStr = '';
  let val = '';
  if (this.options.maxNestedTags && matcher.getDepth() >= this.options.maxNestedTags) {
    throw new Error("Maximum nested tags exceeded");
  }
  // Get jPath based on option: string for backward compatibility, or Matcher for new features
  const jPath = this.options.jPath ? matcher.toString() : matcher;

  // Check if current node is a stopNode (will be used for attribute encoding)
  const isCurrentStopNode = this.checkStopNode(matcher);

  for (let key in jObj) {
    if (!Object.prototype.hasOwnProperty.call(jObj, key)) continue;

    // Resolve the key through sanitizeName before any use.
    // Special keys (textNodeName, cdataPropName, commentPropName, attributeNamePrefix,
    // attributesGroupName, "?" PI tags) are exempt — they are builder-internal conventions,
    // not user-supplied XML names.
    const isSpecialKey = key === this.options.textNodeName
      || key === this.options.cdataPropName
      || key === this.options.commentPropName
      || (this.options.attributesGroupName && key === this.options.attributesGroupName)
      || this.isAttribute(key);
    //|| key[0] === '?';

    const resolvedKey = isSpecialKey
      ? key
      : resolveName(key, false, this.options, matcher, qNameValidator);

    if (typeof jObj[key] === 'undefined') {
      // supress undefined node only if it is not an attribute
      if (this.isAttribute(key)) {
        val += '';
      }
    } else if (jObj[key] === null) {
      // null attribute should be ignored by the attribute list, but should not cause the tag closing
      if (this.isAttribute(key)) {
        val += '';
      } else if (resolvedKey === this.options.cdataPropName || resolvedKey === this.options.commentPropName) {
        val += '';
      } else if (resolvedKey[0] === '?') {
        val += this.indentate(level) + '<' + resolvedKey + '?' + this.tagEndChar;
      } else {
        val += this.indentate(level) + '<' + resolvedKey + '/' + this.tagEndChar;
      }
    } else if (jObj[key] instanceof Date) {
      val += this.buildTextValNode(jObj[key], resolvedKey, '', level, matcher);
    } else if (typeof jObj[key] !== 'object') {
      //premitive type
      const attr = this.isAttribute(key);
      if (attr && !this.ignoreAttributesFn(attr, jPath)) {
        // Resolve the attribute name through sanitizeName
        const resolvedAttr = resolveName(attr, true, this.options, matcher, qNameValidator);
        attrStr += this.buildAttrPairStr(resolvedAttr, valToStr(jObj[key]), isCurrentStopNode);
      } else if (!attr) {
        //tag value
        if (key === this.options.textNodeName) {
          let newval = this.options.tagValueProcessor(key, valToStr(jObj[key]));
          val += this.replaceEntitiesValue(newval);
        } else {
          // Check if this is a stopNode before building
          matcher.push(resolvedKey);
          const isStopNode = this.checkStopNode(matcher);
          matcher.pop();

          if (isStopNode) {
            // Build as raw content without encoding
            const textValue = valToStr(jObj[key]);
            if (textValue === '') {
              val += this.indentate(level) + '<' + resolvedKey + this.closeTag(resolvedKey) + this.tagEndChar;
            } else {
              val += this.indentate(level) + '<' + resolvedKey + '>' + textValue + '</' + resolvedKey + this.tagEndChar;
            }
          } else {
            val += this.buildTextValNode(jObj[key], resolvedKey, '', level, matcher);
          }
        }
      }
    } else if (Array.isArray(jObj[key])) {
      //repeated nodes
      const arrLen = jObj[key].length;
      let listTagVal = "";
      let listTagAttr = "";
      for (let j = 0; j < arrLen; j++) {
        const item = jObj[key][j];
        if (typeof item === 'undefined') {
          // supress undefined node
        } else if (item === null) {
          if (resolvedKey[0] === "?") val += this.indentate(level) + '<' + resolvedKey + '?' + this.tagEndChar;
          else val += this.indentate(level) + '<' + resolvedKey + '/' + this.tagEndChar;
        } else if (typeof item === 'object') {
          if (this.options.oneListGroup) {
            // Push tag to matcher before recursive call
            matcher.push(resolvedKey);
            const result = this.j2x(item, level + 1, matcher, qNameValidator);
            // Pop tag from matcher after recursive call
            matcher.pop();

            listTagVal += result.val;
            if (this.options.attributesGroupName && item.hasOwnProperty(this.options.attributesGroupName)) {
              listTagAttr += result.attrStr
            }
          } else {
            listTagVal += this.processTextOrObjNode(item, resolvedKey, level, matcher, qNameValidator)
          }
        } else {
          if (this.options.oneListGroup) {
            let textValue = this.options.tagValueProcessor(resolvedKey, item);
            textValue = this.replaceEntitiesValue(textValue);
            textValue = valToStr(textValue);
            listTagVal += textValue;
          } else {
            // Check if this is a stopNode before building
            matcher.push(resolvedKey);
            const isStopNode = this.checkStopNode(matcher);
            matcher.pop();

            if (isStopNode) {
              // Build as raw content without encoding
              const textValue = valToStr(item);
              if (textValue === '') {
                listTagVal += this.indentate(level) + '<' + resolvedKey + this.closeTag(resolvedKey) + this.tagEndChar;
              } else {
                listTagVal += this.indentate(level) + '<' + resolvedKey + '>' + textValue + '</' + resolvedKey + this.tagEndChar;
              }
            } else {
              listTagVal += this.buildTextValNode(item, resolvedKey, '', level, matcher);
            }
          }
        }
      }
      if (this.options.oneListGroup) {
        listTagVal = this.buildObjectNode(listTagVal, resolvedKey, listTagAttr, level);
      }
      val += listTagVal;
    } else {
      //nested node
      if (this.options.attributesGroupName && key === this.options.attributesGroupName) {
        const Ks = Object.keys(jObj[key]);
        const L = Ks.length;
        for (let j = 0; j < L; j++) {
          // Resolve attribute names inside attributesGroupName
          const resolvedAttr = resolveName(Ks[j], true, this.options, matcher, qNameValidator);
          attrStr += this.buildAttrPairStr(resolvedAttr, valToStr(jObj[key][Ks[j]]), isCurrentStopNode);
        }
      } else {
        val += this.processTextOrObjNode(jObj[key], resolvedKey, level, matcher, qNameValidator)
      }
    }
  }
  return { attrStr: attrStr, val: val };
};

Builder.prototype.buildAttrPairStr = function (attrName, val, isStopNode) {
  if (!isStopNode) {
    val = this.options.attributeValueProcessor(attrName, valToStr(val));
    val = this.replaceEntitiesValue(val);
  }
  if (this.options.suppressBooleanAttributes && val === "true") {
    return ' ' + attrName;
  } else return ' ' + attrName + '="' + escapeAttribute(val) + '"';
}

function processTextOrObjNode(object, key, level, matcher, qNameValidator) {
  // Extract attributes to pass to matcher
  const attrValues = this.extractAttributes(object);

  // Push tag to matcher before recursion WITH attributes
  matcher.push(key, attrValues);

  // Check if this entire node is a stopNode
  const isStopNode = this.checkStopNode(matcher);

  if (isStopNode) {
    // For stopNodes, build raw content without entity encoding
    const rawContent = this.buildRawContent(object, matcher.getDepth());
    const attrStr = this.buildAttributesForStopNode(object);
    matcher.pop();
    return this.buildObjectNode(rawContent, key, attrStr, level);
  }

  const result = this.j2x(object, level + 1, matcher, qNameValidator);
  // Pop tag from matcher after recursion
  matcher.pop();

  // PI/XML-declaration tags must never emit text content — route through
  // buildTextValNode which correctly ignores the text node for "?" tags.
  if (key[0] === '?') {
    return this.buildTextValNode('', key, result.attrStr, level, matcher);
  } else if (object[this.options.textNodeName] !== undefined && Object.keys(object).length === 1) {
    return this.buildTextValNode(object[this.options.textNodeName], key, result.attrStr, level, matcher);
  } else {
    return this.buildObjectNode(result.val, key, result.attrStr, level);
  }
}

// Helper method to extract attributes from an object
Builder.prototype.extractAttributes = function (obj) {
  if (!obj || typeof obj !== 'object') return null;

  const attrValues = {};
  let hasAttrs = false;

  // Check for attributesGroupName (when attributes are grouped)
  if (this.options.attributesGroupName && obj[this.options.attributesGroupName]) {
    const attrGroup = obj[this.options.attributesGroupName];
    for (let attrKey in attrGroup) {
      if (!Object.prototype.hasOwnProperty.call(attrGroup, attrKey)) continue;
      // Remove attribute prefix if present
      const cleanKey = attrKey.startsWith(this.options.attributeNamePrefix)
        ? attrKey.substring(this.options.attributeNamePrefix.length)
        : attrKey;
      attrValues[cleanKey] = escapeAttribute(attrGroup[attrKey]);
      hasAttrs = true;
    }
  } else {
    // Look for individual attributes (prefixed with attributeNamePrefix)
    for (let key in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
      const attr = this.isAttribute(key);
      if (attr) {
        attrValues[attr] = escapeAttribute(obj[key]);
        hasAttrs = true;
      }
    }
  }

  return hasAttrs ? attrValues : null;
};

// Build raw content for stopNode without entity encoding
Builder.prototype.buildRawContent = function (obj, depth = 0) {
  if (this.options.maxNestedTags && depth >= this.options.maxNestedTags) {
    throw new Error("Maximum nested tags exceeded");
  }
  if (typeof obj === 'string') {
    return obj; // Already a string, return as-is
  }

  if (typeof obj !== 'object' || obj === null) {
    return String(obj);
  }

  // Check if this is a stopNode data from parser: { "#text": "raw xml", "@_attr": "val" }
  if (obj[this.options.textNodeName] !== undefined) {
    return obj[this.options.textNodeName]; // Return raw text without encoding
  }

  // Build raw XML from nested structure
  let content = '';

  for (let key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;

    // Skip attributes
    if (this.isAttribute(key)) continue;
    if (this.options.attributesGroupName && key === this.options.attributesGroupName) continue;

    const value = obj[key];

    if (key === this.options.textNodeName) {
      content += value; // Raw text
    } else if (Array.isArray(value)) {
      // Array of same tag
      for (let item of value) {
        if (typeof item === 'string' || typeof item === 'number') {
          content += `<${key}>${item}</${key}>`;
        } else if (typeof item === 'object' && item !== null) {
          const nestedContent = this.buildRawContent(item, depth + 1);
          const nestedAttrs = this.buildAttributesForStopNode(item);
          if (nestedContent === '') {
            content += `<${key}${nestedAttrs}/>`;
          } else {
            content += `<${key}${nestedAttrs}>${nestedContent}</${key}>`;
          }
        }
      }
    } else if (typeof value === 'object' && value !== null) {
      // Nested object
      const nestedContent = this.buildRawContent(value, depth + 1);
      const nestedAttrs = this.buildAttributesForStopNode(value);
      if (nestedContent === '') {
        content += `<${key}${nestedAttrs}/>`;
      } else {
        content += `<${key}${nestedAttrs}>${nestedContent}</${key}>`;
      }
    } else {
      // Primitive value
      content += `<${key}>${value}</${key}>`;
    }
  }

  return content;
};

// Build attribute string for stopNode (no entity encoding)
Builder.prototype.buildAttributesForStopNode = function (obj) {
  if (!obj || typeof obj !== 'object') return '';

  let attrStr = '';

  // Check for attributesGroupName (when attributes are grouped)
  if (this.options.attributesGroupName && obj[this.options.attributesGroupName]) {
    const attrGroup = obj[this.options.attributesGroupName];
    for (let attrKey in attrGroup) {
      if (!Object.prototype.hasOwnProperty.call(attrGroup, attrKey)) continue;
      const cleanKey = attrKey.startsWith(this.options.attributeNamePrefix)
        ? attrKey.substring(this.options.attributeNamePrefix.length)
        : attrKey;
      const val = attrGroup[attrKey];
      if (val === true && this.options.suppressBooleanAttributes) {
        attrStr += ' ' + cleanKey;
      } else {
        // stopNode content is raw, but the quote delimiter is always escaped
        // so a quote in the value cannot break out of the attribute (see orderedJs2Xml attr_to_str)
        attrStr += ' ' + cleanKey + '="' + escapeAttribute(val) + '"';
      }
    }
  } else {
    // Look for individual attributes
    for (let key in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
      const attr = this.isAttribute(key);
      if (attr) {
        const val = obj[key];
        if (val === true && this.options.suppressBooleanAttributes) {
          attrStr += ' ' + attr;
        } else {
          // stopNode content is raw, but the quote delimiter is always escaped
          // so a quote in the value cannot break out of the attribute (see orderedJs2Xml attr_to_str)
          attrStr += ' ' + attr + '="' + escapeAttribute(val) + '"';
        }
      }
    }
  }

  return attrStr;
};

Builder.prototype.buildObjectNode = function (val, key, attrStr, level) {
  if (val === "") {
    if (key[0] === "?") return this.indentate(level) + '<' + key + attrStr + '?' + this.tagEndChar;
    else {
      return this.indentate(level) + '<' + key + attrStr + this.closeTag(key) + this.tagEndChar;
    }
  } else if (key[0] === "?") {
    // PI/XML-declaration tags never have body content — treat them like empty.
    return this.indentate(level) + '<' + key + attrStr + '?' + this.tagEndChar;
  } else {
    let tagEndExp = '</' + key + this.tagEndChar;
    let piClosingChar = "";

    if (key[0] === "?") {
      piClosingChar = "?";
      tagEndExp = "";
    }

    // attrStr is an empty string in case the attribute came as undefined or null
    if ((attrStr || attrStr === '') && val.indexOf('<') === -1) {
      return (this.indentate(level) + '<' + key + attrStr + piClosingChar + '>' + val + tagEndExp);
    } else if (this.options.commentPropName !== false && key === this.options.commentPropName && piClosingChar.length === 0) {
      return this.indentate(level) + `<!--${safeComment(val)}-->` + this.newLine;
    } else {
      return (
        this.indentate(level) + '<' + key + attrStr + piClosingChar + this.tagEndChar +
        val +
        this.indentate(level) + tagEndExp);
    }
  }
}

Builder.prototype.closeTag = function (key) {
  let closeTag = "";
  if (this.options.unpairedTags.indexOf(key) !== -1) { //unpaired
    if (!this.options.suppressUnpairedNode) closeTag = "/"
  } else if (this.options.suppressEmptyNode) { //empty
    closeTag = "/";
  } else {
    closeTag = `></${key}`
  }
  return closeTag;
}

Builder.prototype.checkStopNode = function (matcher) {
  if (!this.stopNodeExpressions || this.stopNodeExpressions.length === 0) return false;

  for (let i = 0; i < this.stopNodeExpressions.length; i++) {
    if (matcher.matches(this.stopNodeExpressions[i])) {
      return true;
    }
  }
  return false;
}

function buildEmptyObjNode(val, key, attrStr, level) {
  if (val !== '') {
    return this.buildObjectNode(val, key, attrStr, level);
  } else {
    if (key[0] === "?") return this.indentate(level) + '<' + key + attrStr + '?' + this.tagEndChar;
    else {
      return this.indentate(level) + '<' + key + attrStr + '/' + this.tagEndChar;
    }
  }
}

Builder.prototype.buildTextValNode = function (val, key, attrStr, level, matcher) {
  if (this.options.cdataPropName !== false && key === this.options.cdataPropName) {
    const safeVal = safeCdata(val);
    return this.indentate(level) + `<![CDATA[${safeVal}]]>` + this.newLine;
  } else if (this.options.commentPropName !== false && key === this.options.commentPropName) {
    const safeVal = safeComment(val);
    return this.indentate(level) + `<!--${safeVal}-->` + this.newLine;
  } else if (key[0] === "?") {//PI tag
    return this.indentate(level) + '<' + key + attrStr + '?' + this.tagEndChar;
  } else {
    // Normal processing: apply tagValueProcessor and entity replacement
    let textValue = this.options.tagValueProcessor(key, val);
    textValue = this.replaceEntitiesValue(textValue);
    // tagValueProcessor may return the raw value unchanged (default is identity), and
    // replaceEntitiesValue no-ops on non-strings, so a plain number can still reach here;
    // stringify it now, sign-preserving, before it's implicitly ToString'd below.
    textValue = valToStr(textValue);

    if (textValue === '') {
      return this.indentate(level) + '<' + key + attrStr + this.closeTag(key) + this.tagEndChar;
    } else {
      return this.indentate(level) + '<' + key + attrStr + '>' +
        textValue +
        '</' + key + this.tagEndChar;
    }
  }
}

Builder.prototype.replaceEntitiesValue = function (textValue) {
  if (textValue && textValue.length > 0 && this.options.processEntities) {
    for (let i = 0; i < this.options.entities.length; i++) {
      const entity = this.options.entities[i];
      textValue = textValue.replace(entity.regex, entity.val);
    }
  }
  return textValue;
}

function indentate(level) {
  return this.options.indentBy.repeat(level);
}

function isAttribute(name /*, options*/) {
  if (name.startsWith(this.options.attributeNamePrefix) && name !== this.options.textNodeName) {
    return name.substr(this.attrPrefixLen);
  } else {
    return false;
  }
}
;// CONCATENATED MODULE: ./node_modules/fast-xml-parser/src/xmlbuilder/json2xml.js
// Re-export from fast-xml-builder for backward compatibility

/* harmony default export */ const json2xml = (Builder);

// If there are any named exports you also want to re-export:

;// CONCATENATED MODULE: ./src/report/format.ts
/** `850ms`, `4.2s`, `3m 04s`, `1h 02m`. */
function formatDuration(ms) {
    if (!Number.isFinite(ms) || ms < 0)
        return '0ms';
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    // 59.96s would print as "60.0s"; from there on minutes read better.
    if (ms < 59_950)
        return `${(ms / 1000).toFixed(1)}s`;
    const s = Math.round(ms / 1000);
    if (s < 3600)
        return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
    return `${Math.floor(s / 3600)}h ${pad2(Math.floor((s % 3600) / 60))}m`;
}
const pad2 = (n) => String(n).padStart(2, '0');
/** The last `lines` lines of `text` (trailing blank lines dropped), noting how many were left out. */
function tail(text, lines) {
    const all = text.replace(/\s+$/, '').split('\n');
    if (all.length <= lines)
        return all.join('\n');
    const left = all.length - lines;
    return [`… ${left} earlier ${left === 1 ? 'line' : 'lines'} …`, ...all.slice(-lines)].join('\n');
}
/** Prefixes every non-empty line. */
function indent(text, prefix = '    ') {
    return text
        .split('\n')
        .map(line => (line === '' ? line : `${prefix}${line}`))
        .join('\n');
}
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ansi = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
/** Removes terminal colour and cursor sequences. */
function format_stripAnsi(text) {
    return text.replace(ansi, '');
}
/** `1 test`, `3 tests`. */
function plural(n, word, many = `${word}s`) {
    return `${n} ${n === 1 ? word : many}`;
}
/** Outcomes that make a run fail. */
const failingOutcomes = new Set(['failed', 'timed-out', 'error', 'cancelled']);
/** Upper-case labels, for lines and for the summary. */
const outcomeLabels = {
    passed: 'PASS',
    failed: 'FAIL',
    flaky: 'FLAKY',
    'timed-out': 'TIMEOUT',
    error: 'ERROR',
    cancelled: 'CANCEL',
    skipped: 'SKIP'
};
/** The first non-blank line of a message, cut to `max` characters. */
function format_firstLine(text, max = 200) {
    const line = text
        .split('\n')
        .map(l => l.trim())
        .find(l => l !== '') ?? '';
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

;// CONCATENATED MODULE: ./src/report/xml-text.ts
/** Text made safe for XML 1.0: what escaping alone cannot fix. The builder escapes `<&"'>`. */

// Everything outside XML 1.0's Char production: C0 controls but tab/newline/CR, lone
// surrogates (the `u` flag makes the range match only unpaired ones), U+FFFE and U+FFFF.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const notXmlChar = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/gu;
/** Element text: colours removed, characters XML cannot carry shown as `\xNN` (or U+FFFD). */
function xmlText(text) {
    return format_stripAnsi(text ?? '').replace(notXmlChar, ch => {
        const code = ch.charCodeAt(0);
        return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : '\ufffd';
    });
}
/** Attribute text: as xmlText, on one line (parsers turn newlines in attributes into spaces anyway). */
function xmlAttribute(text) {
    return xmlText(text).replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

;// CONCATENATED MODULE: ./src/report/junit.ts
/**
 * One merged JUnit XML file for the whole run. A <testsuite> per suite (the test's suite, else
 * its file, else the framework). Flaky tests pass with a <flakyFailure> per failed attempt;
 * failed tests that were retried carry a <rerunFailure> per extra failed attempt (the
 * Surefire conventions that CI test viewers read).
 */





/** Writes the JUnit file once the run has finished. */
class JunitReporter {
    options;
    finished;
    framework = 'squall';
    constructor(options) {
        this.options = options;
    }
    onEvent(event) {
        if (event.type === 'run-started')
            this.framework = event.framework;
        if (event.type === 'run-finished')
            this.finished = { summary: event.summary, tests: event.tests };
    }
    async finish() {
        if (!this.finished)
            return;
        const xml = renderJunit(this.finished.tests, this.finished.summary, this.framework, this.options.name);
        await (0,promises_namespaceObject.mkdir)((0,external_node_path_.dirname)(this.options.path), { recursive: true });
        await (0,promises_namespaceObject.writeFile)(this.options.path, xml);
    }
}
/** The JUnit document for a finished run. Pure. */
function renderJunit(tests, summary, framework, name = 'squall') {
    const suites = new Map();
    for (const test of tests) {
        const suite = test.suite ?? test.file ?? framework;
        const list = suites.get(suite);
        if (list)
            list.push(test);
        else
            suites.set(suite, [test]);
    }
    const timestamp = new Date(summary.startedAt).toISOString().replace(/\.\d{3}Z$/, '');
    const doc = {
        '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
        testsuites: {
            '@_name': xmlAttribute(name),
            ...counts(tests),
            '@_time': seconds(summary.durationMs),
            '@_timestamp': timestamp,
            testsuite: [...suites].map(([suite, list]) => ({
                '@_name': xmlAttribute(suite),
                ...counts(list),
                '@_time': seconds(list.reduce((sum, t) => sum + t.durationMs, 0)),
                '@_timestamp': timestamp,
                testcase: list.map(test => testcase(test, suite))
            }))
        }
    };
    const builder = new json2xml({
        ignoreAttributes: false,
        attributeNamePrefix: '@_',
        format: true,
        suppressEmptyNode: true,
        processEntities: true
    });
    return builder.build(doc);
}
function counts(tests) {
    const count = (...outcomes) => tests.filter(t => outcomes.includes(t.outcome)).length;
    return {
        '@_tests': tests.length,
        '@_failures': count('failed'),
        '@_errors': count('timed-out', 'error', 'cancelled'),
        '@_skipped': count('skipped')
    };
}
function testcase(test, classname) {
    const node = {
        '@_name': xmlAttribute(test.name),
        '@_classname': xmlAttribute(classname),
        '@_time': seconds(test.durationMs)
    };
    if (test.file)
        node['@_file'] = xmlAttribute(test.file);
    if (test.line)
        node['@_line'] = test.line;
    const failed = test.attempts.filter(a => failingOutcomes.has(a.status));
    const last = failed[failed.length - 1] ?? test.attempts[test.attempts.length - 1];
    switch (test.outcome) {
        case 'skipped': {
            const message = test.attempts.find(a => a.message)?.message;
            node.skipped = message ? { '@_message': xmlAttribute(format_firstLine(message, 500)) } : '';
            break;
        }
        case 'flaky':
            node.flakyFailure = failed.map(rerun);
            break;
        case 'failed':
            node.failure = verdict(last, 'failed');
            if (failed.length > 1)
                node.rerunFailure = failed.slice(0, -1).map(rerun);
            break;
        case 'timed-out':
        case 'error':
        case 'cancelled':
            node.error = verdict(last, test.outcome);
            if (failed.length > 1)
                node.rerunFailure = failed.slice(0, -1).map(rerun);
            break;
        default:
            break;
    }
    return node;
}
/** <failure>/<error>: the message in the attribute, message and output in the body. */
function verdict(attempt, type) {
    const body = [attempt?.message, attempt?.output].filter(text => text && text.trim() !== '').join('\n\n');
    const node = { '@_message': message(attempt, type), '@_type': type };
    if (body !== '')
        node['#text'] = xmlText(body);
    return node;
}
/** <flakyFailure>/<rerunFailure>: one failed attempt, Surefire style. */
function rerun(attempt) {
    const node = { '@_message': message(attempt, attempt.status), '@_type': attempt.status };
    if (attempt.message)
        node.stackTrace = xmlText(attempt.message);
    if (attempt.output && attempt.output.trim() !== '')
        node['system-out'] = xmlText(attempt.output);
    return node;
}
function message(attempt, fallback) {
    const text = attempt?.message ? format_firstLine(attempt.message, 500) : '';
    return xmlAttribute(text !== '' ? text : fallback);
}
const seconds = (ms) => (Math.max(0, ms) / 1000).toFixed(3);

;// CONCATENATED MODULE: ./src/report/terminal-summary.ts

const plainStyle = { paint: (_o, text) => text, dim: text => text };
function renderSummary(summary, tests, options = {}, style = plainStyle) {
    const lines = [];
    const bad = tests.filter(t => failingOutcomes.has(t.outcome));
    if (bad.length > 0) {
        lines.push('', style.paint('failed', `Failures (${bad.length}):`));
        for (const test of bad)
            lines.push(...failure(test, options, style));
    }
    const flaky = tests.filter(t => t.outcome === 'flaky');
    if (flaky.length > 0) {
        lines.push('', style.paint('flaky', `Flaky (${flaky.length}), passed on a retry:`));
        for (const test of flaky) {
            const failed = test.attempts.filter(a => a.status !== 'passed' && a.status !== 'skipped');
            const why = failed[0]?.message ? `: ${format_firstLine(format_stripAnsi(failed[0].message))}` : '';
            lines.push(`  ${title(test)} ${style.dim(`(failed ${failed.length} of ${test.attempts.length} attempts)`)}${why}`);
        }
    }
    const slowest = slowestTests(tests, options.slowest ?? 10);
    if (slowest.length > 0) {
        lines.push('', 'Slowest:');
        for (const test of slowest)
            lines.push(`  ${formatDuration(test.durationMs).padStart(8)}  ${title(test)}`);
    }
    lines.push('', totalsLine(summary, tests), resultLine(summary, style));
    return `${lines.join('\n')}\n`;
}
/** `3 passed, 2 failed, 1 flaky, 1 skipped`: failed counts timed-out, errored and cancelled tests. */
function resultLine(summary, style = plainStyle) {
    const failed = summary.failed + summary.errored;
    const parts = [
        style.paint(summary.passed > 0 ? 'passed' : 'none', `${summary.passed} passed`),
        style.paint(failed > 0 ? 'failed' : 'none', `${failed} failed`)
    ];
    if (summary.flaky > 0)
        parts.push(style.paint('flaky', `${summary.flaky} flaky`));
    if (summary.skipped > 0)
        parts.push(style.paint('skipped', `${summary.skipped} skipped`));
    return parts.join(', ');
}
/** `7 tests in 5 jobs, 42.1s on 2 workers; of the failed: 1 timed out, 1 errored`. */
function totalsLine(summary, tests) {
    const count = (outcome) => tests.filter(t => t.outcome === outcome).length;
    const notes = [
        count('timed-out') ? `${count('timed-out')} timed out` : '',
        count('error') ? `${count('error')} errored` : '',
        count('cancelled') ? `${count('cancelled')} cancelled` : ''
    ].filter(Boolean);
    let line = `${plural(summary.tests, 'test')} in ${plural(summary.jobs, 'job')}, ${formatDuration(summary.durationMs)} on ${plural(summary.workers.length, 'worker')}`;
    if (notes.length > 0)
        line += `; of the failed: ${notes.join(', ')}`;
    if (summary.exitCode !== 0 && summary.failed + summary.errored === 0 && summary.flaky > 0) {
        line += '; flaky tests fail this run';
    }
    const transport = Object.entries(summary.transport ?? {});
    if (transport.length > 0)
        line += `; transport: ${transport.map(([k, v]) => `${k} ${v}`).join(', ')}`;
    return line;
}
function failure(test, options, style) {
    const last = [...test.attempts].reverse().find(a => a.status !== 'passed' && a.status !== 'skipped');
    const where = test.file ? ` ${style.dim(`${test.file}${test.line ? `:${test.line}` : ''}`)}` : '';
    const attempts = test.attempts.length > 1 ? ` ${style.dim(`(${test.attempts.length} attempts)`)}` : '';
    const lines = ['', `  ${style.paint(test.outcome, outcomeLabels[test.outcome])} ${title(test)}${where}${attempts}`];
    if (last?.message)
        lines.push(indent(head(format_stripAnsi(last.message), options.messageLines ?? 30), '      '));
    if (last?.output && last.output.trim() !== '') {
        lines.push(indent(tail(format_stripAnsi(last.output), options.outputLines ?? 20), `      ${style.dim('│')} `));
    }
    return lines;
}
/** The name, with its suite in front unless the name already says it. */
function title(test) {
    if (!test.suite || test.name.startsWith(test.suite) || test.suite === test.file)
        return test.name;
    return `${test.suite} › ${test.name}`;
}
function head(text, lines) {
    const all = text.replace(/\s+$/, '').split('\n');
    if (all.length <= lines)
        return all.join('\n');
    return [...all.slice(0, lines), `… ${all.length - lines} more lines …`].join('\n');
}
/** The `n` slowest tests that ran; nothing when fewer than two ran (a list of one says nothing). */
function slowestTests(tests, n) {
    const ran = tests.filter(t => t.outcome !== 'skipped' && t.durationMs > 0);
    if (ran.length < 2 || n <= 0)
        return [];
    return [...ran].sort((a, b) => b.durationMs - a.durationMs).slice(0, n);
}

;// CONCATENATED MODULE: ./src/report/terminal.ts


/** Minimum ms between two redraws of the progress line. */
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\u001b[2K';
class TerminalReporter {
    options;
    total = 0;
    done = 0;
    failed = 0;
    /** `id#attempt` of attempts started and not yet finished or requeued. */
    running = new Set();
    startedAt;
    lastDraw = Number.NEGATIVE_INFINITY;
    lineShown = false;
    /** After the summary, no progress line may appear below it. */
    over = false;
    trailing;
    ticker;
    color;
    now;
    style;
    constructor(options) {
        this.options = options;
        this.color = options.color ?? (options.tty && !process.env.NO_COLOR);
        this.now = options.now ?? Date.now;
        this.startedAt = this.now();
        this.style = { paint: (outcome, text) => this.paint(outcome, text), dim: text => this.dim(text) };
    }
    onEvent(event) {
        switch (event.type) {
            case 'run-started':
                this.total = event.jobs;
                this.startedAt = event.at;
                this.print(`squall: ${plural(event.tests, 'test')} in ${plural(event.jobs, 'job')} (${event.framework})`);
                // The elapsed time keeps moving while nothing else does.
                if (this.options.tty)
                    this.ticker = setInterval(() => this.draw(), 1000).unref();
                break;
            case 'worker-joined': {
                const labels = event.labels.length > 0 ? `, labels ${event.labels.join(', ')}` : '';
                this.print(`worker ${event.worker} joined (${plural(event.slots, 'slot')}${labels})`);
                break;
            }
            case 'worker-left':
                this.print(`worker ${event.worker} left: ${event.reason}`);
                break;
            case 'job-started':
                this.running.add(key(event.job.id, event.job.attempt));
                if (this.options.verbose)
                    this.print(`START   ${event.job.name} ${this.dim(`(${event.worker})`)}`);
                else
                    this.draw();
                break;
            case 'job-requeued':
                this.running.delete(key(event.job.id, event.job.attempt));
                this.print(`requeued ${event.job.name} from ${event.worker || 'the queue'}: ${event.reason}`);
                break;
            case 'job-finished':
                this.finished(event.result, event.job.name, event.retry);
                break;
            case 'log':
                if (event.level !== 'debug' || this.options.verbose)
                    this.print(`${event.level}: ${event.message}`);
                break;
            case 'run-finished':
                this.over = true;
                this.stopTimers();
                this.clearLine();
                this.options.out.write(renderSummary(event.summary, event.tests, { slowest: this.options.slowest, outputLines: this.options.outputLines }, this.style));
                break;
            default:
                break;
        }
    }
    async finish() {
        this.over = true;
        this.stopTimers();
        this.clearLine();
    }
    finished(result, name, retry) {
        this.running.delete(key(result.id, result.attempt));
        if (!retry) {
            this.done++;
            if (result.status !== 'passed')
                this.failed++;
        }
        if (this.options.tty && result.status === 'passed' && !this.options.verbose)
            return this.draw();
        // A pass after failed attempts is what makes a test flaky.
        const outcome = result.status === 'passed' && result.attempt > 1 ? 'flaky' : result.status;
        const details = [formatDuration(result.durationMs), result.worker || 'no worker'];
        if (result.attempt > 1)
            details.push(`attempt ${result.attempt}`);
        const why = result.status === 'passed' ? '' : `: ${reason(result)}`;
        const label = this.paint(outcome, outcomeLabels[outcome].padEnd(7));
        this.print(`${label} ${name} ${this.dim(`(${details.join(', ')})`)}${why}${retry ? ' — retrying' : ''}`);
    }
    draw() {
        if (!this.options.tty || this.over)
            return;
        const now = this.now();
        if (now - this.lastDraw < REDRAW_MS) {
            // Throttled: make sure the latest counts still show once the burst is over.
            this.trailing ??= setTimeout(() => {
                this.trailing = undefined;
                this.draw();
            }, REDRAW_MS).unref();
            return;
        }
        this.lastDraw = now;
        const parts = [
            `${this.done}/${this.total} jobs`,
            this.paint(this.failed > 0 ? 'failed' : 'none', `${this.failed} failed`),
            `${this.running.size} running`,
            formatDuration(now - this.startedAt)
        ];
        let line = parts.join(' · ');
        const columns = this.options.out.columns;
        // A line wider than the terminal wraps, and \r would then redraw only its last row.
        if (columns && !this.color && line.length >= columns)
            line = line.slice(0, columns - 1);
        this.options.out.write(`${CLEAR_LINE}${line}`);
        this.lineShown = true;
    }
    clearLine() {
        if (this.lineShown)
            this.options.out.write(CLEAR_LINE);
        this.lineShown = false;
    }
    /** A line above the progress line (or a plain line), then the progress line again. */
    print(text) {
        this.clearLine();
        this.options.out.write(`${text}\n`);
        this.draw();
    }
    stopTimers() {
        clearInterval(this.ticker);
        clearTimeout(this.trailing);
        this.ticker = undefined;
        this.trailing = undefined;
    }
    paint(outcome, text) {
        if (!this.color)
            return text;
        const code = outcome === 'passed' ? 32 : outcome === 'flaky' || outcome === 'skipped' ? 33 : outcome === 'none' ? 0 : 31;
        return code === 0 ? text : `\u001b[${code}m${text}\u001b[0m`;
    }
    dim(text) {
        return this.color ? `\u001b[2m${text}\u001b[0m` : text;
    }
}
const key = (id, attempt) => `${id}#${attempt}`;
/** One line on why an attempt did not pass. */
function reason(result) {
    if (result.message)
        return format_firstLine(format_stripAnsi(result.message));
    if (result.signal)
        return `killed by ${result.signal}`;
    if (result.exitCode !== null)
        return `exit code ${result.exitCode}`;
    return result.status;
}

;// CONCATENATED MODULE: ./src/runner/retry.ts
const retryable = new Set(['failed', 'timed-out', 'error']);
/** Ids of the cases that failed in an attempt (what a narrowed retry runs again). */
function failedCaseIds(result) {
    return (result.cases ?? [])
        .filter(c => c.status === 'failed' || c.status === 'error')
        .map(c => c.id);
}
/**
 * The job to submit for another attempt after `result` of `job`, or undefined when this
 * attempt is final. A failed, timed-out or errored attempt runs again while attempts are
 * left; a cancelled one does not (someone chose to stop it), nor one that never reached a
 * worker (no worker could take it: another try would wait for the same nobody). The retry
 * avoids every worker that ran an earlier attempt, and runs only the failing cases when the
 * framework can narrow a job and the failure is explained by them.
 */
function nextAttempt(job, result, policy, previousWorkers = []) {
    if (!retryable.has(result.status))
        return undefined;
    if (job.attempt > policy.retries)
        return undefined;
    if (result.worker === '' && result.startedAt === 0)
        return undefined;
    const failedTests = result.status === 'failed' ? failedCaseIds(result) : [];
    const base = policy.framework.retryJob && failedTests.length > 0
        ? policy.framework.retryJob(job, failedTests)
        : job;
    const avoid = [
        ...new Set([...(job.avoidWorkers ?? []), ...previousWorkers, result.worker])
    ].filter(w => w !== '');
    return { ...base, id: job.id, attempt: job.attempt + 1, failedBefore: true, avoidWorkers: avoid };
}

;// CONCATENATED MODULE: ./src/runner/history.ts

/** Statuses whose duration says how long the work takes (a timeout is a lower bound, still useful). */
const measured = new Set(['passed', 'failed', 'timed-out']);
/**
 * Records one sample per item (from the first attempt that ran it: retries may be narrowed
 * and would understate it) and whether the item failed in any attempt. Durations come from
 * `framework.itemDurations`, else the attempt's duration split evenly over its items.
 */
function recordRun(store, framework, entries) {
    for (const entry of entries) {
        const samples = new Map();
        const failed = new Set();
        for (const { job, result } of entry.attempts) {
            const items = itemsOf(job);
            if (result.status !== 'passed')
                for (const id of failingItems(items, result))
                    failed.add(id);
            if (!measured.has(result.status) || result.worker === '')
                continue;
            for (const [id, ms] of durations(framework, job, result, items)) {
                if (!samples.has(id))
                    samples.set(id, ms);
            }
        }
        for (const id of itemsOf(entry.job)) {
            const ms = samples.get(id);
            if (ms !== undefined)
                store.record(id, ms, failed.has(id));
            else
                store.setFailed(id, failed.has(id));
        }
        // Items the framework reported durations for outside the planned list (renamed, split).
        for (const [id, ms] of samples)
            if (!itemsOf(entry.job).includes(id))
                store.record(id, ms, failed.has(id));
    }
}
function itemsOf(job) {
    const tests = job.framework?.tests;
    return tests && tests.length > 0 ? tests : [job.id];
}
function durations(framework, job, result, items) {
    const own = framework.itemDurations?.(job, result);
    if (own && own.size > 0)
        return own;
    const each = result.durationMs / items.length;
    return new Map(items.map(id => [id, each]));
}
/**
 * The items to blame for a failing attempt: those a failing case names (by id or file) when
 * any does, else every item of the attempt (the job failed as a whole).
 */
function failingItems(items, result) {
    if (result.status !== 'failed')
        return items;
    const ids = new Set(failedCaseIds(result));
    const files = new Set((result.cases ?? []).filter(c => ids.has(c.id)).map(c => c.file));
    const named = items.filter(id => ids.has(id) || files.has(id));
    return named.length > 0 ? named : items;
}

;// CONCATENATED MODULE: ./src/runner/outcomes.ts
const failing = new Set(['failed', 'timed-out', 'error', 'cancelled']);
/**
 * The last attempt that says something decides; skipped attempts are neutral (a narrowed
 * retry may skip what passed before). A pass after any failing attempt is flaky.
 */
function decideOutcome(statuses) {
    const ran = statuses.filter(s => s !== 'skipped');
    const last = ran[ran.length - 1];
    if (last === undefined)
        return statuses.length > 0 ? 'skipped' : 'error';
    if (last === 'passed' && ran.slice(0, -1).some(s => failing.has(s)))
        return 'flaky';
    return last;
}
/** Per-test outcomes, in planning order (cases in the order first reported). */
function computeOutcomes(entries) {
    const tests = [];
    for (const entry of entries) {
        if (entry.attempts.length === 0)
            continue;
        const reportsCases = entry.attempts.some(a => a.result.cases !== undefined);
        const cases = reportsCases ? caseOutcomes(entry) : [];
        tests.push(...cases);
        const unexplained = entry.attempts.some(a => !explained(a.result));
        if (!reportsCases || unexplained || cases.length === 0) {
            const taken = new Set(cases.map(t => t.id));
            tests.push(jobOutcome(entry, taken.has(entry.job.id) ? `${entry.job.id}#job` : entry.job.id));
        }
    }
    return tests;
}
/** Counts, per-worker utilisation and the exit code (0 or 1; 3 is the caller's to decide). */
function summarize(input) {
    const count = (...outcomes) => input.tests.filter(t => outcomes.includes(t.outcome)).length;
    const failed = count('failed');
    const flaky = count('flaky');
    const errored = count('timed-out', 'error', 'cancelled');
    const workers = new Map();
    for (const [id, slots] of input.slots)
        workers.set(id, { id, jobs: 0, busyMs: 0, slots });
    for (const entry of input.entries) {
        for (const { result } of entry.attempts) {
            if (result.worker === '')
                continue;
            const worker = workers.get(result.worker) ?? {
                id: result.worker,
                jobs: 0,
                busyMs: 0,
                slots: 1
            };
            worker.jobs++;
            worker.busyMs += result.durationMs;
            workers.set(result.worker, worker);
        }
    }
    const bad = failed + errored > 0 || (input.failOnFlaky && flaky > 0);
    return {
        startedAt: input.startedAt,
        durationMs: Math.max(0, input.finishedAt - input.startedAt),
        jobs: input.entries.length,
        tests: input.tests.length,
        passed: count('passed'),
        failed,
        flaky,
        skipped: count('skipped'),
        errored,
        exitCode: bad ? 1 : 0,
        workers: [...workers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    };
}
/** True when the attempt passed, or failed only because some of its cases failed. */
function explained(result) {
    if (result.status === 'passed')
        return true;
    if (result.status !== 'failed')
        return false;
    return (result.cases ?? []).some(c => c.status === 'failed' || c.status === 'error');
}
function caseOutcomes(entry) {
    const byId = new Map();
    for (const { result } of entry.attempts) {
        for (const c of result.cases ?? []) {
            const record = {
                attempt: result.attempt,
                worker: result.worker,
                status: c.status,
                durationMs: c.durationMs,
                ...(c.message !== undefined ? { message: c.message } : {}),
                ...(c.output !== undefined ? { output: c.output } : {})
            };
            const seen = byId.get(c.id);
            if (seen) {
                seen.last = c;
                seen.attempts.push(record);
            }
            else
                byId.set(c.id, { first: c, last: c, attempts: [record] });
        }
    }
    return [...byId].map(([id, { first, last, attempts }]) => {
        const test = {
            id,
            name: last.name,
            outcome: decideOutcome(attempts.map(a => a.status)),
            durationMs: last.durationMs,
            attempts
        };
        const suite = last.suite ?? first.suite;
        const file = last.file ?? first.file;
        const line = last.line ?? first.line;
        if (suite !== undefined)
            test.suite = suite;
        if (file !== undefined)
            test.file = file;
        if (line !== undefined)
            test.line = line;
        return test;
    });
}
function jobOutcome(entry, id) {
    // An attempt that failed only through its cases is those cases' business, not the job's.
    const counted = entry.attempts.filter(a => a.result.status === 'passed' || !explained(a.result));
    const attempts = entry.attempts.map(({ result }) => jobAttempt(result));
    const last = entry.attempts[entry.attempts.length - 1];
    return {
        id,
        name: entry.job.name,
        outcome: decideOutcome(counted.map(a => a.result.status)),
        durationMs: last.result.durationMs,
        attempts
    };
}
function jobAttempt(result) {
    const record = {
        attempt: result.attempt,
        worker: result.worker,
        status: result.status,
        durationMs: result.durationMs
    };
    const message = jobMessage(result);
    if (message !== undefined)
        record.message = message;
    const output = [result.stdout.text, result.stderr.text].filter(t => t !== '').join('\n');
    if (output !== '')
        record.output = output;
    return record;
}
/** Why an attempt did not pass, in one line: the reason or exit status, and stderr's last line. */
function jobMessage(result) {
    if (result.status === 'passed')
        return result.message;
    const lastLine = (text) => text
        .split('\n')
        .map(l => l.trim())
        .filter(l => l !== '')
        .pop();
    const how = result.message ??
        (result.signal !== null
            ? `killed by ${result.signal}`
            : result.exitCode !== null
                ? `exit code ${result.exitCode}`
                : result.status);
    const detail = lastLine(result.stderr.text) ?? lastLine(result.stdout.text);
    return detail !== undefined && detail !== how ? `${how}: ${detail}` : how;
}

;// CONCATENATED MODULE: ./src/runner/session.ts
/**
 * The runner's side of one link to the broker: hello → welcome → submit → progress and
 * results (with retries) until every job has its final attempt, then `done`. Turns broker
 * messages into run events; knows nothing of listing, planning or history.
 */




/** Jobs per submit message: keeps frames moderate on slow transports. */
const SUBMIT_CHUNK = 500;
const session_key = (ref) => `${ref.id}#${ref.attempt}`;
/** A default runner id: host and pid, unique enough in one cluster. */
function defaultRunnerId() {
    return `runner-${(0,external_node_os_namespaceObject.hostname)()}-${process.pid}`;
}
/** Drives one run over `link`; resolves when every job is final, rejects with ClusterError. */
function runSession(options) {
    return new Session(options).start();
}
class Session {
    o;
    entries = new Map();
    /** The spec of every attempt submitted, by id#attempt. */
    specs = new Map();
    slots = new Map();
    open;
    ended = false;
    welcomed = false;
    brokerHeartbeats = false;
    lastHeard;
    lastError;
    timers = [];
    resolve;
    reject;
    constructor(o) {
        this.o = o;
        for (const job of o.jobs) {
            if (this.entries.has(job.id))
                throw new Error(`the plan has two jobs with id '${job.id}'`);
            this.entries.set(job.id, { job, attempts: [] });
            this.specs.set(session_key(job), job);
        }
        this.open = o.jobs.length;
        this.lastHeard = o.now();
    }
    start() {
        const done = new Promise((resolve, reject) => {
            this.resolve = resolve;
            this.reject = reject;
        });
        this.timers.push(setTimeout(() => {
            if (!this.welcomed) {
                this.fail(`the broker at ${this.o.link.peer} did not answer within ${this.o.welcomeTimeoutMs} ms`);
            }
        }, this.o.welcomeTimeoutMs));
        this.o.link.onMessage(message => {
            if (this.ended)
                return;
            this.lastHeard = this.o.now();
            try {
                this.onMessage(message);
            }
            catch (error) {
                // A listener that throws must not leave the run hanging.
                this.end(error instanceof Error ? error : new Error(String(error)));
            }
        });
        this.o.link.onClose(error => {
            const why = this.lastError ?? (error ? errorMessage(error) : 'the link closed');
            this.fail(`lost the broker: ${why}`);
        });
        this.o.link.send({
            type: 'hello',
            version: PROTOCOL_VERSION,
            role: 'runner',
            id: this.o.runnerId
        });
        return done.finally(() => {
            for (const timer of this.timers)
                clearTimeout(timer);
        });
    }
    onMessage(message) {
        switch (message.type) {
            case 'welcome':
                return this.onWelcome(message.heartbeatMs);
            case 'progress':
                for (const event of message.events)
                    this.onProgress(event);
                return;
            case 'result':
                return this.onResults(message.results);
            case 'heartbeat':
                this.brokerHeartbeats = true;
                return;
            case 'error':
                this.lastError = `${message.code}: ${message.message}`;
                return this.fail(this.welcomed
                    ? `the broker reported an error: ${this.lastError}`
                    : `the broker refused the runner: ${this.lastError}`);
            default:
                this.log('debug', `ignoring '${message.type}' from the broker`);
        }
    }
    onWelcome(heartbeatMs) {
        if (this.welcomed)
            return;
        this.welcomed = true;
        this.keepAlive(heartbeatMs);
        const jobs = this.o.jobs;
        for (let i = 0; i < jobs.length; i += SUBMIT_CHUNK) {
            this.o.link.send({ type: 'submit', jobs: jobs.slice(i, i + SUBMIT_CHUNK) });
        }
        if (this.open === 0)
            this.complete();
    }
    /**
     * Heartbeats prove the runner is alive. A broker that sends heartbeats and then falls
     * silent for three periods is gone even if the link has not noticed (store transports);
     * one that never sends them is trusted to close the link instead.
     */
    keepAlive(heartbeatMs) {
        if (!(heartbeatMs > 0))
            return;
        const period = Math.max(100, Math.floor(heartbeatMs / 3));
        const beat = setInterval(() => {
            this.o.link.send({ type: 'heartbeat', at: this.o.now() });
            const silent = this.o.now() - this.lastHeard;
            if (this.brokerHeartbeats && silent > heartbeatMs * 3) {
                this.fail(`lost the broker: silent for ${Math.round(silent / 1000)} s`);
            }
        }, period);
        beat.unref();
        this.timers.push(beat);
    }
    onProgress(event) {
        const emit = this.o.onEvent;
        switch (event.kind) {
            case 'started': {
                const job = this.specs.get(session_key(event.job));
                if (job)
                    emit({ type: 'job-started', at: event.at, job, worker: event.worker });
                return;
            }
            case 'worker-joined':
                this.slots.set(event.worker, event.slots);
                emit({
                    type: 'worker-joined',
                    at: event.at,
                    worker: event.worker,
                    slots: event.slots,
                    labels: event.labels
                });
                return;
            case 'worker-left':
                emit({ type: 'worker-left', at: event.at, worker: event.worker, reason: event.reason });
                return;
            case 'requeued': {
                const job = this.specs.get(session_key(event.job));
                if (job)
                    emit({
                        type: 'job-requeued',
                        at: event.at,
                        job,
                        worker: event.worker,
                        reason: event.reason
                    });
                return;
            }
        }
    }
    onResults(results) {
        const retries = [];
        for (const result of results) {
            const job = this.specs.get(session_key(result));
            const entry = this.entries.get(result.id);
            if (!job || !entry || entry.attempts.some(a => a.result.attempt === result.attempt)) {
                this.log('debug', `ignoring a result for unknown or finished job ${session_key(result)}`);
                continue;
            }
            const previous = entry.attempts.map(a => a.result.worker);
            entry.attempts.push({ job, result });
            const retry = nextAttempt(job, result, this.o.policy, previous);
            this.o.onEvent({
                type: 'job-finished',
                at: this.o.now(),
                job,
                result,
                retry: retry !== undefined
            });
            if (retry) {
                this.specs.set(session_key(retry), retry);
                retries.push(retry);
            }
            else
                this.open--;
        }
        if (retries.length > 0)
            this.o.link.send({ type: 'submit', jobs: retries });
        if (this.open === 0)
            this.complete();
    }
    complete() {
        if (this.ended)
            return;
        // Say done at once: the broker can shut workers down while the runner reports.
        this.o.link.send({ type: 'done' });
        this.end();
    }
    fail(message) {
        this.end(new ClusterError(message));
    }
    end(error) {
        if (this.ended)
            return;
        this.ended = true;
        const closing = this.o.link.close().catch(() => undefined);
        if (error) {
            this.reject(error);
            return;
        }
        // Let the close flush `done` before the caller moves on, but never wait forever on it.
        const limit = new Promise(resolve => {
            const timer = setTimeout(resolve, 10_000);
            timer.unref();
            this.timers.push(timer);
        });
        void Promise.race([closing, limit]).then(() => this.resolve({ entries: [...this.entries.values()], slots: this.slots }));
    }
    log(level, message) {
        this.o.onEvent({ type: 'log', at: this.o.now(), level, message });
    }
}

;// CONCATENATED MODULE: ./src/runner/timings.ts
/**
 * Timing history: `.squall/timings.json` under the suite root. The last few durations of each
 * item and whether it failed last time; planning sizes batches and orders jobs from it.
 * A missing or broken file never stops a run: it only means no history.
 */




/** Samples kept per item. */
const MAX_SAMPLES = 5;
/** A sample above this many medians is contention, not the test: it counts as this many. */
const OUTLIER_FACTOR = 3;
/** `<cwd>/.squall/timings.json`. */
function defaultTimingsPath(cwd) {
    return (0,external_node_path_.join)(cwd, '.squall', 'timings.json');
}
/** History of durations and failures per item id. */
class TimingStore {
    entries = new Map();
    /** Set by `load` when the file was there but unreadable or malformed (it was ignored). */
    warning;
    /** A store with no history (history disabled). */
    static empty() {
        return new TimingStore();
    }
    /** Missing file → empty store; corrupt file → empty store with `warning` set; never throws. */
    static async load(path) {
        const store = new TimingStore();
        let text;
        try {
            text = await (0,promises_namespaceObject.readFile)(path, 'utf8');
        }
        catch (error) {
            if (error.code !== 'ENOENT') {
                store.warning = `timing history ${path} could not be read (${error.message}); planning without it`;
            }
            return store;
        }
        const problem = store.readJson(text);
        if (problem)
            store.warning = `timing history ${path} ignored: ${problem}`;
        return store;
    }
    /** Expected ms per item: the median of its samples. */
    expected() {
        const out = new Map();
        for (const [id, entry] of this.entries) {
            if (entry.samples.length > 0)
                out.set(id, median(entry.samples));
        }
        return out;
    }
    /** Items whose last recorded run failed. */
    failedBefore() {
        const out = new Set();
        for (const [id, entry] of this.entries)
            if (entry.failed)
                out.add(id);
        return out;
    }
    /** Adds a sample (damped against contention) and sets the item's failed flag. */
    record(id, ms, failed) {
        if (!Number.isFinite(ms) || ms < 0)
            return;
        const entry = this.entries.get(id) ?? { samples: [], failed };
        entry.failed = failed;
        if (entry.samples.length > 0) {
            // One slow run on a busy machine must not triple the item's estimate for five runs.
            const cap = median(entry.samples) * OUTLIER_FACTOR;
            if (ms > cap)
                ms = cap;
        }
        entry.samples.push(Math.round(ms));
        if (entry.samples.length > MAX_SAMPLES)
            entry.samples.splice(0, entry.samples.length - MAX_SAMPLES);
        this.entries.set(id, entry);
    }
    /** Sets the failed flag without a duration (the attempt did not yield one). */
    setFailed(id, failed) {
        const entry = this.entries.get(id);
        if (entry)
            entry.failed = failed;
        else if (failed)
            this.entries.set(id, { samples: [], failed });
    }
    /** The file's content. */
    toJSON() {
        const items = {};
        for (const id of [...this.entries.keys()].sort()) {
            const entry = this.entries.get(id);
            items[id] = { samples: [...entry.samples], failed: entry.failed };
        }
        return { version: 1, items };
    }
    /** Atomic: written to a temp file beside `path`, then renamed over it; parents created. */
    async save(path) {
        await (0,promises_namespaceObject.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
        const temp = `${path}.${process.pid}-${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}.tmp`;
        try {
            await (0,promises_namespaceObject.writeFile)(temp, `${JSON.stringify(this.toJSON(), null, 1)}\n`);
            await (0,promises_namespaceObject.rename)(temp, path);
        }
        catch (error) {
            await (0,promises_namespaceObject.rm)(temp, { force: true });
            throw error;
        }
    }
    /** Fills the store from file text; returns what was wrong, if anything. */
    readJson(text) {
        let value;
        try {
            value = JSON.parse(text);
        }
        catch (error) {
            return `not valid JSON (${error.message})`;
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            return 'expected an object with "version" and "items"';
        }
        const { version, items } = value;
        if (version !== 1)
            return `unknown version ${JSON.stringify(version)}; expected 1`;
        if (typeof items !== 'object' || items === null || Array.isArray(items)) {
            return '"items" must be an object';
        }
        let skipped = 0;
        for (const [id, raw] of Object.entries(items)) {
            const entry = readEntry(raw);
            if (entry)
                this.entries.set(id, entry);
            else
                skipped++;
        }
        return skipped > 0 ? `${skipped} malformed item(s) skipped` : undefined;
    }
}
function readEntry(raw) {
    if (typeof raw !== 'object' || raw === null)
        return undefined;
    const { samples, failed } = raw;
    if (!Array.isArray(samples))
        return undefined;
    if (!samples.every(s => typeof s === 'number' && Number.isFinite(s) && s >= 0))
        return undefined;
    return { samples: samples.slice(-MAX_SAMPLES), failed: failed === true };
}

;// CONCATENATED MODULE: ./src/runner/runner.ts
/**
 * The runner: list → history → plan → submit → collect (with retries) → outcomes, reported
 * as one typed event stream. It owns no reporter: whoever calls it listens to the events.
 *
 * An empty suite is not an error: the run still connects (so the broker hears `done` and
 * releases its workers), logs a warning and finishes with 0 jobs and exit code 0.
 */





/**
 * Runs the suite to the end. Rejects with UsageError before connecting when the suite cannot
 * be listed or planned, and with ClusterError when the broker cannot be reached or is lost;
 * a lost run is never summarised as if it had finished.
 */
async function runSuite(options) {
    const now = options.now ?? Date.now;
    const emit = options.onEvent;
    const log = (level, message) => emit({ type: 'log', at: now(), level, message });
    const startedAt = now();
    const { framework, cwd, args, timeoutMs } = options;
    const items = await framework.list({ cwd, args, jobsFile: options.jobsFile, timeoutMs });
    const timingsPath = options.timingsPath ?? defaultTimingsPath(cwd);
    const history = timingsPath === '' ? TimingStore.empty() : await TimingStore.load(timingsPath);
    if (history.warning)
        log('warning', history.warning);
    const jobs = framework.plan(items, {
        cwd,
        args,
        timeoutMs,
        slots: options.slots,
        timings: history.expected(),
        failedBefore: history.failedBefore()
    });
    checkPlan(framework.name, jobs);
    emit({
        type: 'run-started',
        at: now(),
        framework: framework.name,
        jobs: jobs.length,
        tests: items.length
    });
    emit({ type: 'jobs-planned', jobs });
    if (jobs.length === 0) {
        log('warning', `the ${framework.name} framework found no tests to run; nothing to do`);
    }
    let link;
    try {
        link = await options.connect();
    }
    catch (error) {
        throw new ClusterError(`cannot reach the broker: ${errorMessage(error)}`);
    }
    const session = await runSession({
        link,
        jobs,
        policy: { retries: options.retries, framework },
        runnerId: options.runnerId ?? defaultRunnerId(),
        welcomeTimeoutMs: options.welcomeTimeoutMs ?? 60_000,
        onEvent: emit,
        now
    });
    const tests = computeOutcomes(session.entries);
    for (const test of tests)
        emit({ type: 'test-finished', at: now(), test });
    const summary = summarize({
        startedAt,
        finishedAt: now(),
        entries: session.entries,
        tests,
        failOnFlaky: options.failOnFlaky,
        slots: session.slots
    });
    if (timingsPath !== '') {
        recordRun(history, framework, session.entries);
        try {
            await history.save(timingsPath);
        }
        catch (error) {
            log('warning', `could not save timing history to ${timingsPath}: ${errorMessage(error)}`);
        }
    }
    emit({ type: 'run-finished', at: now(), summary, tests });
    return summary;
}
/** A plan with duplicate ids would merge two jobs' results: a framework bug, said plainly. */
function checkPlan(framework, jobs) {
    const seen = new Set();
    for (const job of jobs) {
        if (seen.has(job.id))
            throw new Error(`the ${framework} framework planned two jobs with id '${job.id}'`);
        seen.add(job.id);
    }
}

;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./src/cli/self.ts
/** How this CLI starts copies of itself (the local cluster's broker and workers). */

/** `[node, this bundle]`: inside the ncc bundle, import.meta.url is the bundle itself. */
function selfCommand() {
    const override = process.env.SQUALL_SELF;
    if (override)
        return [process.execPath, override];
    return [process.execPath, (0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url)];
}

;// CONCATENATED MODULE: ./src/cli/run-command.ts
/** `squall run`: a broker and N workers on this machine, and the runner driving the suite. */














function runCommand(setExit) {
    return new Command('run')
        .description('Run a suite on a local cluster (a broker and N workers over loopback TCP).')
        .option('--workers <n>', 'worker processes', positiveInt('--workers'), 2)
        .option('--slots <k>', 'jobs each worker runs at once (default: CPUs ÷ workers)', positiveInt('--slots'))
        .option('--framework <name>', 'commands, jest, vitest, pytest, go or cargo', 'commands')
        .option('--jobs <file>', 'commands framework: JSON array or one shell command per line')
        .option('--junit <path>', 'write one merged JUnit XML file')
        .option('--json <path>', 'write a JSON summary')
        .option('--retries <n>', 'run a failed job again up to N times', nonNegativeInt('--retries'), 0)
        .option('--timeout <seconds>', 'limit for one job', secondsToMs('--timeout'), 600_000)
        .option('--labels <a,b>', 'labels the local workers offer', labelList('--labels'), [])
        .option('--fail-on-flaky', 'exit 1 when a test passed only on retry', false)
        .option('--cwd <dir>', 'the suite root', process.cwd())
        .option('--no-timings', 'neither read nor write .squall/timings.json')
        .addOption(new Option('--verbose', 'show broker and worker logs').default(false))
        .argument('[args...]', 'arguments after -- go to the framework')
        .action(async (args, flags) => {
        setExit(await runLocal(flags, args));
    });
}
async function runLocal(flags, args) {
    const framework = getFramework(flags.framework);
    const cwd = (0,external_node_path_.resolve)(flags.cwd);
    const slots = flags.slots ?? Math.max(1, Math.floor((0,external_node_os_namespaceObject.availableParallelism)() / flags.workers));
    const clusterId = `local-${Date.now().toString(36)}-${(0,external_node_crypto_namespaceObject.randomBytes)(3).toString('hex')}`;
    const logDir = (0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'squall', clusterId);
    const reporters = [
        new TerminalReporter({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: flags.verbose })
    ];
    if (flags.junit)
        reporters.push(new JunitReporter({ path: (0,external_node_path_.resolve)(flags.junit) }));
    if (flags.json)
        reporters.push(new JsonReporter({ path: (0,external_node_path_.resolve)(flags.json) }));
    const onEvent = (event) => {
        for (const reporter of reporters)
            reporter.onEvent(event);
    };
    const cluster = await LocalCluster.start({
        self: selfCommand(),
        workers: flags.workers,
        slots,
        labels: flags.labels,
        workDir: cwd,
        clusterId,
        logDir,
        brokerArgs: flags.verbose ? ['--log-level', 'debug'] : [],
        workerArgs: flags.verbose ? ['--log-level', 'debug'] : []
    });
    const transport = new TcpTransport();
    let summary;
    try {
        summary = await runSuite({
            connect: () => transport.connect(cluster.address, { timeoutMs: 30_000 }),
            framework,
            cwd,
            args,
            jobsFile: flags.jobs ? (0,external_node_path_.resolve)(flags.jobs) : undefined,
            timeoutMs: flags.timeout,
            slots: slots * flags.workers,
            retries: flags.retries,
            failOnFlaky: flags.failOnFlaky,
            timingsPath: flags.timings ? undefined : '',
            onEvent
        });
    }
    catch (error) {
        await cluster.kill();
        if (error instanceof ClusterError) {
            throw new ClusterError(`${errorMessage(error)}${cluster.logTails()}`);
        }
        throw error;
    }
    for (const reporter of reporters)
        await reporter.finish?.();
    const exits = await cluster.wait(30_000);
    const bad = exits.filter(e => e.code !== 0);
    if (bad.length > 0) {
        process.stderr.write(`squall: ${bad.map(e => `${e.name} exited with ${e.code ?? e.signal}`).join(', ')}; logs in ${logDir}\n`);
    }
    return summary.exitCode === ExitCode.ok && bad.some(e => e.name === 'broker')
        ? ExitCode.cluster
        : summary.exitCode;
}

;// CONCATENATED MODULE: ./src/worker/deadline.ts
/** Never less than this before the deadline: starting, reporting and exiting take time. */
const MIN_DEADLINE_MARGIN_MS = 30_000;
/** A job's timeout counts up to this much: a 2-hour limit must not idle a worker for 2 hours. */
const MAX_DEADLINE_MARGIN_MS = 600_000;
/**
 * How long before the deadline `job` may no longer start: `fixedMarginMs` when given, else
 * the job's timeout within [30 s, 10 min].
 */
function deadlineMargin(job, fixedMarginMs) {
    if (fixedMarginMs !== undefined)
        return Math.max(0, fixedMarginMs);
    return Math.min(Math.max(job.timeoutMs, MIN_DEADLINE_MARGIN_MS), MAX_DEADLINE_MARGIN_MS);
}
/** True when `job` may start at `now` without risking the deadline (always, without one). */
function fitsBeforeDeadline(job, now, deadline, fixedMarginMs) {
    if (deadline === undefined)
        return true;
    return now + deadlineMargin(job, fixedMarginMs) <= deadline;
}
/**
 * True when no job at all could start any more: even the smallest margin runs past the
 * deadline. The worker then drains without waiting for work it would have to hand back.
 */
function pastLastStart(now, deadline, fixedMarginMs) {
    if (deadline === undefined)
        return false;
    return now + (fixedMarginMs ?? MIN_DEADLINE_MARGIN_MS) > deadline;
}

;// CONCATENATED MODULE: ./src/worker/job-dir.ts
/** A job attempt's fresh directory, its environment and its working directory. */



/** Where job directories go when the caller does not say: one folder per worker process. */
function defaultJobsRoot() {
    return join(tmpdir(), `squall-jobs-${process.pid}`);
}
/** Creates `<root>/<job>-<attempt>-XXXXXX` with a `tmp` folder inside; returns its path. */
async function createJobDir(root, job) {
    await (0,promises_namespaceObject.mkdir)(root, { recursive: true });
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_.join)(root, `${safeName(job.id)}-${job.attempt}-`));
    await (0,promises_namespaceObject.mkdir)((0,external_node_path_.join)(dir, 'tmp'));
    return dir;
}
/** Removes a job directory; returns why it could not, rather than failing the job. */
async function removeJobDir(dir) {
    try {
        await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true, maxRetries: 2 });
        return undefined;
    }
    catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
}
/** The job's environment: the worker's, the job's own, then the SQUALL_* variables. */
function jobEnvironment(base, job, jobDir, workerId) {
    return {
        ...base,
        ...job.env,
        SQUALL_JOB_DIR: jobDir,
        SQUALL_JOB_ID: job.id,
        SQUALL_ATTEMPT: String(job.attempt),
        SQUALL_WORKER: workerId,
        TMPDIR: (0,external_node_path_.join)(jobDir, 'tmp')
    };
}
/** The job's working directory, or a message naming the path when it is not a directory. */
async function resolveJobCwd(root, job) {
    const cwd = job.cwd ? (0,external_node_path_.resolve)(root, job.cwd) : root;
    try {
        if ((await (0,promises_namespaceObject.stat)(cwd)).isDirectory())
            return { cwd };
        return { error: `working directory ${cwd} is not a directory` };
    }
    catch {
        return { error: `working directory ${cwd} does not exist` };
    }
}
/** A file-name-safe, bounded form of a job id. */
function safeName(id) {
    return id.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'job';
}

;// CONCATENATED MODULE: ./src/worker/job-status.ts
/**
 * timed-out and cancelled win (we stopped it); then a failed spawn (error); then the exit:
 * 0 passes unless the framework reports failing cases, anything else fails.
 */
function decideStatus(run, context, cases) {
    if (run.timedOut) {
        return {
            status: 'timed-out',
            message: `timed out after ${formatMs(context.timeoutMs)} (the job's time limit)`
        };
    }
    if (run.cancelled) {
        return {
            status: 'cancelled',
            message: `cancelled: ${context.cancelReason ?? 'stopped by the worker'}`
        };
    }
    if (run.spawnError !== undefined) {
        return { status: 'error', message: `could not start ${context.command}: ${run.spawnError}` };
    }
    if (run.exitCode === null) {
        return { status: 'failed', message: `killed by ${run.signal ?? 'an unknown signal'}` };
    }
    const failing = cases?.filter(c => c.status === 'failed' || c.status === 'error').length ?? 0;
    if (run.exitCode === 0) {
        if (failing > 0) {
            return { status: 'failed', message: `exited 0 but ${failing} test(s) failed` };
        }
        return { status: 'passed' };
    }
    return { status: 'failed' };
}
/** `1500` → `1.5 s`, `250` → `250 ms`, `90000` → `90 s`. */
function formatMs(ms) {
    if (ms < 1000)
        return `${ms} ms`;
    const seconds = ms / 1000;
    return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

;// CONCATENATED MODULE: ./src/worker/capture.ts
/** 1 MiB per stream: enough for a failing test's story, small enough for a result message. */
const DEFAULT_OUTPUT_CAP_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
/** Accumulates one output stream; `result()` may be called at any time. */
class OutputCapture {
    head = [];
    headBytes = 0;
    tail = [];
    tailBytes = 0;
    total = 0;
    headCap;
    tailCap;
    constructor(capBytes) {
        const cap = Math.max(0, Math.floor(capBytes));
        this.headCap = Math.floor(cap / 2);
        this.tailCap = cap - this.headCap;
    }
    /** Total bytes written so far, kept or not. */
    get totalBytes() {
        return this.total;
    }
    write(chunk) {
        this.total += chunk.length;
        let rest = chunk;
        if (this.headBytes < this.headCap) {
            const take = Math.min(this.headCap - this.headBytes, rest.length);
            this.head.push(rest.subarray(0, take));
            this.headBytes += take;
            rest = rest.subarray(take);
        }
        if (rest.length === 0)
            return;
        this.tail.push(rest);
        this.tailBytes += rest.length;
        // Drop whole chunks from the front while what is left still fills the tail.
        while (this.tail.length > 1 &&
            this.tailBytes - this.tail[0].length >= this.tailCap) {
            this.tailBytes -= this.tail.shift().length;
        }
        // One huge chunk: keep only its end, so memory stays bounded.
        if (this.tail.length === 1 && this.tailBytes > 2 * this.tailCap + 65536) {
            this.tail = [Buffer.from(rest.subarray(rest.length - this.tailCap))];
            this.tailBytes = this.tailCap;
        }
    }
    result() {
        const head = Buffer.concat(this.head);
        let tail = Buffer.concat(this.tail);
        if (tail.length > this.tailCap)
            tail = tail.subarray(tail.length - this.tailCap);
        if (head.length + tail.length >= this.total) {
            return { text: Buffer.concat([head, tail]).toString('utf8'), truncatedBytes: 0 };
        }
        // Characters split by either cut are dropped whole and counted with the cut.
        const headEnd = completeUtf8End(head);
        const tailStart = completeUtf8Start(tail);
        const kept = headEnd + (tail.length - tailStart);
        const cut = this.total - kept;
        return {
            text: `${head.subarray(0, headEnd).toString('utf8')}\n… [${cut} bytes cut] …\n${tail
                .subarray(tailStart)
                .toString('utf8')}`,
            truncatedBytes: cut
        };
    }
}
/** Length of `bytes` without a multi-byte UTF-8 character left incomplete at its end. */
function completeUtf8End(bytes) {
    let back = 0;
    while (back < 3 &&
        back < bytes.length &&
        isContinuation(bytes[bytes.length - 1 - back])) {
        back++;
    }
    const leadIndex = bytes.length - 1 - back;
    if (leadIndex < 0)
        return bytes.length;
    const lead = bytes[leadIndex];
    const need = sequenceLength(lead);
    // A lead byte whose sequence needs more bytes than follow it: drop it and its followers.
    return need > back + 1 ? leadIndex : bytes.length;
}
/** Index of the first byte of `bytes` that does not continue a character cut off before it. */
function completeUtf8Start(bytes) {
    let start = 0;
    while (start < 3 && start < bytes.length && isContinuation(bytes[start]))
        start++;
    return start;
}
function isContinuation(byte) {
    return (byte & 0xc0) === 0x80;
}
/** Bytes in the sequence a lead byte starts (1 for ASCII and for stray bytes). */
function sequenceLength(lead) {
    if (lead >= 0xf0)
        return 4;
    if (lead >= 0xe0)
        return 3;
    if (lead >= 0xc0)
        return 2;
    return 1;
}

;// CONCATENATED MODULE: ./src/worker/process-group.ts
/**
 * Runs one command as the leader of its own process group, so that a time limit, a cancel or
 * the end of the job reaches everything it started. Output is captured within a cap.
 */


/** Sends `signal` to the group led by `pid`; false when the group is already gone. */
function signalGroup(pid, signal) {
    if (!pid)
        return false;
    try {
        process.kill(-pid, signal);
        return true;
    }
    catch {
        return false;
    }
}
const DEFAULT_PIPE_DRAIN_MS = 1000;
/** Node fires a longer timer at once (with a warning); clamp to the largest it honours. */
function timerMs(ms) {
    return Math.min(Math.max(0, ms), 2_147_483_647);
}
/** Runs `argv` in a new process group and resolves when it is over; never rejects. */
function runInGroup(options) {
    return new Promise(resolvePromise => {
        const started = performance.now();
        const out = new OutputCapture(options.outputCapBytes);
        const err = new OutputCapture(options.outputCapBytes);
        let timedOut = false;
        let cancelled = false;
        let exit;
        const timers = {};
        let done = false;
        const finish = (spawnError) => {
            if (done)
                return;
            done = true;
            clearTimers();
            options.signal?.removeEventListener('abort', onAbort);
            child?.stdout?.destroy();
            child?.stderr?.destroy();
            resolvePromise({
                exitCode: exit?.code ?? null,
                signal: exit?.signal ?? null,
                timedOut,
                cancelled: cancelled && !timedOut,
                durationMs: Math.round(performance.now() - started),
                stdout: out.result(),
                stderr: err.result(),
                ...(spawnError !== undefined ? { spawnError } : {})
            });
        };
        const clearTimers = () => {
            clearTimeout(timers.limit);
            clearTimeout(timers.kill);
            clearTimeout(timers.drain);
        };
        const stop = () => {
            if (exit || done)
                return;
            signalGroup(child?.pid, 'SIGTERM');
            timers.kill ??= setTimeout(() => signalGroup(child?.pid, 'SIGKILL'), timerMs(options.killGraceMs));
        };
        const onAbort = () => {
            if (exit || done)
                return;
            cancelled = true;
            stop();
        };
        let child;
        try {
            child = (0,external_node_child_process_.spawn)(options.argv[0], options.argv.slice(1), {
                cwd: options.cwd,
                env: options.env,
                // Its own process group (and session): signals to -pid reach all it started.
                detached: true,
                stdio: ['ignore', 'pipe', 'pipe']
            });
        }
        catch (error) {
            // Invalid arguments (e.g. a NUL byte) throw here instead of emitting 'error'.
            finish(error instanceof Error ? error.message : String(error));
            return;
        }
        child.stdout?.on('data', (chunk) => out.write(chunk));
        child.stderr?.on('data', (chunk) => err.write(chunk));
        child.on('error', error => {
            // Only a failed spawn leaves no exit to wait for; later errors (a failed kill) do not end us.
            if (!exit && child?.pid === undefined)
                finish(error.message);
        });
        child.on('exit', (code, sig) => {
            exit = { code, signal: sig };
            clearTimeout(timers.limit);
            clearTimeout(timers.kill);
            // Whatever the job left running in its group goes with it: no orphans.
            signalGroup(child?.pid, 'SIGKILL');
            timers.drain = setTimeout(() => finish(), options.pipeDrainMs ?? DEFAULT_PIPE_DRAIN_MS);
        });
        child.on('close', () => {
            if (exit)
                finish();
        });
        timers.limit = setTimeout(() => {
            if (exit || done)
                return;
            timedOut = true;
            stop();
        }, timerMs(options.timeoutMs));
        options.signal?.addEventListener('abort', onAbort, { once: true });
        if (options.signal?.aborted)
            onAbort();
    });
}

;// CONCATENATED MODULE: ./src/worker/executor.ts
/**
 * Runs one attempt of one job: a fresh directory, its own process group, a time limit
 * (SIGTERM, then SIGKILL to the group), capped output, and per-test results when its
 * framework can read them. Never rejects: every failure is a JobResult.
 */

// The index, not the registry alone: importing it registers every built-in framework.







/** Between SIGTERM and SIGKILL when a job is stopped. */
const DEFAULT_KILL_GRACE_MS = 5000;
/** Runs `job` once. Aborting `signal` cancels it (SIGTERM, then SIGKILL after the grace). */
async function executeJob(job, ctx, signal) {
    const startedAt = Date.now();
    const ended = (status, message) => ({
        id: job.id,
        attempt: job.attempt,
        worker: ctx.workerId,
        status,
        exitCode: null,
        signal: null,
        durationMs: Date.now() - startedAt,
        startedAt,
        stdout: emptyOutput,
        stderr: emptyOutput,
        message
    });
    let jobDir;
    try {
        jobDir = await createJobDir(ctx.jobsRoot, job);
    }
    catch (error) {
        return ended('error', `could not create a job directory under ${ctx.jobsRoot}: ${errorMessage(error)}`);
    }
    try {
        const root = ctx.workDir ?? jobDir;
        if (job.layers.length > 0) {
            if (!ctx.layers) {
                return ended('error', `the job needs ${job.layers.length} layer(s) but this worker has no layer provider`);
            }
            try {
                await ctx.layers.ensure(job.layers, root);
            }
            catch (error) {
                return ended('error', `could not fetch the job's layers: ${errorMessage(error)}`);
            }
        }
        if (signal?.aborted)
            return ended('cancelled', `cancelled: ${reasonText(signal)}`);
        const where = await resolveJobCwd(root, job);
        if ('error' in where)
            return ended('error', where.error);
        const argv = commandLine(job);
        if (!argv)
            return ended('error', 'the job has neither a command nor an argv');
        const run = await runInGroup({
            argv,
            cwd: where.cwd,
            env: jobEnvironment(ctx.env ?? process.env, job, jobDir, ctx.workerId),
            timeoutMs: job.timeoutMs,
            killGraceMs: ctx.killGraceMs,
            outputCapBytes: ctx.outputCapBytes,
            signal,
            pipeDrainMs: ctx.pipeDrainMs
        });
        const parsed = run.spawnError === undefined ? await readCases(job, jobDir, run) : {};
        const verdict = decideStatus(run, {
            timeoutMs: job.timeoutMs,
            cancelReason: signal?.aborted ? reasonText(signal) : undefined,
            command: argv[0]
        }, parsed.cases);
        const message = [verdict.message, parsed.note].filter(Boolean).join('; ');
        return {
            id: job.id,
            attempt: job.attempt,
            worker: ctx.workerId,
            status: verdict.status,
            exitCode: run.exitCode,
            signal: run.signal,
            durationMs: run.durationMs,
            startedAt,
            stdout: run.stdout,
            stderr: run.stderr,
            ...(message ? { message } : {}),
            ...(parsed.cases ? { cases: parsed.cases } : {})
        };
    }
    finally {
        if (!ctx.keepJobDir)
            await removeJobDir(jobDir);
    }
}
/** `sh -c command`, or the argv itself; undefined when the job has neither. */
function commandLine(job) {
    if (job.argv !== undefined)
        return job.argv.length > 0 ? job.argv : undefined;
    if (job.command !== undefined)
        return ['sh', '-c', job.command];
    return undefined;
}
/** Per-test results from the job's framework; a failure to read them is a note, not a loss. */
async function readCases(job, jobDir, run) {
    if (!job.framework)
        return {};
    try {
        const framework = getFramework(job.framework.name);
        if (!framework.parse)
            return {};
        const execution = {
            job,
            jobDir,
            exitCode: run.exitCode,
            signal: run.signal,
            timedOut: run.timedOut,
            durationMs: run.durationMs,
            stdout: run.stdout,
            stderr: run.stderr
        };
        const cases = await framework.parse(execution);
        return cases ? { cases } : {};
    }
    catch (error) {
        return { note: `could not read per-test results: ${errorMessage(error)}` };
    }
}
function reasonText(signal) {
    const reason = signal.reason;
    if (reason instanceof Error) {
        // AbortController.abort() without a reason gives a DOMException named AbortError.
        return reason.name === 'AbortError' ? 'the job was cancelled' : reason.message;
    }
    return typeof reason === 'string' && reason !== '' ? reason : 'the job was cancelled';
}

;// CONCATENATED MODULE: ./src/worker/outbox.ts
/** Collects progress and results and sends them together `batchMs` after the first. */
class Outbox {
    send;
    batchMs;
    progress = [];
    results = [];
    timer;
    constructor(send, batchMs = 20) {
        this.send = send;
        this.batchMs = batchMs;
    }
    addProgress(event) {
        this.progress.push(event);
        this.schedule();
    }
    addResult(result) {
        this.results.push(result);
        this.schedule();
    }
    /** Sends what is pending now: progress first, so a job is seen starting before it ends. */
    flush() {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.progress.length > 0) {
            const events = this.progress;
            this.progress = [];
            this.send({ type: 'progress', events });
        }
        if (this.results.length > 0) {
            const results = this.results;
            this.results = [];
            this.send({ type: 'result', results });
        }
    }
    /** Drops what is pending (the link is gone) and stops the timer. */
    discard() {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.progress = [];
        this.results = [];
    }
    schedule() {
        this.timer ??= setTimeout(() => this.flush(), this.batchMs);
    }
}

;// CONCATENATED MODULE: ./src/worker/worker.ts
/**
 * The worker loop: says hello, takes assignments, runs up to `slots` jobs at once in arrival
 * order, reports progress and results in batches, keeps the link alive, and hands its queue
 * back before its deadline. Whatever way it ends, no job process outlives it.
 */






/** Connects, then serves the broker until shutdown, deadline or loss. Never rejects. */
async function runWorker(options) {
    let link;
    try {
        link = await options.connect();
    }
    catch (error) {
        return { code: 3, reason: `could not reach the broker: ${errorMessage(error)}` };
    }
    return new WorkerSession(options, link).run();
}
const worker_key = (ref) => `${ref.id}#${ref.attempt}`;
const refOf = (job) => ({ id: job.id, attempt: job.attempt });
/** Beyond the kill grace, how long ending waits for killed jobs to report. */
const REAP_EXTRA_MS = 3000;
class WorkerSession {
    options;
    link;
    queue = [];
    running = new Map();
    outbox;
    log;
    now;
    execute;
    slots;
    heartbeatMs = 10_000;
    lastHeard;
    welcomed = false;
    draining = false;
    stopping = false;
    linkLost = false;
    released = 0;
    stoppedAtDeadline = 0;
    helloTimer;
    heartbeatTimer;
    deadlineTimer;
    resolveExit;
    exit = new Promise(resolve => (this.resolveExit = resolve));
    constructor(options, link) {
        this.options = options;
        this.link = link;
        this.log = options.log ?? silentLog;
        this.now = options.now ?? Date.now;
        this.execute = options.execute ?? executeJob;
        this.slots = Math.max(1, Math.floor(options.slots));
        this.lastHeard = this.now();
        this.outbox = new Outbox(message => this.link.send(message), options.batchMs ?? 20);
    }
    run() {
        const { link, options } = this;
        link.onMessage(message => this.onMessage(message));
        link.onClose(error => {
            if (this.stopping)
                return;
            const why = error ? error.message : 'the broker closed the connection';
            this.end({ code: 3, reason: `broker lost: ${why}` }, 'lost');
        });
        link.send({
            type: 'hello',
            version: PROTOCOL_VERSION,
            role: 'worker',
            id: options.id,
            slots: this.slots,
            labels: options.labels
        });
        const helloTimeoutMs = options.helloTimeoutMs ?? 30_000;
        this.helloTimer = setTimeout(() => {
            this.end({ code: 3, reason: `no welcome from the broker within ${helloTimeoutMs} ms` }, 'graceful');
        }, helloTimeoutMs);
        return this.exit;
    }
    onMessage(message) {
        this.lastHeard = this.now();
        if (this.stopping)
            return;
        switch (message.type) {
            case 'welcome':
                this.onWelcome(message.version, message.clusterId, message.heartbeatMs);
                break;
            case 'assign':
                this.onAssign(message.jobs);
                break;
            case 'cancel':
                for (const ref of message.jobs)
                    this.cancel(ref, message.reason);
                break;
            case 'shutdown':
                this.end({ code: 0, reason: message.reason }, 'graceful');
                break;
            case 'error':
                this.end({
                    code: 3,
                    reason: `the broker refused this worker: ${message.message} (${message.code})`
                }, 'graceful');
                break;
            case 'heartbeat':
                break;
            default:
                this.log('warning', `ignoring an unexpected '${message.type}' message from the broker`);
        }
    }
    onWelcome(version, clusterId, heartbeatMs) {
        if (this.welcomed)
            return;
        if (version !== PROTOCOL_VERSION) {
            this.end({
                code: 3,
                reason: `protocol version mismatch: the broker speaks ${version}, this worker speaks ${PROTOCOL_VERSION}`
            }, 'graceful');
            return;
        }
        this.welcomed = true;
        clearTimeout(this.helloTimer);
        if (Number.isFinite(heartbeatMs) && heartbeatMs > 0)
            this.heartbeatMs = heartbeatMs;
        this.log('info', `joined cluster ${clusterId} with ${this.slots} slot(s)`);
        const every = Math.max(10, Math.floor(this.heartbeatMs / 3));
        this.heartbeatTimer = setInterval(() => this.tick(), every);
        const { deadline } = this.options;
        if (deadline !== undefined) {
            this.deadlineTimer = setTimeout(() => this.atDeadline(), clampTimer(deadline - this.now()));
            this.checkDeadline();
        }
    }
    /** Keeps the link alive, notices a silent broker, and notices the deadline coming. */
    tick() {
        const silentMs = this.now() - this.lastHeard;
        if (silentMs > 2 * this.heartbeatMs) {
            this.end({ code: 3, reason: `broker lost: no message for ${silentMs} ms` }, 'graceful');
            return;
        }
        this.link.send({ type: 'heartbeat', at: this.now() });
        this.checkDeadline();
    }
    onAssign(jobs) {
        const late = [];
        for (const job of jobs) {
            if (this.running.has(worker_key(job)) || this.queue.some(q => worker_key(q) === worker_key(job))) {
                this.log('warning', `job ${job.id} attempt ${job.attempt} was assigned twice; ignoring the repeat`);
            }
            else if (this.draining) {
                late.push(refOf(job));
            }
            else {
                this.queue.push(job);
            }
        }
        if (late.length > 0)
            this.release(late);
        this.pump();
    }
    /** Starts queued jobs, oldest first, while slots are free and the deadline allows. */
    pump() {
        while (!this.stopping && !this.draining && this.running.size < this.slots) {
            const job = this.queue[0];
            if (!job)
                break;
            if (!this.fits(job)) {
                this.drain();
                return;
            }
            this.queue.shift();
            this.start(job);
        }
        // Jobs waiting behind busy slots go back as soon as they could no longer finish in time.
        this.checkDeadline();
    }
    fits(job) {
        return fitsBeforeDeadline(job, this.now(), this.options.deadline, this.options.deadlineMarginMs);
    }
    start(job) {
        const abort = new AbortController();
        this.outbox.addProgress({
            kind: 'started',
            job: refOf(job),
            worker: this.options.id,
            at: this.now()
        });
        this.log('debug', `starting ${job.id} (attempt ${job.attempt})`);
        const done = this.execute(job, { ...this.options.context, workerId: this.options.id }, abort.signal)
            .catch((error) => this.failedToRun(job, error))
            .then(result => this.finished(job, result));
        this.running.set(worker_key(job), { job, abort, done });
    }
    finished(job, result) {
        this.running.delete(worker_key(job));
        this.log('debug', `${job.id} (attempt ${job.attempt}): ${result.status} in ${result.durationMs} ms`);
        if (!this.linkLost)
            this.outbox.addResult(result);
        this.pump();
        this.finishDrainWhenIdle();
    }
    failedToRun(job, error) {
        return notRun(job, this.options.id, 'error', `the worker failed to run the job: ${errorMessage(error)}`);
    }
    cancel(ref, reason) {
        const run = this.running.get(worker_key(ref));
        if (run) {
            run.abort.abort(reason);
            return;
        }
        const index = this.queue.findIndex(job => worker_key(job) === worker_key(ref));
        if (index < 0)
            return;
        const [job] = this.queue.splice(index, 1);
        this.outbox.addResult(notRun(job, this.options.id, 'cancelled', `cancelled before it started: ${reason}`));
    }
    /** Drains once a queued job, or any job at all, could no longer finish before the deadline. */
    checkDeadline() {
        const { deadline, deadlineMarginMs } = this.options;
        if (deadline === undefined || this.draining || this.stopping || !this.welcomed)
            return;
        if (pastLastStart(this.now(), deadline, deadlineMarginMs) ||
            this.queue.some(job => !this.fits(job))) {
            this.drain();
        }
    }
    /** Stops starting jobs and hands the queue back; running jobs go on until the deadline. */
    drain() {
        this.draining = true;
        const queued = this.queue.map(refOf);
        this.queue = [];
        this.log('info', `the deadline is near: taking no more work, handing back ${queued.length} job(s), waiting for ${this.running.size}`);
        if (queued.length > 0)
            this.release(queued);
        this.finishDrainWhenIdle();
    }
    release(jobs) {
        this.released += jobs.length;
        this.link.send({
            type: 'release',
            jobs,
            reason: `worker ${this.options.id} is near its deadline`
        });
    }
    atDeadline() {
        if (this.stopping)
            return;
        if (!this.draining)
            this.drain();
        for (const run of this.running.values()) {
            this.stoppedAtDeadline++;
            run.abort.abort(`worker ${this.options.id} reached its deadline`);
        }
    }
    finishDrainWhenIdle() {
        if (!this.draining || this.stopping || this.running.size > 0)
            return;
        const stopped = this.stoppedAtDeadline > 0 ? `, stopped ${this.stoppedAtDeadline} at the deadline` : '';
        this.end({
            code: 0,
            reason: `drained before the deadline: handed back ${this.released} job(s)${stopped}`
        }, 'graceful');
    }
    /**
     * Ends the session: kills running jobs and waits (bounded) for them to be reaped; with
     * 'graceful' the link is still up, so pending results and a release of the queue go out.
     */
    end(exit, mode) {
        if (this.stopping)
            return;
        this.stopping = true;
        this.linkLost = mode === 'lost';
        clearTimeout(this.helloTimer);
        clearInterval(this.heartbeatTimer);
        clearTimeout(this.deadlineTimer);
        void this.stop(exit).then(() => this.resolveExit(exit));
    }
    async stop(exit) {
        if (!this.linkLost && this.queue.length > 0) {
            this.link.send({ type: 'release', jobs: this.queue.map(refOf), reason: exit.reason });
        }
        this.queue = [];
        const runs = [...this.running.values()];
        if (runs.length > 0)
            this.log('info', `stopping ${runs.length} running job(s): ${exit.reason}`);
        for (const run of runs)
            run.abort.abort(exit.reason);
        const bound = this.options.context.killGraceMs + (this.options.context.pipeDrainMs ?? 1000) + REAP_EXTRA_MS;
        let timer;
        await Promise.race([
            Promise.allSettled(runs.map(run => run.done)),
            new Promise(resolve => (timer = setTimeout(resolve, bound)))
        ]);
        clearTimeout(timer);
        if (this.running.size > 0) {
            this.log('warning', `${this.running.size} job(s) did not end within ${bound} ms of being stopped`);
        }
        if (this.linkLost)
            this.outbox.discard();
        else
            this.outbox.flush();
        // Results of jobs that end after this point have nowhere to go.
        this.linkLost = true;
        await this.link.close().catch(() => undefined);
    }
}
/** The result of an attempt that never ran (or whose execution itself failed). */
function notRun(job, worker, status, message) {
    return {
        id: job.id,
        attempt: job.attempt,
        worker,
        status,
        exitCode: null,
        signal: null,
        durationMs: 0,
        startedAt: 0,
        stdout: { text: '', truncatedBytes: 0 },
        stderr: { text: '', truncatedBytes: 0 },
        message
    };
}
function clampTimer(ms) {
    return Math.min(Math.max(0, ms), 2_147_483_647);
}

;// CONCATENATED MODULE: ./src/cli/worker-command.ts
/** `squall worker`: a worker that pulls jobs from a broker over TCP. */







function workerCommand(setExit) {
    return new Command('worker')
        .description('Run a worker that takes jobs from a broker.')
        .requiredOption('--broker <host:port>', 'where the broker listens', hostPort('--broker'))
        .option('--id <id>', 'worker id, unique in the cluster (default: host-pid)')
        .option('--slots <k>', 'jobs run at once', positiveInt('--slots'), (0,external_node_os_namespaceObject.availableParallelism)())
        .option('--labels <a,b>', 'labels this worker offers', labelList('--labels'), [])
        .option('--working-directory <dir>', 'where jobs run (default: a fresh directory per job)')
        .option('--max-runtime <duration>', 'stop taking work before this much time (e.g. 5h30m)', durationToMs('--max-runtime'))
        .option('--connect-timeout <seconds>', 'how long to wait for the broker', secondsToMs('--connect-timeout'), 30_000)
        .option('--keep-job-dirs', 'keep each job directory after it ran', false)
        .option('--log-level <level>', 'debug, info, warning or error', v => parseLogLevel(v), 'info')
        .action(async (flags) => {
        setExit(await startWorker(flags));
    });
}
async function startWorker(flags) {
    const id = flags.id ?? `${(0,external_node_os_namespaceObject.hostname)()}-${process.pid}`;
    const log = streamLog(process.stderr, `worker ${id}`, flags.logLevel);
    const transport = new TcpTransport();
    const exit = await runWorker({
        id,
        slots: flags.slots,
        labels: flags.labels,
        connect: () => transport.connect(flags.broker, { timeoutMs: flags.connectTimeout }),
        context: {
            workDir: flags.workingDirectory ? (0,external_node_path_.resolve)(flags.workingDirectory) : undefined,
            jobsRoot: (0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), `squall-jobs-${process.pid}`),
            outputCapBytes: 1024 * 1024,
            killGraceMs: 5000,
            keepJobDir: flags.keepJobDirs
        },
        deadline: flags.maxRuntime ? Date.now() + flags.maxRuntime : undefined,
        log
    });
    log(exit.code === 0 ? 'info' : 'error', `exiting: ${exit.reason}`);
    return exit.code;
}

;// CONCATENATED MODULE: ./src/cli/program.ts
/** Builds the `squall` command tree and maps every failure to one exit code. */





/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
async function runCli(argv) {
    let code = ExitCode.ok;
    const program = new Command('squall')
        .description('Run a test suite on a cluster: locally over TCP, or across GitHub Actions jobs.')
        .showHelpAfterError()
        .exitOverride();
    for (const make of [runCommand, brokerCommand, workerCommand]) {
        program.addCommand(make(result => {
            code = result;
        }).exitOverride());
    }
    try {
        await program.parseAsync(argv, { from: 'user' });
        return code;
    }
    catch (error) {
        if (error instanceof CommanderError) {
            // --help and --version end through here with exit code 0.
            return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
        }
        process.stderr.write(`squall: ${errorMessage(error)}\n`);
        return error instanceof UsageError ? ExitCode.usage : exitCodeFor(error);
    }
}


/***/ }),

/***/ 421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 909:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const { Argument } = __nccwpck_require__(154);
const { Command } = __nccwpck_require__(348);
const { CommanderError, InvalidArgumentError } = __nccwpck_require__(135);
const { Help } = __nccwpck_require__(754);
const { Option } = __nccwpck_require__(240);

exports.DM = new Command();

exports.gu = (name) => new Command(name);
exports.Ww = (flags, description) => new Option(flags, description);
exports.er = (name, description) => new Argument(name, description);

/**
 * Expose classes
 */

exports.uB = Command;
exports.c$ = Option;
exports.ef = Argument;
exports._V = Help;

exports.b7 = CommanderError;
exports.Di = InvalidArgumentError;
exports.a2 = InvalidArgumentError; // Deprecated


/***/ }),

/***/ 154:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const { InvalidArgumentError } = __nccwpck_require__(135);

class Argument {
  /**
   * Initialize a new command argument with the given name and description.
   * The default is that the argument is required, and you can explicitly
   * indicate this with <> around the name. Put [] around the name for an optional argument.
   *
   * @param {string} name
   * @param {string} [description]
   */

  constructor(name, description) {
    this.description = description || '';
    this.variadic = false;
    this.parseArg = undefined;
    this.defaultValue = undefined;
    this.defaultValueDescription = undefined;
    this.argChoices = undefined;

    switch (name[0]) {
      case '<': // e.g. <required>
        this.required = true;
        this._name = name.slice(1, -1);
        break;
      case '[': // e.g. [optional]
        this.required = false;
        this._name = name.slice(1, -1);
        break;
      default:
        this.required = true;
        this._name = name;
        break;
    }

    if (this._name.endsWith('...')) {
      this.variadic = true;
      this._name = this._name.slice(0, -3);
    }
  }

  /**
   * Return argument name.
   *
   * @return {string}
   */

  name() {
    return this._name;
  }

  /**
   * @package
   */

  _collectValue(value, previous) {
    if (previous === this.defaultValue || !Array.isArray(previous)) {
      return [value];
    }

    previous.push(value);
    return previous;
  }

  /**
   * Set the default value, and optionally supply the description to be displayed in the help.
   *
   * @param {*} value
   * @param {string} [description]
   * @return {Argument}
   */

  default(value, description) {
    this.defaultValue = value;
    this.defaultValueDescription = description;
    return this;
  }

  /**
   * Set the custom handler for processing CLI command arguments into argument values.
   *
   * @param {Function} [fn]
   * @return {Argument}
   */

  argParser(fn) {
    this.parseArg = fn;
    return this;
  }

  /**
   * Only allow argument value to be one of choices.
   *
   * @param {string[]} values
   * @return {Argument}
   */

  choices(values) {
    this.argChoices = values.slice();
    this.parseArg = (arg, previous) => {
      if (!this.argChoices.includes(arg)) {
        throw new InvalidArgumentError(
          `Allowed choices are ${this.argChoices.join(', ')}.`,
        );
      }
      if (this.variadic) {
        return this._collectValue(arg, previous);
      }
      return arg;
    };
    return this;
  }

  /**
   * Make argument required.
   *
   * @returns {Argument}
   */
  argRequired() {
    this.required = true;
    return this;
  }

  /**
   * Make argument optional.
   *
   * @returns {Argument}
   */
  argOptional() {
    this.required = false;
    return this;
  }
}

/**
 * Takes an argument and returns its human readable equivalent for help usage.
 *
 * @param {Argument} arg
 * @return {string}
 * @private
 */

function humanReadableArgName(arg) {
  const nameOutput = arg.name() + (arg.variadic === true ? '...' : '');

  return arg.required ? '<' + nameOutput + '>' : '[' + nameOutput + ']';
}

exports.Argument = Argument;
exports.humanReadableArgName = humanReadableArgName;


/***/ }),

/***/ 348:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const EventEmitter = (__nccwpck_require__(474).EventEmitter);
const childProcess = __nccwpck_require__(421);
const path = __nccwpck_require__(760);
const fs = __nccwpck_require__(24);
const process = __nccwpck_require__(708);

const { Argument, humanReadableArgName } = __nccwpck_require__(154);
const { CommanderError } = __nccwpck_require__(135);
const { Help, stripColor } = __nccwpck_require__(754);
const { Option, DualOptions } = __nccwpck_require__(240);
const { suggestSimilar } = __nccwpck_require__(30);

class Command extends EventEmitter {
  /**
   * Initialize a new `Command`.
   *
   * @param {string} [name]
   */

  constructor(name) {
    super();
    /** @type {Command[]} */
    this.commands = [];
    /** @type {Option[]} */
    this.options = [];
    this.parent = null;
    this._allowUnknownOption = false;
    this._allowExcessArguments = false;
    /** @type {Argument[]} */
    this.registeredArguments = [];
    this._args = this.registeredArguments; // deprecated old name
    /** @type {string[]} */
    this.args = []; // cli args with options removed
    this.rawArgs = [];
    this.processedArgs = []; // like .args but after custom processing and collecting variadic
    this._scriptPath = null;
    this._name = name || '';
    this._optionValues = {};
    this._optionValueSources = {}; // default, env, cli etc
    this._storeOptionsAsProperties = false;
    this._actionHandler = null;
    this._executableHandler = false;
    this._executableFile = null; // custom name for executable
    this._executableDir = null; // custom search directory for subcommands
    this._defaultCommandName = null;
    this._exitCallback = null;
    this._aliases = [];
    this._combineFlagAndOptionalValue = true;
    this._description = '';
    this._summary = '';
    this._argsDescription = undefined; // legacy
    this._enablePositionalOptions = false;
    this._passThroughOptions = false;
    this._lifeCycleHooks = {}; // a hash of arrays
    /** @type {(boolean | string)} */
    this._showHelpAfterError = false;
    this._showSuggestionAfterError = true;
    this._savedState = null; // used in save/restoreStateBeforeParse

    // see configureOutput() for docs
    this._outputConfiguration = {
      writeOut: (str) => process.stdout.write(str),
      writeErr: (str) => process.stderr.write(str),
      outputError: (str, write) => write(str),
      getOutHelpWidth: () =>
        process.stdout.isTTY ? process.stdout.columns : undefined,
      getErrHelpWidth: () =>
        process.stderr.isTTY ? process.stderr.columns : undefined,
      getOutHasColors: () =>
        useColor() ?? (process.stdout.isTTY && process.stdout.hasColors?.()),
      getErrHasColors: () =>
        useColor() ?? (process.stderr.isTTY && process.stderr.hasColors?.()),
      stripColor: (str) => stripColor(str),
    };

    this._hidden = false;
    /** @type {(Option | null | undefined)} */
    this._helpOption = undefined; // Lazy created on demand. May be null if help option is disabled.
    this._addImplicitHelpCommand = undefined; // undecided whether true or false yet, not inherited
    /** @type {Command} */
    this._helpCommand = undefined; // lazy initialised, inherited
    this._helpConfiguration = {};
    /** @type {string | undefined} */
    this._helpGroupHeading = undefined; // soft initialised when added to parent
    /** @type {string | undefined} */
    this._defaultCommandGroup = undefined;
    /** @type {string | undefined} */
    this._defaultOptionGroup = undefined;
  }

  /**
   * Copy settings that are useful to have in common across root command and subcommands.
   *
   * (Used internally when adding a command using `.command()` so subcommands inherit parent settings.)
   *
   * @param {Command} sourceCommand
   * @return {Command} `this` command for chaining
   */
  copyInheritedSettings(sourceCommand) {
    this._outputConfiguration = sourceCommand._outputConfiguration;
    this._helpOption = sourceCommand._helpOption;
    this._helpCommand = sourceCommand._helpCommand;
    this._helpConfiguration = sourceCommand._helpConfiguration;
    this._exitCallback = sourceCommand._exitCallback;
    this._storeOptionsAsProperties = sourceCommand._storeOptionsAsProperties;
    this._combineFlagAndOptionalValue =
      sourceCommand._combineFlagAndOptionalValue;
    this._allowExcessArguments = sourceCommand._allowExcessArguments;
    this._enablePositionalOptions = sourceCommand._enablePositionalOptions;
    this._showHelpAfterError = sourceCommand._showHelpAfterError;
    this._showSuggestionAfterError = sourceCommand._showSuggestionAfterError;

    return this;
  }

  /**
   * @returns {Command[]}
   * @private
   */

  _getCommandAndAncestors() {
    const result = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    for (let command = this; command; command = command.parent) {
      result.push(command);
    }
    return result;
  }

  /**
   * Define a command.
   *
   * There are two styles of command: pay attention to where to put the description.
   *
   * @example
   * // Command implemented using action handler (description is supplied separately to `.command`)
   * program
   *   .command('clone <source> [destination]')
   *   .description('clone a repository into a newly created directory')
   *   .action((source, destination) => {
   *     console.log('clone command called');
   *   });
   *
   * // Command implemented using separate executable file (description is second parameter to `.command`)
   * program
   *   .command('start <service>', 'start named service')
   *   .command('stop [service]', 'stop named service, or all if no name supplied');
   *
   * @param {string} nameAndArgs - command name and arguments, args are `<required>` or `[optional]` and last may also be `variadic...`
   * @param {(object | string)} [actionOptsOrExecDesc] - configuration options (for action), or description (for executable)
   * @param {object} [execOpts] - configuration options (for executable)
   * @return {Command} returns new command for action handler, or `this` for executable command
   */

  command(nameAndArgs, actionOptsOrExecDesc, execOpts) {
    let desc = actionOptsOrExecDesc;
    let opts = execOpts;
    if (typeof desc === 'object' && desc !== null) {
      opts = desc;
      desc = null;
    }
    opts = opts || {};
    const [, name, args] = nameAndArgs.match(/([^ ]+) *(.*)/);

    const cmd = this.createCommand(name);
    if (desc) {
      cmd.description(desc);
      cmd._executableHandler = true;
    }
    if (opts.isDefault) this._defaultCommandName = cmd._name;
    cmd._hidden = !!(opts.noHelp || opts.hidden); // noHelp is deprecated old name for hidden
    cmd._executableFile = opts.executableFile || null; // Custom name for executable file, set missing to null to match constructor
    if (args) cmd.arguments(args);
    this._registerCommand(cmd);
    cmd.parent = this;
    cmd.copyInheritedSettings(this);

    if (desc) return this;
    return cmd;
  }

  /**
   * Factory routine to create a new unattached command.
   *
   * See .command() for creating an attached subcommand, which uses this routine to
   * create the command. You can override createCommand to customise subcommands.
   *
   * @param {string} [name]
   * @return {Command} new command
   */

  createCommand(name) {
    return new Command(name);
  }

  /**
   * You can customise the help with a subclass of Help by overriding createHelp,
   * or by overriding Help properties using configureHelp().
   *
   * @return {Help}
   */

  createHelp() {
    return Object.assign(new Help(), this.configureHelp());
  }

  /**
   * You can customise the help by overriding Help properties using configureHelp(),
   * or with a subclass of Help by overriding createHelp().
   *
   * @param {object} [configuration] - configuration options
   * @return {(Command | object)} `this` command for chaining, or stored configuration
   */

  configureHelp(configuration) {
    if (configuration === undefined) return this._helpConfiguration;

    this._helpConfiguration = configuration;
    return this;
  }

  /**
   * The default output goes to stdout and stderr. You can customise this for special
   * applications. You can also customise the display of errors by overriding outputError.
   *
   * The configuration properties are all functions:
   *
   *     // change how output being written, defaults to stdout and stderr
   *     writeOut(str)
   *     writeErr(str)
   *     // change how output being written for errors, defaults to writeErr
   *     outputError(str, write) // used for displaying errors and not used for displaying help
   *     // specify width for wrapping help
   *     getOutHelpWidth()
   *     getErrHelpWidth()
   *     // color support, currently only used with Help
   *     getOutHasColors()
   *     getErrHasColors()
   *     stripColor() // used to remove ANSI escape codes if output does not have colors
   *
   * @param {object} [configuration] - configuration options
   * @return {(Command | object)} `this` command for chaining, or stored configuration
   */

  configureOutput(configuration) {
    if (configuration === undefined) return this._outputConfiguration;

    this._outputConfiguration = {
      ...this._outputConfiguration,
      ...configuration,
    };
    return this;
  }

  /**
   * Display the help or a custom message after an error occurs.
   *
   * @param {(boolean|string)} [displayHelp]
   * @return {Command} `this` command for chaining
   */
  showHelpAfterError(displayHelp = true) {
    if (typeof displayHelp !== 'string') displayHelp = !!displayHelp;
    this._showHelpAfterError = displayHelp;
    return this;
  }

  /**
   * Display suggestion of similar commands for unknown commands, or options for unknown options.
   *
   * @param {boolean} [displaySuggestion]
   * @return {Command} `this` command for chaining
   */
  showSuggestionAfterError(displaySuggestion = true) {
    this._showSuggestionAfterError = !!displaySuggestion;
    return this;
  }

  /**
   * Add a prepared subcommand.
   *
   * See .command() for creating an attached subcommand which inherits settings from its parent.
   *
   * @param {Command} cmd - new subcommand
   * @param {object} [opts] - configuration options
   * @return {Command} `this` command for chaining
   */

  addCommand(cmd, opts) {
    if (!cmd._name) {
      throw new Error(`Command passed to .addCommand() must have a name
- specify the name in Command constructor or using .name()`);
    }

    opts = opts || {};
    if (opts.isDefault) this._defaultCommandName = cmd._name;
    if (opts.noHelp || opts.hidden) cmd._hidden = true; // modifying passed command due to existing implementation

    this._registerCommand(cmd);
    cmd.parent = this;
    cmd._checkForBrokenPassThrough();

    return this;
  }

  /**
   * Factory routine to create a new unattached argument.
   *
   * See .argument() for creating an attached argument, which uses this routine to
   * create the argument. You can override createArgument to return a custom argument.
   *
   * @param {string} name
   * @param {string} [description]
   * @return {Argument} new argument
   */

  createArgument(name, description) {
    return new Argument(name, description);
  }

  /**
   * Define argument syntax for command.
   *
   * The default is that the argument is required, and you can explicitly
   * indicate this with <> around the name. Put [] around the name for an optional argument.
   *
   * @example
   * program.argument('<input-file>');
   * program.argument('[output-file]');
   *
   * @param {string} name
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom argument processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */
  argument(name, description, parseArg, defaultValue) {
    const argument = this.createArgument(name, description);
    if (typeof parseArg === 'function') {
      argument.default(defaultValue).argParser(parseArg);
    } else {
      argument.default(parseArg);
    }
    this.addArgument(argument);
    return this;
  }

  /**
   * Define argument syntax for command, adding multiple at once (without descriptions).
   *
   * See also .argument().
   *
   * @example
   * program.arguments('<cmd> [env]');
   *
   * @param {string} names
   * @return {Command} `this` command for chaining
   */

  arguments(names) {
    names
      .trim()
      .split(/ +/)
      .forEach((detail) => {
        this.argument(detail);
      });
    return this;
  }

  /**
   * Define argument syntax for command, adding a prepared argument.
   *
   * @param {Argument} argument
   * @return {Command} `this` command for chaining
   */
  addArgument(argument) {
    const previousArgument = this.registeredArguments.slice(-1)[0];
    if (previousArgument?.variadic) {
      throw new Error(
        `only the last argument can be variadic '${previousArgument.name()}'`,
      );
    }
    if (
      argument.required &&
      argument.defaultValue !== undefined &&
      argument.parseArg === undefined
    ) {
      throw new Error(
        `a default value for a required argument is never used: '${argument.name()}'`,
      );
    }
    this.registeredArguments.push(argument);
    return this;
  }

  /**
   * Customise or override default help command. By default a help command is automatically added if your command has subcommands.
   *
   * @example
   *    program.helpCommand('help [cmd]');
   *    program.helpCommand('help [cmd]', 'show help');
   *    program.helpCommand(false); // suppress default help command
   *    program.helpCommand(true); // add help command even if no subcommands
   *
   * @param {string|boolean} enableOrNameAndArgs - enable with custom name and/or arguments, or boolean to override whether added
   * @param {string} [description] - custom description
   * @return {Command} `this` command for chaining
   */

  helpCommand(enableOrNameAndArgs, description) {
    if (typeof enableOrNameAndArgs === 'boolean') {
      this._addImplicitHelpCommand = enableOrNameAndArgs;
      if (enableOrNameAndArgs && this._defaultCommandGroup) {
        // make the command to store the group
        this._initCommandGroup(this._getHelpCommand());
      }
      return this;
    }

    const nameAndArgs = enableOrNameAndArgs ?? 'help [command]';
    const [, helpName, helpArgs] = nameAndArgs.match(/([^ ]+) *(.*)/);
    const helpDescription = description ?? 'display help for command';

    const helpCommand = this.createCommand(helpName);
    helpCommand.helpOption(false);
    if (helpArgs) helpCommand.arguments(helpArgs);
    if (helpDescription) helpCommand.description(helpDescription);

    this._addImplicitHelpCommand = true;
    this._helpCommand = helpCommand;
    // init group unless lazy create
    if (enableOrNameAndArgs || description) this._initCommandGroup(helpCommand);

    return this;
  }

  /**
   * Add prepared custom help command.
   *
   * @param {(Command|string|boolean)} helpCommand - custom help command, or deprecated enableOrNameAndArgs as for `.helpCommand()`
   * @param {string} [deprecatedDescription] - deprecated custom description used with custom name only
   * @return {Command} `this` command for chaining
   */
  addHelpCommand(helpCommand, deprecatedDescription) {
    // If not passed an object, call through to helpCommand for backwards compatibility,
    // as addHelpCommand was originally used like helpCommand is now.
    if (typeof helpCommand !== 'object') {
      this.helpCommand(helpCommand, deprecatedDescription);
      return this;
    }

    this._addImplicitHelpCommand = true;
    this._helpCommand = helpCommand;
    this._initCommandGroup(helpCommand);
    return this;
  }

  /**
   * Lazy create help command.
   *
   * @return {(Command|null)}
   * @package
   */
  _getHelpCommand() {
    const hasImplicitHelpCommand =
      this._addImplicitHelpCommand ??
      (this.commands.length &&
        !this._actionHandler &&
        !this._findCommand('help'));

    if (hasImplicitHelpCommand) {
      if (this._helpCommand === undefined) {
        this.helpCommand(undefined, undefined); // use default name and description
      }
      return this._helpCommand;
    }
    return null;
  }

  /**
   * Add hook for life cycle event.
   *
   * @param {string} event
   * @param {Function} listener
   * @return {Command} `this` command for chaining
   */

  hook(event, listener) {
    const allowedValues = ['preSubcommand', 'preAction', 'postAction'];
    if (!allowedValues.includes(event)) {
      throw new Error(`Unexpected value for event passed to hook : '${event}'.
Expecting one of '${allowedValues.join("', '")}'`);
    }
    if (this._lifeCycleHooks[event]) {
      this._lifeCycleHooks[event].push(listener);
    } else {
      this._lifeCycleHooks[event] = [listener];
    }
    return this;
  }

  /**
   * Register callback to use as replacement for calling process.exit.
   *
   * @param {Function} [fn] optional callback which will be passed a CommanderError, defaults to throwing
   * @return {Command} `this` command for chaining
   */

  exitOverride(fn) {
    if (fn) {
      this._exitCallback = fn;
    } else {
      this._exitCallback = (err) => {
        if (err.code !== 'commander.executeSubCommandAsync') {
          throw err;
        } else {
          // Async callback from spawn events, not useful to throw.
        }
      };
    }
    return this;
  }

  /**
   * Call process.exit, and _exitCallback if defined.
   *
   * @param {number} exitCode exit code for using with process.exit
   * @param {string} code an id string representing the error
   * @param {string} message human-readable description of the error
   * @return never
   * @private
   */

  _exit(exitCode, code, message) {
    if (this._exitCallback) {
      this._exitCallback(new CommanderError(exitCode, code, message));
      // Expecting this line is not reached.
    }
    process.exit(exitCode);
  }

  /**
   * Register callback `fn` for the command.
   *
   * @example
   * program
   *   .command('serve')
   *   .description('start service')
   *   .action(function() {
   *      // do work here
   *   });
   *
   * @param {Function} fn
   * @return {Command} `this` command for chaining
   */

  action(fn) {
    const listener = (args) => {
      // The .action callback takes an extra parameter which is the command or options.
      const expectedArgsCount = this.registeredArguments.length;
      const actionArgs = args.slice(0, expectedArgsCount);
      if (this._storeOptionsAsProperties) {
        actionArgs[expectedArgsCount] = this; // backwards compatible "options"
      } else {
        actionArgs[expectedArgsCount] = this.opts();
      }
      actionArgs.push(this);

      return fn.apply(this, actionArgs);
    };
    this._actionHandler = listener;
    return this;
  }

  /**
   * Factory routine to create a new unattached option.
   *
   * See .option() for creating an attached option, which uses this routine to
   * create the option. You can override createOption to return a custom option.
   *
   * @param {string} flags
   * @param {string} [description]
   * @return {Option} new option
   */

  createOption(flags, description) {
    return new Option(flags, description);
  }

  /**
   * Wrap parseArgs to catch 'commander.invalidArgument'.
   *
   * @param {(Option | Argument)} target
   * @param {string} value
   * @param {*} previous
   * @param {string} invalidArgumentMessage
   * @private
   */

  _callParseArg(target, value, previous, invalidArgumentMessage) {
    try {
      return target.parseArg(value, previous);
    } catch (err) {
      if (err.code === 'commander.invalidArgument') {
        const message = `${invalidArgumentMessage} ${err.message}`;
        this.error(message, { exitCode: err.exitCode, code: err.code });
      }
      throw err;
    }
  }

  /**
   * Check for option flag conflicts.
   * Register option if no conflicts found, or throw on conflict.
   *
   * @param {Option} option
   * @private
   */

  _registerOption(option) {
    const matchingOption =
      (option.short && this._findOption(option.short)) ||
      (option.long && this._findOption(option.long));
    if (matchingOption) {
      const matchingFlag =
        option.long && this._findOption(option.long)
          ? option.long
          : option.short;
      throw new Error(`Cannot add option '${option.flags}'${this._name && ` to command '${this._name}'`} due to conflicting flag '${matchingFlag}'
-  already used by option '${matchingOption.flags}'`);
    }

    this._initOptionGroup(option);
    this.options.push(option);
  }

  /**
   * Check for command name and alias conflicts with existing commands.
   * Register command if no conflicts found, or throw on conflict.
   *
   * @param {Command} command
   * @private
   */

  _registerCommand(command) {
    const knownBy = (cmd) => {
      return [cmd.name()].concat(cmd.aliases());
    };

    const alreadyUsed = knownBy(command).find((name) =>
      this._findCommand(name),
    );
    if (alreadyUsed) {
      const existingCmd = knownBy(this._findCommand(alreadyUsed)).join('|');
      const newCmd = knownBy(command).join('|');
      throw new Error(
        `cannot add command '${newCmd}' as already have command '${existingCmd}'`,
      );
    }

    this._initCommandGroup(command);
    this.commands.push(command);
  }

  /**
   * Add an option.
   *
   * @param {Option} option
   * @return {Command} `this` command for chaining
   */
  addOption(option) {
    this._registerOption(option);

    const oname = option.name();
    const name = option.attributeName();

    // store default value
    if (option.negate) {
      // --no-foo is special and defaults foo to true, unless a --foo option is already defined
      const positiveLongFlag = option.long.replace(/^--no-/, '--');
      if (!this._findOption(positiveLongFlag)) {
        this.setOptionValueWithSource(
          name,
          option.defaultValue === undefined ? true : option.defaultValue,
          'default',
        );
      }
    } else if (option.defaultValue !== undefined) {
      this.setOptionValueWithSource(name, option.defaultValue, 'default');
    }

    // handler for cli and env supplied values
    const handleOptionValue = (val, invalidValueMessage, valueSource) => {
      // val is null for optional option used without an optional-argument.
      // val is undefined for boolean and negated option.
      if (val == null && option.presetArg !== undefined) {
        val = option.presetArg;
      }

      // custom processing
      const oldValue = this.getOptionValue(name);
      if (val !== null && option.parseArg) {
        val = this._callParseArg(option, val, oldValue, invalidValueMessage);
      } else if (val !== null && option.variadic) {
        val = option._collectValue(val, oldValue);
      }

      // Fill-in appropriate missing values. Long winded but easy to follow.
      if (val == null) {
        if (option.negate) {
          val = false;
        } else if (option.isBoolean() || option.optional) {
          val = true;
        } else {
          val = ''; // not normal, parseArg might have failed or be a mock function for testing
        }
      }
      this.setOptionValueWithSource(name, val, valueSource);
    };

    this.on('option:' + oname, (val) => {
      const invalidValueMessage = `error: option '${option.flags}' argument '${val}' is invalid.`;
      handleOptionValue(val, invalidValueMessage, 'cli');
    });

    if (option.envVar) {
      this.on('optionEnv:' + oname, (val) => {
        const invalidValueMessage = `error: option '${option.flags}' value '${val}' from env '${option.envVar}' is invalid.`;
        handleOptionValue(val, invalidValueMessage, 'env');
      });
    }

    return this;
  }

  /**
   * Internal implementation shared by .option() and .requiredOption()
   *
   * @return {Command} `this` command for chaining
   * @private
   */
  _optionEx(config, flags, description, fn, defaultValue) {
    if (typeof flags === 'object' && flags instanceof Option) {
      throw new Error(
        'To add an Option object use addOption() instead of option() or requiredOption()',
      );
    }
    const option = this.createOption(flags, description);
    option.makeOptionMandatory(!!config.mandatory);
    if (typeof fn === 'function') {
      option.default(defaultValue).argParser(fn);
    } else if (fn instanceof RegExp) {
      // deprecated
      const regex = fn;
      fn = (val, def) => {
        const m = regex.exec(val);
        return m ? m[0] : def;
      };
      option.default(defaultValue).argParser(fn);
    } else {
      option.default(fn);
    }

    return this.addOption(option);
  }

  /**
   * Define option with `flags`, `description`, and optional argument parsing function or `defaultValue` or both.
   *
   * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space. A required
   * option-argument is indicated by `<>` and an optional option-argument by `[]`.
   *
   * See the README for more details, and see also addOption() and requiredOption().
   *
   * @example
   * program
   *     .option('-p, --pepper', 'add pepper')
   *     .option('--pt, --pizza-type <TYPE>', 'type of pizza') // required option-argument
   *     .option('-c, --cheese [CHEESE]', 'add extra cheese', 'mozzarella') // optional option-argument with default
   *     .option('-t, --tip <VALUE>', 'add tip to purchase cost', parseFloat) // custom parse function
   *
   * @param {string} flags
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom option processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */

  option(flags, description, parseArg, defaultValue) {
    return this._optionEx({}, flags, description, parseArg, defaultValue);
  }

  /**
   * Add a required option which must have a value after parsing. This usually means
   * the option must be specified on the command line. (Otherwise the same as .option().)
   *
   * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space.
   *
   * @param {string} flags
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom option processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */

  requiredOption(flags, description, parseArg, defaultValue) {
    return this._optionEx(
      { mandatory: true },
      flags,
      description,
      parseArg,
      defaultValue,
    );
  }

  /**
   * Alter parsing of short flags with optional values.
   *
   * @example
   * // for `.option('-f,--flag [value]'):
   * program.combineFlagAndOptionalValue(true);  // `-f80` is treated like `--flag=80`, this is the default behaviour
   * program.combineFlagAndOptionalValue(false) // `-fb` is treated like `-f -b`
   *
   * @param {boolean} [combine] - if `true` or omitted, an optional value can be specified directly after the flag.
   * @return {Command} `this` command for chaining
   */
  combineFlagAndOptionalValue(combine = true) {
    this._combineFlagAndOptionalValue = !!combine;
    return this;
  }

  /**
   * Allow unknown options on the command line.
   *
   * @param {boolean} [allowUnknown] - if `true` or omitted, no error will be thrown for unknown options.
   * @return {Command} `this` command for chaining
   */
  allowUnknownOption(allowUnknown = true) {
    this._allowUnknownOption = !!allowUnknown;
    return this;
  }

  /**
   * Allow excess command-arguments on the command line. Pass false to make excess arguments an error.
   *
   * @param {boolean} [allowExcess] - if `true` or omitted, no error will be thrown for excess arguments.
   * @return {Command} `this` command for chaining
   */
  allowExcessArguments(allowExcess = true) {
    this._allowExcessArguments = !!allowExcess;
    return this;
  }

  /**
   * Enable positional options. Positional means global options are specified before subcommands which lets
   * subcommands reuse the same option names, and also enables subcommands to turn on passThroughOptions.
   * The default behaviour is non-positional and global options may appear anywhere on the command line.
   *
   * @param {boolean} [positional]
   * @return {Command} `this` command for chaining
   */
  enablePositionalOptions(positional = true) {
    this._enablePositionalOptions = !!positional;
    return this;
  }

  /**
   * Pass through options that come after command-arguments rather than treat them as command-options,
   * so actual command-options come before command-arguments. Turning this on for a subcommand requires
   * positional options to have been enabled on the program (parent commands).
   * The default behaviour is non-positional and options may appear before or after command-arguments.
   *
   * @param {boolean} [passThrough] for unknown options.
   * @return {Command} `this` command for chaining
   */
  passThroughOptions(passThrough = true) {
    this._passThroughOptions = !!passThrough;
    this._checkForBrokenPassThrough();
    return this;
  }

  /**
   * @private
   */

  _checkForBrokenPassThrough() {
    if (
      this.parent &&
      this._passThroughOptions &&
      !this.parent._enablePositionalOptions
    ) {
      throw new Error(
        `passThroughOptions cannot be used for '${this._name}' without turning on enablePositionalOptions for parent command(s)`,
      );
    }
  }

  /**
   * Whether to store option values as properties on command object,
   * or store separately (specify false). In both cases the option values can be accessed using .opts().
   *
   * @param {boolean} [storeAsProperties=true]
   * @return {Command} `this` command for chaining
   */

  storeOptionsAsProperties(storeAsProperties = true) {
    if (this.options.length) {
      throw new Error('call .storeOptionsAsProperties() before adding options');
    }
    if (Object.keys(this._optionValues).length) {
      throw new Error(
        'call .storeOptionsAsProperties() before setting option values',
      );
    }
    this._storeOptionsAsProperties = !!storeAsProperties;
    return this;
  }

  /**
   * Retrieve option value.
   *
   * @param {string} key
   * @return {object} value
   */

  getOptionValue(key) {
    if (this._storeOptionsAsProperties) {
      return this[key];
    }
    return this._optionValues[key];
  }

  /**
   * Store option value.
   *
   * @param {string} key
   * @param {object} value
   * @return {Command} `this` command for chaining
   */

  setOptionValue(key, value) {
    return this.setOptionValueWithSource(key, value, undefined);
  }

  /**
   * Store option value and where the value came from.
   *
   * @param {string} key
   * @param {object} value
   * @param {string} source - expected values are default/config/env/cli/implied
   * @return {Command} `this` command for chaining
   */

  setOptionValueWithSource(key, value, source) {
    if (this._storeOptionsAsProperties) {
      this[key] = value;
    } else {
      this._optionValues[key] = value;
    }
    this._optionValueSources[key] = source;
    return this;
  }

  /**
   * Get source of option value.
   * Expected values are default | config | env | cli | implied
   *
   * @param {string} key
   * @return {string}
   */

  getOptionValueSource(key) {
    return this._optionValueSources[key];
  }

  /**
   * Get source of option value. See also .optsWithGlobals().
   * Expected values are default | config | env | cli | implied
   *
   * @param {string} key
   * @return {string}
   */

  getOptionValueSourceWithGlobals(key) {
    // global overwrites local, like optsWithGlobals
    let source;
    this._getCommandAndAncestors().forEach((cmd) => {
      if (cmd.getOptionValueSource(key) !== undefined) {
        source = cmd.getOptionValueSource(key);
      }
    });
    return source;
  }

  /**
   * Get user arguments from implied or explicit arguments.
   * Side-effects: set _scriptPath if args included script. Used for default program name, and subcommand searches.
   *
   * @private
   */

  _prepareUserArgs(argv, parseOptions) {
    if (argv !== undefined && !Array.isArray(argv)) {
      throw new Error('first parameter to parse must be array or undefined');
    }
    parseOptions = parseOptions || {};

    // auto-detect argument conventions if nothing supplied
    if (argv === undefined && parseOptions.from === undefined) {
      if (process.versions?.electron) {
        parseOptions.from = 'electron';
      }
      // check node specific options for scenarios where user CLI args follow executable without scriptname
      const execArgv = process.execArgv ?? [];
      if (
        execArgv.includes('-e') ||
        execArgv.includes('--eval') ||
        execArgv.includes('-p') ||
        execArgv.includes('--print')
      ) {
        parseOptions.from = 'eval'; // internal usage, not documented
      }
    }

    // default to using process.argv
    if (argv === undefined) {
      argv = process.argv;
    }
    this.rawArgs = argv.slice();

    // extract the user args and scriptPath
    let userArgs;
    switch (parseOptions.from) {
      case undefined:
      case 'node':
        this._scriptPath = argv[1];
        userArgs = argv.slice(2);
        break;
      case 'electron':
        // @ts-ignore: because defaultApp is an unknown property
        if (process.defaultApp) {
          this._scriptPath = argv[1];
          userArgs = argv.slice(2);
        } else {
          userArgs = argv.slice(1);
        }
        break;
      case 'user':
        userArgs = argv.slice(0);
        break;
      case 'eval':
        userArgs = argv.slice(1);
        break;
      default:
        throw new Error(
          `unexpected parse option { from: '${parseOptions.from}' }`,
        );
    }

    // Find default name for program from arguments.
    if (!this._name && this._scriptPath)
      this.nameFromFilename(this._scriptPath);
    this._name = this._name || 'program';

    return userArgs;
  }

  /**
   * Parse `argv`, setting options and invoking commands when defined.
   *
   * Use parseAsync instead of parse if any of your action handlers are async.
   *
   * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
   *
   * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
   * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
   * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
   * - `'user'`: just user arguments
   *
   * @example
   * program.parse(); // parse process.argv and auto-detect electron and special node flags
   * program.parse(process.argv); // assume argv[0] is app and argv[1] is script
   * program.parse(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
   *
   * @param {string[]} [argv] - optional, defaults to process.argv
   * @param {object} [parseOptions] - optionally specify style of options with from: node/user/electron
   * @param {string} [parseOptions.from] - where the args are from: 'node', 'user', 'electron'
   * @return {Command} `this` command for chaining
   */

  parse(argv, parseOptions) {
    this._prepareForParse();
    const userArgs = this._prepareUserArgs(argv, parseOptions);
    this._parseCommand([], userArgs);

    return this;
  }

  /**
   * Parse `argv`, setting options and invoking commands when defined.
   *
   * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
   *
   * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
   * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
   * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
   * - `'user'`: just user arguments
   *
   * @example
   * await program.parseAsync(); // parse process.argv and auto-detect electron and special node flags
   * await program.parseAsync(process.argv); // assume argv[0] is app and argv[1] is script
   * await program.parseAsync(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
   *
   * @param {string[]} [argv]
   * @param {object} [parseOptions]
   * @param {string} parseOptions.from - where the args are from: 'node', 'user', 'electron'
   * @return {Promise}
   */

  async parseAsync(argv, parseOptions) {
    this._prepareForParse();
    const userArgs = this._prepareUserArgs(argv, parseOptions);
    await this._parseCommand([], userArgs);

    return this;
  }

  _prepareForParse() {
    if (this._savedState === null) {
      this.saveStateBeforeParse();
    } else {
      this.restoreStateBeforeParse();
    }
  }

  /**
   * Called the first time parse is called to save state and allow a restore before subsequent calls to parse.
   * Not usually called directly, but available for subclasses to save their custom state.
   *
   * This is called in a lazy way. Only commands used in parsing chain will have state saved.
   */
  saveStateBeforeParse() {
    this._savedState = {
      // name is stable if supplied by author, but may be unspecified for root command and deduced during parsing
      _name: this._name,
      // option values before parse have default values (including false for negated options)
      // shallow clones
      _optionValues: { ...this._optionValues },
      _optionValueSources: { ...this._optionValueSources },
    };
  }

  /**
   * Restore state before parse for calls after the first.
   * Not usually called directly, but available for subclasses to save their custom state.
   *
   * This is called in a lazy way. Only commands used in parsing chain will have state restored.
   */
  restoreStateBeforeParse() {
    if (this._storeOptionsAsProperties)
      throw new Error(`Can not call parse again when storeOptionsAsProperties is true.
- either make a new Command for each call to parse, or stop storing options as properties`);

    // clear state from _prepareUserArgs
    this._name = this._savedState._name;
    this._scriptPath = null;
    this.rawArgs = [];
    // clear state from setOptionValueWithSource
    this._optionValues = { ...this._savedState._optionValues };
    this._optionValueSources = { ...this._savedState._optionValueSources };
    // clear state from _parseCommand
    this.args = [];
    // clear state from _processArguments
    this.processedArgs = [];
  }

  /**
   * Throw if expected executable is missing. Add lots of help for author.
   *
   * @param {string} executableFile
   * @param {string} executableDir
   * @param {string} subcommandName
   */
  _checkForMissingExecutable(executableFile, executableDir, subcommandName) {
    if (fs.existsSync(executableFile)) return;

    const executableDirMessage = executableDir
      ? `searched for local subcommand relative to directory '${executableDir}'`
      : 'no directory for search for local subcommand, use .executableDir() to supply a custom directory';
    const executableMissing = `'${executableFile}' does not exist
 - if '${subcommandName}' is not meant to be an executable command, remove description parameter from '.command()' and use '.description()' instead
 - if the default executable name is not suitable, use the executableFile option to supply a custom name or path
 - ${executableDirMessage}`;
    throw new Error(executableMissing);
  }

  /**
   * Execute a sub-command executable.
   *
   * @private
   */

  _executeSubCommand(subcommand, args) {
    args = args.slice();
    let launchWithNode = false; // Use node for source targets so do not need to get permissions correct, and on Windows.
    const sourceExt = ['.js', '.ts', '.tsx', '.mjs', '.cjs'];

    function findFile(baseDir, baseName) {
      // Look for specified file
      const localBin = path.resolve(baseDir, baseName);
      if (fs.existsSync(localBin)) return localBin;

      // Stop looking if candidate already has an expected extension.
      if (sourceExt.includes(path.extname(baseName))) return undefined;

      // Try all the extensions.
      const foundExt = sourceExt.find((ext) =>
        fs.existsSync(`${localBin}${ext}`),
      );
      if (foundExt) return `${localBin}${foundExt}`;

      return undefined;
    }

    // Not checking for help first. Unlikely to have mandatory and executable, and can't robustly test for help flags in external command.
    this._checkForMissingMandatoryOptions();
    this._checkForConflictingOptions();

    // executableFile and executableDir might be full path, or just a name
    let executableFile =
      subcommand._executableFile || `${this._name}-${subcommand._name}`;
    let executableDir = this._executableDir || '';
    if (this._scriptPath) {
      let resolvedScriptPath; // resolve possible symlink for installed npm binary
      try {
        resolvedScriptPath = fs.realpathSync(this._scriptPath);
      } catch {
        resolvedScriptPath = this._scriptPath;
      }
      executableDir = path.resolve(
        path.dirname(resolvedScriptPath),
        executableDir,
      );
    }

    // Look for a local file in preference to a command in PATH.
    if (executableDir) {
      let localFile = findFile(executableDir, executableFile);

      // Legacy search using prefix of script name instead of command name
      if (!localFile && !subcommand._executableFile && this._scriptPath) {
        const legacyName = path.basename(
          this._scriptPath,
          path.extname(this._scriptPath),
        );
        if (legacyName !== this._name) {
          localFile = findFile(
            executableDir,
            `${legacyName}-${subcommand._name}`,
          );
        }
      }
      executableFile = localFile || executableFile;
    }

    launchWithNode = sourceExt.includes(path.extname(executableFile));

    let proc;
    if (process.platform !== 'win32') {
      if (launchWithNode) {
        args.unshift(executableFile);
        // add executable arguments to spawn
        args = incrementNodeInspectorPort(process.execArgv).concat(args);

        proc = childProcess.spawn(process.argv[0], args, { stdio: 'inherit' });
      } else {
        proc = childProcess.spawn(executableFile, args, { stdio: 'inherit' });
      }
    } else {
      this._checkForMissingExecutable(
        executableFile,
        executableDir,
        subcommand._name,
      );
      args.unshift(executableFile);
      // add executable arguments to spawn
      args = incrementNodeInspectorPort(process.execArgv).concat(args);
      proc = childProcess.spawn(process.execPath, args, { stdio: 'inherit' });
    }

    if (!proc.killed) {
      // testing mainly to avoid leak warnings during unit tests with mocked spawn
      const signals = ['SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGINT', 'SIGHUP'];
      signals.forEach((signal) => {
        process.on(signal, () => {
          if (proc.killed === false && proc.exitCode === null) {
            // @ts-ignore because signals not typed to known strings
            proc.kill(signal);
          }
        });
      });
    }

    // By default terminate process when spawned process terminates.
    const exitCallback = this._exitCallback;
    proc.on('close', (code) => {
      code = code ?? 1; // code is null if spawned process terminated due to a signal
      if (!exitCallback) {
        process.exit(code);
      } else {
        exitCallback(
          new CommanderError(
            code,
            'commander.executeSubCommandAsync',
            '(close)',
          ),
        );
      }
    });
    proc.on('error', (err) => {
      // @ts-ignore: because err.code is an unknown property
      if (err.code === 'ENOENT') {
        this._checkForMissingExecutable(
          executableFile,
          executableDir,
          subcommand._name,
        );
        // @ts-ignore: because err.code is an unknown property
      } else if (err.code === 'EACCES') {
        throw new Error(`'${executableFile}' not executable`);
      }
      if (!exitCallback) {
        process.exit(1);
      } else {
        const wrappedError = new CommanderError(
          1,
          'commander.executeSubCommandAsync',
          '(error)',
        );
        wrappedError.nestedError = err;
        exitCallback(wrappedError);
      }
    });

    // Store the reference to the child process
    this.runningCommand = proc;
  }

  /**
   * @private
   */

  _dispatchSubcommand(commandName, operands, unknown) {
    const subCommand = this._findCommand(commandName);
    if (!subCommand) this.help({ error: true });

    subCommand._prepareForParse();
    let promiseChain;
    promiseChain = this._chainOrCallSubCommandHook(
      promiseChain,
      subCommand,
      'preSubcommand',
    );
    promiseChain = this._chainOrCall(promiseChain, () => {
      if (subCommand._executableHandler) {
        this._executeSubCommand(subCommand, operands.concat(unknown));
      } else {
        return subCommand._parseCommand(operands, unknown);
      }
    });
    return promiseChain;
  }

  /**
   * Invoke help directly if possible, or dispatch if necessary.
   * e.g. help foo
   *
   * @private
   */

  _dispatchHelpCommand(subcommandName) {
    if (!subcommandName) {
      this.help();
    }
    const subCommand = this._findCommand(subcommandName);
    if (subCommand && !subCommand._executableHandler) {
      subCommand.help();
    }

    // Fallback to parsing the help flag to invoke the help.
    return this._dispatchSubcommand(
      subcommandName,
      [],
      [this._getHelpOption()?.long ?? this._getHelpOption()?.short ?? '--help'],
    );
  }

  /**
   * Check this.args against expected this.registeredArguments.
   *
   * @private
   */

  _checkNumberOfArguments() {
    // too few
    this.registeredArguments.forEach((arg, i) => {
      if (arg.required && this.args[i] == null) {
        this.missingArgument(arg.name());
      }
    });
    // too many
    if (
      this.registeredArguments.length > 0 &&
      this.registeredArguments[this.registeredArguments.length - 1].variadic
    ) {
      return;
    }
    if (this.args.length > this.registeredArguments.length) {
      this._excessArguments(this.args);
    }
  }

  /**
   * Process this.args using this.registeredArguments and save as this.processedArgs!
   *
   * @private
   */

  _processArguments() {
    const myParseArg = (argument, value, previous) => {
      // Extra processing for nice error message on parsing failure.
      let parsedValue = value;
      if (value !== null && argument.parseArg) {
        const invalidValueMessage = `error: command-argument value '${value}' is invalid for argument '${argument.name()}'.`;
        parsedValue = this._callParseArg(
          argument,
          value,
          previous,
          invalidValueMessage,
        );
      }
      return parsedValue;
    };

    this._checkNumberOfArguments();

    const processedArgs = [];
    this.registeredArguments.forEach((declaredArg, index) => {
      let value = declaredArg.defaultValue;
      if (declaredArg.variadic) {
        // Collect together remaining arguments for passing together as an array.
        if (index < this.args.length) {
          value = this.args.slice(index);
          if (declaredArg.parseArg) {
            value = value.reduce((processed, v) => {
              return myParseArg(declaredArg, v, processed);
            }, declaredArg.defaultValue);
          }
        } else if (value === undefined) {
          value = [];
        }
      } else if (index < this.args.length) {
        value = this.args[index];
        if (declaredArg.parseArg) {
          value = myParseArg(declaredArg, value, declaredArg.defaultValue);
        }
      }
      processedArgs[index] = value;
    });
    this.processedArgs = processedArgs;
  }

  /**
   * Once we have a promise we chain, but call synchronously until then.
   *
   * @param {(Promise|undefined)} promise
   * @param {Function} fn
   * @return {(Promise|undefined)}
   * @private
   */

  _chainOrCall(promise, fn) {
    // thenable
    if (promise?.then && typeof promise.then === 'function') {
      // already have a promise, chain callback
      return promise.then(() => fn());
    }
    // callback might return a promise
    return fn();
  }

  /**
   *
   * @param {(Promise|undefined)} promise
   * @param {string} event
   * @return {(Promise|undefined)}
   * @private
   */

  _chainOrCallHooks(promise, event) {
    let result = promise;
    const hooks = [];
    this._getCommandAndAncestors()
      .reverse()
      .filter((cmd) => cmd._lifeCycleHooks[event] !== undefined)
      .forEach((hookedCommand) => {
        hookedCommand._lifeCycleHooks[event].forEach((callback) => {
          hooks.push({ hookedCommand, callback });
        });
      });
    if (event === 'postAction') {
      hooks.reverse();
    }

    hooks.forEach((hookDetail) => {
      result = this._chainOrCall(result, () => {
        return hookDetail.callback(hookDetail.hookedCommand, this);
      });
    });
    return result;
  }

  /**
   *
   * @param {(Promise|undefined)} promise
   * @param {Command} subCommand
   * @param {string} event
   * @return {(Promise|undefined)}
   * @private
   */

  _chainOrCallSubCommandHook(promise, subCommand, event) {
    let result = promise;
    if (this._lifeCycleHooks[event] !== undefined) {
      this._lifeCycleHooks[event].forEach((hook) => {
        result = this._chainOrCall(result, () => {
          return hook(this, subCommand);
        });
      });
    }
    return result;
  }

  /**
   * Process arguments in context of this command.
   * Returns action result, in case it is a promise.
   *
   * @private
   */

  _parseCommand(operands, unknown) {
    const parsed = this.parseOptions(unknown);
    this._parseOptionsEnv(); // after cli, so parseArg not called on both cli and env
    this._parseOptionsImplied();
    operands = operands.concat(parsed.operands);
    unknown = parsed.unknown;
    this.args = operands.concat(unknown);

    if (operands && this._findCommand(operands[0])) {
      return this._dispatchSubcommand(operands[0], operands.slice(1), unknown);
    }
    if (
      this._getHelpCommand() &&
      operands[0] === this._getHelpCommand().name()
    ) {
      return this._dispatchHelpCommand(operands[1]);
    }
    if (this._defaultCommandName) {
      this._outputHelpIfRequested(unknown); // Run the help for default command from parent rather than passing to default command
      return this._dispatchSubcommand(
        this._defaultCommandName,
        operands,
        unknown,
      );
    }
    if (
      this.commands.length &&
      this.args.length === 0 &&
      !this._actionHandler &&
      !this._defaultCommandName
    ) {
      // probably missing subcommand and no handler, user needs help (and exit)
      this.help({ error: true });
    }

    this._outputHelpIfRequested(parsed.unknown);
    this._checkForMissingMandatoryOptions();
    this._checkForConflictingOptions();

    // We do not always call this check to avoid masking a "better" error, like unknown command.
    const checkForUnknownOptions = () => {
      if (parsed.unknown.length > 0) {
        this.unknownOption(parsed.unknown[0]);
      }
    };

    const commandEvent = `command:${this.name()}`;
    if (this._actionHandler) {
      checkForUnknownOptions();
      this._processArguments();

      let promiseChain;
      promiseChain = this._chainOrCallHooks(promiseChain, 'preAction');
      promiseChain = this._chainOrCall(promiseChain, () =>
        this._actionHandler(this.processedArgs),
      );
      if (this.parent) {
        promiseChain = this._chainOrCall(promiseChain, () => {
          this.parent.emit(commandEvent, operands, unknown); // legacy
        });
      }
      promiseChain = this._chainOrCallHooks(promiseChain, 'postAction');
      return promiseChain;
    }
    if (this.parent?.listenerCount(commandEvent)) {
      checkForUnknownOptions();
      this._processArguments();
      this.parent.emit(commandEvent, operands, unknown); // legacy
    } else if (operands.length) {
      if (this._findCommand('*')) {
        // legacy default command
        return this._dispatchSubcommand('*', operands, unknown);
      }
      if (this.listenerCount('command:*')) {
        // skip option check, emit event for possible misspelling suggestion
        this.emit('command:*', operands, unknown);
      } else if (this.commands.length) {
        this.unknownCommand();
      } else {
        checkForUnknownOptions();
        this._processArguments();
      }
    } else if (this.commands.length) {
      checkForUnknownOptions();
      // This command has subcommands and nothing hooked up at this level, so display help (and exit).
      this.help({ error: true });
    } else {
      checkForUnknownOptions();
      this._processArguments();
      // fall through for caller to handle after calling .parse()
    }
  }

  /**
   * Find matching command.
   *
   * @private
   * @return {Command | undefined}
   */
  _findCommand(name) {
    if (!name) return undefined;
    return this.commands.find(
      (cmd) => cmd._name === name || cmd._aliases.includes(name),
    );
  }

  /**
   * Return an option matching `arg` if any.
   *
   * @param {string} arg
   * @return {Option}
   * @package
   */

  _findOption(arg) {
    return this.options.find((option) => option.is(arg));
  }

  /**
   * Display an error message if a mandatory option does not have a value.
   * Called after checking for help flags in leaf subcommand.
   *
   * @private
   */

  _checkForMissingMandatoryOptions() {
    // Walk up hierarchy so can call in subcommand after checking for displaying help.
    this._getCommandAndAncestors().forEach((cmd) => {
      cmd.options.forEach((anOption) => {
        if (
          anOption.mandatory &&
          cmd.getOptionValue(anOption.attributeName()) === undefined
        ) {
          cmd.missingMandatoryOptionValue(anOption);
        }
      });
    });
  }

  /**
   * Display an error message if conflicting options are used together in this.
   *
   * @private
   */
  _checkForConflictingLocalOptions() {
    const definedNonDefaultOptions = this.options.filter((option) => {
      const optionKey = option.attributeName();
      if (this.getOptionValue(optionKey) === undefined) {
        return false;
      }
      return this.getOptionValueSource(optionKey) !== 'default';
    });

    const optionsWithConflicting = definedNonDefaultOptions.filter(
      (option) => option.conflictsWith.length > 0,
    );

    optionsWithConflicting.forEach((option) => {
      const conflictingAndDefined = definedNonDefaultOptions.find((defined) =>
        option.conflictsWith.includes(defined.attributeName()),
      );
      if (conflictingAndDefined) {
        this._conflictingOption(option, conflictingAndDefined);
      }
    });
  }

  /**
   * Display an error message if conflicting options are used together.
   * Called after checking for help flags in leaf subcommand.
   *
   * @private
   */
  _checkForConflictingOptions() {
    // Walk up hierarchy so can call in subcommand after checking for displaying help.
    this._getCommandAndAncestors().forEach((cmd) => {
      cmd._checkForConflictingLocalOptions();
    });
  }

  /**
   * Parse options from `argv` removing known options,
   * and return argv split into operands and unknown arguments.
   *
   * Side effects: modifies command by storing options. Does not reset state if called again.
   *
   * Examples:
   *
   *     argv => operands, unknown
   *     --known kkk op => [op], []
   *     op --known kkk => [op], []
   *     sub --unknown uuu op => [sub], [--unknown uuu op]
   *     sub -- --unknown uuu op => [sub --unknown uuu op], []
   *
   * @param {string[]} args
   * @return {{operands: string[], unknown: string[]}}
   */

  parseOptions(args) {
    const operands = []; // operands, not options or values
    const unknown = []; // first unknown option and remaining unknown args
    let dest = operands;

    function maybeOption(arg) {
      return arg.length > 1 && arg[0] === '-';
    }

    const negativeNumberArg = (arg) => {
      // return false if not a negative number
      if (!/^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(arg)) return false;
      // negative number is ok unless digit used as an option in command hierarchy
      return !this._getCommandAndAncestors().some((cmd) =>
        cmd.options
          .map((opt) => opt.short)
          .some((short) => /^-\d$/.test(short)),
      );
    };

    // parse options
    let activeVariadicOption = null;
    let activeGroup = null; // working through group of short options, like -abc
    let i = 0;
    while (i < args.length || activeGroup) {
      const arg = activeGroup ?? args[i++];
      activeGroup = null;

      // literal
      if (arg === '--') {
        if (dest === unknown) dest.push(arg);
        dest.push(...args.slice(i));
        break;
      }

      if (
        activeVariadicOption &&
        (!maybeOption(arg) || negativeNumberArg(arg))
      ) {
        this.emit(`option:${activeVariadicOption.name()}`, arg);
        continue;
      }
      activeVariadicOption = null;

      if (maybeOption(arg)) {
        const option = this._findOption(arg);
        // recognised option, call listener to assign value with possible custom processing
        if (option) {
          if (option.required) {
            const value = args[i++];
            if (value === undefined) this.optionMissingArgument(option);
            this.emit(`option:${option.name()}`, value);
          } else if (option.optional) {
            let value = null;
            // historical behaviour is optional value is following arg unless an option
            if (
              i < args.length &&
              (!maybeOption(args[i]) || negativeNumberArg(args[i]))
            ) {
              value = args[i++];
            }
            this.emit(`option:${option.name()}`, value);
          } else {
            // boolean flag
            this.emit(`option:${option.name()}`);
          }
          activeVariadicOption = option.variadic ? option : null;
          continue;
        }
      }

      // Look for combo options following single dash, eat first one if known.
      if (arg.length > 2 && arg[0] === '-' && arg[1] !== '-') {
        const option = this._findOption(`-${arg[1]}`);
        if (option) {
          if (
            option.required ||
            (option.optional && this._combineFlagAndOptionalValue)
          ) {
            // option with value following in same argument
            this.emit(`option:${option.name()}`, arg.slice(2));
          } else {
            // boolean option
            this.emit(`option:${option.name()}`);
            // remove the processed option and keep processing group
            activeGroup = `-${arg.slice(2)}`;
          }
          continue;
        }
      }

      // Look for known long flag with value, like --foo=bar
      if (/^--[^=]+=/.test(arg)) {
        const index = arg.indexOf('=');
        const option = this._findOption(arg.slice(0, index));
        if (option && (option.required || option.optional)) {
          this.emit(`option:${option.name()}`, arg.slice(index + 1));
          continue;
        }
      }

      // Not a recognised option by this command.
      // Might be a command-argument, or subcommand option, or unknown option, or help command or option.

      // An unknown option means further arguments also classified as unknown so can be reprocessed by subcommands.
      // A negative number in a leaf command is not an unknown option.
      if (
        dest === operands &&
        maybeOption(arg) &&
        !(this.commands.length === 0 && negativeNumberArg(arg))
      ) {
        dest = unknown;
      }

      // If using positionalOptions, stop processing our options at subcommand.
      if (
        (this._enablePositionalOptions || this._passThroughOptions) &&
        operands.length === 0 &&
        unknown.length === 0
      ) {
        if (this._findCommand(arg)) {
          operands.push(arg);
          unknown.push(...args.slice(i));
          break;
        } else if (
          this._getHelpCommand() &&
          arg === this._getHelpCommand().name()
        ) {
          operands.push(arg, ...args.slice(i));
          break;
        } else if (this._defaultCommandName) {
          unknown.push(arg, ...args.slice(i));
          break;
        }
      }

      // If using passThroughOptions, stop processing options at first command-argument.
      if (this._passThroughOptions) {
        dest.push(arg, ...args.slice(i));
        break;
      }

      // add arg
      dest.push(arg);
    }

    return { operands, unknown };
  }

  /**
   * Return an object containing local option values as key-value pairs.
   *
   * @return {object}
   */
  opts() {
    if (this._storeOptionsAsProperties) {
      // Preserve original behaviour so backwards compatible when still using properties
      const result = {};
      const len = this.options.length;

      for (let i = 0; i < len; i++) {
        const key = this.options[i].attributeName();
        result[key] =
          key === this._versionOptionName ? this._version : this[key];
      }
      return result;
    }

    return this._optionValues;
  }

  /**
   * Return an object containing merged local and global option values as key-value pairs.
   *
   * @return {object}
   */
  optsWithGlobals() {
    // globals overwrite locals
    return this._getCommandAndAncestors().reduce(
      (combinedOptions, cmd) => Object.assign(combinedOptions, cmd.opts()),
      {},
    );
  }

  /**
   * Display error message and exit (or call exitOverride).
   *
   * @param {string} message
   * @param {object} [errorOptions]
   * @param {string} [errorOptions.code] - an id string representing the error
   * @param {number} [errorOptions.exitCode] - used with process.exit
   */
  error(message, errorOptions) {
    // output handling
    this._outputConfiguration.outputError(
      `${message}\n`,
      this._outputConfiguration.writeErr,
    );
    if (typeof this._showHelpAfterError === 'string') {
      this._outputConfiguration.writeErr(`${this._showHelpAfterError}\n`);
    } else if (this._showHelpAfterError) {
      this._outputConfiguration.writeErr('\n');
      this.outputHelp({ error: true });
    }

    // exit handling
    const config = errorOptions || {};
    const exitCode = config.exitCode || 1;
    const code = config.code || 'commander.error';
    this._exit(exitCode, code, message);
  }

  /**
   * Apply any option related environment variables, if option does
   * not have a value from cli or client code.
   *
   * @private
   */
  _parseOptionsEnv() {
    this.options.forEach((option) => {
      if (option.envVar && option.envVar in process.env) {
        const optionKey = option.attributeName();
        // Priority check. Do not overwrite cli or options from unknown source (client-code).
        if (
          this.getOptionValue(optionKey) === undefined ||
          ['default', 'config', 'env'].includes(
            this.getOptionValueSource(optionKey),
          )
        ) {
          if (option.required || option.optional) {
            // option can take a value
            // keep very simple, optional always takes value
            this.emit(`optionEnv:${option.name()}`, process.env[option.envVar]);
          } else {
            // boolean
            // keep very simple, only care that envVar defined and not the value
            this.emit(`optionEnv:${option.name()}`);
          }
        }
      }
    });
  }

  /**
   * Apply any implied option values, if option is undefined or default value.
   *
   * @private
   */
  _parseOptionsImplied() {
    const dualHelper = new DualOptions(this.options);
    const hasCustomOptionValue = (optionKey) => {
      return (
        this.getOptionValue(optionKey) !== undefined &&
        !['default', 'implied'].includes(this.getOptionValueSource(optionKey))
      );
    };
    this.options
      .filter(
        (option) =>
          option.implied !== undefined &&
          hasCustomOptionValue(option.attributeName()) &&
          dualHelper.valueFromOption(
            this.getOptionValue(option.attributeName()),
            option,
          ),
      )
      .forEach((option) => {
        Object.keys(option.implied)
          .filter((impliedKey) => !hasCustomOptionValue(impliedKey))
          .forEach((impliedKey) => {
            this.setOptionValueWithSource(
              impliedKey,
              option.implied[impliedKey],
              'implied',
            );
          });
      });
  }

  /**
   * Argument `name` is missing.
   *
   * @param {string} name
   * @private
   */

  missingArgument(name) {
    const message = `error: missing required argument '${name}'`;
    this.error(message, { code: 'commander.missingArgument' });
  }

  /**
   * `Option` is missing an argument.
   *
   * @param {Option} option
   * @private
   */

  optionMissingArgument(option) {
    const message = `error: option '${option.flags}' argument missing`;
    this.error(message, { code: 'commander.optionMissingArgument' });
  }

  /**
   * `Option` does not have a value, and is a mandatory option.
   *
   * @param {Option} option
   * @private
   */

  missingMandatoryOptionValue(option) {
    const message = `error: required option '${option.flags}' not specified`;
    this.error(message, { code: 'commander.missingMandatoryOptionValue' });
  }

  /**
   * `Option` conflicts with another option.
   *
   * @param {Option} option
   * @param {Option} conflictingOption
   * @private
   */
  _conflictingOption(option, conflictingOption) {
    // The calling code does not know whether a negated option is the source of the
    // value, so do some work to take an educated guess.
    const findBestOptionFromValue = (option) => {
      const optionKey = option.attributeName();
      const optionValue = this.getOptionValue(optionKey);
      const negativeOption = this.options.find(
        (target) => target.negate && optionKey === target.attributeName(),
      );
      const positiveOption = this.options.find(
        (target) => !target.negate && optionKey === target.attributeName(),
      );
      if (
        negativeOption &&
        ((negativeOption.presetArg === undefined && optionValue === false) ||
          (negativeOption.presetArg !== undefined &&
            optionValue === negativeOption.presetArg))
      ) {
        return negativeOption;
      }
      return positiveOption || option;
    };

    const getErrorMessage = (option) => {
      const bestOption = findBestOptionFromValue(option);
      const optionKey = bestOption.attributeName();
      const source = this.getOptionValueSource(optionKey);
      if (source === 'env') {
        return `environment variable '${bestOption.envVar}'`;
      }
      return `option '${bestOption.flags}'`;
    };

    const message = `error: ${getErrorMessage(option)} cannot be used with ${getErrorMessage(conflictingOption)}`;
    this.error(message, { code: 'commander.conflictingOption' });
  }

  /**
   * Unknown option `flag`.
   *
   * @param {string} flag
   * @private
   */

  unknownOption(flag) {
    if (this._allowUnknownOption) return;
    let suggestion = '';

    if (flag.startsWith('--') && this._showSuggestionAfterError) {
      // Looping to pick up the global options too
      let candidateFlags = [];
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      let command = this;
      do {
        const moreFlags = command
          .createHelp()
          .visibleOptions(command)
          .filter((option) => option.long)
          .map((option) => option.long);
        candidateFlags = candidateFlags.concat(moreFlags);
        command = command.parent;
      } while (command && !command._enablePositionalOptions);
      suggestion = suggestSimilar(flag, candidateFlags);
    }

    const message = `error: unknown option '${flag}'${suggestion}`;
    this.error(message, { code: 'commander.unknownOption' });
  }

  /**
   * Excess arguments, more than expected.
   *
   * @param {string[]} receivedArgs
   * @private
   */

  _excessArguments(receivedArgs) {
    if (this._allowExcessArguments) return;

    const expected = this.registeredArguments.length;
    const s = expected === 1 ? '' : 's';
    const forSubcommand = this.parent ? ` for '${this.name()}'` : '';
    const message = `error: too many arguments${forSubcommand}. Expected ${expected} argument${s} but got ${receivedArgs.length}.`;
    this.error(message, { code: 'commander.excessArguments' });
  }

  /**
   * Unknown command.
   *
   * @private
   */

  unknownCommand() {
    const unknownName = this.args[0];
    let suggestion = '';

    if (this._showSuggestionAfterError) {
      const candidateNames = [];
      this.createHelp()
        .visibleCommands(this)
        .forEach((command) => {
          candidateNames.push(command.name());
          // just visible alias
          if (command.alias()) candidateNames.push(command.alias());
        });
      suggestion = suggestSimilar(unknownName, candidateNames);
    }

    const message = `error: unknown command '${unknownName}'${suggestion}`;
    this.error(message, { code: 'commander.unknownCommand' });
  }

  /**
   * Get or set the program version.
   *
   * This method auto-registers the "-V, --version" option which will print the version number.
   *
   * You can optionally supply the flags and description to override the defaults.
   *
   * @param {string} [str]
   * @param {string} [flags]
   * @param {string} [description]
   * @return {(this | string | undefined)} `this` command for chaining, or version string if no arguments
   */

  version(str, flags, description) {
    if (str === undefined) return this._version;
    this._version = str;
    flags = flags || '-V, --version';
    description = description || 'output the version number';
    const versionOption = this.createOption(flags, description);
    this._versionOptionName = versionOption.attributeName();
    this._registerOption(versionOption);

    this.on('option:' + versionOption.name(), () => {
      this._outputConfiguration.writeOut(`${str}\n`);
      this._exit(0, 'commander.version', str);
    });
    return this;
  }

  /**
   * Set the description.
   *
   * @param {string} [str]
   * @param {object} [argsDescription]
   * @return {(string|Command)}
   */
  description(str, argsDescription) {
    if (str === undefined && argsDescription === undefined)
      return this._description;
    this._description = str;
    if (argsDescription) {
      this._argsDescription = argsDescription;
    }
    return this;
  }

  /**
   * Set the summary. Used when listed as subcommand of parent.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */
  summary(str) {
    if (str === undefined) return this._summary;
    this._summary = str;
    return this;
  }

  /**
   * Set an alias for the command.
   *
   * You may call more than once to add multiple aliases. Only the first alias is shown in the auto-generated help.
   *
   * @param {string} [alias]
   * @return {(string|Command)}
   */

  alias(alias) {
    if (alias === undefined) return this._aliases[0]; // just return first, for backwards compatibility

    /** @type {Command} */
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let command = this;
    if (
      this.commands.length !== 0 &&
      this.commands[this.commands.length - 1]._executableHandler
    ) {
      // assume adding alias for last added executable subcommand, rather than this
      command = this.commands[this.commands.length - 1];
    }

    if (alias === command._name)
      throw new Error("Command alias can't be the same as its name");
    const matchingCommand = this.parent?._findCommand(alias);
    if (matchingCommand) {
      // c.f. _registerCommand
      const existingCmd = [matchingCommand.name()]
        .concat(matchingCommand.aliases())
        .join('|');
      throw new Error(
        `cannot add alias '${alias}' to command '${this.name()}' as already have command '${existingCmd}'`,
      );
    }

    command._aliases.push(alias);
    return this;
  }

  /**
   * Set aliases for the command.
   *
   * Only the first alias is shown in the auto-generated help.
   *
   * @param {string[]} [aliases]
   * @return {(string[]|Command)}
   */

  aliases(aliases) {
    // Getter for the array of aliases is the main reason for having aliases() in addition to alias().
    if (aliases === undefined) return this._aliases;

    aliases.forEach((alias) => this.alias(alias));
    return this;
  }

  /**
   * Set / get the command usage `str`.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */

  usage(str) {
    if (str === undefined) {
      if (this._usage) return this._usage;

      const args = this.registeredArguments.map((arg) => {
        return humanReadableArgName(arg);
      });
      return []
        .concat(
          this.options.length || this._helpOption !== null ? '[options]' : [],
          this.commands.length ? '[command]' : [],
          this.registeredArguments.length ? args : [],
        )
        .join(' ');
    }

    this._usage = str;
    return this;
  }

  /**
   * Get or set the name of the command.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */

  name(str) {
    if (str === undefined) return this._name;
    this._name = str;
    return this;
  }

  /**
   * Set/get the help group heading for this subcommand in parent command's help.
   *
   * @param {string} [heading]
   * @return {Command | string}
   */

  helpGroup(heading) {
    if (heading === undefined) return this._helpGroupHeading ?? '';
    this._helpGroupHeading = heading;
    return this;
  }

  /**
   * Set/get the default help group heading for subcommands added to this command.
   * (This does not override a group set directly on the subcommand using .helpGroup().)
   *
   * @example
   * program.commandsGroup('Development Commands:);
   * program.command('watch')...
   * program.command('lint')...
   * ...
   *
   * @param {string} [heading]
   * @returns {Command | string}
   */
  commandsGroup(heading) {
    if (heading === undefined) return this._defaultCommandGroup ?? '';
    this._defaultCommandGroup = heading;
    return this;
  }

  /**
   * Set/get the default help group heading for options added to this command.
   * (This does not override a group set directly on the option using .helpGroup().)
   *
   * @example
   * program
   *   .optionsGroup('Development Options:')
   *   .option('-d, --debug', 'output extra debugging')
   *   .option('-p, --profile', 'output profiling information')
   *
   * @param {string} [heading]
   * @returns {Command | string}
   */
  optionsGroup(heading) {
    if (heading === undefined) return this._defaultOptionGroup ?? '';
    this._defaultOptionGroup = heading;
    return this;
  }

  /**
   * @param {Option} option
   * @private
   */
  _initOptionGroup(option) {
    if (this._defaultOptionGroup && !option.helpGroupHeading)
      option.helpGroup(this._defaultOptionGroup);
  }

  /**
   * @param {Command} cmd
   * @private
   */
  _initCommandGroup(cmd) {
    if (this._defaultCommandGroup && !cmd.helpGroup())
      cmd.helpGroup(this._defaultCommandGroup);
  }

  /**
   * Set the name of the command from script filename, such as process.argv[1],
   * or require.main.filename, or __filename.
   *
   * (Used internally and public although not documented in README.)
   *
   * @example
   * program.nameFromFilename(require.main.filename);
   *
   * @param {string} filename
   * @return {Command}
   */

  nameFromFilename(filename) {
    this._name = path.basename(filename, path.extname(filename));

    return this;
  }

  /**
   * Get or set the directory for searching for executable subcommands of this command.
   *
   * @example
   * program.executableDir(__dirname);
   * // or
   * program.executableDir('subcommands');
   *
   * @param {string} [path]
   * @return {(string|null|Command)}
   */

  executableDir(path) {
    if (path === undefined) return this._executableDir;
    this._executableDir = path;
    return this;
  }

  /**
   * Return program help documentation.
   *
   * @param {{ error: boolean }} [contextOptions] - pass {error:true} to wrap for stderr instead of stdout
   * @return {string}
   */

  helpInformation(contextOptions) {
    const helper = this.createHelp();
    const context = this._getOutputContext(contextOptions);
    helper.prepareContext({
      error: context.error,
      helpWidth: context.helpWidth,
      outputHasColors: context.hasColors,
    });
    const text = helper.formatHelp(this, helper);
    if (context.hasColors) return text;
    return this._outputConfiguration.stripColor(text);
  }

  /**
   * @typedef HelpContext
   * @type {object}
   * @property {boolean} error
   * @property {number} helpWidth
   * @property {boolean} hasColors
   * @property {function} write - includes stripColor if needed
   *
   * @returns {HelpContext}
   * @private
   */

  _getOutputContext(contextOptions) {
    contextOptions = contextOptions || {};
    const error = !!contextOptions.error;
    let baseWrite;
    let hasColors;
    let helpWidth;
    if (error) {
      baseWrite = (str) => this._outputConfiguration.writeErr(str);
      hasColors = this._outputConfiguration.getErrHasColors();
      helpWidth = this._outputConfiguration.getErrHelpWidth();
    } else {
      baseWrite = (str) => this._outputConfiguration.writeOut(str);
      hasColors = this._outputConfiguration.getOutHasColors();
      helpWidth = this._outputConfiguration.getOutHelpWidth();
    }
    const write = (str) => {
      if (!hasColors) str = this._outputConfiguration.stripColor(str);
      return baseWrite(str);
    };
    return { error, write, hasColors, helpWidth };
  }

  /**
   * Output help information for this command.
   *
   * Outputs built-in help, and custom text added using `.addHelpText()`.
   *
   * @param {{ error: boolean } | Function} [contextOptions] - pass {error:true} to write to stderr instead of stdout
   */

  outputHelp(contextOptions) {
    let deprecatedCallback;
    if (typeof contextOptions === 'function') {
      deprecatedCallback = contextOptions;
      contextOptions = undefined;
    }

    const outputContext = this._getOutputContext(contextOptions);
    /** @type {HelpTextEventContext} */
    const eventContext = {
      error: outputContext.error,
      write: outputContext.write,
      command: this,
    };

    this._getCommandAndAncestors()
      .reverse()
      .forEach((command) => command.emit('beforeAllHelp', eventContext));
    this.emit('beforeHelp', eventContext);

    let helpInformation = this.helpInformation({ error: outputContext.error });
    if (deprecatedCallback) {
      helpInformation = deprecatedCallback(helpInformation);
      if (
        typeof helpInformation !== 'string' &&
        !Buffer.isBuffer(helpInformation)
      ) {
        throw new Error('outputHelp callback must return a string or a Buffer');
      }
    }
    outputContext.write(helpInformation);

    if (this._getHelpOption()?.long) {
      this.emit(this._getHelpOption().long); // deprecated
    }
    this.emit('afterHelp', eventContext);
    this._getCommandAndAncestors().forEach((command) =>
      command.emit('afterAllHelp', eventContext),
    );
  }

  /**
   * You can pass in flags and a description to customise the built-in help option.
   * Pass in false to disable the built-in help option.
   *
   * @example
   * program.helpOption('-?, --help' 'show help'); // customise
   * program.helpOption(false); // disable
   *
   * @param {(string | boolean)} flags
   * @param {string} [description]
   * @return {Command} `this` command for chaining
   */

  helpOption(flags, description) {
    // Support enabling/disabling built-in help option.
    if (typeof flags === 'boolean') {
      if (flags) {
        if (this._helpOption === null) this._helpOption = undefined; // reenable
        if (this._defaultOptionGroup) {
          // make the option to store the group
          this._initOptionGroup(this._getHelpOption());
        }
      } else {
        this._helpOption = null; // disable
      }
      return this;
    }

    // Customise flags and description.
    this._helpOption = this.createOption(
      flags ?? '-h, --help',
      description ?? 'display help for command',
    );
    // init group unless lazy create
    if (flags || description) this._initOptionGroup(this._helpOption);

    return this;
  }

  /**
   * Lazy create help option.
   * Returns null if has been disabled with .helpOption(false).
   *
   * @returns {(Option | null)} the help option
   * @package
   */
  _getHelpOption() {
    // Lazy create help option on demand.
    if (this._helpOption === undefined) {
      this.helpOption(undefined, undefined);
    }
    return this._helpOption;
  }

  /**
   * Supply your own option to use for the built-in help option.
   * This is an alternative to using helpOption() to customise the flags and description etc.
   *
   * @param {Option} option
   * @return {Command} `this` command for chaining
   */
  addHelpOption(option) {
    this._helpOption = option;
    this._initOptionGroup(option);
    return this;
  }

  /**
   * Output help information and exit.
   *
   * Outputs built-in help, and custom text added using `.addHelpText()`.
   *
   * @param {{ error: boolean }} [contextOptions] - pass {error:true} to write to stderr instead of stdout
   */

  help(contextOptions) {
    this.outputHelp(contextOptions);
    let exitCode = Number(process.exitCode ?? 0); // process.exitCode does allow a string or an integer, but we prefer just a number
    if (
      exitCode === 0 &&
      contextOptions &&
      typeof contextOptions !== 'function' &&
      contextOptions.error
    ) {
      exitCode = 1;
    }
    // message: do not have all displayed text available so only passing placeholder.
    this._exit(exitCode, 'commander.help', '(outputHelp)');
  }

  /**
   * // Do a little typing to coordinate emit and listener for the help text events.
   * @typedef HelpTextEventContext
   * @type {object}
   * @property {boolean} error
   * @property {Command} command
   * @property {function} write
   */

  /**
   * Add additional text to be displayed with the built-in help.
   *
   * Position is 'before' or 'after' to affect just this command,
   * and 'beforeAll' or 'afterAll' to affect this command and all its subcommands.
   *
   * @param {string} position - before or after built-in help
   * @param {(string | Function)} text - string to add, or a function returning a string
   * @return {Command} `this` command for chaining
   */

  addHelpText(position, text) {
    const allowedValues = ['beforeAll', 'before', 'after', 'afterAll'];
    if (!allowedValues.includes(position)) {
      throw new Error(`Unexpected value for position to addHelpText.
Expecting one of '${allowedValues.join("', '")}'`);
    }

    const helpEvent = `${position}Help`;
    this.on(helpEvent, (/** @type {HelpTextEventContext} */ context) => {
      let helpStr;
      if (typeof text === 'function') {
        helpStr = text({ error: context.error, command: context.command });
      } else {
        helpStr = text;
      }
      // Ignore falsy value when nothing to output.
      if (helpStr) {
        context.write(`${helpStr}\n`);
      }
    });
    return this;
  }

  /**
   * Output help information if help flags specified
   *
   * @param {Array} args - array of options to search for help flags
   * @private
   */

  _outputHelpIfRequested(args) {
    const helpOption = this._getHelpOption();
    const helpRequested = helpOption && args.find((arg) => helpOption.is(arg));
    if (helpRequested) {
      this.outputHelp();
      // (Do not have all displayed text available so only passing placeholder.)
      this._exit(0, 'commander.helpDisplayed', '(outputHelp)');
    }
  }
}

/**
 * Scan arguments and increment port number for inspect calls (to avoid conflicts when spawning new command).
 *
 * @param {string[]} args - array of arguments from node.execArgv
 * @returns {string[]}
 * @private
 */

function incrementNodeInspectorPort(args) {
  // Testing for these options:
  //  --inspect[=[host:]port]
  //  --inspect-brk[=[host:]port]
  //  --inspect-port=[host:]port
  return args.map((arg) => {
    if (!arg.startsWith('--inspect')) {
      return arg;
    }
    let debugOption;
    let debugHost = '127.0.0.1';
    let debugPort = '9229';
    let match;
    if ((match = arg.match(/^(--inspect(-brk)?)$/)) !== null) {
      // e.g. --inspect
      debugOption = match[1];
    } else if (
      (match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+)$/)) !== null
    ) {
      debugOption = match[1];
      if (/^\d+$/.test(match[3])) {
        // e.g. --inspect=1234
        debugPort = match[3];
      } else {
        // e.g. --inspect=localhost
        debugHost = match[3];
      }
    } else if (
      (match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+):(\d+)$/)) !== null
    ) {
      // e.g. --inspect=localhost:1234
      debugOption = match[1];
      debugHost = match[3];
      debugPort = match[4];
    }

    if (debugOption && debugPort !== '0') {
      return `${debugOption}=${debugHost}:${parseInt(debugPort) + 1}`;
    }
    return arg;
  });
}

/**
 * @returns {boolean | undefined}
 * @package
 */
function useColor() {
  // Test for common conventions.
  // NB: the observed behaviour is in combination with how author adds color! For example:
  //   - we do not test NODE_DISABLE_COLORS, but util:styletext does
  //   - we do test NO_COLOR, but Chalk does not
  //
  // References:
  // https://no-color.org
  // https://bixense.com/clicolors/
  // https://github.com/nodejs/node/blob/0a00217a5f67ef4a22384cfc80eb6dd9a917fdc1/lib/internal/tty.js#L109
  // https://github.com/chalk/supports-color/blob/c214314a14bcb174b12b3014b2b0a8de375029ae/index.js#L33
  // (https://force-color.org recent web page from 2023, does not match major javascript implementations)

  if (
    process.env.NO_COLOR ||
    process.env.FORCE_COLOR === '0' ||
    process.env.FORCE_COLOR === 'false'
  )
    return false;
  if (process.env.FORCE_COLOR || process.env.CLICOLOR_FORCE !== undefined)
    return true;
  return undefined;
}

exports.Command = Command;
exports.useColor = useColor; // exporting for tests


/***/ }),

/***/ 135:
/***/ ((__unused_webpack_module, exports) => {

/**
 * CommanderError class
 */
class CommanderError extends Error {
  /**
   * Constructs the CommanderError class
   * @param {number} exitCode suggested exit code which could be used with process.exit
   * @param {string} code an id string representing the error
   * @param {string} message human-readable description of the error
   */
  constructor(exitCode, code, message) {
    super(message);
    // properly capture stack trace in Node.js
    Error.captureStackTrace(this, this.constructor);
    this.name = this.constructor.name;
    this.code = code;
    this.exitCode = exitCode;
    this.nestedError = undefined;
  }
}

/**
 * InvalidArgumentError class
 */
class InvalidArgumentError extends CommanderError {
  /**
   * Constructs the InvalidArgumentError class
   * @param {string} [message] explanation of why argument is invalid
   */
  constructor(message) {
    super(1, 'commander.invalidArgument', message);
    // properly capture stack trace in Node.js
    Error.captureStackTrace(this, this.constructor);
    this.name = this.constructor.name;
  }
}

exports.CommanderError = CommanderError;
exports.InvalidArgumentError = InvalidArgumentError;


/***/ }),

/***/ 754:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const { humanReadableArgName } = __nccwpck_require__(154);

/**
 * TypeScript import types for JSDoc, used by Visual Studio Code IntelliSense and `npm run typescript-checkJS`
 * https://www.typescriptlang.org/docs/handbook/jsdoc-supported-types.html#import-types
 * @typedef { import("./argument.js").Argument } Argument
 * @typedef { import("./command.js").Command } Command
 * @typedef { import("./option.js").Option } Option
 */

// Although this is a class, methods are static in style to allow override using subclass or just functions.
class Help {
  constructor() {
    this.helpWidth = undefined;
    this.minWidthToWrap = 40;
    this.sortSubcommands = false;
    this.sortOptions = false;
    this.showGlobalOptions = false;
  }

  /**
   * prepareContext is called by Commander after applying overrides from `Command.configureHelp()`
   * and just before calling `formatHelp()`.
   *
   * Commander just uses the helpWidth and the rest is provided for optional use by more complex subclasses.
   *
   * @param {{ error?: boolean, helpWidth?: number, outputHasColors?: boolean }} contextOptions
   */
  prepareContext(contextOptions) {
    this.helpWidth = this.helpWidth ?? contextOptions.helpWidth ?? 80;
  }

  /**
   * Get an array of the visible subcommands. Includes a placeholder for the implicit help command, if there is one.
   *
   * @param {Command} cmd
   * @returns {Command[]}
   */

  visibleCommands(cmd) {
    const visibleCommands = cmd.commands.filter((cmd) => !cmd._hidden);
    const helpCommand = cmd._getHelpCommand();
    if (helpCommand && !helpCommand._hidden) {
      visibleCommands.push(helpCommand);
    }
    if (this.sortSubcommands) {
      visibleCommands.sort((a, b) => {
        // @ts-ignore: because overloaded return type
        return a.name().localeCompare(b.name());
      });
    }
    return visibleCommands;
  }

  /**
   * Compare options for sort.
   *
   * @param {Option} a
   * @param {Option} b
   * @returns {number}
   */
  compareOptions(a, b) {
    const getSortKey = (option) => {
      // WYSIWYG for order displayed in help. Short used for comparison if present. No special handling for negated.
      return option.short
        ? option.short.replace(/^-/, '')
        : option.long.replace(/^--/, '');
    };
    return getSortKey(a).localeCompare(getSortKey(b));
  }

  /**
   * Get an array of the visible options. Includes a placeholder for the implicit help option, if there is one.
   *
   * @param {Command} cmd
   * @returns {Option[]}
   */

  visibleOptions(cmd) {
    const visibleOptions = cmd.options.filter((option) => !option.hidden);
    // Built-in help option.
    const helpOption = cmd._getHelpOption();
    if (helpOption && !helpOption.hidden) {
      // Automatically hide conflicting flags. Bit dubious but a historical behaviour that is convenient for single-command programs.
      const removeShort = helpOption.short && cmd._findOption(helpOption.short);
      const removeLong = helpOption.long && cmd._findOption(helpOption.long);
      if (!removeShort && !removeLong) {
        visibleOptions.push(helpOption); // no changes needed
      } else if (helpOption.long && !removeLong) {
        visibleOptions.push(
          cmd.createOption(helpOption.long, helpOption.description),
        );
      } else if (helpOption.short && !removeShort) {
        visibleOptions.push(
          cmd.createOption(helpOption.short, helpOption.description),
        );
      }
    }
    if (this.sortOptions) {
      visibleOptions.sort(this.compareOptions);
    }
    return visibleOptions;
  }

  /**
   * Get an array of the visible global options. (Not including help.)
   *
   * @param {Command} cmd
   * @returns {Option[]}
   */

  visibleGlobalOptions(cmd) {
    if (!this.showGlobalOptions) return [];

    const globalOptions = [];
    for (
      let ancestorCmd = cmd.parent;
      ancestorCmd;
      ancestorCmd = ancestorCmd.parent
    ) {
      const visibleOptions = ancestorCmd.options.filter(
        (option) => !option.hidden,
      );
      globalOptions.push(...visibleOptions);
    }
    if (this.sortOptions) {
      globalOptions.sort(this.compareOptions);
    }
    return globalOptions;
  }

  /**
   * Get an array of the arguments if any have a description.
   *
   * @param {Command} cmd
   * @returns {Argument[]}
   */

  visibleArguments(cmd) {
    // Side effect! Apply the legacy descriptions before the arguments are displayed.
    if (cmd._argsDescription) {
      cmd.registeredArguments.forEach((argument) => {
        argument.description =
          argument.description || cmd._argsDescription[argument.name()] || '';
      });
    }

    // If there are any arguments with a description then return all the arguments.
    if (cmd.registeredArguments.find((argument) => argument.description)) {
      return cmd.registeredArguments;
    }
    return [];
  }

  /**
   * Get the command term to show in the list of subcommands.
   *
   * @param {Command} cmd
   * @returns {string}
   */

  subcommandTerm(cmd) {
    // Legacy. Ignores custom usage string, and nested commands.
    const args = cmd.registeredArguments
      .map((arg) => humanReadableArgName(arg))
      .join(' ');
    return (
      cmd._name +
      (cmd._aliases[0] ? '|' + cmd._aliases[0] : '') +
      (cmd.options.length ? ' [options]' : '') + // simplistic check for non-help option
      (args ? ' ' + args : '')
    );
  }

  /**
   * Get the option term to show in the list of options.
   *
   * @param {Option} option
   * @returns {string}
   */

  optionTerm(option) {
    return option.flags;
  }

  /**
   * Get the argument term to show in the list of arguments.
   *
   * @param {Argument} argument
   * @returns {string}
   */

  argumentTerm(argument) {
    return argument.name();
  }

  /**
   * Get the longest command term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  longestSubcommandTermLength(cmd, helper) {
    return helper.visibleCommands(cmd).reduce((max, command) => {
      return Math.max(
        max,
        this.displayWidth(
          helper.styleSubcommandTerm(helper.subcommandTerm(command)),
        ),
      );
    }, 0);
  }

  /**
   * Get the longest option term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  longestOptionTermLength(cmd, helper) {
    return helper.visibleOptions(cmd).reduce((max, option) => {
      return Math.max(
        max,
        this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option))),
      );
    }, 0);
  }

  /**
   * Get the longest global option term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  longestGlobalOptionTermLength(cmd, helper) {
    return helper.visibleGlobalOptions(cmd).reduce((max, option) => {
      return Math.max(
        max,
        this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option))),
      );
    }, 0);
  }

  /**
   * Get the longest argument term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  longestArgumentTermLength(cmd, helper) {
    return helper.visibleArguments(cmd).reduce((max, argument) => {
      return Math.max(
        max,
        this.displayWidth(
          helper.styleArgumentTerm(helper.argumentTerm(argument)),
        ),
      );
    }, 0);
  }

  /**
   * Get the command usage to be displayed at the top of the built-in help.
   *
   * @param {Command} cmd
   * @returns {string}
   */

  commandUsage(cmd) {
    // Usage
    let cmdName = cmd._name;
    if (cmd._aliases[0]) {
      cmdName = cmdName + '|' + cmd._aliases[0];
    }
    let ancestorCmdNames = '';
    for (
      let ancestorCmd = cmd.parent;
      ancestorCmd;
      ancestorCmd = ancestorCmd.parent
    ) {
      ancestorCmdNames = ancestorCmd.name() + ' ' + ancestorCmdNames;
    }
    return ancestorCmdNames + cmdName + ' ' + cmd.usage();
  }

  /**
   * Get the description for the command.
   *
   * @param {Command} cmd
   * @returns {string}
   */

  commandDescription(cmd) {
    // @ts-ignore: because overloaded return type
    return cmd.description();
  }

  /**
   * Get the subcommand summary to show in the list of subcommands.
   * (Fallback to description for backwards compatibility.)
   *
   * @param {Command} cmd
   * @returns {string}
   */

  subcommandDescription(cmd) {
    // @ts-ignore: because overloaded return type
    return cmd.summary() || cmd.description();
  }

  /**
   * Get the option description to show in the list of options.
   *
   * @param {Option} option
   * @return {string}
   */

  optionDescription(option) {
    const extraInfo = [];

    if (option.argChoices) {
      extraInfo.push(
        // use stringify to match the display of the default value
        `choices: ${option.argChoices.map((choice) => JSON.stringify(choice)).join(', ')}`,
      );
    }
    if (option.defaultValue !== undefined) {
      // default for boolean and negated more for programmer than end user,
      // but show true/false for boolean option as may be for hand-rolled env or config processing.
      const showDefault =
        option.required ||
        option.optional ||
        (option.isBoolean() && typeof option.defaultValue === 'boolean');
      if (showDefault) {
        extraInfo.push(
          `default: ${option.defaultValueDescription || JSON.stringify(option.defaultValue)}`,
        );
      }
    }
    // preset for boolean and negated are more for programmer than end user
    if (option.presetArg !== undefined && option.optional) {
      extraInfo.push(`preset: ${JSON.stringify(option.presetArg)}`);
    }
    if (option.envVar !== undefined) {
      extraInfo.push(`env: ${option.envVar}`);
    }
    if (extraInfo.length > 0) {
      const extraDescription = `(${extraInfo.join(', ')})`;
      if (option.description) {
        return `${option.description} ${extraDescription}`;
      }
      return extraDescription;
    }

    return option.description;
  }

  /**
   * Get the argument description to show in the list of arguments.
   *
   * @param {Argument} argument
   * @return {string}
   */

  argumentDescription(argument) {
    const extraInfo = [];
    if (argument.argChoices) {
      extraInfo.push(
        // use stringify to match the display of the default value
        `choices: ${argument.argChoices.map((choice) => JSON.stringify(choice)).join(', ')}`,
      );
    }
    if (argument.defaultValue !== undefined) {
      extraInfo.push(
        `default: ${argument.defaultValueDescription || JSON.stringify(argument.defaultValue)}`,
      );
    }
    if (extraInfo.length > 0) {
      const extraDescription = `(${extraInfo.join(', ')})`;
      if (argument.description) {
        return `${argument.description} ${extraDescription}`;
      }
      return extraDescription;
    }
    return argument.description;
  }

  /**
   * Format a list of items, given a heading and an array of formatted items.
   *
   * @param {string} heading
   * @param {string[]} items
   * @param {Help} helper
   * @returns string[]
   */
  formatItemList(heading, items, helper) {
    if (items.length === 0) return [];

    return [helper.styleTitle(heading), ...items, ''];
  }

  /**
   * Group items by their help group heading.
   *
   * @param {Command[] | Option[]} unsortedItems
   * @param {Command[] | Option[]} visibleItems
   * @param {Function} getGroup
   * @returns {Map<string, Command[] | Option[]>}
   */
  groupItems(unsortedItems, visibleItems, getGroup) {
    const result = new Map();
    // Add groups in order of appearance in unsortedItems.
    unsortedItems.forEach((item) => {
      const group = getGroup(item);
      if (!result.has(group)) result.set(group, []);
    });
    // Add items in order of appearance in visibleItems.
    visibleItems.forEach((item) => {
      const group = getGroup(item);
      if (!result.has(group)) {
        result.set(group, []);
      }
      result.get(group).push(item);
    });
    return result;
  }

  /**
   * Generate the built-in help text.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {string}
   */

  formatHelp(cmd, helper) {
    const termWidth = helper.padWidth(cmd, helper);
    const helpWidth = helper.helpWidth ?? 80; // in case prepareContext() was not called

    function callFormatItem(term, description) {
      return helper.formatItem(term, termWidth, description, helper);
    }

    // Usage
    let output = [
      `${helper.styleTitle('Usage:')} ${helper.styleUsage(helper.commandUsage(cmd))}`,
      '',
    ];

    // Description
    const commandDescription = helper.commandDescription(cmd);
    if (commandDescription.length > 0) {
      output = output.concat([
        helper.boxWrap(
          helper.styleCommandDescription(commandDescription),
          helpWidth,
        ),
        '',
      ]);
    }

    // Arguments
    const argumentList = helper.visibleArguments(cmd).map((argument) => {
      return callFormatItem(
        helper.styleArgumentTerm(helper.argumentTerm(argument)),
        helper.styleArgumentDescription(helper.argumentDescription(argument)),
      );
    });
    output = output.concat(
      this.formatItemList('Arguments:', argumentList, helper),
    );

    // Options
    const optionGroups = this.groupItems(
      cmd.options,
      helper.visibleOptions(cmd),
      (option) => option.helpGroupHeading ?? 'Options:',
    );
    optionGroups.forEach((options, group) => {
      const optionList = options.map((option) => {
        return callFormatItem(
          helper.styleOptionTerm(helper.optionTerm(option)),
          helper.styleOptionDescription(helper.optionDescription(option)),
        );
      });
      output = output.concat(this.formatItemList(group, optionList, helper));
    });

    if (helper.showGlobalOptions) {
      const globalOptionList = helper
        .visibleGlobalOptions(cmd)
        .map((option) => {
          return callFormatItem(
            helper.styleOptionTerm(helper.optionTerm(option)),
            helper.styleOptionDescription(helper.optionDescription(option)),
          );
        });
      output = output.concat(
        this.formatItemList('Global Options:', globalOptionList, helper),
      );
    }

    // Commands
    const commandGroups = this.groupItems(
      cmd.commands,
      helper.visibleCommands(cmd),
      (sub) => sub.helpGroup() || 'Commands:',
    );
    commandGroups.forEach((commands, group) => {
      const commandList = commands.map((sub) => {
        return callFormatItem(
          helper.styleSubcommandTerm(helper.subcommandTerm(sub)),
          helper.styleSubcommandDescription(helper.subcommandDescription(sub)),
        );
      });
      output = output.concat(this.formatItemList(group, commandList, helper));
    });

    return output.join('\n');
  }

  /**
   * Return display width of string, ignoring ANSI escape sequences. Used in padding and wrapping calculations.
   *
   * @param {string} str
   * @returns {number}
   */
  displayWidth(str) {
    return stripColor(str).length;
  }

  /**
   * Style the title for displaying in the help. Called with 'Usage:', 'Options:', etc.
   *
   * @param {string} str
   * @returns {string}
   */
  styleTitle(str) {
    return str;
  }

  styleUsage(str) {
    // Usage has lots of parts the user might like to color separately! Assume default usage string which is formed like:
    //    command subcommand [options] [command] <foo> [bar]
    return str
      .split(' ')
      .map((word) => {
        if (word === '[options]') return this.styleOptionText(word);
        if (word === '[command]') return this.styleSubcommandText(word);
        if (word[0] === '[' || word[0] === '<')
          return this.styleArgumentText(word);
        return this.styleCommandText(word); // Restrict to initial words?
      })
      .join(' ');
  }
  styleCommandDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleOptionDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleSubcommandDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleArgumentDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleDescriptionText(str) {
    return str;
  }
  styleOptionTerm(str) {
    return this.styleOptionText(str);
  }
  styleSubcommandTerm(str) {
    // This is very like usage with lots of parts! Assume default string which is formed like:
    //    subcommand [options] <foo> [bar]
    return str
      .split(' ')
      .map((word) => {
        if (word === '[options]') return this.styleOptionText(word);
        if (word[0] === '[' || word[0] === '<')
          return this.styleArgumentText(word);
        return this.styleSubcommandText(word); // Restrict to initial words?
      })
      .join(' ');
  }
  styleArgumentTerm(str) {
    return this.styleArgumentText(str);
  }
  styleOptionText(str) {
    return str;
  }
  styleArgumentText(str) {
    return str;
  }
  styleSubcommandText(str) {
    return str;
  }
  styleCommandText(str) {
    return str;
  }

  /**
   * Calculate the pad width from the maximum term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */

  padWidth(cmd, helper) {
    return Math.max(
      helper.longestOptionTermLength(cmd, helper),
      helper.longestGlobalOptionTermLength(cmd, helper),
      helper.longestSubcommandTermLength(cmd, helper),
      helper.longestArgumentTermLength(cmd, helper),
    );
  }

  /**
   * Detect manually wrapped and indented strings by checking for line break followed by whitespace.
   *
   * @param {string} str
   * @returns {boolean}
   */
  preformatted(str) {
    return /\n[^\S\r\n]/.test(str);
  }

  /**
   * Format the "item", which consists of a term and description. Pad the term and wrap the description, indenting the following lines.
   *
   * So "TTT", 5, "DDD DDDD DD DDD" might be formatted for this.helpWidth=17 like so:
   *   TTT  DDD DDDD
   *        DD DDD
   *
   * @param {string} term
   * @param {number} termWidth
   * @param {string} description
   * @param {Help} helper
   * @returns {string}
   */
  formatItem(term, termWidth, description, helper) {
    const itemIndent = 2;
    const itemIndentStr = ' '.repeat(itemIndent);
    if (!description) return itemIndentStr + term;

    // Pad the term out to a consistent width, so descriptions are aligned.
    const paddedTerm = term.padEnd(
      termWidth + term.length - helper.displayWidth(term),
    );

    // Format the description.
    const spacerWidth = 2; // between term and description
    const helpWidth = this.helpWidth ?? 80; // in case prepareContext() was not called
    const remainingWidth = helpWidth - termWidth - spacerWidth - itemIndent;
    let formattedDescription;
    if (
      remainingWidth < this.minWidthToWrap ||
      helper.preformatted(description)
    ) {
      formattedDescription = description;
    } else {
      const wrappedDescription = helper.boxWrap(description, remainingWidth);
      formattedDescription = wrappedDescription.replace(
        /\n/g,
        '\n' + ' '.repeat(termWidth + spacerWidth),
      );
    }

    // Construct and overall indent.
    return (
      itemIndentStr +
      paddedTerm +
      ' '.repeat(spacerWidth) +
      formattedDescription.replace(/\n/g, `\n${itemIndentStr}`)
    );
  }

  /**
   * Wrap a string at whitespace, preserving existing line breaks.
   * Wrapping is skipped if the width is less than `minWidthToWrap`.
   *
   * @param {string} str
   * @param {number} width
   * @returns {string}
   */
  boxWrap(str, width) {
    if (width < this.minWidthToWrap) return str;

    const rawLines = str.split(/\r\n|\n/);
    // split up text by whitespace
    const chunkPattern = /[\s]*[^\s]+/g;
    const wrappedLines = [];
    rawLines.forEach((line) => {
      const chunks = line.match(chunkPattern);
      if (chunks === null) {
        wrappedLines.push('');
        return;
      }

      let sumChunks = [chunks.shift()];
      let sumWidth = this.displayWidth(sumChunks[0]);
      chunks.forEach((chunk) => {
        const visibleWidth = this.displayWidth(chunk);
        // Accumulate chunks while they fit into width.
        if (sumWidth + visibleWidth <= width) {
          sumChunks.push(chunk);
          sumWidth += visibleWidth;
          return;
        }
        wrappedLines.push(sumChunks.join(''));

        const nextChunk = chunk.trimStart(); // trim space at line break
        sumChunks = [nextChunk];
        sumWidth = this.displayWidth(nextChunk);
      });
      wrappedLines.push(sumChunks.join(''));
    });

    return wrappedLines.join('\n');
  }
}

/**
 * Strip style ANSI escape sequences from the string. In particular, SGR (Select Graphic Rendition) codes.
 *
 * @param {string} str
 * @returns {string}
 * @package
 */

function stripColor(str) {
  // eslint-disable-next-line no-control-regex
  const sgrPattern = /\x1b\[\d*(;\d*)*m/g;
  return str.replace(sgrPattern, '');
}

exports.Help = Help;
exports.stripColor = stripColor;


/***/ }),

/***/ 240:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const { InvalidArgumentError } = __nccwpck_require__(135);

class Option {
  /**
   * Initialize a new `Option` with the given `flags` and `description`.
   *
   * @param {string} flags
   * @param {string} [description]
   */

  constructor(flags, description) {
    this.flags = flags;
    this.description = description || '';

    this.required = flags.includes('<'); // A value must be supplied when the option is specified.
    this.optional = flags.includes('['); // A value is optional when the option is specified.
    // variadic test ignores <value,...> et al which might be used to describe custom splitting of single argument
    this.variadic = /\w\.\.\.[>\]]$/.test(flags); // The option can take multiple values.
    this.mandatory = false; // The option must have a value after parsing, which usually means it must be specified on command line.
    const optionFlags = splitOptionFlags(flags);
    this.short = optionFlags.shortFlag; // May be a short flag, undefined, or even a long flag (if option has two long flags).
    this.long = optionFlags.longFlag;
    this.negate = false;
    if (this.long) {
      this.negate = this.long.startsWith('--no-');
    }
    this.defaultValue = undefined;
    this.defaultValueDescription = undefined;
    this.presetArg = undefined;
    this.envVar = undefined;
    this.parseArg = undefined;
    this.hidden = false;
    this.argChoices = undefined;
    this.conflictsWith = [];
    this.implied = undefined;
    this.helpGroupHeading = undefined; // soft initialised when option added to command
  }

  /**
   * Set the default value, and optionally supply the description to be displayed in the help.
   *
   * @param {*} value
   * @param {string} [description]
   * @return {Option}
   */

  default(value, description) {
    this.defaultValue = value;
    this.defaultValueDescription = description;
    return this;
  }

  /**
   * Preset to use when option used without option-argument, especially optional but also boolean and negated.
   * The custom processing (parseArg) is called.
   *
   * @example
   * new Option('--color').default('GREYSCALE').preset('RGB');
   * new Option('--donate [amount]').preset('20').argParser(parseFloat);
   *
   * @param {*} arg
   * @return {Option}
   */

  preset(arg) {
    this.presetArg = arg;
    return this;
  }

  /**
   * Add option name(s) that conflict with this option.
   * An error will be displayed if conflicting options are found during parsing.
   *
   * @example
   * new Option('--rgb').conflicts('cmyk');
   * new Option('--js').conflicts(['ts', 'jsx']);
   *
   * @param {(string | string[])} names
   * @return {Option}
   */

  conflicts(names) {
    this.conflictsWith = this.conflictsWith.concat(names);
    return this;
  }

  /**
   * Specify implied option values for when this option is set and the implied options are not.
   *
   * The custom processing (parseArg) is not called on the implied values.
   *
   * @example
   * program
   *   .addOption(new Option('--log', 'write logging information to file'))
   *   .addOption(new Option('--trace', 'log extra details').implies({ log: 'trace.txt' }));
   *
   * @param {object} impliedOptionValues
   * @return {Option}
   */
  implies(impliedOptionValues) {
    let newImplied = impliedOptionValues;
    if (typeof impliedOptionValues === 'string') {
      // string is not documented, but easy mistake and we can do what user probably intended.
      newImplied = { [impliedOptionValues]: true };
    }
    this.implied = Object.assign(this.implied || {}, newImplied);
    return this;
  }

  /**
   * Set environment variable to check for option value.
   *
   * An environment variable is only used if when processed the current option value is
   * undefined, or the source of the current value is 'default' or 'config' or 'env'.
   *
   * @param {string} name
   * @return {Option}
   */

  env(name) {
    this.envVar = name;
    return this;
  }

  /**
   * Set the custom handler for processing CLI option arguments into option values.
   *
   * @param {Function} [fn]
   * @return {Option}
   */

  argParser(fn) {
    this.parseArg = fn;
    return this;
  }

  /**
   * Whether the option is mandatory and must have a value after parsing.
   *
   * @param {boolean} [mandatory=true]
   * @return {Option}
   */

  makeOptionMandatory(mandatory = true) {
    this.mandatory = !!mandatory;
    return this;
  }

  /**
   * Hide option in help.
   *
   * @param {boolean} [hide=true]
   * @return {Option}
   */

  hideHelp(hide = true) {
    this.hidden = !!hide;
    return this;
  }

  /**
   * @package
   */

  _collectValue(value, previous) {
    if (previous === this.defaultValue || !Array.isArray(previous)) {
      return [value];
    }

    previous.push(value);
    return previous;
  }

  /**
   * Only allow option value to be one of choices.
   *
   * @param {string[]} values
   * @return {Option}
   */

  choices(values) {
    this.argChoices = values.slice();
    this.parseArg = (arg, previous) => {
      if (!this.argChoices.includes(arg)) {
        throw new InvalidArgumentError(
          `Allowed choices are ${this.argChoices.join(', ')}.`,
        );
      }
      if (this.variadic) {
        return this._collectValue(arg, previous);
      }
      return arg;
    };
    return this;
  }

  /**
   * Return option name.
   *
   * @return {string}
   */

  name() {
    if (this.long) {
      return this.long.replace(/^--/, '');
    }
    return this.short.replace(/^-/, '');
  }

  /**
   * Return option name, in a camelcase format that can be used
   * as an object attribute key.
   *
   * @return {string}
   */

  attributeName() {
    if (this.negate) {
      return camelcase(this.name().replace(/^no-/, ''));
    }
    return camelcase(this.name());
  }

  /**
   * Set the help group heading.
   *
   * @param {string} heading
   * @return {Option}
   */
  helpGroup(heading) {
    this.helpGroupHeading = heading;
    return this;
  }

  /**
   * Check if `arg` matches the short or long flag.
   *
   * @param {string} arg
   * @return {boolean}
   * @package
   */

  is(arg) {
    return this.short === arg || this.long === arg;
  }

  /**
   * Return whether a boolean option.
   *
   * Options are one of boolean, negated, required argument, or optional argument.
   *
   * @return {boolean}
   * @package
   */

  isBoolean() {
    return !this.required && !this.optional && !this.negate;
  }
}

/**
 * This class is to make it easier to work with dual options, without changing the existing
 * implementation. We support separate dual options for separate positive and negative options,
 * like `--build` and `--no-build`, which share a single option value. This works nicely for some
 * use cases, but is tricky for others where we want separate behaviours despite
 * the single shared option value.
 */
class DualOptions {
  /**
   * @param {Option[]} options
   */
  constructor(options) {
    this.positiveOptions = new Map();
    this.negativeOptions = new Map();
    this.dualOptions = new Set();
    options.forEach((option) => {
      if (option.negate) {
        this.negativeOptions.set(option.attributeName(), option);
      } else {
        this.positiveOptions.set(option.attributeName(), option);
      }
    });
    this.negativeOptions.forEach((value, key) => {
      if (this.positiveOptions.has(key)) {
        this.dualOptions.add(key);
      }
    });
  }

  /**
   * Did the value come from the option, and not from possible matching dual option?
   *
   * @param {*} value
   * @param {Option} option
   * @returns {boolean}
   */
  valueFromOption(value, option) {
    const optionKey = option.attributeName();
    if (!this.dualOptions.has(optionKey)) return true;

    // Use the value to deduce if (probably) came from the option.
    const preset = this.negativeOptions.get(optionKey).presetArg;
    const negativeValue = preset !== undefined ? preset : false;
    return option.negate === (negativeValue === value);
  }
}

/**
 * Convert string from kebab-case to camelCase.
 *
 * @param {string} str
 * @return {string}
 * @private
 */

function camelcase(str) {
  return str.split('-').reduce((str, word) => {
    return str + word[0].toUpperCase() + word.slice(1);
  });
}

/**
 * Split the short and long flag out of something like '-m,--mixed <value>'
 *
 * @private
 */

function splitOptionFlags(flags) {
  let shortFlag;
  let longFlag;
  // short flag, single dash and single character
  const shortFlagExp = /^-[^-]$/;
  // long flag, double dash and at least one character
  const longFlagExp = /^--[^-]/;

  const flagParts = flags.split(/[ |,]+/).concat('guard');
  // Normal is short and/or long.
  if (shortFlagExp.test(flagParts[0])) shortFlag = flagParts.shift();
  if (longFlagExp.test(flagParts[0])) longFlag = flagParts.shift();
  // Long then short. Rarely used but fine.
  if (!shortFlag && shortFlagExp.test(flagParts[0]))
    shortFlag = flagParts.shift();
  // Allow two long flags, like '--ws, --workspace'
  // This is the supported way to have a shortish option flag.
  if (!shortFlag && longFlagExp.test(flagParts[0])) {
    shortFlag = longFlag;
    longFlag = flagParts.shift();
  }

  // Check for unprocessed flag. Fail noisily rather than silently ignore.
  if (flagParts[0].startsWith('-')) {
    const unsupportedFlag = flagParts[0];
    const baseError = `option creation failed due to '${unsupportedFlag}' in option flags '${flags}'`;
    if (/^-[^-][^-]/.test(unsupportedFlag))
      throw new Error(
        `${baseError}
- a short flag is a single dash and a single character
  - either use a single dash and a single character (for a short flag)
  - or use a double dash for a long option (and can have two, like '--ws, --workspace')`,
      );
    if (shortFlagExp.test(unsupportedFlag))
      throw new Error(`${baseError}
- too many short flags`);
    if (longFlagExp.test(unsupportedFlag))
      throw new Error(`${baseError}
- too many long flags`);

    throw new Error(`${baseError}
- unrecognised flag format`);
  }
  if (shortFlag === undefined && longFlag === undefined)
    throw new Error(
      `option creation failed due to no flags found in '${flags}'.`,
    );

  return { shortFlag, longFlag };
}

exports.Option = Option;
exports.DualOptions = DualOptions;


/***/ }),

/***/ 30:
/***/ ((__unused_webpack_module, exports) => {

const maxDistance = 3;

function editDistance(a, b) {
  // https://en.wikipedia.org/wiki/Damerau–Levenshtein_distance
  // Calculating optimal string alignment distance, no substring is edited more than once.
  // (Simple implementation.)

  // Quick early exit, return worst case.
  if (Math.abs(a.length - b.length) > maxDistance)
    return Math.max(a.length, b.length);

  // distance between prefix substrings of a and b
  const d = [];

  // pure deletions turn a into empty string
  for (let i = 0; i <= a.length; i++) {
    d[i] = [i];
  }
  // pure insertions turn empty string into b
  for (let j = 0; j <= b.length; j++) {
    d[0][j] = j;
  }

  // fill matrix
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      let cost = 1;
      if (a[i - 1] === b[j - 1]) {
        cost = 0;
      } else {
        cost = 1;
      }
      d[i][j] = Math.min(
        d[i - 1][j] + 1, // deletion
        d[i][j - 1] + 1, // insertion
        d[i - 1][j - 1] + cost, // substitution
      );
      // transposition
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }

  return d[a.length][b.length];
}

/**
 * Find close matches, restricted to same number of edits.
 *
 * @param {string} word
 * @param {string[]} candidates
 * @returns {string}
 */

function suggestSimilar(word, candidates) {
  if (!candidates || candidates.length === 0) return '';
  // remove possible duplicates
  candidates = Array.from(new Set(candidates));

  const searchingOptions = word.startsWith('--');
  if (searchingOptions) {
    word = word.slice(2);
    candidates = candidates.map((candidate) => candidate.slice(2));
  }

  let similar = [];
  let bestDistance = maxDistance;
  const minSimilarity = 0.4;
  candidates.forEach((candidate) => {
    if (candidate.length <= 1) return; // no one character guesses

    const distance = editDistance(word, candidate);
    const length = Math.max(word.length, candidate.length);
    const similarity = (length - distance) / length;
    if (similarity > minSimilarity) {
      if (distance < bestDistance) {
        // better edit distance, throw away previous worse matches
        bestDistance = distance;
        similar = [candidate];
      } else if (distance === bestDistance) {
        similar.push(candidate);
      }
    }
  });

  similar.sort((a, b) => a.localeCompare(b));
  if (searchingOptions) {
    similar = similar.map((candidate) => `--${candidate}`);
  }

  if (similar.length > 1) {
    return `\n(Did you mean one of ${similar.join(', ')}?)`;
  }
  if (similar.length === 1) {
    return `\n(Did you mean ${similar[0]}?)`;
  }
  return '';
}

exports.suggestSimilar = suggestSimilar;


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(957);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
