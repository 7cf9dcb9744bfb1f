export const id = 879;
export const ids = [879];
export const modules = {

/***/ 18879:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  commentOnPullRequest: () => (/* binding */ commentOnPullRequest),
  commentRefusalOnPullRequest: () => (/* binding */ commentRefusalOnPullRequest)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(44942);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/event-payload.ts
var event_payload = __webpack_require__(78096);
// EXTERNAL MODULE: ./src/http-exchange.ts
var http_exchange = __webpack_require__(34305);
// EXTERNAL MODULE: ./src/format.ts
var format = __webpack_require__(16264);
;// CONCATENATED MODULE: ./src/base-files.ts
/**
 * The files of a pull request's base commit, read through GitHub's contents API (a checkout is often shallow, and
 * the base's files are not in it): a FileSource like the workspace's, so the base's request is built by the same
 * rules. Every answer is data from outside: each file is read with a size cap and a time limit, and only paths
 * inside the repository, outside `.git/`, are asked for.
 */





const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** The base of the pull request this run is for; undefined when the payload does not say (or says nonsense). */
function baseCommitFromEvent(env) {
    const payload = (0,event_payload/* eventPayload */.Z)(env);
    const sha = (0,event_payload/* field */.q)(payload, 'pull_request', 'base', 'sha');
    const ref = (0,event_payload/* field */.q)(payload, 'pull_request', 'base', 'ref');
    const fullName = (0,event_payload/* field */.q)(payload, 'repository', 'full_name') ?? env.GITHUB_REPOSITORY;
    if (typeof sha !== 'string' || !SHA.test(sha) || typeof fullName !== 'string')
        return undefined;
    const [owner, repo, ...rest] = fullName.split('/');
    if (rest.length || !NAME.test(owner ?? '') || !NAME.test(repo ?? ''))
        return undefined;
    return { owner, repo, sha, ref: typeof ref === 'string' ? ref : sha };
}
/** What one file of the base may weigh: the text files (prompts) far less than the media they name. */
const TEXT_INPUTS = new Set(['prompts-file', 'prompt-file']);
const MAX_BASE_TEXT_BYTES = 1024 * 1024;
/** Above the largest local video an input accepts (48 MB); the input's own check then says what it accepts. */
const MAX_BASE_MEDIA_BYTES = 50 * 1000 * 1000;
/** How long one file may take to arrive. */
const READ_TIMEOUT_MS = 30_000;
/**
 * The path a prompts file or an input names, as the repository's path at the base; an InputError when it would
 * lead out of the repository or into `.git/` (the workspace is the repository's checkout).
 */
function repositoryPath(input, text) {
    const refuse = (why) => new errors/* InputError */.dz(input, `'${text}' ${why}: at the base, only files inside the repository, outside '.git/', are read.`);
    if (text.startsWith('/') || text.startsWith('\\') || /^[A-Za-z]:/.test(text))
        throw refuse('is an absolute path');
    const parts = [];
    for (const part of text.split(/[\\/]+/)) {
        if (part === '' || part === '.')
            continue;
        if (part === '..') {
            if (parts.length === 0)
                throw refuse('leads out of the repository');
            parts.pop();
        }
        else
            parts.push(part);
    }
    if (parts.some((part) => part.toLowerCase() === '.git'))
        throw refuse("is under '.git/'");
    if (parts.length === 0)
        throw refuse('names no file');
    return parts.join('/');
}
/** The base's files, read one by one through the contents API (`Accept: application/vnd.github.raw`: the bytes). */
function baseFiles(options) {
    const client = new lib/* HttpClient */.Qq('grok-video-action');
    const { owner, repo, sha } = options.base;
    let sent = 0;
    const read = async (input, text, unreadable, check = () => { }) => {
        const file = repositoryPath(input, text);
        const url = `${options.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}` +
            `/contents/${file.split('/').map(encodeURIComponent).join('/')}?ref=${sha}`;
        const cap = TEXT_INPUTS.has(input) ? MAX_BASE_TEXT_BYTES : MAX_BASE_MEDIA_BYTES;
        const timeoutMs = options.timeoutMs ?? READ_TIMEOUT_MS;
        const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
        const signal = AbortSignal.any(signals);
        const failed = (why, status) => new errors/* BaseFilesError */.Xo(`Could not read '${file}' at the base (${sha.slice(0, 12)}): ${why}`, status);
        sent++;
        let bytes;
        let status;
        let type;
        try {
            const response = await (0,http_exchange/* sendAbortable */.D)(client, 'GET', url, {
                accept: 'application/vnd.github.raw',
                authorization: `Bearer ${options.token}`,
                'x-github-api-version': '2022-11-28',
            }, null, signal);
            status = response.message.statusCode;
            type = String(response.message.headers['content-type'] ?? '');
            if (status !== 200) {
                response.message.resume();
                if (status === 404)
                    throw unreadable('does not exist');
                const advice = status === 401
                    ? "the 'github-token' was refused"
                    : status === 403
                        ? "the 'github-token' may not read the repository's contents (it needs 'contents: read')"
                        : 'GitHub did not answer with the file';
                throw failed(`HTTP ${status}, ${advice}.`, status);
            }
            bytes = await (0,http_exchange/* readCapped */.E)(response.message, cap);
        }
        catch (error) {
            if (error instanceof errors/* InputError */.dz || error instanceof errors/* BaseFilesError */.Xo)
                throw error;
            if (signal.aborted)
                throw failed(`no whole answer within ${(0,format/* formatSeconds */.Xo)(timeoutMs)}, or the comparison ran out of time.`);
            throw failed(`${error.message}.`);
        }
        if (bytes === undefined)
            throw failed(`it is larger than ${(0,format/* formatBytes */.z3)(cap)}, the most read for '${input}'.`);
        if (/^application\/json/i.test(type) && describesEntry(bytes))
            throw unreadable('is not a file');
        check(bytes.length);
        return { bytes, real: file, size: bytes.length };
    };
    return {
        read,
        confine: (input, text) => Promise.resolve(repositoryPath(input, text)),
        requests: () => sent,
    };
}
/**
 * A folder (a list of entries), a symlink or a submodule is described in JSON even when the raw bytes are asked
 * for; a prompts file in JSON is not mistaken for one: an entry has GitHub's own `sha`, `path`, `type`, `_links`.
 */
function describesEntry(bytes) {
    let parsed;
    try {
        parsed = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        return false;
    }
    const isEntry = (item) => typeof item === 'object' && item !== null && ['sha', 'path', 'type', '_links'].every((key) => key in item);
    return Array.isArray(parsed) ? parsed.length > 0 && parsed.every(isEntry) : isEntry(parsed);
}

// EXTERNAL MODULE: ./src/cache.ts
var src_cache = __webpack_require__(97377);
// EXTERNAL MODULE: ./src/links.ts
var links = __webpack_require__(73346);
// EXTERNAL MODULE: ./src/video-request.ts + 3 modules
var video_request = __webpack_require__(63487);
;// CONCATENATED MODULE: ./src/base-compare.ts
/**
 * `compare-with-base`: each job of the run against what the pull request's base commit asked for. The base's
 * prompts file (or `prompt-file`) and the files it names are read at the base through the contents API
 * (base-files.ts), its requests built by the head's own rules, and their cache keys looked up: the same key is an
 * unchanged job; another is a changed one, whose base video is restored from the cache (never generated: nothing of
 * the base is sent to the provider) and kept under RUNNER_TEMP, never in `output-dir`. A base that cannot be read
 * is one warning and no comparison; the run's outcome never depends on it.
 */








/** The most reading the base may take, all its files together: a slow base never holds the run. */
const COMPARE_TIMEOUT_MS = 120_000;
/** `auto`: a pull request's run that comments and uses the cache (the base's videos come only from there). */
function comparesWithBase(config) {
    return config.compareWithBase && config.commentOnPr && config.cache && !config.dryRun;
}
/**
 * The comparison, or undefined (with one warning saying why) when the base cannot be read or its requests built.
 * The caller has checked that this run is for a pull request and has a token.
 */
async function compareWithBase(config, jobs, token, log, env = process.env) {
    // A resumed job (`request-id`) has no request of its own here to compare; an inline prompt lives in the
    // workflow, which is not read at the base, so "unchanged" could not be told from changed.
    const fields = config.batch ? undefined : config.videoFields;
    if (!config.batch && (!config.request || !fields?.['prompt-file']))
        return undefined;
    const base = baseCommitFromEvent(env);
    if (!base) {
        log.warning("'compare-with-base': the event names no base commit (pull_request.base.sha): no comparison.");
        return undefined;
    }
    const signal = AbortSignal.timeout(COMPARE_TIMEOUT_MS);
    let asked;
    try {
        asked = await baseRequests(config, fields, baseFiles({ apiUrl: (0,links/* githubApiUrl */.BN)(env), token, base, signal }));
    }
    catch (error) {
        log.warning(`Not comparing with the base '${base.ref}' (${base.sha.slice(0, 12)}): ${error.message} The comment shows this run alone.`);
        return undefined;
    }
    const cache = new src_cache/* VideoCache */.YO({
        root: external_node_path_default().join(env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'grok-video-base'),
        info: (message) => log.info(message),
        warning: (message) => log.warning(message),
    });
    const compared = [];
    for (const job of jobs)
        compared.push(await compareJob(config, job, asked.get(job.name ?? ''), cache, log));
    const names = new Set(jobs.map((job) => job.name ?? ''));
    const removed = [...asked.entries()]
        .filter(([name]) => !names.has(name))
        .map(([name, request]) => ({ name, prompt: request.prompt }));
    return { base, jobs: compared, removed };
}
/** The requests the base commit asks for, by job name: a batch's (`fields` undefined), or a single run's. */
async function baseRequests(config, fields, files) {
    if (!fields) {
        const { readBatch } = await Promise.all(/* import() */[__webpack_require__.e(815), __webpack_require__.e(515)]).then(__webpack_require__.bind(__webpack_require__, 56515));
        const jobs = await readBatch(config, files);
        return new Map(jobs.map((job) => [job.name, { key: (0,src_cache/* cacheKeyOf */.D$)(job.config), prompt: job.config.request?.prompt ?? '' }]));
    }
    const spec = await (0,video_request/* videoRequestFrom */.l2)(fields, {
        workspace: config.workspace,
        apiFamily: config.apiFamily,
        promptOptional: false,
        files,
    });
    const key = (0,src_cache/* cacheKeyOf */.D$)({ ...config, request: spec.request, operation: spec.operation, video: spec.video });
    return new Map([['', { key, prompt: spec.request?.prompt ?? '' }]]);
}
async function compareJob(config, job, asked, cache, log) {
    if (!asked)
        return { change: 'new' };
    const key = job.result.cacheKey;
    if (key !== undefined && key === asked.key)
        return { change: 'unchanged' };
    const changed = { change: 'changed', basePrompt: asked.prompt };
    const hit = asked.key ? await cache.restore(asked.key) : undefined;
    if (!hit)
        return { ...changed, baseMissing: true };
    // Named after the job's own artifact, so the run's page shows them side by side; `@` is in no job name, so no
    // job's artifact (`<artifact>-<job>`) can have this name.
    const stem = `${(job.result.artifact?.name ?? `${config.artifactName ?? 'grok-video'}${job.name ? `-${job.name}` : ''}`).replace(/\.mp4$/, '')}@base`;
    const dir = external_node_path_default().dirname(hit.videoPath);
    await (0,promises_.mkdir)(dir, { recursive: true });
    const baseVideoPath = external_node_path_default().join(dir, `${stem}.mp4`);
    await (0,promises_.copyFile)(hit.videoPath, baseVideoPath);
    log.info(`The base's video of ${job.name ? `job '${job.name}'` : 'this job'} was restored from the cache (${asked.key}).`);
    if (!config.uploadArtifact)
        return { ...changed, baseVideoPath };
    try {
        const { uploadVideo } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 15849));
        const artifact = await uploadVideo({
            name: stem,
            videoPath: baseVideoPath,
            metadataPath: '',
            archive: false,
            retentionDays: config.retentionDays,
        });
        log.info(`Uploaded the base's video as artifact '${artifact.name}' (id ${artifact.id}).`);
        return { ...changed, baseVideoPath, ...(artifact.url ? { baseVideoUrl: artifact.url } : {}) };
    }
    catch (error) {
        const of = job.name ? ` of job '${job.name}'` : '';
        log.warning(error instanceof errors/* ArtifactUploadError */.E7 && error.nameTaken
            ? `Could not upload the base's video${of}: this workflow run already has an artifact named '${stem}.mp4', ` +
                "so another step of the run uses the same 'artifact-name': give each step its own. The comment links " +
                'no video before.'
            : `Could not upload the base's video${of}: ${error.message}`);
        return { ...changed, baseVideoPath };
    }
}

