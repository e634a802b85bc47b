export const id = 455;
export const ids = [455];
export const modules = {

/***/ 7455:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  emulatorEnv: () => (/* reexport */ emulatorEnv),
  startEmulator: () => (/* reexport */ startEmulator)
});

// UNUSED EXPORTS: FaultInjector, blobOperation, faultableMethods, formatFaultSpec, maxArtifactsPerJob, maxNameLength, parseFaultSpec, requestCounts, seededRandom, validateArtifactName

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/results-store/index.ts + 11 modules
var results_store = __webpack_require__(8032);
// EXTERNAL MODULE: ./node_modules/@azure/storage-blob/dist/esm/index.js + 270 modules
var esm = __webpack_require__(9406);
;// CONCATENATED MODULE: ./src/emulator/blob-signer.ts
/**
 * Signed URLs into the emulated storage account, shaped like the real service's: an upload
 * URL that can create, write and append (and read back), a read-only download URL that names
 * the file to save as. URLs point at the blob proxy, which forwards to Azurite.
 */

/** Azurite's well-known development account. */
const devAccountName = 'devstoreaccount1';
const devAccountKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
/** The containers the emulator keeps artifacts and caches in. */
const resultsContainer = 'actions-results';
const cacheContainer = 'actions-cache';
/**
 * Signs URLs of one container's blobs with the lifetimes in force at each call (`lifetimes`
 * is read each time: the emulator may change it).
 */
