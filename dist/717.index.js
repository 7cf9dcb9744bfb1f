export const id = 717;
export const ids = [717];
export const modules = {

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
