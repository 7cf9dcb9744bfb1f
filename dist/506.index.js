export const id = 506;
export const ids = [506,717];
export const modules = {

/***/ 81506:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  batchOutputs: () => (/* binding */ batchOutputs),
  runBatch: () => (/* binding */ runBatch)
});

// EXTERNAL MODULE: ./src/cache.ts
var src_cache = __webpack_require__(97377);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
;// CONCATENATED MODULE: ./src/grok/pacer.ts
/**
 * Pacing shared by every request of a step (a batch's creates and status checks alike): request starts stay
 * under a ceiling (2 per second, the rate a team gets before 429s), lower after a 429 until answers come back
 * clean, and nothing leaves while a `Retry-After` is in force. When more requests wait than the ceiling lets
 * through, the one whose owner can least afford to wait goes first: each says how long it may be held (a status
 * check, its job's own interval), so no job's check is held past its interval while the ceiling can serve
 * everyone within theirs.
 */
/** A third-party live probe (2026-08): about 2 requests per second per team before 429s. */
const DEFAULT_REQUESTS_PER_SECOND = 2;
/** How much a 429 takes off the rate, how far 429s may push it down, and how much each clean answer gives back. */
const BACKOFF_FACTOR = 0.5;
const MIN_REQUESTS_PER_SECOND = 0.2;
const RECOVERY_PER_ANSWER = 0.1;
/** How long a request may be held when its owner does not say: a create, which goes first (it delays a whole job). */
const DEFAULT_PATIENCE_MS = 0;
class Pacer {
    ceiling;
    now;
    rate;
    /** No request leaves before this (a 429's wait). */
    resumeAt = 0;
    /** The next start the rate allows. */
    nextStartAt = 0;
    waiting = [];
    arrivals = 0;
    timer;
    constructor(options = {}) {
        this.ceiling = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
        this.rate = this.ceiling;
        this.now = options.now ?? Date.now;
    }
    /** The rate requests may start at now, per second: the ceiling, or less after 429s. */
    get requestsPerSecond() {
        return this.rate;
    }
    /** Resolves when this request may start. `patienceMs`: how long its owner can afford to wait. */
    slot(patienceMs = DEFAULT_PATIENCE_MS) {
        return new Promise((go) => {
            this.waiting.push({ dueBy: this.now() + patienceMs, order: this.arrivals++, go });
            this.dispatch();
        });
    }
    /**
     * A 429: nothing leaves for `ms`, and the rate drops (it climbs back as answers come back clean). Only the first
     * 429 of a hold lowers it: the others answer requests sent before anyone knew.
     */
    hold(ms) {
        const now = this.now();
        if (now >= this.resumeAt)
            this.rate = Math.max(MIN_REQUESTS_PER_SECOND, this.rate * BACKOFF_FACTOR);
        this.resumeAt = Math.max(this.resumeAt, now + ms);
        this.dispatch();
    }
    /** An answer that was not a 429. */
    answered() {
        this.rate = Math.min(this.ceiling, this.rate + RECOVERY_PER_ANSWER);
    }
    dispatch() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = undefined;
        if (this.waiting.length === 0)
            return;
        const now = this.now();
        const startAt = Math.max(this.resumeAt, this.nextStartAt);
        if (startAt > now) {
            this.timer = setTimeout(() => this.dispatch(), startAt - now);
            return;
        }
        // Earliest due first: the request that can least afford to wait.
        let next = 0;
        for (let i = 1; i < this.waiting.length; i++) {
            const [a, b] = [this.waiting[i], this.waiting[next]];
            if (a.dueBy < b.dueBy || (a.dueBy === b.dueBy && a.order < b.order))
                next = i;
        }
        const [chosen] = this.waiting.splice(next, 1);
        this.nextStartAt = now + 1000 / this.rate;
        chosen.go();
        this.dispatch();
    }
}

// EXTERNAL MODULE: ./src/log.ts
var log = __webpack_require__(25625);
// EXTERNAL MODULE: ./src/delivery.ts
var delivery = __webpack_require__(37891);
// EXTERNAL MODULE: ./src/job.ts
var src_job = __webpack_require__(97228);
// EXTERNAL MODULE: ./src/pipeline.ts + 10 modules
var pipeline = __webpack_require__(5369);
;// CONCATENATED MODULE: ./src/batch-reuse.ts
/**
 * A batch job whose request is the same as an earlier job's of the batch: it gets that job's outcome instead of a
 * job of its own, so an identical request is neither sent nor paid for twice.
 */