function containerUrls(signer, container, lifetimes) {
    return {
        upload: (blobName) => signer.uploadUrl(container, blobName, lifetimes.uploadUrlTtlMs),
        download: (blobName, fileName) => signer.downloadUrl(container, blobName, lifetimes.downloadUrlTtlMs, fileName)
    };
}
/** Signs URLs for one account endpoint. */
class BlobSigner {
    publicEndpoint;
    credential = new esm/* StorageSharedKeyCredential */.Z3(devAccountName, devAccountKey);
    /** `publicEndpoint`: http://host:port/devstoreaccount1 as the clients will see it. */
    constructor(publicEndpoint) {
        this.publicEndpoint = publicEndpoint;
    }
    /** A URL allowed to create, write, append to and read the blob until `ttlMs` from now. */
    uploadUrl(container, blobName, ttlMs) {
        return this.sign(container, blobName, 'racw', ttlMs);
    }
    /** A read-only URL; the download names `fileName` in its Content-Disposition. */
    downloadUrl(container, blobName, ttlMs, fileName) {
        const disposition = fileName
            ? `attachment; filename="${fileName.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
            : undefined;
        return this.sign(container, blobName, 'r', ttlMs, disposition);
    }
    sign(container, blobName, permissions, ttlMs, contentDisposition) {
        const now = Date.now();
        const sas = (0,esm/* generateBlobSASQueryParameters */.WJ)({
            containerName: container,
            blobName,
            permissions: esm/* BlobSASPermissions */.vD.parse(permissions),
            // A little slack backwards like Azure advises against clock skew; expiry is exact.
            startsOn: new Date(now - 5 * 60 * 1000),
            expiresOn: new Date(now + ttlMs),
            protocol: esm/* SASProtocol */.m5.HttpsAndHttp,
            contentDisposition
        }, this.credential).toString();
        const path = blobName.split('/').map(encodeURIComponent).join('/');
        return `${this.publicEndpoint}/${container}/${path}?${sas}`;
    }
}
/** Creates the emulator's containers in Azurite (direct, not through the proxy). */
async function createContainers(azuriteUrl) {
    const service = new esm/* BlobServiceClient */.wS(`${azuriteUrl}/${devAccountName}`, new esm/* StorageSharedKeyCredential */.Z3(devAccountName, devAccountKey));
    for (const name of [resultsContainer, cacheContainer]) {
        await service.getContainerClient(name).createIfNotExists();
    }
}
/** Deletes a blob directly in Azurite; a missing blob is fine. */
async function deleteBlob(azuriteUrl, container, blobName) {
    const service = new esm/* BlobServiceClient */.wS(`${azuriteUrl}/${devAccountName}`, new esm/* StorageSharedKeyCredential */.Z3(devAccountName, devAccountKey));
    await service.getContainerClient(container).getBlobClient(blobName).deleteIfExists();
}

;// CONCATENATED MODULE: ./src/emulator/twirp.ts
/** The Twirp error codes the emulator answers with, and their HTTP status. */
const twirpStatus = {
    invalid_argument: 400,
    malformed: 400,
    unauthenticated: 401,
    permission_denied: 403,
    not_found: 404,
    bad_route: 404,
    already_exists: 409,
    failed_precondition: 412,
    resource_exhausted: 429,
    internal: 500,
    unavailable: 503
};
/** An error a handler throws to answer with a Twirp error. */
class TwirpError extends Error {
    code;
    name = 'TwirpError';
    constructor(code, msg) {
        super(msg);
        this.code = code;
    }
    get status() {
        return twirpStatus[this.code];
    }
}
function camel(snake) {
    return snake.replace(/_([a-z])/g, (_m, c) => c.toUpperCase());
}
/** The value of a field given by its proto name, sent as snake_case or camelCase. */
function field(body, name) {
    if (name in body)
        return body[name];
    return body[camel(name)];
}
/** A string field; absent means '' like proto3. Wrapper types may come as `{ value }`. */
function stringField(body, name) {
    const value = unwrap(field(body, name));
    if (value === undefined || value === null)
        return '';
    if (typeof value !== 'string')
        throw new TwirpError('malformed', `${name} must be a string`);
    return value;
}
/** An optional wrapper field (StringValue / Int64Value): undefined when absent. */
function optionalField(body, name) {
    const value = unwrap(field(body, name));
    if (value === undefined || value === null)
        return undefined;
    if (typeof value === 'string')
        return value;
    if (typeof value === 'number' && Number.isSafeInteger(value))
        return String(value);
    throw new TwirpError('malformed', `${name} must be a string`);
}
/** An int64 field: proto3 JSON sends it as a decimal string, numbers are accepted too. */
function int64Field(body, name) {
    const value = unwrap(field(body, name));
    if (value === undefined || value === null || value === '')
        return 0n;
    if ((typeof value === 'string' && /^-?\d+$/.test(value)) || Number.isSafeInteger(value)) {
        return BigInt(value);
    }
    throw new TwirpError('malformed', `${name} must be an int64 (a decimal string)`);
}
/** A repeated string field. */
function stringListField(body, name) {
    const value = field(body, name);
    if (value === undefined || value === null)
        return [];
    if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
        throw new TwirpError('malformed', `${name} must be a list of strings`);
    }
    return value;
}
function unwrap(value) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'value' in value) {
        return value.value;
    }
    return value;
}
const maxBodyBytes = 1024 * 1024;
/** Reads and parses a JSON request body; a Twirp `malformed` error when it is not JSON. */
async function readJson(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > maxBodyBytes)
            throw new TwirpError('malformed', 'request body is too large');
        chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '')
        return {};
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        throw new TwirpError('malformed', 'request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new TwirpError('malformed', 'request body must be a JSON object');
    }
    return body;
}
/** Writes a JSON answer. */
function sendJson(res, status, body) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text)
    });
    res.end(text);
}
/** Writes a Twirp error answer. */
function sendTwirpError(res, error) {
    sendJson(res, error.status, { code: error.code, msg: error.message });
}

;// CONCATENATED MODULE: ./src/emulator/artifact-service.ts


/**
 * The run in the request must be the token's (or, where `anyAttempt`, another attempt of the
 * same run: a re-run reads what earlier attempts left); so must the job where `sameJob`.
 */
function checkIds(caller, body, sameJob, anyAttempt) {
    const ids = {
        workflowRunBackendId: stringField(body, 'workflow_run_backend_id'),
        workflowJobRunBackendId: stringField(body, 'workflow_job_run_backend_id')
    };
    if (!ids.workflowRunBackendId || !ids.workflowJobRunBackendId) {
        throw new TwirpError('invalid_argument', 'workflow_run_backend_id and workflow_job_run_backend_id are required');
    }
    const sameRun = anyAttempt ?? ((a, b) => a === b);
    if (!sameRun(ids.workflowRunBackendId, caller.workflowRunBackendId)) {
        throw new TwirpError('permission_denied', 'the token does not grant access to this workflow run');
    }
    if (sameJob && ids.workflowJobRunBackendId !== caller.workflowJobRunBackendId) {
        throw new TwirpError('permission_denied', 'the token does not grant access to this workflow job run');
    }
    return ids;
}
/** proto3 JSON of google.protobuf.Timestamp. */
function timestamp(date) {
    return date.toISOString();
}
/** Builds the ArtifactService method table. */
function artifactService(ctx) {
    const urls = containerUrls(ctx.signer, resultsContainer, ctx.lifetimes);
    /**
     * The run, job and name of the artifact a request names: any job of the run may read it,
     * in any attempt (the ids are those ListArtifacts gave, the creating attempt's).
     */
    const named = (caller, body) => {
        const ids = checkIds(caller, body, false, (a, b) => ctx.store.sameRun(a, b));
        return [ids.workflowRunBackendId, ids.workflowJobRunBackendId, stringField(body, 'name')];
    };
    return {
        async CreateArtifact(caller, body) {
            const ids = checkIds(caller, body, true);
            const version = Number(body['version'] ?? 0);
            if (!Number.isInteger(version) || version < 0) {
                throw new TwirpError('invalid_argument', 'version must be a non-negative integer');
            }
            const record = ctx.store.create({
                runId: ids.workflowRunBackendId,
                jobId: ids.workflowJobRunBackendId,
                name: stringField(body, 'name'),
                version,
                mimeType: optionalField(body, 'mime_type'),
                expiresAt: optionalField(body, 'expires_at')
            }, ctx.now());
            ctx.onCreated?.(record);
            return { ok: true, signed_upload_url: urls.upload(record.blobName) };
        },
        async FinalizeArtifact(caller, body) {
            const ids = checkIds(caller, body, true);
            const record = ctx.store.finalize(ids.workflowRunBackendId, ids.workflowJobRunBackendId, stringField(body, 'name'), int64Field(body, 'size'), optionalField(body, 'hash'));
            return { ok: true, artifact_id: record.id.toString() };
        },
        async ListArtifacts(caller, body) {
            const ids = checkIds(caller, body, true);
            const idFilter = optionalField(body, 'id_filter');
            if (idFilter !== undefined && !/^-?\d+$/.test(idFilter)) {
                throw new TwirpError('malformed', 'id_filter must be an int64 (a decimal string)');
            }
            const artifacts = ctx.store.list(ids.workflowRunBackendId, optionalField(body, 'name_filter'), idFilter === undefined ? undefined : BigInt(idFilter));
            return {
                artifacts: artifacts.map(a => ({
                    workflow_run_backend_id: a.runId,
                    workflow_job_run_backend_id: a.jobId,
                    database_id: a.id.toString(),
                    name: a.name,
                    size: a.size.toString(),
                    created_at: timestamp(a.createdAt),
                    ...(a.digest !== undefined ? { digest: a.digest } : {})
                }))
            };
        },
        async GetSignedArtifactURL(caller, body) {
            const record = ctx.store.get(...named(caller, body));
            return { signed_url: urls.download(record.blobName, record.fileName) };
        },
        async DeleteArtifact(caller, body) {
            const record = ctx.store.delete(...named(caller, body));
            await ctx.deleteBlob(record.blobName);
            return { ok: true, artifact_id: record.id.toString() };
        }
    };
}

;// CONCATENATED MODULE: ./src/emulator/artifact-store.ts
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


/** The limit of artifacts one job may create. */
const maxArtifactsPerJob = 500;
/** Artifact names are 1..256 characters. */
const maxNameLength = 256;
/** Characters the service refuses in names (file system hostile). */
const invalidNameCharacters = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];
/** Throws `invalid_argument` when the service would refuse the name. */
function validateArtifactName(name) {
    if (name.length === 0 || name.length > maxNameLength) {
        throw new TwirpError('invalid_argument', `artifact name must be 1 to ${maxNameLength} characters, got ${name.length}`);
    }
    const bad = invalidNameCharacters.find(c => name.includes(c));
    if (bad !== undefined) {
        throw new TwirpError('invalid_argument', `artifact name ${JSON.stringify(name)} contains the invalid character ${JSON.stringify(bad)}`);
    }
}
function isZip(mimeType) {
    return mimeType === undefined || mimeType === '' || mimeType === 'application/zip';
}
/** Artifacts of all runs, keyed by run then name; deleted ones are forgotten. */
class ArtifactStore {
    /** Keyed by the run (its first attempt's backend id), then name. */
    byRun = new Map();
    /** An attempt's run backend id → the run's (first attempt's) backend id. */
    runOf = new Map();
    createdByJob = new Map();
    nextId = 1000000001n;
    /** Makes `attemptRunId` a later attempt of the run whose first attempt is `runId`. */
    linkAttempt(attemptRunId, runId) {
        if (attemptRunId !== runId)
            this.runOf.set(attemptRunId, this.runKey(runId));
    }
    /** True when two run backend ids are attempts of the same run. */
    sameRun(a, b) {
        return this.runKey(a) === this.runKey(b);
    }
    /** Records a new artifact; 409 for a name taken in the run, 429 past the job limit. */
    create(req, now) {
        validateArtifactName(req.name);
        const run = this.run(this.runKey(req.runId));
        if (run.has(req.name)) {
            throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run');
        }
        const jobKey = `${req.runId}:${req.jobId}`;
        const created = this.createdByJob.get(jobKey) ?? 0;
        if (created >= maxArtifactsPerJob) {
            throw new TwirpError('resource_exhausted', `the job has created ${created} artifacts, the limit of ${maxArtifactsPerJob} per job`);
        }
        this.createdByJob.set(jobKey, created + 1);
        const id = this.nextId++;
        const zip = isZip(req.mimeType);
        const nameHash = (0,external_node_crypto_.createHash)('sha256').update(req.name).digest('hex').slice(0, 16);
        const record = {
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
        };
        run.set(req.name, record);
        return record;
    }
    /** Marks the artifact of this job finalized with its size and optional digest. */
    finalize(runId, jobId, name, size, digest) {
        const record = this.find(runId, jobId, name);
        if (!record)
            throw new TwirpError('not_found', 'artifact not found');
        if (record.finalized) {
            throw new TwirpError('failed_precondition', `artifact ${name} is already finalized`);
        }
        if (size < 0n)
            throw new TwirpError('invalid_argument', 'size must not be negative');
        record.finalized = true;
        record.size = size;
        record.digest = digest;
        return record;
    }
    /**
     * Finalized artifacts of the whole run (every attempt's), optionally filtered by exact name
     * and id.
     */
    list(runId, nameFilter, idFilter) {
        const all = [...(this.byRun.get(this.runKey(runId))?.values() ?? [])];
        return all
            .filter(a => a.finalized)
            .filter(a => nameFilter === undefined || a.name === nameFilter)
            .filter(a => idFilter === undefined || a.id === idFilter)
            .sort((a, b) => (a.id < b.id ? -1 : 1));
    }
    /** The finalized artifact of (run, job, name), the triple the client sends; else 404. */
    get(runId, jobId, name) {
        const record = this.find(runId, jobId, name);
        if (!record || !record.finalized) {
            throw new TwirpError('not_found', 'artifact not found');
        }
        return record;
    }
    /** Forgets the artifact of (run, job, name), which frees its name; 404 when absent. */
    delete(runId, jobId, name) {
        const record = this.find(runId, jobId, name);
        if (!record)
            throw new TwirpError('not_found', 'artifact not found');
        this.byRun.get(this.runKey(runId))?.delete(name);
        return record;
    }
    /** How many artifacts each job (`run:job`) has created. */
    createdPerJob() {
        return Object.fromEntries(this.createdByJob);
    }
    /** The record of (attempt's run backend id, job, name), finalized or not. */
    find(runId, jobId, name) {
        const record = this.byRun.get(this.runKey(runId))?.get(name);
        return record && record.runId === runId && record.jobId === jobId ? record : undefined;
    }
    runKey(runId) {
        return this.runOf.get(runId) ?? runId;
    }
    run(runId) {
        let run = this.byRun.get(runId);
        if (!run) {
            run = new Map();
            this.byRun.set(runId, run);
        }
        return run;
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/emulator/azurite.ts
/**
 * Azurite's blob service as a child process on a free port, in memory, in a temp dir; killed
 * on stop and on process exit so no emulator leaves an orphan behind.
 */





const entry = (0,external_node_path_.join)('node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
/**
 * The azurite-blob entry script: given, from SQUALL_AZURITE_SCRIPT, or found in a
 * node_modules above this module or the working directory. Looked up on disk rather than
 * resolved, so it works the same from sources and from a bundle.
 */
function findAzuriteScript(given) {
    const explicit = given ?? process.env['SQUALL_AZURITE_SCRIPT'];
    if (explicit) {
        if (!(0,external_node_fs_.existsSync)(explicit))
            throw new Error(`Azurite script '${explicit}' does not exist`);
        return explicit;
    }
    for (const start of [(0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url)), process.cwd()]) {
        for (let dir = (0,external_node_path_.resolve)(start);; dir = (0,external_node_path_.dirname)(dir)) {
            const candidate = (0,external_node_path_.join)(dir, entry);
            if ((0,external_node_fs_.existsSync)(candidate))
                return candidate;
            if ((0,external_node_path_.dirname)(dir) === dir)
                break;
        }
    }
    throw new Error('Azurite is not installed: expected node_modules/azurite (npm install azurite@3.35)');
}
const live = new Set();
let exitHookInstalled = false;
function installExitHook() {
    if (exitHookInstalled)
        return;
    exitHookInstalled = true;
    // Synchronous kill on exit: the only moment left to reap children of a dying process.
    process.on('exit', () => {
        for (const child of live)
            child.kill('SIGKILL');
    });
}
/** Starts Azurite and resolves once it listens. */
async function startAzurite(options = {}) {
    const host = options.host ?? '127.0.0.1';
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'squall-azurite-'));
    const args = [
        findAzuriteScript(options.script),
        '--blobHost',
        host,
        '--blobPort',
        String(options.port ?? 0),
        '--skipApiVersionCheck',
        '--disableTelemetry',
        '--inMemoryPersistence',
        '--loose',
        '--silent'
    ];
    // --location cannot go with --inMemoryPersistence, so the temp dir is the working directory.
    const child = (0,external_node_child_process_.spawn)(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    installExitHook();
    const exited = new Promise(resolve => child.once('exit', () => resolve()));
    const cleanup = () => {
        live.delete(child);
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    };
    void exited.then(cleanup);
    let output = '';
    const port = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            reject(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 30000} ms: ${output}`));
        }, options.startTimeoutMs ?? 30000);
        const onData = (data) => {
            output += data.toString();
            const m = /successfully listens on https?:\/\/[^:\s]+:(\d+)/.exec(output);
            if (m) {
                clearTimeout(timer);
                child.stdout?.off('data', onData);
                child.stderr?.off('data', onData);
                resolve(Number(m[1]));
            }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        child.once('error', e => {
            clearTimeout(timer);
            reject(e);
        });
        child.once('exit', (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`Azurite exited (${signal ?? code}) before it listened: ${output.trim()}`));
        });
    }).catch(async (e) => {
        child.kill('SIGKILL');
        await exited;
        throw e;
    });
    options.log?.(`azurite blob service on http://${host}:${port} (pid ${child.pid})`);
    // Keep draining its output so a full pipe never blocks it.
    child.stdout?.resume();
    child.stderr?.resume();
    return {
        url: `http://${host}:${port}`,
        port,
        pid: child.pid ?? -1,
        async stop() {
            if (child.exitCode !== null || child.signalCode !== null)
                return;
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(timer);
        }
    };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
