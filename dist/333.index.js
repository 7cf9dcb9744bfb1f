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

// UNUSED EXPORTS: BatchFailedError

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(58500);
;// CONCATENATED MODULE: ./src/grok/pacer.ts
/**
 * Pacing shared by every job of a batch: when the provider answers one request with 429, all of them hold back
 * until its wait is over, instead of each job finding the limit on its own and making it worse.
 */

class Pacer {
    resumeAt = 0;
    /** No request leaves before `ms` from now (a longer hold already in place stands). */
    hold(ms) {
        this.resumeAt = Math.max(this.resumeAt, Date.now() + ms);
    }
    /** Resolves once no hold is in force; a hold added while waiting is waited out too. */
    async ready() {
        for (let wait = this.resumeAt - Date.now(); wait > 0; wait = this.resumeAt - Date.now())
            await (0,external_node_timers_promises_.setTimeout)(wait);
    }
}

// EXTERNAL MODULE: ./src/inputs.ts
var inputs = __webpack_require__(38422);
// EXTERNAL MODULE: ./src/pipeline.ts + 7 modules
var pipeline = __webpack_require__(34683);
// EXTERNAL MODULE: ./src/pricing.ts
var pricing = __webpack_require__(94309);
// EXTERNAL MODULE: ./src/report.ts
var report = __webpack_require__(70665);
;// CONCATENATED MODULE: ./src/batch.ts
/**
 * A batch: every job of a `prompts-file`, at most `max-concurrency` in flight, sharing one client (so one 429
 * slows them all) and one budget. The step's own video inputs are each job's defaults.
 */









