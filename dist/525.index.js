export const id = 525;
export const ids = [525];
export const modules = {

/***/ 5525:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commentMarker: () => (/* binding */ commentMarker),
/* harmony export */   commentRowOf: () => (/* binding */ commentRowOf),
/* harmony export */   legacyCommentMarker: () => (/* binding */ legacyCommentMarker),
/* harmony export */   pullRequestFromEvent: () => (/* binding */ pullRequestFromEvent),
/* harmony export */   renderComment: () => (/* binding */ renderComment),
/* harmony export */   upsertPullRequestComment: () => (/* binding */ upsertPullRequestComment),
/* harmony export */   workflowOf: () => (/* binding */ workflowOf)
/* harmony export */ });
/* unused harmony exports COMMENT_LIMIT, JOB_TOKEN_LOGIN */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83916);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(83758);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70665);
/* harmony import */ var _github_failure_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(96703);
/**
 * The pull-request preview: one comment per step (per job and artifact name) holding the prompt, the parameters,
 * the status and a link that plays the MP4, created on the first run and edited in place on every later one.
 * Free of @actions/core: the caller passes a `log` callback and decides what to do with errors.
 */





const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
/** The pull request this run belongs to, from the runner's event payload; undefined outside a PR event. */
function pullRequestFromEvent(env) {
    if (!PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '') || !env.GITHUB_EVENT_PATH)
        return undefined;
    let payload;
    try {
        payload = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
    }
    catch {
        return undefined;
    }
    const number = field(payload, 'pull_request', 'number');
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0)
        return undefined;
    const owner = field(payload, 'repository', 'owner', 'login');
    const repo = field(payload, 'repository', 'name');
    if (typeof owner === 'string' && owner && typeof repo === 'string' && repo)
        return { owner, repo, number };
    const [fallbackOwner, fallbackRepo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (fallbackOwner && fallbackRepo)
        return { owner: fallbackOwner, repo: fallbackRepo, number };
    return undefined;
}
function field(value, ...keys) {
    let current = value;
    for (const key of keys) {
        if (typeof current !== 'object' || current === null)
            return undefined;
        current = current[key];
    }
    return current;
}
// ---------------------------------------------------------------------------------------------------------
// Marker
/**
 * Percent-encodes what could end the HTML comment early (`--`, `>`) or blur the key=value layout (`<`, spaces,
 * line breaks). `%` itself is encoded first, so two different names never give the same marker.
 */
function escapeMarkerValue(value) {
    return value
        .replace(/%/g, '%25')
        .replace(/[<>\s]/g, _markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .percentEncode */ .a)
        .replace(/--/g, '-%2D');
}
/**
 * The hidden first line that identifies this step's comment: the workflow (two workflows may both have a job
 * `preview`), the job id, and the artifact name only when the user set one (two commenting steps of one job). A
 * default name (per request id) is left out on purpose: with it, every run would look new and add a comment.
 */
function commentMarker(workflow, jobId, artifactName) {
    return `<!-- grok-video-action workflow=${escapeMarkerValue(workflow)} job=${escapeMarkerValue(jobId)} artifact=${escapeMarkerValue(artifactName ?? '')} -->`;
}
/** The marker of earlier versions, without the workflow: such a comment is adopted (rewritten) once. */
function legacyCommentMarker(jobId, artifactName) {
    return `<!-- grok-video-action job=${escapeMarkerValue(jobId)} artifact=${escapeMarkerValue(artifactName ?? '')} -->`;
}
/**
 * The workflow this run belongs to, stable across runs: its file (from GITHUB_WORKFLOW_REF,
 * `owner/repo/.github/workflows/x.yml@ref`, without the ref that changes per branch), else its name.
 */
