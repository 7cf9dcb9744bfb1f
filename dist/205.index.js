export const id = 205;
export const ids = [205];
export const modules = {

/***/ 3205:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AttachmentStore: () => (/* binding */ AttachmentStore)
/* harmony export */ });
/* unused harmony exports VIDEO_LIMIT_BYTES, IMAGE_LIMIT_BYTES, uploadsOrigin, attachmentHost, repositoryIdOf, attachmentKey */
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(44942);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(57075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(58500);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_timers_promises__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var _event_payload_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(78096);
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(16264);
/* harmony import */ var _grok_retry_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(46321);
/* harmony import */ var _http_exchange_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(34305);
/* harmony import */ var _links_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(73346);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(27194);
/* harmony import */ var _urls_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(75769);
/**
 * GitHub's attachment store (what the web editor and `gh pr comment --attach` upload to): a video uploaded there
 * plays inside a pull request comment, and an image shows without a preview branch. Hand `upload()` any MP4 or
 * image file and get its URL, or nothing: every refusal is a warning, never a failure of the step. A refusal of the
 * token itself (an installation token, an Enterprise Server, 401, 403, 404) ends uploads for the run, in one warning.
 */













/** What the store takes on a paid plan (a free plan's 10 MB for videos shows as a 422). */
const VIDEO_LIMIT_BYTES = 100 * 1024 * 1024;
const IMAGE_LIMIT_BYTES = 10 * 1024 * 1024;
/** An answer is a small JSON object; anything longer is not the store. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** Sends of one file in all, the first included (a 429 is sent again twice at most). */
const ATTEMPTS = 3;
/** A Retry-After longer than this is not waited out: the comment goes on without the file. */
const LONGEST_WAIT_MS = 10_000;
const KEY_PREFIX = 'grok-video-attachment-v1-';
/**
 * Where uploads go, from the run's API root: github.com's and a `*.ghe.com` tenant's uploads host, or the API's own
 * origin when it is on loopback (a local fake). Undefined: GitHub Enterprise Server, which has no attachment store.
 */
function uploadsOrigin(apiUrl) {
    if (!URL.canParse(apiUrl))
        return undefined;
    const url = new URL(apiUrl);
    if (url.protocol === 'https:' && url.hostname === 'api.github.com')
        return 'https://uploads.github.com';
    const tenant = /^api\.([a-z0-9-]+)\.ghe\.com$/i.exec(url.hostname);
    if (url.protocol === 'https:' && tenant)
        return `https://uploads.${tenant[1]}.ghe.com`;
    if ((0,_urls_js__WEBPACK_IMPORTED_MODULE_10__/* .isLoopback */ .U9)(url.hostname))
        return url.origin;
    return undefined;
}
/**
 * The host of the store's URLs for the run's API root: github.com, or a `*.ghe.com` tenant's own host. A loopback
 * API is a local fake, which answers github.com URLs as GitHub does.
 */
function attachmentHost(apiUrl) {
    if (!URL.canParse(apiUrl))
        return undefined;
    const url = new URL(apiUrl);
    if (url.protocol === 'https:' && url.hostname === 'api.github.com')
        return 'github.com';
    const tenant = /^api\.([a-z0-9-]+)\.ghe\.com$/i.exec(url.hostname);
    if (url.protocol === 'https:' && tenant)
        return `${tenant[1].toLowerCase()}.ghe.com`;
    if ((0,_urls_js__WEBPACK_IMPORTED_MODULE_10__/* .isLoopback */ .U9)(url.hostname))
        return 'github.com';
    return undefined;
}
/** The repository's numeric id: GITHUB_REPOSITORY_ID, else the event payload's `repository.id`. */
function repositoryIdOf(env) {
    if (/^\d{1,20}$/.test(env.GITHUB_REPOSITORY_ID ?? ''))
        return env.GITHUB_REPOSITORY_ID;
    const id = (0,_event_payload_js__WEBPACK_IMPORTED_MODULE_6__/* .field */ .q)((0,_event_payload_js__WEBPACK_IMPORTED_MODULE_6__/* .eventPayload */ .Z)(env), 'repository', 'id');
    return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? String(id) : undefined;
}
/** The content-addressed key of an upload: the same bytes in the same repository are uploaded once. */
const attachmentKey = (sha256, repositoryId) => `${KEY_PREFIX}${sha256}-${repositoryId}`;
/** An answer's message, cut short and on one line, to be quoted as code. */
function messageOf(text) {
    let message = text;
    try {
        const parsed = JSON.parse(text);
        if (typeof parsed.message === 'string')
            message = parsed.message;
    }
    catch {
        // Not JSON: the text itself.
    }
    const line = message.replace(/\s+/g, ' ').replace(/`/g, "'").trim();
    return `\`${line.length > 300 ? `${line.slice(0, 299)}…` : line || 'no message'}\``;
}
class AttachmentStore {
    token;
    log;
    env;
    records;
    secrets;
    timeoutMs;
    http;
    /** Why uploads stopped for the run (said once); undefined while they go on. */
    stopped;
    /** This run's uploads by SHA-256: a batch's jobs with the same video share one. */
    made = new Map();
    constructor(options) {
        this.token = options.token;
        this.log = options.log;
        this.env = options.env ?? process.env;
        this.records = options.records;
        this.secrets = options.secrets ?? [options.token];
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.http = new _actions_http_client__WEBPACK_IMPORTED_MODULE_0__/* .HttpClient */ .Qq(options.userAgent ?? 'grok-video-action', [], {
            allowRedirects: false,
            allowRetries: false,
            keepAlive: false,
        });
    }
    /** The URL of `file` in the store, uploaded now or earlier; undefined (after a warning) when it cannot be had. */
    async upload(file) {
        const target = this.target();
        if (!target)
            return undefined;
        const name = node_path__WEBPACK_IMPORTED_MODULE_3___default().basename(file.path);
        const limit = file.contentType === 'video/mp4' ? VIDEO_LIMIT_BYTES : IMAGE_LIMIT_BYTES;
        let bytes;
        try {
            const size = (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(file.path)).size;
            if (size > limit) {
                this.log.warning(`Not uploading ${name} to GitHub's attachment store: ${size} bytes, over the ${limit / 1024 / 1024} MB ` +
                    'it takes for this kind of file. The comment links to the artifact instead.');
                return undefined;
            }
            bytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(file.path);
        }
        catch (error) {
            this.log.warning(`Could not read ${name} to upload it: ${error.message}`);
            return undefined;
        }
        const sha256 = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update(bytes).digest('hex');
        const known = this.made.get(sha256) ?? (await this.recorded(attachmentKey(sha256, target.repositoryId)));
        if (known) {
            this.made.set(sha256, known);
            this.log.info(`${name} is in GitHub's attachment store already (the same bytes): ${known}`);
            return known;
        }
        const url = await this.send(target, name, file.contentType, bytes);
        if (!url)
            return undefined;
        this.made.set(sha256, url);
        this.log.info(`Uploaded ${name} to GitHub's attachment store: ${url}`);
        await this.records?.save(attachmentKey(sha256, target.repositoryId), { url }).catch(() => undefined);
        return url;
    }
    /** Where uploads go, or undefined once (and for good) when they cannot go anywhere. */
    target() {
        if (this.stopped !== undefined)
            return undefined;
        const stop = (why) => {
            this.stopped = why;
            this.log.warning(`${why} The comment shows the GIF and the artifact link instead.`);
            return undefined;
        };
        if (this.token.startsWith('ghs_'))
            return stop("'attachment-token' is an installation token (ghs_…, such as the job's GITHUB_TOKEN), which GitHub's " +
                'attachment store refuses: make a fine-grained personal access token for this repository with write ' +
                'access, store it as a secret and pass that. Nothing was uploaded.');
        const origin = uploadsOrigin((0,_links_js__WEBPACK_IMPORTED_MODULE_9__/* .githubApiUrl */ .BN)(this.env));
        if (!origin)
            return stop("'attachment-token' is set, but this is GitHub Enterprise Server, which has no attachment store: " +
                'nothing was uploaded.');
        const repositoryId = repositoryIdOf(this.env);
        if (!repositoryId)
            return stop("'attachment-token' is set, but the repository's id is unknown (no GITHUB_REPOSITORY_ID, no " +
                'repository.id in the event): nothing was uploaded.');
        return { origin, repositoryId };
    }
    /** A URL an earlier run kept for these bytes, when it is still a link we may show. */
    async recorded(key) {
        const record = await this.records?.restore(key).catch(() => undefined);
        if (typeof record?.url !== 'string')
            return undefined;
        const refused = this.refusal(record.url);
        if (refused === undefined)
            return record.url;
        // Anyone's run may write the cache: the file goes up again instead.
        if (refused !== 'not https')
            this.log.warning(`A kept attachment URL ${refused}, so it is not used.`);
        return undefined;
    }
    /**
     * Why a URL from the store (or kept from it) may not be shown, or undefined when it may: it ends up alone on a
     * line of the comment, in an output and in the metadata JSON. Never quotes the URL.
     */
    refusal(url) {
        const link = (0,_links_js__WEBPACK_IMPORTED_MODULE_9__/* .httpsLink */ .an)(url);
        if (link === undefined)
            return 'not https';
        // Shown only as it is: a URL that parsing would rewrite (an uppercase host, a `..`) is not the one checked.
        if (link !== url)
            return 'is not written as a plain link (its parsed form differs)';
        if ((0,_secrets_js__WEBPACK_IMPORTED_MODULE_11__/* .carriesSecret */ .Md)(url, this.secrets))
            return 'carries a secret of this run';
        const host = attachmentHost((0,_links_js__WEBPACK_IMPORTED_MODULE_9__/* .githubApiUrl */ .BN)(this.env));
        const parsed = new URL(url);
        if (parsed.hostname.toLowerCase() !== host || !parsed.pathname.startsWith('/user-attachments/assets/'))
            return `is not one of GitHub's attachment URLs (https://${host ?? 'github.com'}/user-attachments/assets/…)`;
        return undefined;
    }
    async send(target, name, contentType, bytes) {
        const query = new URLSearchParams({ name, content_type: contentType, repository_id: target.repositoryId });
        const url = `${target.origin}/user-attachments/assets?${query.toString()}`;
        const repository = this.env.GITHUB_REPOSITORY ?? 'this repository';
        const failed = (why) => {
            this.log.warning(`Could not upload ${name} to GitHub's attachment store: ${why} The comment links to the artifact instead.`);
            return undefined;
        };
        for (let attempt = 1;; attempt++) {
            let answer;
            try {
                answer = await this.post(url, bytes);
            }
            catch (error) {
                return failed(`${error.message}.`);
            }
            const { status, text } = answer;
            if (status === 200 || status === 201) {
                let answered;
                try {
                    answered = JSON.parse(text).url;
                }
                catch {
                    // Checked below.
                }
                if (typeof answered !== 'string')
                    return failed('its answer holds no https URL, so none is shown.');
                const refused = this.refusal(answered);
                if (refused === 'not https')
                    return failed('its answer holds no https URL, so none is shown.');
                if (refused)
                    return failed(`its answer's URL ${refused}, so nothing of it is shown.`);
                return answered;
            }
            if (status === 401 || status === 403 || status === 404) {
                const why = status === 401
                    ? `GitHub refused 'attachment-token' (HTTP 401 ${messageOf(text)}): it is wrong, expired or revoked.`
                    : `'attachment-token' cannot write to ${repository} (HTTP ${status} ${messageOf(text)}): give it write ` +
                        'access to this repository (a fine-grained token for this one repository, or a classic token with `repo`).';
                this.stopped = why;
                this.log.warning(`${why} No more uploads this run; the comment shows the GIF and the artifact link instead.`);
                return undefined;
            }
            if (status === 422)
                return failed(`refused, likely over this plan's limit (10 MB on free plans): ${messageOf(text)}.`);
            if (status === 429 && attempt < ATTEMPTS) {
                const asked = (0,_grok_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .parseRetryAfter */ .mu)(answer.retryAfter, Date.now());
                if (asked !== undefined && asked > LONGEST_WAIT_MS)
                    return failed(`rate limited (HTTP 429), and asked to wait longer than ${(0,_format_js__WEBPACK_IMPORTED_MODULE_12__/* .formatSeconds */ .Xo)(LONGEST_WAIT_MS)}.`);
                await (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_5__.setTimeout)(Math.max(_grok_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .RETRY_FLOOR_MS */ .TF, asked ?? _grok_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .RETRY_FLOOR_MS */ .TF * attempt));
                continue;
            }
            return failed(`HTTP ${status} ${messageOf(text)}.`);
        }
    }
    async post(url, bytes) {
        const controller = new AbortController();
        const limit = this.timeoutMs + Math.ceil(bytes.length / 1024);
        const timer = setTimeout(() => controller.abort(), limit);
        try {
            const headers = {
                Authorization: `Bearer ${this.token}`,
                Accept: 'application/vnd.github+json',
                'Content-Type': 'application/octet-stream',
                'Content-Length': String(bytes.length),
            };
            const response = await (0,_http_exchange_js__WEBPACK_IMPORTED_MODULE_8__/* .sendAbortable */ .D)(this.http, 'POST', url, headers, node_stream__WEBPACK_IMPORTED_MODULE_4__.Readable.from([bytes]), controller.signal);
            const body = await (0,_http_exchange_js__WEBPACK_IMPORTED_MODULE_8__/* .readCapped */ .E)(response.message, MAX_ANSWER_BYTES);
            if (body === undefined)
                throw new Error(`its answer ran past ${MAX_ANSWER_BYTES / 1024} KiB and was cut off`);
            return {
                status: response.message.statusCode ?? 0,
                retryAfter: response.message.headers['retry-after'],
                text: body.toString('utf8'),
            };
        }
        catch (error) {
            if (controller.signal.aborted)
                throw new Error(`no answer within ${(0,_format_js__WEBPACK_IMPORTED_MODULE_12__/* .formatSeconds */ .Xo)(limit)}`, { cause: error });
            throw new Error(error.message || 'the connection failed', { cause: error });
        }
        finally {
            clearTimeout(timer);
        }
    }
}


/***/ })

};