// EXTERNAL MODULE: ./src/report.ts
var report = __webpack_require__(70665);
;// CONCATENATED MODULE: ./src/pr-review.ts
/**
 * What a pull request's reviewer is shown: the step's comment, made from the run's results. This module decides
 * whether there is a comment to write and gathers what it shows; pr-comment.ts talks to the API and
 * pr-comment-body.ts renders the Markdown. A comment that cannot be written is a warning only: the video is made.
 */




/** Creates or updates this step's comment on the pull request. */
async function commentOnPullRequest(config, jobs, log, env = process.env) {
    if (!config.commentOnPr || jobs.length === 0)
        return;
    // Loaded only when a comment is asked for: most runs do not pay for it at start-up.
    const { pullRequestFromEvent } = await __webpack_require__.e(/* import() */ 525).then(__webpack_require__.bind(__webpack_require__, 5525));
    const { commentRowOf, renderComment } = await __webpack_require__.e(/* import() */ 780).then(__webpack_require__.bind(__webpack_require__, 76780));
    const pr = pullRequestFromEvent(env);
    if (!pr) {
        log.notice(`'comment-on-pr' is on, but this run is not for a pull request (event '${env.GITHUB_EVENT_NAME ?? 'unknown'}'): no comment.`);
        return;
    }
    if (!config.githubToken) {
        log.warning("'comment-on-pr' is on, but 'github-token' is empty: no comment.");
        return;
    }
    const comparison = comparesWithBase(config)
        ? await compareWithBase(config, jobs, config.githubToken, log, env)
        : undefined;
    const removed = comparison?.removed ?? [];
    // A changed job's base MP4 (restored under RUNNER_TEMP) is uploaded beside its own, to play before and after.
    const bases = comparison?.jobs.map((compared) => compared.baseVideoPath) ?? [];
    const secrets = [config.apiKey, config.uploadUrl, config.githubToken, config.attachmentToken];
    const attached = config.attachmentToken ? await attachAll(config.attachmentToken, secrets, jobs, log, env, bases) : [];
    const rows = jobs.map(({ result, name }, i) => {
        const { basePlayerUrl, ...shown } = attached[i] ?? {};
        return { ...commentRowOf(result, name), ...shown };
    });
    comparison?.jobs.forEach(({ baseVideoPath: _, ...compare }, i) => {
        const basePlayerUrl = attached[i]?.basePlayerUrl;
        rows[i].compare = { ...compare, ...(basePlayerUrl ? { basePlayerUrl } : {}) };
    });
    await writeComment(config, config.githubToken, pr, log, env, (marker) => renderComment(marker, rows, (0,links/* workflowRunUrl */.CX)(env), removed));
}
/**
 * A run or batch refused before anything was sent (`max-cost-usd`): the comment an earlier push left says so, or a
 * reviewer would take the earlier videos for this push's.
 */