function workflowOf(env) {
    const ref = env.GITHUB_WORKFLOW_REF ?? '';
    const file = /^[^/]+\/[^/]+\/(.+?)@/.exec(ref)?.[1];
    return file ?? env.GITHUB_WORKFLOW ?? '';
}
const PROMPT_LIMIT = 200;
const ERROR_LIMIT = 300;
/** What prompts and errors are cut to when the whole comment would not fit in `COMMENT_LIMIT`. */
const SHORT_PROMPT_LIMIT = 60;
const SHORT_ERROR_LIMIT = 120;
/** GitHub refuses (422) a comment body longer than this many characters. */
const COMMENT_LIMIT = 65_536;
function videoLink(url, label) {
    return url ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .link */ .nf)(label, url) : '—';
}
/** Done, whether generated now or restored ("done (from the cache)"). */
const isDone = (row) => row.status === 'done' || row.status.startsWith('done (');
function statusCell(row) {
    const icon = isDone(row) ? '✅' : row.status === 'pending' ? '⏳' : '⚠️';
    return `${icon} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .plain */ .pj)(row.status)}`;
}
const cost = (row) => (row.costUsd ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .plain */ .pj)(`$${row.costUsd}`) : '—');
/**
 * The comment's Markdown: the marker, a heading, a table (one row per video for a batch) and the run's link, kept
 * within `COMMENT_LIMIT` whatever the rows hold. The size is measured on the finished body, so the budget holds
 * whatever a row grows to show: the first rendering that fits wins, each giving up more than the one before
 * (shorter prompts and errors, then fewer previews, then fewer rows, the failed ones kept first), and a note
 * says how many were left out. `length` counts UTF-16 units, never fewer than the characters GitHub counts.
 */