/**
 * The earlier job's outcome, with its video copied under this job's own names and uploaded as this job's own
 * artifact. Nothing is sent to the API for it, so it costs nothing.
 */
async function reuseVideoJob(job, source, sourceName) {
    const { config, events } = job;
    const startedAt = Date.now();
    const result = {
        ...(0,src_job/* startingResult */.M7)(config, startedAt),
        cacheKey: source.cacheKey,
        estimatedCostUsd: 0,
        sameAs: sourceName,
    };
    let stem;
    try {
        const { requestId, video } = source;
        if (requestId) {
            result.requestId = requestId;
            result.costTicks = 0;
            events.requestId(requestId);
        }
        if (source.status !== 'done' || !video || !requestId) {
            result.status = source.status;
            if (source.error) {
                result.error = new errors/* SameRequestError */.UK(`The same request as job '${sourceName}', which ended ${source.status ? `with status '${source.status}'` : 'without a status'}: not sent again. ${source.error.message}`, source.status);
            }
            events.info(`The same request as job '${sourceName}': sharing its outcome (${source.status ?? 'none'}).`);
            if (requestId)
                result.metadataPath = await (0,delivery/* writeMetadata */.f5)(config, result, (0,src_job/* fileStem */.E8)(config, requestId));
            return result;
        }
        stem = await (0,delivery/* unusedFileStem */.I5)(config, requestId, events);
        result.video = await (0,delivery/* placeVideo */.ZZ)(config, stem, video);
        result.videoUrl = source.videoUrl;
        result.publicUrl = source.publicUrl;
        result.durationSeconds = source.durationSeconds;
        result.model = source.model;
        result.cacheHit = source.cacheHit;
        result.status = 'done';
        events.info(`The same request as job '${sourceName}': its video (job ${requestId}) is used again; nothing was sent.`);
        stem = await (0,delivery/* deliverVideo */.rH)(job, result, { video: result.video, requestId, stem });
    }
    catch (error) {
        await (0,pipeline/* recordFailure */.C5)(job, result, error, stem);
    }
    result.timings.totalMs = Date.now() - startedAt;
    return result;
}

// EXTERNAL MODULE: ./src/plan.ts
var plan = __webpack_require__(22464);
// EXTERNAL MODULE: ./src/preview-publish.ts
var preview_publish = __webpack_require__(77717);
// EXTERNAL MODULE: ./src/pricing.ts
var pricing = __webpack_require__(94309);
// EXTERNAL MODULE: ./src/report.ts
var report = __webpack_require__(70665);
// EXTERNAL MODULE: ./src/release.ts
var release = __webpack_require__(84202);
;// CONCATENATED MODULE: ./src/batch.ts
/**
 * A batch: every job of a `prompts-file`, at most `max-concurrency` in flight, sharing one client (so one 429
 * slows them all) and one budget. The step's own video inputs are each job's defaults.
 */