async function commentRefusalOnPullRequest(config, reason, log, env = process.env) {
    if (!config.commentOnPr || !config.githubToken)
        return;
    const { pullRequestFromEvent } = await __webpack_require__.e(/* import() */ 525).then(__webpack_require__.bind(__webpack_require__, 5525));
    const { renderRefusal } = await __webpack_require__.e(/* import() */ 780).then(__webpack_require__.bind(__webpack_require__, 76780));
    const pr = pullRequestFromEvent(env);
    if (!pr)
        return;
    await writeComment(config, config.githubToken, pr, log, env, (marker) => renderRefusal(marker, reason, (0,links/* workflowRunUrl */.CX)(env)));
}
/** Creates or updates this step's comment with the body `render` makes around its marker; a failure is a warning. */
async function writeComment(config, token, pr, log, env, render) {
    const { commentMarker, legacyCommentMarker, upsertPullRequestComment, workflowOf } = await __webpack_require__.e(/* import() */ 525).then(__webpack_require__.bind(__webpack_require__, 5525));
    const job = env.GITHUB_JOB ?? '';
    const marker = commentMarker(workflowOf(env), job, config.artifactName);
    try {
        const comment = await upsertPullRequestComment({
            token,
            apiUrl: (0,links/* githubApiUrl */.BN)(env),
            pr,
            marker,
            legacyMarker: legacyCommentMarker(job, config.artifactName),
            body: render(marker),
            log: (message) => log.info(message),
        });
        log.info(`${comment.action === 'created' ? 'Created' : 'Updated'} the pull request comment: ${comment.url}`);
    }
    catch (error) {
        log.warning(error.message);
    }
}
/**
 * Uploads what the comment shows to GitHub's attachment store, one file at a time: each job's MP4 (then a player)
 * and its GIF or poster, unless a preview branch published it already. A job's `attachmentUrl` is set, and its
 * metadata JSON written again to hold it. What cannot be uploaded is shown as without a token. `bases`: a changed
 * job's MP4 from the pull request's base (base-compare.ts), uploaded first so the comment plays it as "before".
 */