function renderComment(marker, rows, runUrl) {
    const all = rows.map((_, index) => index);
    const tileCount = rows.filter((row) => row.previewUrl).length;
    const render = (fit) => renderBody(marker, rows, runUrl, fit);
    const fits = (fit) => render(fit).length <= COMMENT_LIMIT;
    const whole = { promptLimit: PROMPT_LIMIT, errorLimit: ERROR_LIMIT, shown: all, tiles: tileCount };
    if (fits(whole))
        return render(whole);
    const short = { promptLimit: SHORT_PROMPT_LIMIT, errorLimit: SHORT_ERROR_LIMIT, shown: all, tiles: tileCount };
    if (fits(short))
        return render(short);
    const tiles = largest(tileCount - 1, (tiles) => fits({ ...short, tiles }));
    if (tiles !== undefined)
        return render({ ...short, tiles });
    // A job that did not end done matters most to the reader: such rows are the last to go.
    const byPriority = [...all.filter((i) => !isDone(rows[i])), ...all.filter((i) => isDone(rows[i]))];
    const firstRows = (count) => ({
        ...short,
        tiles: 0,
        shown: byPriority.slice(0, count).sort((a, b) => a - b),
    });
    return render(firstRows(largest(rows.length - 1, (count) => fits(firstRows(count))) ?? 0));
}
/** The largest count in 0..max for which `fits` holds (it holds for every smaller one too), else undefined. */
function largest(max, fits) {
    let [low, high] = [0, max];
    if (max < 0 || !fits(0))
        return undefined;
    while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (fits(middle))
            low = middle;
        else
            high = middle - 1;
    }
    return low;
}
function renderBody(marker, allRows, runUrl, fit) {
    const lines = [marker];
    const rows = fit.shown.map((index) => allRows[index]);
    const rowsLeftOut = allRows.length - rows.length;
    if (allRows.length === 1) {
        const row = allRows[0];
        lines.push(`### 🎬 Grok video preview: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .plain */ .pj)(row.status)}`, '');
        const image = row.previewUrl && fit.tiles > 0 && (0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .previewImage */ .oz)(row.previewUrl, row.videoUrl, 'Preview of the video');
        if (image)
            lines.push(image, '');
        const table = [
            ['Prompt', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .shorten */ .ml)(row.prompt, fit.promptLimit))],
            ['Parameters', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)(row.parameters)],
            ['Status', statusCell(row)],
            ['Cost', cost(row)],
            ['Request id', row.requestId ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)(row.requestId) : '—'],
            ['Video', videoLink(row.videoUrl, '▶️ Play the MP4')],
        ];
        if (row.error)
            table.push(['Error', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .shorten */ .ml)(row.error, fit.errorLimit))]);
        if (rows.length > 0)
            lines.push('| | |', '|---|---|', ...table.map(([k, v]) => `| ${k} | ${v} |`));
    }
    else {
        const done = allRows.filter(isDone).length;
        lines.push(`### 🎬 Grok video preview: ${done} of ${allRows.length} done`, '');
        const tiles = fit.shown
            .map((index) => ({
            name: allRows[index].name ?? String(index + 1),
            imageUrl: allRows[index].previewUrl,
            linkUrl: allRows[index].videoUrl,
        }))
            .filter((tile) => tile.imageUrl);
        lines.push(...(0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .previewGrid */ .jm)(tiles.slice(0, fit.tiles)));
        const withErrors = rows.some((row) => row.error);
        const header = [
            'Name',
            'Prompt',
            'Parameters',
            'Status',
            'Cost',
            'Request id',
            'Video',
            ...(withErrors ? ['Error'] : []),
        ];
        if (rows.length > 0)
            lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`);
        rows.forEach((row, position) => {
            const index = fit.shown[position];
            const cells = [
                row.name ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)(row.name) : String(index + 1),
                (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .shorten */ .ml)(row.prompt, fit.promptLimit)),
                (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)(row.parameters),
                statusCell(row),
                cost(row),
                row.requestId ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)(row.requestId) : '—',
                videoLink(row.videoUrl, '▶️ Play'),
                ...(withErrors ? [row.error ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .literal */ .eu)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .shorten */ .ml)(row.error, fit.errorLimit)) : ''] : []),
            ];
            lines.push(`| ${cells.join(' | ')} |`);
        });
    }
    lines.push('');
    const tilesLeftOut = allRows.filter((row) => row.previewUrl).length - fit.tiles;
    const leftOut = [
        ...(rowsLeftOut > 0 ? [`${rowsLeftOut} of ${allRows.length} videos are not listed`] : []),
        ...(tilesLeftOut > 0 ? [`${tilesLeftOut} previews are not shown`] : []),
    ];
    if (leftOut.length > 0)
        lines.push(`<sub>${leftOut.join(', and ')} here, to keep this comment within GitHub's size limit; the workflow run's ` +
            'summary has them all.</sub>', '');
    if (rows.some((row) => row.videoUrl))
        lines.push('<sub>The link opens the uploaded artifact, which plays in the browser.</sub>', '');
    if (runUrl)
        lines.push(videoLink(runUrl, 'Workflow run'), '');
    return lines.join('\n');
}
/** Who writes with the job's own GITHUB_TOKEN: assumed only when neither GET /user nor GraphQL names the token. */
const JOB_TOKEN_LOGIN = 'github-actions[bot]';
/** Edits this step's comment on the PR when there is one (found by its marker), or adds it. */
async function upsertPullRequestComment(options) {
    const { token, pr, marker, body } = options;
    const log = options.log ?? (() => { });
    const baseUrl = options.apiUrl.replace(/\/+$/, '');
    const where = `${pr.owner}/${pr.repo}#${pr.number}`;
    if (!token)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .PullRequestCommentError */ .IU(`Could not comment on pull request ${where}: 'github-token' is empty.`, undefined);
    // Loaded on demand: runs that do not comment never load Octokit.
    const { getOctokit } = await __webpack_require__.e(/* import() */ 351).then(__webpack_require__.bind(__webpack_require__, 61351));
    const octokit = getOctokit(token, { baseUrl });
    const fail = (what, error) => {
        throw describeFailure(what, where, error, token);
    };
    // Only a comment written by this token's identity is ours to edit: anyone can paste the marker, a person or
    // another app alike, so neither the marker nor an author of type Bot is enough.
    const identity = await commenterLogin(octokit, (error) => fail("find out whose token 'github-token' is", error), log);
    let existing;
    let legacy;
    try {
        const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
            owner: pr.owner,
            repo: pr.repo,
            issue_number: pr.number,
            per_page: 100,
        });
        for await (const page of pages) {
            for (const comment of page.data) {
                if (comment.user?.login !== identity)
                    continue;
                // The marker opens the body we write; a comment that merely mentions it elsewhere is someone else's.
                const body = (comment.body ?? '').trimStart();
                if (body.startsWith(marker))
                    existing = comment;
                else if (options.legacyMarker && !legacy && body.startsWith(options.legacyMarker))
                    legacy = comment;
                if (existing)
                    break;
            }
            if (existing)
                break;
        }
    }
    catch (error) {
        fail('list the comments', error);
    }
    if (!existing && legacy) {
        log(`Taking over comment ${legacy.id}, written by an earlier version of this step.`);
        existing = legacy;
    }
    if (existing) {
        try {
            const { data } = await octokit.rest.issues.updateComment({
                owner: pr.owner,
                repo: pr.repo,
                comment_id: existing.id,
                body,
            });
            log(`Updated the preview comment on ${where}: ${data.html_url}`);
            return { id: data.id, url: data.html_url, action: 'updated' };
        }
        catch (error) {
            return fail(`update comment ${existing.id}`, error);
        }
    }
    try {
        const { data } = await octokit.rest.issues.createComment({
            owner: pr.owner,
            repo: pr.repo,
            issue_number: pr.number,
            body,
        });
        log(`Added the preview comment on ${where}: ${data.html_url}`);
        return { id: data.id, url: data.html_url, action: 'created' };
    }
    catch (error) {
        return fail('add a comment', error);
    }
}
/**
 * The login the token writes as, learnt before any write: GET /user for a person's token. An installation token
 * (the job's GITHUB_TOKEN, or a GitHub App's) may not call it, but GraphQL's viewer names its bot
 * (`<app>[bot]`), the login its comments carry. Only when both are refused is it taken for the job's token.
 */
