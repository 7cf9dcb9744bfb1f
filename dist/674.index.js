export const id = 674;
export const ids = [674];
export const modules = {

/***/ 8674:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commentOnPullRequest: () => (/* binding */ commentOnPullRequest)
/* harmony export */ });
/* harmony import */ var _links_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73346);

/** Creates or updates this step's comment on the pull request. */
async function commentOnPullRequest(config, jobs, log, env = process.env) {
    if (!config.commentOnPr || jobs.length === 0)
        return;
    // Loaded only when a comment is asked for: most runs do not pay for it at start-up.
    const { commentMarker, legacyCommentMarker, pullRequestFromEvent, upsertPullRequestComment, workflowOf } = await __webpack_require__.e(/* import() */ 525).then(__webpack_require__.bind(__webpack_require__, 5525));
    const { commentRowOf, renderComment } = await __webpack_require__.e(/* import() */ 74).then(__webpack_require__.bind(__webpack_require__, 52074));
    const pr = pullRequestFromEvent(env);
    if (!pr) {
        log.notice(`'comment-on-pr' is on, but this run is not for a pull request (event '${env.GITHUB_EVENT_NAME ?? 'unknown'}'): no comment.`);
        return;
    }
    if (!config.githubToken) {
        log.warning("'comment-on-pr' is on, but 'github-token' is empty: no comment.");
        return;
    }
    const rows = jobs.map(({ result, name }) => commentRowOf(result, name));
    const job = env.GITHUB_JOB ?? '';
    const marker = commentMarker(workflowOf(env), job, config.artifactName);
    try {
        const comment = await upsertPullRequestComment({
            token: config.githubToken,
            apiUrl: (0,_links_js__WEBPACK_IMPORTED_MODULE_0__/* .githubApiUrl */ .BN)(env),
            pr,
            marker,
            legacyMarker: legacyCommentMarker(job, config.artifactName),
            body: renderComment(marker, rows, (0,_links_js__WEBPACK_IMPORTED_MODULE_0__/* .workflowRunUrl */ .CX)(env)),
            log: (message) => log.info(message),
        });
        log.info(`${comment.action === 'created' ? 'Created' : 'Updated'} the pull request comment: ${comment.url}`);
    }
    catch (error) {
        log.warning(error.message);
    }
}


/***/ })

};
