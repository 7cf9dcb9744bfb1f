export const id = 515;
export const ids = [515];
export const modules = {

/***/ 56515:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readBatch: () => (/* binding */ readBatch)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(38815);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83916);
/* harmony import */ var _grok_request_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(86070);
/* harmony import */ var _public_url_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(30242);
/* harmony import */ var _video_request_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(63487);
/* harmony import */ var _workspace_paths_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(51271);
/**
 * The `prompts-file` of a batch: read, parsed (YAML or JSON) and validated as a whole, each job's fields checked
 * as the step's own inputs are, before anything is sent.
 */






/** Job keys a prompts file may use; `aspect_ratio` is accepted as the API spells it. */
const JOB_KEYS = new Set(['name', ..._video_request_js__WEBPACK_IMPORTED_MODULE_4__/* .VIDEO_FIELDS */ .kX, 'aspect_ratio']);
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
    // Reference images and voices may be a list: one per line, as the step input takes them.
    if ((key === 'reference-images' || key === 'reference-voices') &&
        Array.isArray(value) &&
        value.every((item) => scalarText(item) !== undefined)) {
        return value.map((item) => scalarText(item).trim()).join('\n');
    }
    if (value === null)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `job '${job}': '${key}' has no value: give it one, or remove the key.`);
    const text = scalarText(value);
    if (text === undefined)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `job '${job}': '${key}' must be text, not a list or mapping.`);
    return text.trim();
}
/**
 * Reads and validates the whole prompts file before anything is sent; from `files` when given (another commit's
 * tree, whose files the step's own inputs were not read from), else from the workspace.
 */
async function readBatch(config, files) {
    const batch = config.batch;
    if (!batch)
        return [];
    const source = files ?? (0,_workspace_paths_js__WEBPACK_IMPORTED_MODULE_5__/* .workspaceFiles */ .PZ)(config.workspace);
    const { bytes } = await source.read('prompts-file', batch.file, () => new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `'${batch.file}' does not exist or cannot be read: give a YAML or JSON file, relative to the workspace.`));
    const text = bytes.toString('utf8');
    let document;
    try {
        document = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(text);
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `'${batch.file}' is not valid YAML or JSON: ${error.message.split('\n')[0]}`);
    }
    const list = Array.isArray(document) ? document : document?.jobs;
    if (!Array.isArray(list) || list.length === 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `'${batch.file}' must hold a list of jobs (or an object with a 'jobs' list), each with a 'name' and a 'prompt'.`);
    }
    if (list.length > MAX_JOBS)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `holds ${list.length} jobs; at most ${MAX_JOBS} run in one step.`);
    const seen = new Set();
    const jobs = [];
    // One image is read and encoded once per batch, however many jobs use it (the step's default included).
    const images = new Map();
    // Only when the step read it: an image its own operation does not take was left unread, not found empty.
    if (!files && batch.defaults.image && config.image)
        images.set(batch.defaults.image, config.image);
    for (const [index, item] of list.entries()) {
        const where = `job #${index + 1}`;
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `${where} is not a mapping of 'name', 'prompt' and optional overrides.`);
        }
        const job = item;
        const unknown = Object.keys(job).filter((key) => !JOB_KEYS.has(key));
        if (unknown.length) {
            // Named too when it has a name: in a long file the position alone is hard to find.
            const named = typeof job.name === 'string' && job.name ? ` ('${job.name}')` : '';
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `${where}${named} has unknown keys ${unknown.map((k) => `'${k}'`).join(', ')}; a job accepts ${[...JOB_KEYS].filter((k) => k !== 'aspect_ratio').join(', ')}.`);
        }
        const name = typeof job.name === 'string' ? job.name : '';
        if (!NAME.test(name)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `${where} needs a 'name' of letters, digits, '.', '_' or '-' (at most 64, used in artifact names); got '${scalarText(job.name) ?? ''}'.`);
        }
        if (seen.has(name))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `has two jobs named '${name}': names must be unique (each names an artifact).`);
        seen.add(name);
        const fields = { ...batch.defaults };
        // A job's own prompt replaces the step's prompt and prompt-file alike.
        if (job.prompt !== undefined || job['prompt-file'] !== undefined) {
            fields.prompt = '';
            fields['prompt-file'] = '';
        }
        // Likewise a job's own first frame or reference images replace the step's choice of either, and the step's
        // voices with them: voices go with the reference images they were chosen for.
        const ownImages = job.image !== undefined ? 'image' : job['reference-images'] !== undefined ? 'reference-images' : undefined;
        const voicesLeftBy = ownImages && batch.defaults['reference-voices'] && job['reference-voices'] === undefined ? ownImages : undefined;
        if (ownImages) {
            fields.image = '';
            fields['reference-images'] = '';
            fields['reference-voices'] = '';
        }
        for (const key of _video_request_js__WEBPACK_IMPORTED_MODULE_4__/* .VIDEO_FIELDS */ .kX)
            if (job[key] !== undefined)
                fields[key] = fieldText(name, key, job[key]);
        if (job.aspect_ratio !== undefined)
            fields['aspect-ratio'] = fieldText(name, 'aspect_ratio', job.aspect_ratio);
        // A step default this job's operation refuses is not the job's doing: dropped, and said so. Its own is refused.
        const operation = fields.operation;
        const dropped = _grok_request_js__WEBPACK_IMPORTED_MODULE_2__/* .OPERATIONS */ .xb.includes(operation)
            ? _grok_request_js__WEBPACK_IMPORTED_MODULE_2__/* .FORBIDDEN_INPUTS */ .aj[operation].filter((input) => batch.defaults[input] && job[input] === undefined)
            : [];
        for (const input of dropped)
            fields[input] = '';
        const artifactName = `${config.artifactName ?? 'grok-video'}-${name}`;
        let video;
        try {
            // Paths this job names itself stay inside the workspace; the step's own may be anywhere outside '.git/'.
            const confined = new Set(_video_request_js__WEBPACK_IMPORTED_MODULE_4__/* .PATH_FIELDS */ .eZ.filter((key) => job[key] !== undefined));
            video = await (0,_video_request_js__WEBPACK_IMPORTED_MODULE_4__/* .videoRequestFrom */ .l2)(fields, {
                workspace: config.workspace,
                apiFamily: config.apiFamily,
                promptOptional: false,
                images,
                confined,
                files: source,
            });
            (0,_public_url_js__WEBPACK_IMPORTED_MODULE_3__/* .checkPublicUrlTarget */ .Kr)(config.publicUrl, { apiFamily: config.apiFamily, operation: video.operation });
        }
        catch (error) {
            if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('prompts-file', `job '${name}': '${error.input}' ${error.detail}`);
            throw error;
        }
        jobs.push({
            name,
            ...(dropped.length ? { dropped } : {}),
            ...(voicesLeftBy ? { voicesLeftBy } : {}),
            config: {
                ...config,
                operation: video.operation,
                // Each job's stored copy is named after the job.
                request: video.request && config.publicUrl
                    ? (0,_public_url_js__WEBPACK_IMPORTED_MODULE_3__/* .withStorageOptions */ .UH)(video.request, config.publicUrl, artifactName)
                    : video.request,
                image: video.image,
                referenceImages: video.referenceImages,
                video: video.video,
                artifactName,
                resumeRequestId: undefined,
                maxCostUsd: undefined, // the batch checks its total, and each create against the step's shared ledger
                batch: undefined,
            },
        });
    }
    return jobs;
}


/***/ })

};