async function commenterLogin(octokit, fail, log) {
    try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
    }
    catch (error) {
        const status = (0,_github_failure_js__WEBPACK_IMPORTED_MODULE_4__/* .httpStatus */ .n)(error);
        if (status !== 403 && status !== 404)
            return fail(error);
    }
    try {
        const { viewer } = await octokit.graphql('query { viewer { login } }');
        if (typeof viewer?.login === 'string' && viewer.login)
            return viewer.login;
    }
    catch (error) {
        // An answer that refuses (an HTTP status, or GraphQL errors) falls back; no answer at all is a failure.
        if ((0,_github_failure_js__WEBPACK_IMPORTED_MODULE_4__/* .httpStatus */ .n)(error) === undefined && !Array.isArray(error.errors))
            return fail(error);
    }
    // Said, since a GitHub App's token taken for the job's bot finds none of its own comments and adds one each run.
    log(`Neither GET /user nor GraphQL's viewer names the login of 'github-token': taking it for ${JOB_TOKEN_LOGIN}, ` +
        'whose comments alone are edited.');
    return JOB_TOKEN_LOGIN;
}
function describeFailure(what, where, error, token) {
    const { message, status } = (0,_github_failure_js__WEBPACK_IMPORTED_MODULE_4__/* .describeGitHubFailure */ .P)(`Could not ${what} on pull request ${where}`, error, token, {
        forbidden: "The 'github-token' needs the 'pull-requests: write' permission (add `permissions: pull-requests: write` to " +
            'the job). On pull_request events from a fork, GitHub gives a read-only token, so no comment can be written ' +
            "there; leave 'comment-on-pr' off for forks.",
    });
    return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .PullRequestCommentError */ .IU(message, status);
}
/** A comment row for one finished (or failed) video. */
function commentRowOf(result, name) {
    return {
        ...(name ? { name } : {}),
        prompt: result.request?.prompt ?? '',
        parameters: result.request ? (0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .describeParameters */ .Il)(result.request) : '',
        status: (0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .statusText */ .qS)(result),
        ...(result.costTicks !== undefined ? { costUsd: (0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .ticksToUsd */ .kp)(result.costTicks) } : {}),
        ...(result.requestId ? { requestId: result.requestId } : {}),
        ...(result.artifact ? { videoUrl: result.artifact.url } : {}),
        ...(result.preview?.url ? { previewUrl: result.preview.url } : {}),
        ...(result.error ? { error: result.error.message } : {}),
    };
}


/***/ })

};