;// CONCATENATED MODULE: ./src/emulator/front.ts
/**
 * Listens on a free port of `host`; `close` destroys the open connections, runs `onClose`
 * and resolves once the server has closed. `path` ends the URL (`/` or nothing).
 */
async function listenFront(server, host, path, onClose = () => undefined) {
    const sockets = new Set();
    server.on('connection', s => {
        sockets.add(s);
        s.once('close', () => sockets.delete(s));
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => resolve());
    });
    const { port } = server.address();
    return {
        url: `http://${host}:${port}${path}`,
        close: () => new Promise(resolve => {
            for (const s of sockets)
                s.destroy();
            onClose();
            server.close(() => resolve());
        })
    };
}

;// CONCATENATED MODULE: ./src/emulator/blob-proxy.ts
/**
 * A small HTTP proxy in front of Azurite that every signed URL points at: it counts blob
 * operations and answer codes, and injects latency and faults on blob requests when asked,
 * including answers lost after the operation was applied.
 */


/** Names a blob request the way Azure's REST API names the operation. */
function blobOperation(method, url, headers) {
    const comp = new URL(url, 'http://x').searchParams.get('comp') ?? '';
    const ranged = headers['range'] !== undefined || headers['x-ms-range'] !== undefined;
    switch (`${method} ${comp}`) {
        case 'PUT ':
            return headers['x-ms-blob-type'] === 'AppendBlob' ? 'CreateAppendBlob' : 'PutBlob';
        case 'PUT appendblock':
            return 'AppendBlock';
        case 'PUT block':
            return 'PutBlock';
        case 'PUT blocklist':
            return 'PutBlockList';
        case 'GET ':
            return ranged ? 'GetBlobRange' : 'GetBlob';
        case 'HEAD ':
            return 'GetBlobProperties';
        case 'DELETE ':
            return 'DeleteBlob';
        default:
            return `${method}${comp ? ` ${comp}` : ''}`;
    }
}
/** The blob size when a 206 is empty because the range starts at the end (`bytes 5-4/5`). */
function emptyRangeSize(status, contentRange) {
    if (status !== 206 || !contentRange)
        return undefined;
    const m = /^bytes (\d+)-(-?\d+)\/(\d+)$/.exec(contentRange);
    if (!m || Number(m[2]) >= Number(m[1]))
        return undefined;
    return Number(m[3]);
}
/** Azure's message when a SAS is used past its `se` expiry; undefined while it is valid. */
function sasExpired(url, nowMs) {
    const params = new URL(url, 'http://x').searchParams;
    const se = params.get('se');
    if (!se || !params.get('sig'))
        return undefined;
    const expiry = Date.parse(se);
    if (Number.isNaN(expiry) || nowMs <= expiry)
        return undefined;
    const st = params.get('st') ?? '';
    return ('Server failed to authenticate the request. Make sure the value of Authorization header is ' +
        `formed correctly including the signature. Signed expiry time [${se}] has passed: ` +
        `Start [${st}] - Expiry [${se}] - Current [${new Date(nowMs).toUTCString()}]`);
}
function azureError(res, status, code, message, extra = {}) {
    const body = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    res.writeHead(status, {
        ...extra,
        'content-type': 'application/xml',
        'x-ms-error-code': code,
        'content-length': Buffer.byteLength(body)
    });
    res.end(body);
}
/** Starts the proxy on a free port. */
async function startBlobProxy(options) {
    const target = new URL(options.target);
    const agent = new (external_node_http_default()).Agent({ keepAlive: true });
    const count = (operation, status) => {
        options.counters.add(`blob-status:${status}`);
        options.counters.add(`blob-status:${operation}:${status}`);
    };
    /** Passes the request to Azurite; with `lose`, Azurite's answer is dropped once it is in. */
    const forward = (req, res, operation, lose) => {
        const headers = { ...req.headers, host: target.host };
        const upstream = external_node_http_default().request({
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers,
            agent
        }, up => {
            if (lose) {
                // The operation is done in the store; only its answer goes missing.
                count(operation, up.statusCode ?? 502);
                up.resume();
                up.once('end', () => {
                    options.counters.add(`fault:blob:${lose}`);
                    options.counters.add(`fault:blob:${operation}:lost`);
                    if (lose === 'lost-drop')
                        req.socket.destroy();
                    else
                        azureError(res, 500, 'InternalError', 'The server encountered an internal error.');
                });
                return;
            }
            const size = emptyRangeSize(up.statusCode, up.headers['content-range']);
            if (size !== undefined) {
                // Azure answers a range starting at the end of the blob with 416; Azurite with an
                // empty 206. Readers must see what Azure does.
                up.resume();
                count(operation, 416);
                azureError(res, 416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.', {
                    'content-range': `bytes */${size}`
                });
                return;
            }
            count(operation, up.statusCode ?? 502);
            res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders);
            up.pipe(res);
        });
        upstream.on('error', e => {
            options.log?.(`blob proxy: upstream ${operation} failed: ${e.message}`);
            if (!res.headersSent)
                azureError(res, 502, 'BadGateway', 'the storage emulator did not answer');
            else
                res.destroy();
        });
        req.pipe(upstream);
    };
    const server = external_node_http_default().createServer((req, res) => {
        const operation = blobOperation(req.method ?? 'GET', req.url ?? '/', req.headers);
        options.counters.add('blob:requests');
        options.counters.add(`blob:${operation}`);
        const decision = options.decide(operation);
        const act = () => {
            const expired = sasExpired(req.url ?? '/', Date.now());
            if (expired) {
                // Azurite refuses too, but as AuthorizationFailure; Azure says AuthenticationFailed.
                req.resume();
                count(operation, 403);
                azureError(res, 403, 'AuthenticationFailed', expired);
                return;
            }
            switch (decision.fault) {
                case 'drop':
                    options.counters.add('fault:blob:drop');
                    req.socket.destroy();
                    return;
                case '429':
                    options.counters.add('fault:blob:503');
                    req.resume();
                    azureError(res, 503, 'ServerBusy', 'The server is currently unable to receive requests.');
                    return;
                case '500':
                    options.counters.add('fault:blob:500');
                    req.resume();
                    azureError(res, 500, 'InternalError', 'The server encountered an internal error.');
                    return;
                case 'lost-drop':
                case 'lost-500':
                    forward(req, res, operation, decision.fault);
                    return;
                default:
                    forward(req, res, operation);
            }
        };
        if (decision.latencyMs > 0)
            setTimeout(act, decision.latencyMs);
        else
            act();
    });
    return listenFront(server, options.host, '', () => agent.destroy());
}

