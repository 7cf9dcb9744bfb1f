export const id = 74;
export const ids = [74,855];
export const modules = {

/***/ 52074:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commentRowOf: () => (/* binding */ commentRowOf),
/* harmony export */   renderComment: () => (/* binding */ renderComment)
/* harmony export */ });
/* unused harmony export COMMENT_LIMIT */
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(83758);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70665);
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(28855);
/**
 * The pull-request preview comment's Markdown: one row per video (prompt, parameters, status, cost, the link that
 * plays the MP4), rendered so the body always fits GitHub's size limit. Pure: no API, no runner.
 */



const PROMPT_LIMIT = 200;
const ERROR_LIMIT = 300;
/** What prompts and errors are cut to when the whole comment would not fit in `COMMENT_LIMIT`. */
const SHORT_PROMPT_LIMIT = 60;
const SHORT_ERROR_LIMIT = 120;
/** GitHub refuses (422) a comment body longer than this many characters. */
const COMMENT_LIMIT = 65_536;
function videoLink(url, label) {
    return url ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .link */ .nf)(label, url) : '—';
}
/** Done, whether generated now or restored ("done (from the cache)"). */
const isDone = (row) => row.status === 'done' || row.status.startsWith('done (');
function statusCell(row) {
    const icon = isDone(row) ? '✅' : row.status === 'pending' ? '⏳' : '⚠️';
    return `${icon} ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plain */ .pj)(row.status)}`;
}
const cost = (row) => (row.costUsd ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plain */ .pj)(`$${row.costUsd}`) : '—');
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
        lines.push(`### 🎬 Grok video preview: ${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .plain */ .pj)(row.status)}`, '');
        const image = row.previewUrl && fit.tiles > 0 && (0,_summary_js__WEBPACK_IMPORTED_MODULE_2__.previewImage)(row.previewUrl, row.videoUrl, 'Preview of the video');
        if (image)
            lines.push(image, '');
        const table = [
            ['Prompt', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .shorten */ .ml)(row.prompt, fit.promptLimit))],
            ['Parameters', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)(row.parameters)],
            ['Status', statusCell(row)],
            ['Cost', cost(row)],
            ['Request id', row.requestId ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)(row.requestId) : '—'],
            ['Video', videoLink(row.videoUrl, '▶️ Play the MP4')],
        ];
        if (row.error)
            table.push(['Error', (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .shorten */ .ml)(row.error, fit.errorLimit))]);
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
        lines.push(...(0,_summary_js__WEBPACK_IMPORTED_MODULE_2__.previewGrid)(tiles.slice(0, fit.tiles)));
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
                row.name ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)(row.name) : String(index + 1),
                (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .shorten */ .ml)(row.prompt, fit.promptLimit)),
                (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)(row.parameters),
                statusCell(row),
                cost(row),
                row.requestId ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)(row.requestId) : '—',
                videoLink(row.videoUrl, '▶️ Play'),
                ...(withErrors ? [row.error ? (0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .literal */ .eu)((0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .shorten */ .ml)(row.error, fit.errorLimit)) : ''] : []),
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
/** A comment row for one finished (or failed) video. */
function commentRowOf(result, name) {
    return {
        ...(name ? { name } : {}),
        prompt: result.request?.prompt ?? '',
        parameters: result.request ? (0,_report_js__WEBPACK_IMPORTED_MODULE_1__/* .describeParameters */ .Il)(result.request) : '',
        status: (0,_report_js__WEBPACK_IMPORTED_MODULE_1__/* .statusText */ .qS)(result),
        ...(result.costTicks !== undefined ? { costUsd: (0,_report_js__WEBPACK_IMPORTED_MODULE_1__/* .ticksToUsd */ .kp)(result.costTicks) } : {}),
        ...(result.requestId ? { requestId: result.requestId } : {}),
        ...(result.artifact ? { videoUrl: result.artifact.url } : {}),
        ...(result.preview?.url ? { previewUrl: result.preview.url } : {}),
        ...(result.error ? { error: result.error.message } : {}),
    };
}


/***/ }),

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
function artifactLink(artifact) {
    return (0,_markdown_js__WEBPACK_IMPORTED_MODULE_1__/* .link */ .nf)(artifact.name, artifact.url ?? '', true);
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
            result?.artifact ? artifactLink(result.artifact) : '',
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