async function attachAll(token, secrets, jobs, log, env, bases = []) {
    const { AttachmentStore } = await __webpack_require__.e(/* import() */ 205).then(__webpack_require__.bind(__webpack_require__, 3205));
    const { restoreRecord, saveRecord } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 97377));
    const records = { restore: restoreRecord, save: saveRecord };
    const store = new AttachmentStore({ token, secrets, log, env, records });
    const attached = [];
    for (const [i, { result }] of jobs.entries()) {
        const row = {};
        attached.push(row);
        const base = bases[i];
        if (base)
            row.basePlayerUrl = await store.upload({ path: base, contentType: 'video/mp4' });
        if (result.status !== 'done' || !result.video)
            continue;
        const playerUrl = await store.upload({ path: result.video.path, contentType: 'video/mp4' });
        if (playerUrl) {
            row.playerUrl = playerUrl;
            result.attachmentUrl = playerUrl;
            if (result.metadataPath)
                await (0,promises_.writeFile)(result.metadataPath, `${JSON.stringify((0,report/* metadataOf */.Nk)(result), null, 2)}\n`).catch((error) => log.warning(`Could not write the attachment URL into the metadata JSON: ${error.message}`));
        }
        const files = result.preview?.files;
        const image = files?.gifPath ?? files?.posterPath;
        if (!result.preview?.url && image) {
            const previewUrl = await store.upload({
                path: image,
                contentType: image === files?.gifPath ? 'image/gif' : 'image/png',
            });
            if (previewUrl)
                row.previewUrl = previewUrl;
        }
    }
    return attached;
}


/***/ })

};