;// CONCATENATED MODULE: ./src/emulator/cache-service.ts


/** The scopes named in `metadata.scope`, in order; [''] when the request names none. */
function requestScopes(body) {
    const metadata = field(body, 'metadata');
    if (typeof metadata !== 'object' || metadata === null)
        return [''];
    const scopes = field(metadata, 'scope');
    if (!Array.isArray(scopes))
        return [''];
    const names = scopes
        .map(s => (typeof s === 'object' && s !== null ? field(s, 'scope') : undefined))
        .filter((s) => typeof s === 'string' && s !== '');
    return names.length > 0 ? names : [''];
}
/** Builds the CacheService method table. */
function cacheService(ctx) {
    const urls = containerUrls(ctx.signer, cacheContainer, ctx.lifetimes);
    return {
        async CreateCacheEntry(_caller, body) {
            const entry = ctx.store.create(stringField(body, 'key'), stringField(body, 'version'), requestScopes(body)[0], ctx.now());
            return { ok: true, signed_upload_url: urls.upload(entry.blobName) };
        },
        async FinalizeCacheEntryUpload(_caller, body) {
            const sizeBytes = int64Field(body, 'size_bytes');
            if (sizeBytes < 0n)
                throw new TwirpError('invalid_argument', 'size_bytes must not be negative');
            const entry = ctx.store.finalize(stringField(body, 'key'), stringField(body, 'version'), requestScopes(body)[0], sizeBytes);
            return { ok: true, entry_id: entry.id.toString() };
        },
        async GetCacheEntryDownloadURL(_caller, body) {
            const key = stringField(body, 'key');
            const version = stringField(body, 'version');
            if (!key || !version)
                throw new TwirpError('invalid_argument', 'key and version are required');
            const entry = ctx.store.lookup(key, stringListField(body, 'restore_keys'), version, requestScopes(body));
            // A miss is an ordinary answer, not an error: the client reads `ok: false` as a miss.
            if (!entry)
                return { ok: false, signed_download_url: '', matched_key: '' };
            return {
                ok: true,
                signed_download_url: urls.download(entry.blobName),
                matched_key: entry.key
            };
        }
    };
}