async function runBatch(config, jobs, events, options = {}) {
    const settings = config.batch;
    const results = jobs.map(() => undefined);
    const requestIds = jobs.map(() => undefined);
    const identical = identicalRequests(jobs);
    const entries = () => jobs.map((job, i) => entryOf(job.name, results[i], requestIds[i], jobs[identical.firstOf[i] ?? -1]?.name));
    for (const job of jobs) {
        if (job.voicesLeftBy) {
            events.warning(`[${job.name}] The step's 'reference-voices' are not used: the job's own '${job.voicesLeftBy}' replaces the step's reference images, and the voices go with them. Give the job its own 'reference-voices' to keep voices.`);
        }
        if (!job.dropped)
            continue;
        const names = job.dropped.map((input) => `'${input}'`).join(', ');
        events.info(`[${job.name}] The step's ${names} ${job.dropped.length === 1 ? 'is' : 'are'} not used: 'operation: ${job.config.operation}' does not take ${job.dropped.length === 1 ? 'it' : 'them'}.`);
    }
    const total = totalEstimate(jobs, identical.firstOf);
    /** The batch's result as it stands: every return goes through here, refused, dry run or run to the end. */
    const outcome = (error) => ({ results, entries: entries(), estimatedTotalUsd: total, error });
    if (config.dryRun) {
        // Each job's own dry run (the job configs carry dry-run too): its plan, body and cache key; nothing is sent.
        const client = (0,pipeline/* createClient */.UU)(config, events, options);
        try {
            for (const [i, job] of jobs.entries()) {
                const original = identical.firstOf[i];
                if (original !== undefined) {
                    prefixed(job.name, events).info(`The same request as job '${jobs[original].name}' (same cache key and user): it would get that job's video, and nothing would be created for it.`);
                }
                else
                    await (0,log/* asJob */.sN)(job.name, () => (0,pipeline/* runVideoJob */.MJ)({ config: job.config, client, events: prefixed(job.name, events), options }));
            }
        }
        finally {
            client.close();
        }
        events.info(`Dry run of ${jobs.length} jobs: estimated total ${total === undefined ? 'unknown' : `$${(0,pricing/* formatUsd */.UK)(total)}`}; nothing is sent.`);
        if (config.maxCostUsd !== undefined && total !== undefined && total > config.maxCostUsd) {
            const unless = config.cache ? ' unless the cache holds enough of its jobs' : '';
            events.warning(`Dry run: the estimated total is over 'max-cost-usd' ($${(0,pricing/* formatUsd */.UK)(config.maxCostUsd)}): a real run would refuse the batch${unless}.`);
        }
        else if (config.maxCostUsd !== undefined && total === undefined) {
            events.warning("Dry run: 'max-cost-usd' is set, but no price is known for every job's model: a real run would refuse the batch.");
        }
        return { ...outcome(), dryRun: true };
    }
    if (config.maxCostUsd !== undefined) {
        // A job with the same request as an earlier one costs nothing, nor does one the cache holds.
        const originals = jobs.filter((_, i) => identical.firstOf[i] === undefined);
        const cached = await cachedJobs(config, originals, events);
        const toCreate = originals.filter((_, i) => !cached[i]).map((job) => (0,plan/* estimateFor */.IU)(job.config));
        try {
            (0,plan/* enforceBatchBudget */.U)(config.maxCostUsd, toCreate, originals.length - toCreate.length, events.info);
        }
        catch (error) {
            return outcome(error);
        }
    }
    try {
        await (0,release/* releaseBeforeCreate */.RO)(config, events.info);
    }
    catch (error) {
        return outcome(error);
    }
    // One ledger for the step: a job the cache was to hold but did not restore is checked like any other create.
    const budget = new plan/* Budget */.__(config.maxCostUsd);
    const pacer = new Pacer();
    const client = (0,pipeline/* createClient */.UU)(config, events, options, pacer);
    const previewer = (0,src_job/* stepPreviewer */.oe)(config, events);
    const jobEvents = (index) => {
        const log = prefixed(jobs[index].name, events);
        return {
            ...log,
            fromCache: events.fromCache,
            creating: events.creating,
            jobDone: events.jobDone,
            videoSaved: (path) => {
                const id = requestIds[index];
                if (id)
                    events.videoSaved?.(id, path);
            },
            requestId: (id) => {
                requestIds[index] = id;
                events.progress(entries());
            },
        };
    };
    // Only the first job of each request is run; the jobs with the same request get its video when it ends.
    const queue = jobs.flatMap((_, i) => (identical.firstOf[i] === undefined ? [i] : []));
    let stopped = false;
    // Why no further job was started: said beside the jobs left out.
    let stoppedBecause = "the failure ('fail-fast')";
    let next = 0;
    const worker = async () => {
        while (next < queue.length && !stopped) {
            const index = queue[next++];
            const job = jobs[index];
            const result = await (0,log/* asJob */.sN)(job.name, () => (0,pipeline/* runVideoJob */.MJ)({ config: job.config, client, events: jobEvents(index), options, previewer, budget }));
            // Refused by the step's budget while other jobs ran: an error of this job, unlike a refusal of the whole batch.
            if (result.error instanceof errors/* BudgetError */.Wp)
                result.status = 'error';
            results[index] = result;
            events.progress(entries());
            for (const reuser of identical.reusersOf.get(index) ?? []) {
                const reuserJob = jobs[reuser];
                results[reuser] = await (0,log/* asJob */.sN)(reuserJob.name, () => reuseVideoJob({ config: reuserJob.config, events: jobEvents(reuser), previewer }, result, job.name));
                events.progress(entries());
            }
            if (result.error) {
                prefixed(job.name, events).warning(result.error.message);
                // Every later job would pay for a video the release cannot take: only the ones already running are paid.
                if (result.error instanceof errors/* ReleaseWriteRefusedError */.B3 && !stopped) {
                    stopped = true;
                    stoppedBecause = "the release refused a write ('release-tag')";
                    events.warning(`'release-tag': the release refused the upload of job '${job.name}', so no further job is started; jobs already running finish.`);
                }
                if (settings.failFast && !stopped) {
                    stopped = true;
                    events.warning(`'fail-fast': job '${job.name}' failed, so no further job is started; jobs already running finish.`);
                }
            }
        }
    };
    try {
        events.info(`Running ${jobs.length} ${jobs.length === 1 ? 'job' : 'jobs'}, at most ${settings.maxConcurrency} at once.`);
        await Promise.all(Array.from({ length: Math.min(settings.maxConcurrency, queue.length) }, worker));
    }
    finally {
        client.close();
    }
    // One commit for the whole batch: a matrix of steps already races on the branch; a batch need not race itself.
    await (0,preview_publish.publishStepPreviews)(config.previewTarget, results.map((result) => result?.preview), events);
    const failed = jobs.flatMap((job, i) => results[i]?.error
        ? [
            `'${job.name}' (${results[i]?.status ?? 'error'}${requestIds[i] ? `, request id ${requestIds[i]}` : ''}): ${results[i]?.error?.message}`,
        ]
        : []);
    const skipped = jobs.filter((_, i) => !results[i]).map((job) => `'${job.name}'`);
    const problems = [
        ...(failed.length ? [`${failed.length} of ${jobs.length} jobs failed: ${failed.join('; ')}`] : []),
        ...(skipped.length ? [`not started after ${stoppedBecause}: ${skipped.join(', ')}`] : []),
    ];
    return outcome(problems.length ? new errors/* BatchFailedError */.W(problems.join('. ')) : undefined);
}
/**
 * Jobs whose request is the same as an earlier job's: the same cache key (what shapes the video) and the same
 * `user`. `firstOf[i]` is the index of the first such job; `reusersOf` lists, per first job, the jobs that reuse it, undefined for a job that is created itself.
 */
