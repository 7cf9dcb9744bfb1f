export const id = 333;
export const ids = [333];
export const modules = {

/***/ 30333:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  batchOutputs: () => (/* binding */ batchOutputs),
  readBatch: () => (/* binding */ readBatch),
  runBatch: () => (/* binding */ runBatch)
});

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
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

// EXTERNAL MODULE: ./src/grok/request.ts
var request = __webpack_require__(86070);
// EXTERNAL MODULE: ./src/log.ts
var log = __webpack_require__(25625);
// EXTERNAL MODULE: ./src/pipeline.ts + 14 modules
var pipeline = __webpack_require__(78603);
// EXTERNAL MODULE: ./src/plan.ts
var plan = __webpack_require__(22464);
// EXTERNAL MODULE: ./src/preview.ts + 2 modules
var preview = __webpack_require__(29807);
// EXTERNAL MODULE: ./src/preview-publish.ts
var preview_publish = __webpack_require__(77717);
// EXTERNAL MODULE: ./src/pricing.ts
var pricing = __webpack_require__(94309);
// EXTERNAL MODULE: ./src/report.ts
var report = __webpack_require__(70665);
// EXTERNAL MODULE: ./src/video-request.ts + 3 modules
var video_request = __webpack_require__(63487);
// EXTERNAL MODULE: ./src/workspace-paths.ts
var workspace_paths = __webpack_require__(51271);
;// CONCATENATED MODULE: ./src/batch.ts
/**
 * A batch: every job of a `prompts-file`, at most `max-concurrency` in flight, sharing one client (so one 429
 * slows them all) and one budget. The step's own video inputs are each job's defaults.
 */