;// CONCATENATED MODULE: ./src/emulator/cache-store.ts
/**
 * The cache service's entries, as pure state. An entry is reserved by CreateCacheEntry and
 * becomes visible when finalized. Lookup follows the documented order: per scope, an exact
 * key match, then a prefix match of the key, then each restore key as a prefix; newest first;
 * the version must match.
 */


/** The cache client refuses longer keys; the service does too. */
const maxCacheKeyLength = 512;
function validateKey(key) {
    if (key === '' || key.length > maxCacheKeyLength || key.includes(',')) {
        throw new TwirpError('invalid_argument', `cache key must be 1 to ${maxCacheKeyLength} characters without commas`);
    }
}
/** Cache entries of every scope. */
class CacheStore {
    entries = [];
    nextId = 2000000001n;
    /** Keeps creation order total even when two entries share a millisecond. */
    sequence = 0;
    order = new Map();
    /** Reserves an entry; 409 when key+version already exists in the scope. */
    create(key, version, scope, now) {
        validateKey(key);
        if (version === '')
            throw new TwirpError('invalid_argument', 'cache version is required');
        if (this.entries.some(e => e.key === key && e.version === version && e.scope === scope)) {
            throw new TwirpError('already_exists', 'cache entry with the same key, version, and scope already exists');
        }
        const id = this.nextId++;
        const hash = (0,external_node_crypto_.createHash)('sha256').update(`${scope}\n${key}\n${version}`).digest('hex');
        const entry = {
            id,
            key,
            version,
            scope,
            blobName: `${id}-${hash.slice(0, 24)}`,
            createdAt: now,
            finalized: false,
            sizeBytes: 0n
        };
        this.entries.push(entry);
        this.order.set(entry, this.sequence++);
        return entry;
    }
    /** Finalizes the reserved entry; 404 when there is none to finalize. */
    finalize(key, version, scope, sizeBytes) {
        const entry = this.entries.find(e => e.key === key && e.version === version && e.scope === scope && !e.finalized);
        if (!entry)
            throw new TwirpError('not_found', 'cache entry not found');
        entry.finalized = true;
        entry.sizeBytes = sizeBytes;
        return entry;
    }
    /** The entry a restore gets, or undefined for a miss. `scopes` in order of preference. */
    lookup(key, restoreKeys, version, scopes) {
        for (const scope of scopes) {
            const candidates = this.entries
                .filter(e => e.finalized && e.version === version && e.scope === scope)
                .sort((a, b) => (this.order.get(b) ?? 0) - (this.order.get(a) ?? 0));
            const found = candidates.find(e => e.key === key) ??
                candidates.find(e => e.key.startsWith(key)) ??
                firstPrefixMatch(candidates, restoreKeys);
            if (found)
                return found;
        }
        return undefined;
    }
}
function firstPrefixMatch(candidates, prefixes) {
    for (const prefix of prefixes) {
        const found = candidates.find(e => e.key.startsWith(prefix));
        if (found)
            return found;
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/emulator/counters.ts
var emulator_counters = __webpack_require__(5138);
;// CONCATENATED MODULE: ./src/emulator/env.ts
/** The environment a job of an emulated run sees: what the runner exports to actions. */
/** The variables the artifact and cache clients read, pointed at the emulator. */
function jobEnv(resultsUrl, token) {
    return {
        ACTIONS_RESULTS_URL: resultsUrl,
        ACTIONS_RUNTIME_TOKEN: token,
        ACTIONS_RUNTIME_URL: resultsUrl,
        ACTIONS_CACHE_URL: resultsUrl,
        ACTIONS_CACHE_SERVICE_V2: 'true',
        // Any other host makes the clients take the run for GHES and refuse.
        GITHUB_SERVER_URL: 'https://github.com'
    };
}

;// CONCATENATED MODULE: ./src/emulator/faults.ts
/**
 * Seeded fault injection: each eligible request draws one number from a deterministic PRNG,
 * so the same seed and the same order of requests give the same faults.
 */
/** mulberry32: small, fast, and good enough to spread faults. */
function seededRandom(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const none = { latencyMs: 0, fault: 'none' };
/** Decides faults for a stream of requests; replaced as a whole by `setFaults`. */
class FaultInjector {
    options;
    random;
    constructor(options) {
        this.options = options;
        for (const [name, rate] of Object.entries({
            rate429: options.rate429,
            rate500: options.rate500,
            rateDrop: options.rateDrop,
            rateLost: options.rateLost
        })) {
            if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
                throw new Error(`faults.${name}: '${rate}' is not a probability; expected 0 to 1`);
            }
        }
        const sum = (options.rate429 ?? 0) +
            (options.rate500 ?? 0) +
            (options.rateDrop ?? 0) +
            (options.rateLost ?? 0);
        if (sum > 1 + 1e-9) {
            throw new Error(`faults: the rates add up to ${sum}; their sum must not pass 1`);
        }
        this.random = seededRandom(options.seed);
    }
    /** The fate of the next request of `kind` named `name`. */
    decide(kind, name) {
        const o = this.options;
        if (kind === 'blob' && !o.blob)
            return none;
        if (o.methods && !o.methods.includes(name))
            return none;
        const latencyMs = o.latencyMs ?? 0;
        const r = this.random();
        let edge = o.rate429 ?? 0;
        if (r < edge)
            return { latencyMs, fault: '429' };
        edge += o.rate500 ?? 0;
        if (r < edge)
            return { latencyMs, fault: '500' };
        edge += o.rateDrop ?? 0;
        if (r < edge)
            return { latencyMs, fault: 'drop' };
        // One draw decides both whether and how an answer is lost, so older seeds keep their faults.
        const lost = o.rateLost ?? 0;
        if (r < edge + lost / 2)
            return { latencyMs, fault: 'lost-drop' };
        if (r < edge + lost)
            return { latencyMs, fault: 'lost-500' };
        return { latencyMs, fault: 'none' };
    }
}

;// CONCATENATED MODULE: ./src/emulator/twirp-server.ts
/**
 * The Twirp HTTP front: routes `POST /twirp/<service>/<method>`, authenticates the bearer
 * runtime token, counts requests, injects faults, and turns handler errors into Twirp errors.
 */




function authenticate(req, secret) {
    const header = req.headers['authorization'] ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m)
        throw new TwirpError('unauthenticated', 'a bearer runtime token is required');
    try {
        return (0,results_store/* verifyRuntimeToken */.Bc)(m[1], secret);
    }
    catch (e) {
        throw new TwirpError('unauthenticated', e instanceof Error ? e.message : String(e));
    }
}
const routePattern = /^\/twirp\/([\w.]+)\/(\w+)$/;
/** Starts the Twirp front on a free port. */
async function startTwirpServer(options) {
    const { counters } = options;
    /** Serves the request; with `lose`, the work is done and then the answer is lost. */
    const serve = async (req, res, handler, lose) => {
        const caller = authenticate(req, options.secret);
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (type !== 'application/json') {
            throw new TwirpError('bad_route', `unexpected Content-Type '${type}'; only application/json is served`);
        }
        const body = await readJson(req);
        const answer = await handler(caller, body);
        if (lose) {
            loseAnswer(req, res, lose);
            return;
        }
        sendJson(res, 200, answer);
    };
    const loseAnswer = (req, res, how) => {
        counters.add(`fault:twirp:${how}`);
        counters.add(`fault:twirp:${routePattern.exec((req.url ?? '/').split('?')[0])?.[2]}:lost`);
        if (how === 'lost-drop')
            req.socket.destroy();
        else
            sendTwirpError(res, new TwirpError('internal', 'internal error (injected fault)'));
    };
    const onRequest = (req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        const route = routePattern.exec(path);
        const handler = route ? options.services[route[1]]?.[route[2]] : undefined;
        if (req.method !== 'POST' || !route || !handler) {
            counters.add('twirp:bad_route');
            req.resume();
            sendTwirpError(res, new TwirpError('bad_route', `no handler for ${req.method} ${path}`));
            return;
        }
        const method = route[2];
        counters.add('twirp:requests');
        counters.add(`twirp:${method}`);
        const decision = options.decide(method);
        const act = () => {
            if (decision.fault === 'drop') {
                counters.add('fault:twirp:drop');
                req.socket.destroy();
                return;
            }
            if (decision.fault === '429' || decision.fault === '500') {
                counters.add(`fault:twirp:${decision.fault}`);
                req.resume();
                const error = decision.fault === '429'
                    ? new TwirpError('resource_exhausted', 'rate limit exceeded (injected fault)')
                    : new TwirpError('internal', 'internal error (injected fault)');
                sendTwirpError(res, error);
                return;
            }
            const lose = decision.fault === 'lost-drop' || decision.fault === 'lost-500' ? decision.fault : undefined;
            serve(req, res, handler, lose).catch((e) => {
                const error = e instanceof TwirpError
                    ? e
                    : new TwirpError('internal', e instanceof Error ? e.message : String(e));
                if (!(e instanceof TwirpError))
                    options.log?.(`${method} failed: ${error.message}`);
                counters.add(`twirp-error:${method}:${error.code}`);
                req.resume();
                // A refused request applied nothing, but its answer is lost all the same.
                if (lose)
                    loseAnswer(req, res, lose);
                else if (!res.headersSent)
                    sendTwirpError(res, error);
            });
        };
        if (decision.latencyMs > 0)
            setTimeout(act, decision.latencyMs);
        else
            act();
    };
    return listenFront(external_node_http_default().createServer(onRequest), options.host, '/');
}

;// CONCATENATED MODULE: ./src/emulator/emulator.ts
/**
 * The results service emulator: Twirp ArtifactService and CacheService over HTTP, signed URLs
 * into Azurite through a counting, fault-injecting proxy, runtime tokens minted per job.
 */













const hour = 60 * 60 * 1000;
/** Starts Azurite, the blob proxy and the Twirp front. */
async function startEmulator(options = {}) {
    const host = options.host ?? '127.0.0.1';
    const log = options.log;
    const counters = new emulator_counters/* Counters */.Q();
    const secret = (0,external_node_crypto_.randomBytes)(32).toString('hex');
    const runBackendId = options.runBackendId ?? (0,external_node_crypto_.randomUUID)();
    let injector = options.faults ? new FaultInjector(options.faults) : undefined;
    const decide = (kind, name) => injector?.decide(kind, name) ?? { latencyMs: 0, fault: 'none' };
    const lifetimes = {
        uploadUrlTtlMs: options.uploadUrlTtlMs ?? 6 * hour,
        downloadUrlTtlMs: options.downloadUrlTtlMs ?? 10 * 60 * 1000
    };
    let azurite;
    let proxy;
    let twirp;
    const artifacts = new ArtifactStore();
    const stop = async () => {
        await twirp?.close();
        await proxy?.close();
        await azurite?.stop();
    };
    try {
        azurite = await startAzurite({
            host,
            port: options.azurite?.blobPort ?? 0,
            script: options.azurite?.script,
            log
        });
        await createContainers(azurite.url);
        const azuriteUrl = azurite.url;
        proxy = await startBlobProxy({
            host,
            target: azuriteUrl,
            counters,
            decide: op => decide('blob', op),
            log
        });
        const signer = new BlobSigner(`${proxy.url}/${devAccountName}`);
        const now = () => new Date();
        twirp = await startTwirpServer({
            host,
            secret,
            counters,
            log,
            decide: method => decide('twirp', method),
            services: {
                'github.actions.results.api.v1.ArtifactService': artifactService({
                    store: artifacts,
                    signer,
                    lifetimes,
                    deleteBlob: blobName => deleteBlob(azuriteUrl, resultsContainer, blobName),
                    onCreated: record => counters.add(`artifacts-created:${record.jobId}`),
                    now
                }),
                'github.actions.results.api.v1.CacheService': cacheService({
                    store: new CacheStore(),
                    signer,
                    lifetimes,
                    now
                })
            }
        });
    }
    catch (e) {
        await stop();
        throw e;
    }
    const resultsUrl = twirp.url;
    const attempts = new Map([[1, runBackendId]]);
    const attemptBackendId = (attempt) => {
        if (!Number.isInteger(attempt) || attempt < 1)
            throw new Error(`run attempt ${attempt} is not a whole number of at least 1`);
        let id = attempts.get(attempt);
        if (id === undefined) {
            id = (0,external_node_crypto_.randomUUID)();
            attempts.set(attempt, id);
            artifacts.linkAttempt(id, runBackendId);
        }
        return id;
    };
    const mintJob = (attempt = 1) => {
        const ids = {
            workflowRunBackendId: attemptBackendId(attempt),
            workflowJobRunBackendId: (0,external_node_crypto_.randomUUID)()
        };
        const token = (0,results_store/* mintRuntimeToken */.QJ)(ids, secret, options.tokenTtlSeconds);
        const job = { ids, token, env: jobEnv(resultsUrl, token) };
        jobs.push(job);
        return job;
    };
    const jobs = [];
    for (let i = 0; i < (options.jobs ?? 1); i++)
        mintJob();
    log?.(`results service emulator on ${resultsUrl}, blobs via ${proxy.url}`);
    let stopped;
    return {
        resultsUrl,
        blobEndpoint: `${proxy.url}/${devAccountName}`,
        azuriteUrl: azurite.url,
        azuritePid: azurite.pid,
        runBackendId,
        jobs,
        mintJob,
        attemptBackendId,
        counters: () => counters.snapshot(),
        resetCounters: () => counters.reset(),
        setUrlLifetimes(next) {
            Object.assign(lifetimes, next);
        },
        setFaults(faults) {
            injector = faults ? new FaultInjector(faults) : undefined;
        },
        stop: () => (stopped ??= stop())
    };
}
/** The environment of job `jobIndex` of a running emulator. */
function emulatorEnv(emulator, jobIndex = 0) {
    const job = emulator.jobs[jobIndex];
    if (!job) {
        throw new Error(`emulator job ${jobIndex} does not exist; it has ${emulator.jobs.length} (mintJob() adds more)`);
    }
    return jobEnv(emulator.resultsUrl, job.token);
}

// EXTERNAL MODULE: ./src/emulator/fault-spec.ts
var fault_spec = __webpack_require__(9147);
;// CONCATENATED MODULE: ./src/emulator/index.ts
/** The results service emulator: what tests, benchmarks and `squall emulator` use. */








/***/ })

};
