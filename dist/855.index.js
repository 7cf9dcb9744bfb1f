export const id = 855;
export const ids = [855];
export const modules = {

/***/ 28855:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   batchSummaryOf: () => (/* binding */ batchSummaryOf),
/* harmony export */   previewGrid: () => (/* binding */ previewGrid),
/* harmony export */   previewImage: () => (/* binding */ previewImage),
/* harmony export */   summaryOf: () => (/* binding */ summaryOf)
/* harmony export */ });
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(16264);
/* harmony import */ var _links_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73346);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83758);
/* harmony import */ var _pricing_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(94309);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70665);





/** The job summary, as Markdown. User and provider text is shown as code, so none of it is read as Markdown. */
function summaryOf(result, context = {}) {
    const ok = result.status === 'done' || result.status === 'dry-run' || (result.status === 'pending' && !result.error);
    const heading = `## ${ok ? '🎬' : '⚠️'} Grok video: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)((0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .statusText */ .qS)(result))}`;
    const rows = [];
    const add = (name, value) => {
        if (value)
            rows.push([name, value]);
    };
    const request = result.request;
    add('Operation', result.operation && result.operation !== 'generate' ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)(result.operation) : undefined);
    add('Input video', result.inputVideo && (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.inputVideo.label));
    add('Prompt', request && (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(request.prompt));
    add('Model', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.model ?? request?.model ?? ''));
    add('Parameters', request && (0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .parametersMarkdown */ .ug)(request));
    add('Provider', `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)(result.provider)} (${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.baseUrl)})`);
    add('Request id', result.requestId && (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.requestId));
    add('Status', result.status &&
        (result.providerStatus
            ? `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)(result.status)} (provider: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.providerStatus)})`
            : (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)(result.status)));
    add('Video length', result.durationSeconds !== undefined ? `${result.durationSeconds} s` : undefined);
    add('Cost', describeCost(result));
    add('Cache', result.cacheKey &&
        `${result.cacheHit ? 'hit: ' : ''}${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.cacheKey)}${result.cacheHit ? ' (no API call)' : ''}`);
    add('File', result.video && `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.video.path)} (${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .formatBytes */ .z3)(result.video.bytes)})`);
    add('Delivered to', request?.output && result.status === 'done' ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)("'upload-url' (not shown)") : undefined);
    add('SHA-256', result.video && (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.video.sha256));
    add('Artifact', result.artifact && artifactLink(result.artifact));
    add('Public URL', result.publicUrl && publicUrlLink(result.publicUrl));
    add('Release asset', result.release && releaseLink(result.release));
    add('Timings', describeTimings(result.timings));
    const lines = [heading, ''];
    const shown = result.preview?.url;
    const image = shown && previewImage(shown, result.artifact?.url, 'Preview of the video');
    if (image)
        lines.push(image, '');
    lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');
    const hint = previewHint([result.preview], context);
    if (hint)
        lines.push(hint, '');
    if (result.error)
        lines.push(`> **Error:** ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.error.message)}`, '');
    return lines.join('\n');
}
/** The provider's public copy, linked only when https (as `link` does), with its expiry when it has one. */
function publicUrlLink(publicUrl) {
    const expiry = publicUrl.expiryUnknown
        ? ' (expiry unknown)'
        : publicUrl.expiresAt
            ? ` (until ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)(publicUrl.expiresAt)})`
            : ' (permanent)';
    return `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .link */ .nf)(publicUrl.url, publicUrl.url, true)}${expiry}`;
}
function artifactLink(artifact) {
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .link */ .nf)(artifact.name, artifact.url ?? '', true);
}
/** The release's tag, linked to the MP4 asset (only an https URL is linked). */
function releaseLink(release) {
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .link */ .nf)(release.tag, release.assetUrl ?? '', true);
}
function describeCost(result) {
    if (!result)
        return undefined;
    const estimate = result.estimatedCostUsd !== undefined ? `estimated $${(0,_pricing_js__WEBPACK_IMPORTED_MODULE_2__/* .formatUsd */ .UK)(result.estimatedCostUsd)}` : undefined;
    if (result.sameAs !== undefined && result.costTicks === 0)
        return `$0 (the video of job ${result.sameAs})`;
    if (result.cacheHit)
        return `$0 (${_report_js__WEBPACK_IMPORTED_MODULE_3__/* .FROM_CACHE */ .Cm}; it cost $${(0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .ticksToUsd */ .kp)(result.cachedCostTicks ?? 0)} when made)`;
    if (result.costTicks !== undefined)
        return `$${(0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .ticksToUsd */ .kp)(result.costTicks)}${estimate ? ` (${estimate})` : ''}`;
    return estimate;
}
function describeTimings(t) {
    const parts = [];
    if (t.createMs !== undefined)
        parts.push(`create ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .formatDuration */ .a3)(t.createMs)}`);
    if (t.waitMs !== undefined)
        parts.push(`generation ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .formatDuration */ .a3)(t.waitMs)}`);
    if (t.downloadMs !== undefined)
        parts.push(`download ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .formatDuration */ .a3)(t.downloadMs)}`);
    if (t.uploadMs !== undefined)
        parts.push(`upload ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .formatDuration */ .a3)(t.uploadMs)}`);
    if (t.totalMs !== undefined)
        parts.push(`total ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .formatDuration */ .a3)(t.totalMs)}`);
    return parts.length ? parts.join(', ') : undefined;
}
/** The job summary of a batch: the previews as a grid, one row per job, then the errors. */
function batchSummaryOf(rows, context = {}) {
    const done = rows.filter((row) => row.result?.status === 'done').length;
    const pending = rows.filter((row) => row.result?.status === 'pending').length;
    const cost = rows.reduce((sum, row) => sum + (row.result?.costTicks ?? 0), 0);
    const icon = done === rows.length ? '🎬' : done + pending === rows.length ? '⏳' : '⚠️';
    const lines = [
        `## ${icon} Grok video batch: ${done} of ${rows.length} done${pending ? `, ${pending} pending` : ''}, $${(0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .ticksToUsd */ .kp)(cost)} reported`,
        '',
        ...previewGrid(rows.map(({ name, result }) => ({ name, imageUrl: result?.preview?.url, linkUrl: result?.artifact?.url }))),
        '| job | status | request id | cost | file | artifact |',
        '|---|---|---|---|---|---|',
    ];
    for (const { name, result, requestId } of rows) {
        const id = result?.requestId ?? requestId;
        const cells = [
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(name),
            (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)((0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .statusText */ .qS)(result, id)),
            id ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(id) : '',
            describeCost(result) ?? '',
            result?.video
                ? `${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .formatBytes */ .z3)(result.video.bytes)}, sha256 ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(`${result.video.sha256.slice(0, 12)}…`)}`
                : '',
            [
                result?.artifact && artifactLink(result.artifact),
                result?.publicUrl && (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .link */ .nf)('public URL', result.publicUrl.url),
                result?.release && `release ${releaseLink(result.release)}`,
            ]
                .filter(Boolean)
                .join(' · '),
        ];
        lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
    const hint = previewHint(rows.map((row) => row.result?.preview), context);
    if (hint)
        lines.push(hint, '');
    for (const { name, result } of rows)
        if (result?.error)
            lines.push(`> **${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .plain */ .pj)(name)}:** ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(result.error.message)}`, '');
    return lines.join('\n');
}
// ---------------------------------------------------------------------------------------------------------
// Previews, shared by the summary and the pull request comment
/**
 * The published GIF (or poster) inline; a click opens the MP4's artifact, which plays in the browser. Only an
 * https URL is shown or linked (see httpsLink).
 */
function previewImage(imageUrl, artifactUrl, alt) {
    const source = (0,_links_js__WEBPACK_IMPORTED_MODULE_0__/* .httpsLink */ .an)(imageUrl);
    if (!source)
        return '';
    const image = `![${alt.replace(/[[\]\\]/g, '')}](${source})`;
    const target = artifactUrl && (0,_links_js__WEBPACK_IMPORTED_MODULE_0__/* .httpsLink */ .an)(artifactUrl);
    return target ? `[${image}](${target})` : image;
}
/** A batch's published previews, three to a row, each linking to its artifact and named below. */
function previewGrid(tiles) {
    const cells = tiles.flatMap(({ name, imageUrl, linkUrl }) => {
        const source = imageUrl && (0,_links_js__WEBPACK_IMPORTED_MODULE_0__/* .httpsLink */ .an)(imageUrl);
        if (!source)
            return [];
        const image = `<img src="${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(source)}" width="240" alt="${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(name)}">`;
        const target = linkUrl && (0,_links_js__WEBPACK_IMPORTED_MODULE_0__/* .httpsLink */ .an)(linkUrl);
        const linked = target ? `<a href="${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(target)}">${image}</a>` : image;
        return [`<td align="center">${linked}<br><code>${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .escapeHtml */ .ZD)(name)}</code></td>`];
    });
    if (cells.length === 0)
        return [];
    const lines = ['<table>'];
    for (let i = 0; i < cells.length; i += 3)
        lines.push(`<tr>${cells.slice(i, i + 3).join('')}</tr>`);
    lines.push('</table>', '');
    return lines;
}
/**
 * One line on how to see previews here, when none is shown: no ffmpeg (or another reason nothing was made), or no
 * `preview-branch`. Nothing when a branch is set but publishing failed: the warning says why, in one place.
 */
function previewHint(outcomes, context) {
    const known = outcomes.filter((outcome) => outcome !== undefined);
    if (known.length === 0 || known.some((outcome) => outcome.url))
        return undefined;
    const made = known.some((outcome) => outcome.files);
    if (!made) {
        const reason = known.find((outcome) => outcome.skipped)?.skipped;
        // The reason may quote ffmpeg, which quotes the video's own metadata: code, like all outside text.
        return reason ? `<sub>No preview: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .literal */ .eu)(reason)}</sub>` : undefined;
    }
    if (context.previewBranch)
        return undefined;
    return (`<sub>The poster and the GIF are on the runner${context.archive ? ' and in the zip' : ''} ` +
        '(`poster-path`, `preview-path`). To show them here and in the pull request, set `preview-branch` to a branch ' +
        'of their own and give the job `contents: write`.</sub>');
}


/***/ })

};
