export const id = 506;
export const ids = [506];
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
// EXTERNAL MODULE: ./src/delivery.ts + 1 modules
var delivery = __webpack_require__(12373);
// EXTERNAL MODULE: ./src/job.ts
var src_job = __webpack_require__(97228);
// EXTERNAL MODULE: ./src/pipeline.ts + 13 modules
var pipeline = __webpack_require__(7991);
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
    await (0,preview_publish/* publishStepPreviews */.vu)(config.previewTarget, results.map((result) => result?.preview), events);
    const failed = jobs.flatMap((job, i) => results[i]?.error
        ? [
            `'${job.name}' (${results[i]?.status ?? 'error'}${requestIds[i] ? `, request id ${requestIds[i]}` : ''}): ${results[i]?.error?.message}`,
        ]
        : []);
    const skipped = jobs.filter((_, i) => !results[i]).map((job) => `'${job.name}'`);
    const problems = [
        ...(failed.length ? [`${failed.length} of ${jobs.length} jobs failed: ${failed.join('; ')}`] : []),
        ...(skipped.length ? [`not started after the failure ('fail-fast'): ${skipped.join(', ')}`] : []),
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
        ...(result?.preview?.url ? { 'preview-url': result.preview.url } : {}),
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


/***/ })

};