/** Job keys a prompts file may use; `aspect_ratio` is accepted as the API spells it. */
const JOB_KEYS = new Set(['name', ...video_request/* VIDEO_FIELDS */.kX, 'aspect_ratio']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_JOBS = 100;
/** A YAML scalar's text as written (a number or `true` as its digits or word); undefined for a list or mapping. */
function scalarText(value) {
    if (typeof value === 'string')
        return value;
    if (typeof value === 'number' || typeof value === 'boolean' || value === null)
        return String(value);
    return undefined;
}
/**
 * A job field's value as the text an input would hold. A list or mapping has none, and neither has a key left
 * empty (YAML null): refused, rather than sent (and billed) as the text "null".
 */
function fieldText(job, key, value) {
    // Reference images may be a list: one image per line, as the step input takes them.
    if (key === 'reference-images' && Array.isArray(value) && value.every((item) => scalarText(item) !== undefined)) {
        return value.map((item) => scalarText(item).trim()).join('\n');
    }
    if (value === null)
        throw new errors/* InputError */.dz('prompts-file', `job '${job}': '${key}' has no value: give it one, or remove the key.`);
    const text = scalarText(value);
    if (text === undefined)
        throw new errors/* InputError */.dz('prompts-file', `job '${job}': '${key}' must be text, not a list or mapping.`);
    return text.trim();
}
/** Reads and validates the whole prompts file before anything is sent. */
async function readBatch(config) {
    const batch = config.batch;
    if (!batch)
        return [];
    const { bytes } = await (0,workspace_paths/* readNamedFile */.wh)('prompts-file', batch.file, config.workspace, () => new errors/* InputError */.dz('prompts-file', `'${batch.file}' does not exist or cannot be read: give a YAML or JSON file, relative to the workspace.`));
    const text = bytes.toString('utf8');
    let document;
    try {
        document = (0,dist/* parse */.qg)(text);
    }
    catch (error) {
        throw new errors/* InputError */.dz('prompts-file', `'${batch.file}' is not valid YAML or JSON: ${error.message.split('\n')[0]}`);
    }
    const list = Array.isArray(document) ? document : document?.jobs;
    if (!Array.isArray(list) || list.length === 0) {
        throw new errors/* InputError */.dz('prompts-file', `'${batch.file}' must hold a list of jobs (or an object with a 'jobs' list), each with a 'name' and a 'prompt'.`);
    }
    if (list.length > MAX_JOBS)
        throw new errors/* InputError */.dz('prompts-file', `holds ${list.length} jobs; at most ${MAX_JOBS} run in one step.`);
    const seen = new Set();
    const jobs = [];
    // One image is read and encoded once per batch, however many jobs use it (the step's default included).
    const images = new Map();
    // Only when the step read it: an image its own operation does not take was left unread, not found empty.
    if (batch.defaults.image && config.image)
        images.set(batch.defaults.image, config.image);
    for (const [index, item] of list.entries()) {
        const where = `job #${index + 1}`;
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
            throw new errors/* InputError */.dz('prompts-file', `${where} is not a mapping of 'name', 'prompt' and optional overrides.`);
        }
        const job = item;
        const unknown = Object.keys(job).filter((key) => !JOB_KEYS.has(key));
        if (unknown.length) {
            // Named too when it has a name: in a long file the position alone is hard to find.
            const named = typeof job.name === 'string' && job.name ? ` ('${job.name}')` : '';
            throw new errors/* InputError */.dz('prompts-file', `${where}${named} has unknown keys ${unknown.map((k) => `'${k}'`).join(', ')}; a job accepts ${[...JOB_KEYS].filter((k) => k !== 'aspect_ratio').join(', ')}.`);
        }
        const name = typeof job.name === 'string' ? job.name : '';
        if (!NAME.test(name)) {
            throw new errors/* InputError */.dz('prompts-file', `${where} needs a 'name' of letters, digits, '.', '_' or '-' (at most 64, used in artifact names); got '${scalarText(job.name) ?? ''}'.`);
        }
        if (seen.has(name))
            throw new errors/* InputError */.dz('prompts-file', `has two jobs named '${name}': names must be unique (each names an artifact).`);
        seen.add(name);
        const fields = { ...batch.defaults };
        // A job's own prompt replaces the step's prompt and prompt-file alike.
        if (job.prompt !== undefined || job['prompt-file'] !== undefined) {
            fields.prompt = '';
            fields['prompt-file'] = '';
        }
        // Likewise a job's own first frame or reference images replace the step's choice of either.
        if (job.image !== undefined || job['reference-images'] !== undefined) {
            fields.image = '';
            fields['reference-images'] = '';
        }
        for (const key of video_request/* VIDEO_FIELDS */.kX)
            if (job[key] !== undefined)
                fields[key] = fieldText(name, key, job[key]);
        if (job.aspect_ratio !== undefined)
            fields['aspect-ratio'] = fieldText(name, 'aspect_ratio', job.aspect_ratio);
        // A step default this job's operation refuses is not the job's doing: dropped, and said so. Its own is refused.
        const operation = fields.operation;
        const dropped = request/* OPERATIONS */.xb.includes(operation)
            ? request/* FORBIDDEN_INPUTS */.aj[operation].filter((input) => batch.defaults[input] && job[input] === undefined)
            : [];
        for (const input of dropped)
            fields[input] = '';
        let video;
        try {
            // Paths this job names itself stay inside the workspace; the step's own may be anywhere outside '.git/'.
            const confined = new Set(video_request/* PATH_FIELDS */.eZ.filter((key) => job[key] !== undefined));
            video = await (0,video_request/* videoRequestFrom */.l2)(fields, {
                workspace: config.workspace,
                apiFamily: config.apiFamily,
                promptOptional: false,
                images,
                confined,
            });
        }
        catch (error) {
            if (error instanceof errors/* InputError */.dz)
                throw new errors/* InputError */.dz('prompts-file', `job '${name}': '${error.input}' ${error.detail}`);
            throw error;
        }
        jobs.push({
            name,
            ...(dropped.length ? { dropped } : {}),
            config: {
                ...config,
                operation: video.operation,
                request: video.request,
                image: video.image,
                referenceImages: video.referenceImages,
                video: video.video,
                artifactName: `${config.artifactName ?? 'grok-video'}-${name}`,
                resumeRequestId: undefined,
                maxCostUsd: undefined, // the batch checks its total, and each create against the step's shared ledger
                batch: undefined,
            },
        });
    }
    return jobs;
}
async function runBatch(config, jobs, events, options = {}) {
    const settings = config.batch;
    const results = jobs.map(() => undefined);
    const requestIds = jobs.map(() => undefined);
    const same = sameRequests(jobs);
    const entries = () => jobs.map((job, i) => entryOf(job.name, results[i], requestIds[i], jobs[same.original[i] ?? -1]?.name));
    for (const job of jobs) {
        if (!job.dropped)
            continue;
        const names = job.dropped.map((input) => `'${input}'`).join(', ');
        events.info(`[${job.name}] The step's ${names} ${job.dropped.length === 1 ? 'is' : 'are'} not used: 'operation: ${job.config.operation}' does not take ${job.dropped.length === 1 ? 'it' : 'them'}.`);
    }
    const total = totalEstimate(jobs, same.original);
    /** The batch's result as it stands: every return goes through here, refused, dry run or run to the end. */
    const outcome = (error) => ({ results, entries: entries(), estimatedTotalUsd: total, error });
    if (config.dryRun) {
        // Each job's own dry run (the job configs carry dry-run too): its plan, body and cache key; nothing is sent.
        const client = (0,pipeline/* createClient */.UU)(config, events, options);
        try {
            for (const [i, job] of jobs.entries()) {
                const original = same.original[i];
                if (original !== undefined) {
                    prefixed(job.name, events).info(`The same request as job '${jobs[original].name}' (same cache key and user): it would get that job's video, and nothing would be created for it.`);
                }
                else
                    await (0,log/* asJob */.sN)(job.name, () => (0,pipeline/* runVideoJob */.MJ)(job.config, client, prefixed(job.name, events), options));
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
        const originals = jobs.filter((_, i) => same.original[i] === undefined);
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
    const previewer = new preview/* Previewer */.Mv(config.preview, events, { cwd: config.workspace });
    const jobEvents = (index) => {
        const log = prefixed(jobs[index].name, events);
        return {
            ...log,
            fromCache: events.fromCache,
            creating: events.creating,
            requestId: (id) => {
                requestIds[index] = id;
                events.progress(entries());
            },
        };
    };
    // Only the first job of each request is run; the jobs with the same request get its video when it ends.
    const queue = jobs.flatMap((_, i) => (same.original[i] === undefined ? [i] : []));
    let stopped = false;
    let next = 0;
    const worker = async () => {
        while (next < queue.length && !stopped) {
            const index = queue[next++];
            const job = jobs[index];
            const result = await (0,log/* asJob */.sN)(job.name, () => (0,pipeline/* runVideoJob */.MJ)(job.config, client, jobEvents(index), options, previewer, budget));
            // Refused by the step's budget while other jobs ran: an error of this job, unlike a refusal of the whole batch.
            if (result.error instanceof errors/* BudgetError */.Wp)
                result.status = 'error';
            results[index] = result;
            events.progress(entries());
            for (const copy of same.copies.get(index) ?? []) {
                const copyJob = jobs[copy];
                results[copy] = await (0,log/* asJob */.sN)(copyJob.name, () => (0,pipeline/* reuseVideoJob */.Zy)(copyJob.config, result, job.name, jobEvents(copy), previewer));
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
 * `user`. `original[i]` is the index of the first such job, undefined for a job that is created itself.
 */
function sameRequests(jobs) {
    const first = new Map();
    const copies = new Map();
    const original = jobs.map((job, i) => {
        const request = job.config.request;
        if (!request)
            return undefined;
        const identity = `${(0,src_cache/* cacheKeyOf */.D$)(job.config)} ${JSON.stringify(request.user ?? null)}`;
        const earlier = first.get(identity);
        if (earlier === undefined) {
            first.set(identity, i);
            return undefined;
        }
        copies.set(earlier, [...(copies.get(earlier) ?? []), i]);
        return earlier;
    });
    return { original, copies };
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