function identicalRequests(jobs) {
    const first = new Map();
    const reusersOf = new Map();
    const firstOf = jobs.map((job, i) => {
        const request = job.config.request;
        if (!request)
            return undefined;
        const identity = `${(0,src_cache/* cacheKeyOf */.D$)(job.config)} ${JSON.stringify(request.user ?? null)}`;
        const earlier = first.get(identity);
        if (earlier === undefined) {
            first.set(identity, i);
            return undefined;
        }
        reusersOf.set(earlier, [...(reusersOf.get(earlier) ?? []), i]);
        return earlier;
    });
    return { firstOf, reusersOf };
}
/** The step's outputs for a batch: the manifest, an overall status, the reported and estimated totals. */
function batchOutputs(batch) {
    const single = (0,report/* outputsOf */.Yz)({ provider: 'custom', baseUrl: '', timings: { startedAt: new Date() } });
    const reported = batch.results.reduce((sum, r) => sum + (r?.costTicks ?? 0), 0);
    const allDone = batch.results.every((r) => r?.status === 'done');
    // `wait: false`: jobs handed off (and any restored from the cache) leave the batch pending, not failed.
    const handedOff = batch.results.every((r) => !r?.error && (r?.status === 'done' || r?.status === 'pending'));
    return {
        ...single,
        status: batch.dryRun
            ? 'dry-run'
            : batch.results.some(Boolean)
                ? allDone
                    ? 'done'
                    : handedOff
                        ? 'pending'
                        : 'failed'
                : batch.error instanceof errors/* ReleaseUploadError */.rW
                    ? batch.error.status
                    : '',
        'cost-usd': batch.results.some((r) => r?.costTicks !== undefined) ? (0,report/* ticksToUsd */.kp)(reported) : '',
        'cache-hit': allDone && batch.results.every((r) => r?.cacheHit) ? 'true' : 'false',
        'estimated-cost-usd': batch.estimatedTotalUsd !== undefined ? (0,pricing/* formatUsd */.UK)(batch.estimatedTotalUsd) : '',
        results: JSON.stringify(batch.entries),
    };
}
function entryOf(name, result, requestId, sameAs) {
    return {
        name,
        'request-id': result?.requestId ?? requestId ?? '',
        status: result ? (result.status ?? 'failed') : requestId ? 'pending' : 'not-started',
        'video-path': result?.video?.path ?? '',
        'video-sha256': result?.video?.sha256 ?? '',
        'cost-usd': result?.costTicks !== undefined ? (0,report/* ticksToUsd */.kp)(result.costTicks) : '',
        'artifact-id': result?.artifact ? String(result.artifact.id) : '',
        'artifact-url': result?.artifact?.url ?? '',
        ...(result?.publicUrl ? { 'public-url': result.publicUrl.url } : {}),
        ...(result?.preview?.url ? { 'preview-url': result.preview.url } : {}),
        ...(result?.release?.assetUrl ? { 'release-asset-url': result.release.assetUrl } : {}),
        ...(result?.error ? { error: result.error.message } : {}),
        ...(sameAs !== undefined ? { 'same-as': sameAs } : {}),
    };
}
/** Which jobs the cache holds (asked without downloading), so the budget counts only the others. */
async function cachedJobs(config, jobs, events) {
    if (!config.cache)
        return jobs.map(() => false);
    const cache = new src_cache/* VideoCache */.YO(events);
    return Promise.all(jobs.map(async (job) => {
        const key = (0,src_cache/* cacheKeyOf */.D$)(job.config);
        return key !== undefined && (await cache.has(key));
    }));
}
/** The sum of the estimates of the jobs that will be created; undefined when any has no known price. */
function totalEstimate(jobs, original) {
    let total = 0;
    for (const [i, job] of jobs.entries()) {
        if (original[i] !== undefined)
            continue;
        const estimate = (0,plan/* estimateFor */.IU)(job.config);
        if (!estimate)
            return undefined;
        total += estimate.usd;
    }
    return total;
}
function prefixed(name, events) {
    return {
        requestId: () => { },
        info: (m) => events.info(`[${name}] ${m}`),
        warning: (m) => events.warning(`[${name}] ${m}`),
        debug: (m) => events.debug?.(`[${name}] ${m}`),
    };
}