/** Job keys a prompts file may use; `aspect_ratio` is accepted as the API spells it. */
const JOB_KEYS = new Set(['name', ...inputs/* VIDEO_FIELDS */.kX, 'aspect_ratio']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_JOBS = 100;
/** Reads and validates the whole prompts file before anything is sent. */
async function readBatch(config) {
    const batch = config.batch;
    if (!batch)
        return [];
    const file = external_node_path_default().resolve(config.workspace, batch.file);
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch {
        throw new errors/* InputError */.dz('prompts-file', `'${batch.file}' does not exist or cannot be read: give a YAML or JSON file, relative to the workspace.`);
    }
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
            throw new errors/* InputError */.dz('prompts-file', `${where} needs a 'name' of letters, digits, '.', '_' or '-' (at most 64, used in artifact names); got '${String(job.name ?? '')}'.`);
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
        for (const key of inputs/* VIDEO_FIELDS */.kX)
            if (job[key] !== undefined)
                fields[key] = String(job[key]).trim();
        if (job.aspect_ratio !== undefined)
            fields['aspect-ratio'] = String(job.aspect_ratio).trim();
        let video;
        try {
            video = await (0,inputs/* videoRequestFrom */.l2)(fields, config.workspace, false);
        }
        catch (error) {
            if (error instanceof errors/* InputError */.dz)
                throw new errors/* InputError */.dz('prompts-file', `job '${name}': '${error.input}' ${error.detail}`);
            throw error;
        }
        jobs.push({
            name,
            config: {
                ...config,
                request: video.request,
                image: video.image,
                artifactName: `${config.artifactName ?? 'grok-video'}-${name}`,
                resumeRequestId: undefined,
                maxCostUsd: undefined, // the batch checks its total
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
    const entries = () => jobs.map((job, i) => entryOf(job.name, results[i], requestIds[i]));
    const total = totalEstimate(jobs);
    const stop = (error) => ({ jobs, results, entries: entries(), estimatedTotalUsd: total, error });
    if (config.dryRun) {
        // Each job's own dry run (the job configs carry dry-run too): its plan, body and cache key; nothing is sent.
        const client = (0,pipeline/* createClient */.UU)(config, events, options);
        try {
            for (const job of jobs)
                await (0,pipeline/* runVideoJob */.MJ)(job.config, client, prefixed(job.name, events), options);
        }
        finally {
            client.close();
        }
        events.info(`Dry run of ${jobs.length} jobs: estimated total ${total === undefined ? 'unknown' : `$${(0,pricing/* formatUsd */.UK)(total)}`}; nothing is sent.`);
        return stop();
    }
    if (config.maxCostUsd !== undefined) {
        if (total === undefined) {
            return stop(new errors/* BudgetError */.Wp("'max-cost-usd' is set, but some job's model has no known price, so the batch's total cannot be checked: nothing was sent."));
        }
        if (total > config.maxCostUsd) {
            return stop(new errors/* BudgetError */.Wp(`The batch's estimated total, $${(0,pricing/* formatUsd */.UK)(total)} for ${jobs.length} jobs, exceeds 'max-cost-usd' ($${(0,pricing/* formatUsd */.UK)(config.maxCostUsd)}): nothing was sent. Remove jobs, shorten them, or raise 'max-cost-usd'.`));
        }
        events.info(`Estimated total $${(0,pricing/* formatUsd */.UK)(total)} for ${jobs.length} jobs, within 'max-cost-usd' ($${(0,pricing/* formatUsd */.UK)(config.maxCostUsd)}).`);
    }
    const pacer = new Pacer();
    const client = (0,pipeline/* createClient */.UU)(config, events, options, pacer);
    let stopped = false;
    let next = 0;
    const worker = async () => {
        while (next < jobs.length && !stopped) {
            const index = next++;
            const job = jobs[index];
            const log = prefixed(job.name, events);
            const result = await (0,pipeline/* runVideoJob */.MJ)(job.config, client, {
                requestId: (id) => {
                    requestIds[index] = id;
                    events.progress(entries());
                },
                info: log.info,
                warning: log.warning,
            }, options);
            results[index] = result;
            events.progress(entries());
            if (result.error) {
                log.warning(result.error.message);
                if (settings.failFast && !stopped) {
                    stopped = true;
                    events.warning(`'fail-fast': job '${job.name}' failed, so no further job is started; jobs already running finish.`);
                }
            }
        }
    };
    try {
        events.info(`Running ${jobs.length} jobs, at most ${settings.maxConcurrency} at once.`);
        await Promise.all(Array.from({ length: Math.min(settings.maxConcurrency, jobs.length) }, worker));
    }
    finally {
        client.close();
    }
    const failed = jobs.flatMap((job, i) => (results[i]?.error ? [`'${job.name}' (${results[i]?.status ?? 'error'}${requestIds[i] ? `, request id ${requestIds[i]}` : ''}): ${results[i]?.error?.message}`] : []));
    const skipped = jobs.filter((_, i) => !results[i]).map((job) => `'${job.name}'`);
    const problems = [
        ...(failed.length ? [`${failed.length} of ${jobs.length} jobs failed: ${failed.join('; ')}`] : []),
        ...(skipped.length ? [`not started after the failure ('fail-fast'): ${skipped.join(', ')}`] : []),
    ];
    return stop(problems.length ? new BatchFailedError(problems.join('. ')) : undefined);
}
/** The step's outputs for a batch: the manifest, an overall status, the reported and estimated totals. */
function batchOutputs(batch) {
    const single = (0,report/* outputsOf */.Yz)({ provider: 'custom', baseUrl: '', timings: { startedAt: new Date() } });
    const reported = batch.results.reduce((sum, r) => sum + (r?.costTicks ?? 0), 0);
    const allDone = batch.results.every((r) => r?.status === 'done');
    return {
        ...single,
        status: batch.results.some(Boolean) ? (allDone ? 'done' : 'failed') : '',
        'cost-usd': batch.results.some((r) => r?.costTicks !== undefined) ? (0,report/* ticksToUsd */.kp)(reported) : '',
        'cache-hit': allDone && batch.results.every((r) => r?.cacheHit) ? 'true' : 'false',
        'estimated-cost-usd': batch.estimatedTotalUsd !== undefined ? (0,pricing/* formatUsd */.UK)(batch.estimatedTotalUsd) : '',
        results: JSON.stringify(batch.entries),
    };
}
class BatchFailedError extends errors/* GrokVideoError */.fn {
    status = 'failed';
}
function entryOf(name, result, requestId) {
    return {
        name,
        'request-id': result?.requestId ?? requestId ?? '',
        status: result ? (result.status ?? 'failed') : requestId ? 'pending' : 'not-started',
        'video-path': result?.video?.path ?? '',
        'video-sha256': result?.video?.sha256 ?? '',
        'cost-usd': result?.costTicks !== undefined ? (0,report/* ticksToUsd */.kp)(result.costTicks) : '',
        'artifact-id': result?.artifact ? String(result.artifact.id) : '',
        'artifact-url': result?.artifact?.url ?? '',
        ...(result?.error ? { error: result.error.message } : {}),
    };
}
/** The sum of the jobs' estimates; undefined when any job has no known price. */
function totalEstimate(jobs) {
    let total = 0;
    for (const job of jobs) {
        const estimate = job.config.request ? (0,pricing/* estimateCost */.a3)(job.config.request) : undefined;
        if (!estimate)
            return undefined;
        total += estimate.usd;
    }
    return total;
}
function prefixed(name, events) {
    return { requestId: () => { }, info: (m) => events.info(`[${name}] ${m}`), warning: (m) => events.warning(`[${name}] ${m}`) };
}


/***/ })

};
