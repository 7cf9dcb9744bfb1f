export const id = 525;
export const ids = [525];
export const modules = {

/***/ 5525:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commentMarker: () => (/* binding */ commentMarker),
/* harmony export */   legacyCommentMarker: () => (/* binding */ legacyCommentMarker),
/* harmony export */   pullRequestFromEvent: () => (/* binding */ pullRequestFromEvent),
/* harmony export */   upsertPullRequestComment: () => (/* binding */ upsertPullRequestComment),
/* harmony export */   workflowOf: () => (/* binding */ workflowOf)
/* harmony export */ });
/* unused harmony export JOB_TOKEN_LOGIN */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83916);
/* harmony import */ var _event_payload_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(78096);
/* harmony import */ var _links_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73346);
/* harmony import */ var _github_api_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(68133);
/* harmony import */ var _github_failure_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(96703);
/**
 * The pull-request preview comment through the GitHub API: which pull request the run belongs to, the hidden marker
 * that identifies this step's comment, and finding, creating or editing that comment (created on the first run,
 * edited in place on every later one). The body is rendered by pr-comment-body.ts.
 * Free of @actions/core: the caller passes a `log` callback and decides what to do with errors.
 */





const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
/** The pull request this run belongs to, from the runner's event payload; undefined outside a PR event. */
function pullRequestFromEvent(env) {
    if (!PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? ''))
        return undefined;
    const payload = (0,_event_payload_js__WEBPACK_IMPORTED_MODULE_1__/* .eventPayload */ .Z)(env);
    const number = (0,_event_payload_js__WEBPACK_IMPORTED_MODULE_1__/* .field */ .q)(payload, 'pull_request', 'number');
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0)
        return undefined;
    const owner = (0,_event_payload_js__WEBPACK_IMPORTED_MODULE_1__/* .field */ .q)(payload, 'repository', 'owner', 'login');
    const repo = (0,_event_payload_js__WEBPACK_IMPORTED_MODULE_1__/* .field */ .q)(payload, 'repository', 'name');
    if (typeof owner === 'string' && owner && typeof repo === 'string' && repo)
        return { owner, repo, number };
    const [fallbackOwner, fallbackRepo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (fallbackOwner && fallbackRepo)
        return { owner: fallbackOwner, repo: fallbackRepo, number };
    return undefined;
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
        .replace(/[<>\s]/g, _links_js__WEBPACK_IMPORTED_MODULE_2__/* .percentEncode */ .a)
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
/** Who writes with the job's own GITHUB_TOKEN: assumed only when neither GET /user nor GraphQL names the token. */
const JOB_TOKEN_LOGIN = 'github-actions[bot]';
/** Edits this step's comment on the PR when there is one (found by its marker), or adds it. */
async function upsertPullRequestComment(options) {
    const { token, pr, marker, body } = options;
    const log = options.log ?? (() => { });
    const baseUrl = options.apiUrl.replace(/\/+$/, '');
    const where = `${pr.owner}/${pr.repo}#${pr.number}`;
    if (!token)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .PullRequestCommentError */ .IU(`Could not comment on pull request ${where}: 'github-token' is empty.`, undefined);
    const octokit = await (0,_github_api_js__WEBPACK_IMPORTED_MODULE_3__/* .githubClient */ .$f)(token, baseUrl);
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
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .PullRequestCommentError */ .IU(message, status);
}


/***/ })

};