/***/ }),

/***/ 77717:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   publishStepPreviews: () => (/* binding */ publishStepPreviews)
/* harmony export */ });
/* unused harmony exports rawFileUrl, publishPreviews */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83916);
/* harmony import */ var _github_api_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(68133);
/* harmony import */ var _github_failure_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(96703);
/* harmony import */ var _preview_target_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(42861);
/**
 * Publishing previews to `preview-branch` through the Git Data API (blobs, tree, commit, ref), so the summary and
 * the pull-request comment can show them: GitHub renders an image committed to the repository, not an artifact.
 * The branch is created as an orphan on first use and only ever fast-forwarded with files added to its tree; one
 * commit carries every preview of a step. An existing branch is written to only when the action made it. Free of @actions/core: failures are thrown as a `PreviewError` whose
 * message names the cause and the fix.
 */







/**
 * Commits every preview the step made (a batch's all at once) and sets each outcome's `url` to its GIF's URL, else
 * its poster's. Never throws: a failure is one warning, and the previews stay on the runner.
 */
async function publishStepPreviews(target, outcomes, log) {
    const made = outcomes.filter((outcome) => Boolean(outcome?.files));
    if (!target || made.length === 0)
        return;
    const fix = 'The previews stay on the runner (poster-path, preview-path).';
    if (!target.token)
        return log.warning(`No preview published: 'preview-branch' is set but 'github-token' is empty. ${fix}`);
    if (!target.repository)
        return log.warning(`No preview published: GITHUB_REPOSITORY is not set, so there is no repository to commit to. ${fix}`);
    const files = made.flatMap(({ files }) => files ? [files.posterPath, ...(files.gifPath ? [files.gifPath] : [])] : []);
    try {
        const { published } = await publishPreviews({
            ...target,
            token: target.token,
            repository: target.repository,
            files,
            log: log.info,
        });
        for (const outcome of made) {
            const shown = outcome.files?.gifPath ?? outcome.files?.posterPath;
            outcome.url = shown ? published.get(shown)?.url : undefined;
        }
    }
    catch (error) {
        const reason = error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .PreviewError */ .bU ? error.message : `publishing failed: ${error.message}`;
        log.warning(`No preview published to '${target.branch}': ${reason} ${fix}`);
    }
}
const ATTEMPTS = 5;
const README = `# Previews

Posters and animated GIFs of generated videos, committed by grok-video-action so that job summaries and pull
request comments can show them inline. Each file is named by the SHA-256 of its bytes.

This branch only grows. To prune it, delete the branch: the next run that publishes a preview creates it again.
`;
/** `{server}/{owner}/{repo}/blob/{branch}/{path}?raw=true`: the form GitHub renders for readers of the repository. */
function rawFileUrl(serverUrl, repository, branch, filePath) {
    const server = (serverUrl || 'https://github.com').replace(/\/+$/, '');
    const segments = (text) => text.split('/').map(encodeURIComponent).join('/');
    return `${server}/${segments(repository.owner)}/${segments(repository.repo)}/blob/${segments(branch)}/${segments(filePath)}?raw=true`;
}
/** Commits the files to the branch (creating it as an orphan), retrying when another job moved it meanwhile. */
async function publishPreviews(request) {
    const { token, repository, branch } = request;
    const log = request.log ?? (() => { });
    const where = `${repository.owner}/${repository.repo}@${branch}`;
    const octokit = await (0,_github_api_js__WEBPACK_IMPORTED_MODULE_4__/* .githubClient */ .$f)(token, request.apiUrl);
    const repo = { owner: repository.owner, repo: repository.repo };
    const fail = (what, error) => {
        throw describeFailure(what, where, error, token);
    };
    if (request.protectedBranches.includes(branch))
        throw refusal(branch, "it is one of the pull request's branches");
    const info = await octokit.rest.repos.get(repo).catch((error) => fail('read the repository', error));
    if (info.data.default_branch === branch)
        throw refusal(branch, "it is the repository's default branch");
    // The branch's first commit does not change as the branch grows: once seen to be ours, it stays ours.
    let owned = false;
    const readHead = async () => {
        const head = await branchHead(octokit, repo, branch).catch((error) => fail('read the branch', error));
        if (head && !owned) {
            owned = await madeByTheAction(octokit, repo, head).catch((error) => fail('read the branch', error));
            if (!owned)
                throw refusal(branch, NOT_OURS);
        }
        return head;
    };
    let head = await readHead();
    // One file in memory and one write in flight at a time: GitHub asks for mutations to be sent one by one.
    const blobs = new Map();
    const upload = async (name, bytes) => {
        if (blobs.has(name))
            return;
        const { data } = await octokit.rest.git
            .createBlob({ ...repo, content: bytes.toString('base64'), encoding: 'base64' })
            .catch((error) => fail(`upload ${name}`, error));
        blobs.set(name, data.sha);
    };
    const published = new Map();
    for (const file of request.files) {
        const bytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(file);
        const name = `${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(bytes).digest('hex')}${node_path__WEBPACK_IMPORTED_MODULE_2___default().extname(file).toLowerCase()}`;
        await upload(name, bytes);
        published.set(file, { path: name, url: rawFileUrl(request.serverUrl, repository, branch, name) });
    }
    const names = [...new Set([...published.values()].map(({ path }) => path))];
    for (let attempt = 1;; attempt++) {
        if (attempt > 1)
            head = await readHead();
        if (!head)
            await upload('README.md', Buffer.from(README));
        const tree = (head ? names : [...names, 'README.md']).map((name) => ({
            path: name,
            mode: '100644',
            type: 'blob',
            sha: blobs.get(name),
        }));
        const baseTree = head
            ? (await octokit.rest.git
                .getCommit({ ...repo, commit_sha: head })
                .catch((error) => fail('read the branch head', error))).data.tree.sha
            : undefined;
        const { data: newTree } = await octokit.rest.git
            .createTree({ ...repo, tree, ...(baseTree ? { base_tree: baseTree } : {}) })
            .catch((error) => fail('write the tree', error));
        if (head && newTree.sha === baseTree) {
            log(`Every preview file is already on ${where}; nothing to commit.`);
            return { commitSha: head, action: 'unchanged', published };
        }
        const { data: commit } = await octokit.rest.git
            .createCommit({ ...repo, message: request.message, tree: newTree.sha, parents: head ? [head] : [] })
            .catch((error) => fail('write the commit', error));
        try {
            if (head)
                await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: commit.sha, force: false });
            else
                await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: commit.sha });
            log(`${head ? 'Extended' : 'Created'} ${where} with commit ${commit.sha}.`);
            return { commitSha: commit.sha, action: head ? 'extended' : 'created', published };
        }
        catch (error) {
            if (!isRace(error) || attempt >= ATTEMPTS)
                fail(head ? 'move the branch' : 'create the branch', error);
            log(`${where} moved while committing (another job published too); trying again (${attempt}/${ATTEMPTS - 1}).`);
            await new Promise((resolve) => setTimeout(resolve, (request.retryDelayMs ?? 500) * attempt * Math.random()));
        }
    }
}
const NOT_OURS = `it exists and was not made by this action (its first commit is not a "${_preview_target_js__WEBPACK_IMPORTED_MODULE_5__/* .COMMIT_PREFIX */ .n}…" commit without ` +
    'parents that adds README.md)';
/**
 * Whether the action made the branch: its first commit is the one the action writes when it creates a branch
 * (no parent, a message starting with `COMMIT_PREFIX`, README.md in its tree). The commit list's last page of one
 * finds that commit in two requests, however long the branch has grown.
 */
async function madeByTheAction(octokit, repo, head) {
    const first = await octokit.rest.repos.listCommits({ ...repo, sha: head, per_page: 1 });
    const last = lastPage(first.headers.link);
    const root = (last ? await octokit.rest.repos.listCommits({ ...repo, sha: head, per_page: 1, page: last }) : first)
        .data[0];
    if (!root || root.parents.length > 0 || !root.commit.message.startsWith(_preview_target_js__WEBPACK_IMPORTED_MODULE_5__/* .COMMIT_PREFIX */ .n))
        return false;
    const { data: tree } = await octokit.rest.git.getTree({ ...repo, tree_sha: root.commit.tree.sha });
    return tree.tree.some((entry) => entry.path === 'README.md' && entry.type === 'blob');
}
/** The `page` of a Link header's `rel="last"`; undefined when there is one page only. */
function lastPage(link) {
    const target = /<([^>]+)>;\s*rel="last"/.exec(link ?? '')?.[1];
    const page = target ? Number(new URL(target).searchParams.get('page')) : NaN;
    return Number.isSafeInteger(page) && page > 1 ? page : undefined;
}
async function branchHead(octokit, repo, branch) {
    try {
        const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
        return data.object.sha;
    }
    catch (error) {
        if ((0,_github_failure_js__WEBPACK_IMPORTED_MODULE_6__/* .httpStatus */ .n)(error) === 404)
            return undefined;
        throw error;
    }
}
/** Another job created or moved the branch between our read and our write: read it again and retry. */
function isRace(error) {
    const message = error instanceof Error ? error.message : '';
    return (0,_github_failure_js__WEBPACK_IMPORTED_MODULE_6__/* .httpStatus */ .n)(error) === 422 && /already exists|not a fast.?forward/i.test(message);
}
function refusal(branch, why) {
    return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .PreviewError */ .bU(`'preview-branch: ${branch}' was refused: ${why}, and previews are committed only to a branch of their own. ` +
        "Use a dedicated name such as 'grok-video-previews'.");
}
function describeFailure(what, where, error, token) {
    const { message } = (0,_github_failure_js__WEBPACK_IMPORTED_MODULE_6__/* .describeGitHubFailure */ .P)(`could not ${what} of ${where}`, error, token, {
        forbidden: "The 'github-token' needs 'contents: write' (add `permissions: contents: write` to the job). On pull " +
            'requests from forks the token is read-only, so no preview can be published there; leave ' +
            "'preview-branch' empty for forks.",
        refused: "The branch is protected or the repository refuses the write: choose another 'preview-branch'.",
    });
    return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .PreviewError */ .bU(message);
}


/***/ })

};
