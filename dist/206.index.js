export const id = 206;
export const ids = [206];
export const modules = {

/***/ 13206:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Previewer: () => (/* binding */ Previewer)
});

// UNUSED EXPORTS: GIF_MAX_BYTES, makePreviewFiles

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/ffmpeg.ts
/**
 * Which ffmpeg the preview runs: one on PATH (a child process), or (with `preview: true`) the pinned FFmpeg compiled
 * to WebAssembly, run in-process. That one is the `@ffmpeg/core` package, fetched with the runner's own `npm pack`
 * (so a registry mirror set in the runner's npm configuration is used and no host is named here) in a directory of
 * its own, checked against the SHA-512 pinned below, kept in the runner's tool cache, and checked again before each
 * use. Every child process gets an allowlisted environment (`childEnv`), never the runner's whole one.
 */







/** FFmpeg 5.1, single-threaded, the same on every runner OS. */
const FFMPEG_WASM = {
    name: '@ffmpeg/core',
    version: '0.12.10',
    integrity: 'sha512-dzNplnn2Nxle2c2i2rrDhqcB19q9cglCkWnoMTDN9Q9l3PvdjZWd1HfSPjCNWc/p8Q3CT+Es9fWOR0UhAeYQZA==',
    dir: 'package/dist/esm',
    files: {
        js: {
            name: 'ffmpeg-core.js',
            integrity: 'sha512-6z3Z6yHM0CtZxhAaOOHEswp9auYCHAdikGWyto70hdPk8GR2XRhnpk2QxWGwB49G28fLu6m8VWKuZLJxg3MWOA==',
        },
        wasm: {
            name: 'ffmpeg-core.wasm',
            integrity: 'sha512-rLwA2Mfr7NqKv4vORCQx7xbuqEcjHJhmcpPIjrSiVtAVqiejFiIlNc8PQ+kKkVSDsNuLsTst4nPBygn1ae9Ysg==',
        },
    },
};
/** The tool-cache name: distinct from plain `ffmpeg`, which other setup actions fill with binaries not checked here. */
const TOOL_NAME = 'ffmpeg-wasm';
const NPM_PACK_TIMEOUT_MS = 300_000;
/**
 * What a child may see of the environment: the path, locale and temporary directories, what Windows needs to start
 * a process, and for npm also its own settings, proxies, certificates and home (a mirror set for the runner, as
 * setup-node does, still applies). Nothing else: job-level secrets and the action's inputs stay out.
 */
function childEnv(kind, env = process.env) {
    const allowed = kind === 'npm' ? NPM_NAMES : BASE_NAMES;
    const kept = {};
    for (const [name, value] of Object.entries(env)) {
        const upper = name.toUpperCase();
        const wanted = allowed.has(upper) || upper.startsWith('LC_') || (kind === 'npm' && upper.startsWith('NPM_CONFIG_'));
        if (wanted && value !== undefined)
            kept[name] = value;
    }
    return kept;
}
// Names compared in upper case: Windows spells them as it likes.
const BASE_NAMES = new Set([
    ...['PATH', 'PATHEXT', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TEMP', 'TMP'],
    ...['SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE'],
]);
const NPM_NAMES = new Set([
    ...BASE_NAMES,
    ...['HOME', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'HOMEDRIVE', 'HOMEPATH', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'],
    ...['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS'],
    // npm's own credential: setup-node's user config refers to it, and only the runner's npm config names a host now.
    'NODE_AUTH_TOKEN',
]);
/** `auto`: ffmpeg from PATH or nothing; `true`: from PATH, else the WebAssembly one from the tool cache or npm. */
async function locateFfmpeg(mode, options) {
    // PATH, npm's settings and the tool cache's RUNNER_* variables all come from the runner's environment.
    const env = process.env;
    const onPath = await findOnPath('ffmpeg', env);
    if (onPath)
        return { path: onPath, source: 'PATH' };
    if (mode === 'auto') {
        return {
            missing: "no ffmpeg on PATH. Set 'preview: true' to fetch a pinned, checksum-verified ffmpeg, or install ffmpeg " +
                "in an earlier step; 'preview: false' silences this.",
        };
    }
    const pinned = FFMPEG_WASM;
    try {
        return await fromToolCacheOrNpm(pinned, options, env);
    }
    catch (error) {
        const message = error.message;
        return {
            missing: error instanceof errors/* PreviewError */.bU
                ? message
                : `no ffmpeg on PATH, and fetching ${pinned.name}@${pinned.version} failed: ${message}. Install ffmpeg in an earlier step.`,
        };
    }
}
/** The first executable named `name` on PATH (with the Windows extensions there). */
async function findOnPath(name, env) {
    const pathText = env.PATH ?? env.Path ?? '';
    const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
    for (const dir of pathText.split((external_node_path_default()).delimiter)) {
        if (!dir)
            continue;
        for (const extension of extensions) {
            const candidate = external_node_path_default().join(dir, name + extension.toLowerCase());
            try {
                await (0,promises_.access)(candidate, promises_.constants.X_OK);
                return candidate;
            }
            catch {
                // not here; try the next directory
            }
        }
    }
    return undefined;
}
async function fromToolCacheOrNpm(pinned, options, env) {
    // Loaded on demand: only `preview: true` without an ffmpeg on PATH needs it.
    const tc = await Promise.all(/* import() */[__webpack_require__.e(88), __webpack_require__.e(805)]).then(__webpack_require__.bind(__webpack_require__, 59805));
    if (!env.RUNNER_TOOL_CACHE || !env.RUNNER_TEMP) {
        throw new errors/* PreviewError */.bU('no ffmpeg on PATH, and RUNNER_TOOL_CACHE / RUNNER_TEMP are not set, so none can be fetched here. Install ffmpeg in an earlier step.');
    }
    const spec = `${pinned.name}@${pinned.version}`;
    const cached = tc.find(TOOL_NAME, pinned.version, 'wasm');
    if (cached) {
        await readWasmCore(cached);
        options.log(`Using ffmpeg from the tool cache: ${cached} (${spec}, SHA-512 verified).`);
        return { wasmDir: cached, source: 'tool cache' };
    }
    const scratch = await (0,promises_.mkdtemp)(external_node_path_default().join(env.RUNNER_TEMP, 'ffmpeg-fetch-'));
    try {
        options.log(`No ffmpeg on PATH: fetching ${spec} with npm pack (the registry npm is configured with)…`);
        const tarball = await npmPack(spec, scratch, env);
        const integrity = await sha512Integrity(tarball);
        if (integrity !== pinned.integrity) {
            throw new errors/* PreviewError */.bU(`the tarball of ${spec} that npm fetched has SHA-512 ${integrity}, not the pinned ${pinned.integrity}; it was not used. ` +
                'Check the registry npm uses (npm config get registry), or install ffmpeg in an earlier step.');
        }
        const extracted = await tc.extractTar(tarball, external_node_path_default().join(scratch, 'extracted'));
        // Only the two files the core needs are kept.
        const keep = external_node_path_default().join(scratch, 'keep');
        await (0,promises_.mkdir)(keep);
        for (const file of [pinned.files.js, pinned.files.wasm])
            await (0,promises_.copyFile)(external_node_path_default().join(extracted, pinned.dir, file.name), external_node_path_default().join(keep, file.name));
        const dir = await tc.cacheDir(keep, TOOL_NAME, pinned.version, 'wasm');
        await readWasmCore(dir);
        options.log(`Fetched ${spec} (SHA-512 verified) into the tool cache: ${dir}`);
        return { wasmDir: dir, source: 'npm' };
    }
    finally {
        await (0,promises_.rm)(scratch, { recursive: true, force: true });
    }
}
/**
 * The core's files from `dir`, each checked against its pinned SHA-512: a tool cache outlives the run that filled
 * it (self-hosted runners keep it), so its copy is trusted only as far as it still matches.
 */
async function readWasmCore(dir, pinned = FFMPEG_WASM) {
    const core = {};
    for (const key of ['js', 'wasm']) {
        const { name, integrity } = pinned.files[key];
        const file = external_node_path_default().join(dir, name);
        let bytes;
        try {
            bytes = await (0,promises_.readFile)(file);
        }
        catch (error) {
            throw new errors/* PreviewError */.bU(`the tool cache's ${file} cannot be read (${error.message}). Delete ${dir}.`);
        }
        const actual = `sha512-${(0,external_node_crypto_.createHash)('sha512').update(bytes).digest('base64')}`;
        if (actual !== integrity) {
            throw new errors/* PreviewError */.bU(`the tool cache's ${file} has SHA-512 ${actual}, not the pinned ${integrity}; it was not used. Delete ${dir}.`);
        }
        core[key] = bytes;
    }
    return core;
}
/**
 * Runs `npm pack <spec>` into `destination`, in that (empty) directory: a workspace's .npmrc is pull-request
 * content and must configure nothing. Returns the tarball's path.
 */
async function npmPack(spec, destination, env) {
    const args = [
        'pack',
        spec,
        '--pack-destination',
        destination,
        '--json',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
    ];
    const run = await runTool('npm', args, {
        cwd: destination,
        env: { ...childEnv('npm', env), npm_config_update_notifier: 'false' },
        timeoutMs: NPM_PACK_TIMEOUT_MS,
        shell: process.platform === 'win32',
    });
    if (run.code !== 0) {
        const reason = run.error ?? lastLines(run.stderr, 3);
        throw new errors/* PreviewError */.bU(`'npm pack ${spec}' failed${reason ? `: ${reason}` : ` (exit code ${run.code})`}. Check that npm can reach its registry, or install ffmpeg in an earlier step.`);
    }
    let filename;
    try {
        filename = JSON.parse(run.stdout)[0]?.filename;
    }
    catch {
        filename = undefined;
    }
    if (typeof filename !== 'string' || !filename)
        throw new errors/* PreviewError */.bU(`'npm pack ${spec}' did not say which file it wrote; install ffmpeg in an earlier step.`);
    // npm names a scoped package's tarball `scope-name-version.tgz`, written into the destination.
    return external_node_path_default().join(destination, external_node_path_default().basename(filename));
}
/**
 * An ffmpeg ready to make files from `videoPath`, known inside as `input.mp4`; its outputs are plain names, so no
 * name from outside (an artifact name, a path) is ever read by ffmpeg as a pattern or a protocol.
 */
async function openFfmpeg(ffmpeg, videoPath, timeoutMs) {
    if ('wasmDir' in ffmpeg) {
        const core = await readWasmCore(ffmpeg.wasmDir);
        const { openWasmSession } = await __webpack_require__.e(/* import() */ 927).then(__webpack_require__.bind(__webpack_require__, 43927));
        return openWasmSession(core, await (0,promises_.readFile)(videoPath), timeoutMs);
    }
    const scratch = await (0,promises_.mkdtemp)(external_node_path_default().join(external_node_os_default().tmpdir(), 'ffmpeg-preview-'));
    try {
        await (0,promises_.copyFile)(videoPath, external_node_path_default().join(scratch, 'input.mp4'));
    }
    catch (error) {
        await (0,promises_.rm)(scratch, { recursive: true, force: true });
        throw error;
    }
    return {
        run: (args) => runTool(ffmpeg.path, args, { cwd: scratch, env: childEnv('ffmpeg'), timeoutMs }),
        read: (name) => (0,promises_.readFile)(external_node_path_default().join(scratch, name)),
        close: () => (0,promises_.rm)(scratch, { recursive: true, force: true }),
    };
}
/** `sha512-<base64>`, the form of npm's `dist.integrity`. */
async function sha512Integrity(file) {
    const hash = (0,external_node_crypto_.createHash)('sha512');
    for await (const chunk of (0,external_node_fs_.createReadStream)(file))
        hash.update(chunk);
    return `sha512-${hash.digest('base64')}`;
}
/** Runs a program to its end with exactly the environment given, collecting its output; never throws. */
function runTool(file, args, options) {
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(file, args, {
            cwd: options.cwd,
            env: options.env,
            shell: options.shell,
            stdio: ['ignore', 'pipe', 'pipe'],
            windowsHide: true,
        });
        let stdout = '';
        let stderr = '';
        let error;
        child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
        const timer = setTimeout(() => {
            error = `${external_node_path_default().basename(file)} was stopped after ${options.timeoutMs / 1000} s`;
            child.kill('SIGKILL');
        }, options.timeoutMs);
        child.on('error', (e) => (error = `${external_node_path_default().basename(file)} could not start: ${e.message}`));
        child.on('close', (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr, ...(error ? { error } : {}) });
        });
    });
}
function lastLines(text, count) {
    return text.trim().split('\n').slice(-count).join(' ').trim();
}

;// CONCATENATED MODULE: ./src/preview.ts
/**
 * The preview beside the artifact: a poster PNG (a representative frame, not a black first one) and a short
 * animated GIF of the MP4, made with ffmpeg while the MP4 uploads. A preview that cannot be made is a warning (or,
 * in `auto` mode without ffmpeg, one log line) and never changes the run's status.
 */




/** GitHub shows larger images, but a PR thread with several multi-megabyte GIFs loads slowly. */
const GIF_MAX_BYTES = 3 * 1024 * 1024;
/** Longer clips are sped up to this length, so the GIF shows the whole video. */
const GIF_MAX_SECONDS = 8;
/** Tried in order until the GIF fits in GIF_MAX_BYTES. */
const GIF_STEPS = [
    { width: 480, fps: 10 },
    { width: 400, fps: 10 },
    { width: 320, fps: 8 },
    { width: 240, fps: 8 },
];
const POSTER_MAX_WIDTH = 1280;
const FFMPEG_TIMEOUT_MS = 180_000;
/**
 * One step's previews: finds (or fetches) ffmpeg once, however many videos the step makes, and reports a missing
 * ffmpeg once.
 */
class Previewer {
    mode;
    log;
    located;
    /** `auto` fetches the pinned ffmpeg too, as `true` does: the preview has somewhere to be shown. */
    fetch;
    /**
     * `options.cwd` (the workspace) is not used: its .npmrc is pull-request content and configures nothing.
     * `options.fetch`: in `auto` mode, fetch the pinned ffmpeg when none is on PATH.
     */
    constructor(mode, log, options = {}) {
        this.mode = mode;
        this.log = log;
        this.fetch = mode === 'auto' && options.fetch === true;
    }
    /** Makes the poster and GIF of `videoPath` next to it; never rejects. */
    async make(videoPath, stem, log = this.log) {
        if (this.mode === 'false')
            return {};
        const ffmpeg = await this.ffmpeg(log);
        if ('missing' in ffmpeg)
            return { skipped: ffmpeg.missing };
        try {
            const files = await makePreviewFiles(ffmpeg, videoPath, external_node_path_default().dirname(videoPath), stem);
            const gif = files.gif;
            log.info(gif
                ? `Preview: ${files.gifPath} (${gif.width} px wide, ${gif.fps} fps, ${gif.bytes} bytes) and poster ${files.posterPath}.`
                : `Preview: poster ${files.posterPath}; no GIF fits in ${GIF_MAX_BYTES} bytes even at ${GIF_STEPS.at(-1)?.width} px.`);
            return { files };
        }
        catch (error) {
            const reason = error instanceof errors/* PreviewError */.bU ? error.message : `ffmpeg failed: ${error.message}`;
            log.warning(`No preview of ${external_node_path_default().basename(videoPath)}: ${reason} The video itself is unaffected.`);
            return { skipped: reason };
        }
    }
    /** Looked for once; what is found (or why nothing is) is told through the first caller's log. */
    ffmpeg(log) {
        this.located ??= (async () => {
            const mode = this.mode === 'true' || this.fetch ? 'true' : 'auto';
            const located = await locateFfmpeg(mode, { log: (m) => log.info(m) });
            if ('missing' in located) {
                // Hosted runners ship no ffmpeg, so in `auto` mode this is the common case: a log line, not an annotation.
                if (mode === 'auto')
                    log.info(`No preview: ${located.missing}`);
                else if (this.fetch)
                    log.warning(`No preview ('preview: auto', with 'preview-branch' or 'attachment-token' set): ${located.missing}`);
                else
                    log.warning(`No preview ('preview: true'): ${located.missing}`);
            }
            return located;
        })();
        return this.located;
    }
}
/**
 * The poster and the GIF of one video, written into `dir` as `<stem>.poster.png` and `<stem>.preview.gif`. ffmpeg
 * writes under fixed names of its own; the stem (an artifact name, from outside) is only ever a file name here.
 */
async function makePreviewFiles(ffmpeg, videoPath, dir, stem) {
    const session = await openFfmpeg(ffmpeg, videoPath, FFMPEG_TIMEOUT_MS);
    try {
        const seconds = await videoSeconds(session);
        const speed = seconds > GIF_MAX_SECONDS ? seconds / GIF_MAX_SECONDS : 1;
        const posterPath = external_node_path_default().join(dir, `${stem}.poster.png`);
        for (const [index, step] of GIF_STEPS.entries()) {
            // Decoding the clip costs as much as either encode: the first run makes the poster from the same decode.
            if (index === 0) {
                await runFfmpeg(session, posterAndGifArgs(step.width, step.fps, speed), 'the poster and the GIF');
                await (0,promises_.writeFile)(posterPath, await session.read(POSTER));
            }
            else
                await runFfmpeg(session, gifArgs(step.width, step.fps, speed), 'the GIF');
            const bytes = await session.read(GIF);
            if (bytes.length <= GIF_MAX_BYTES) {
                const gifPath = external_node_path_default().join(dir, `${stem}.preview.gif`);
                await (0,promises_.writeFile)(gifPath, bytes);
                return { posterPath, gifPath, gif: { width: step.width, fps: step.fps, bytes: bytes.length, speed } };
            }
        }
        return { posterPath };
    }
    finally {
        await session.close();
    }
}
const INPUT = 'input.mp4';
const POSTER = 'poster.png';
const GIF = 'preview.gif';
/**
 * The poster: of up to 32 frames sampled at 4 fps from the first 8 s, the one closest to their average colours
 * (ffmpeg's `thumbnail` filter), so a fade-in's black first frame is not chosen.
 */
const POSTER_FILTER = `trim=duration=8,fps=4,thumbnail=32,scale='min(${POSTER_MAX_WIDTH},iw)':-2`;
// `-update 1`: one picture under exactly this name, never a numbered sequence.
const POSTER_OUTPUT = ['-frames:v', '1', '-update', '1', POSTER];
/**
 * The GIF: `speed` times faster, at `fps`, at most `width` px wide, with a palette made from the clip itself. Frames
 * are picked at `fps / speed` from the clip, then stamped `1 / fps` apart (and `-r` keeps the muxer from dropping
 * any to match the picking rate).
 */
function gifFilter(width, fps, speed) {
    return (`fps=${Number((fps / speed).toFixed(4))},settb=AVTB,setpts=N/${fps}/TB,` +
        `scale='min(${width},iw)':-2:flags=lanczos,split[a][b];` +
        '[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle');
}
const gifOutput = (fps) => ['-an', '-r', String(fps), '-loop', '0', '-f', 'gif', GIF];
function gifArgs(width, fps, speed) {
    return [...COMMON, '-i', INPUT, '-filter_complex', `[0:v]${gifFilter(width, fps, speed)}`, ...gifOutput(fps)];
}
/** Both from one decode of the clip, each output as its own command would make it. */
function posterAndGifArgs(width, fps, speed) {
    const graph = `[0:v]split[v1][v2];[v1]${POSTER_FILTER}[poster];[v2]${gifFilter(width, fps, speed)}[gif]`;
    return [
        ...[...COMMON, '-i', INPUT, '-filter_complex', graph],
        ...['-map', '[poster]', ...POSTER_OUTPUT, '-map', '[gif]', ...gifOutput(fps)],
    ];
}
const COMMON = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];
/** The video's length from ffmpeg's description of its input; refuses a file with no video stream. */
async function videoSeconds(session) {
    // Without an output ffmpeg describes the input on stderr and exits with 1; that is expected here.
    const run = await session.run(['-hide_banner', '-nostdin', '-i', INPUT]);
    if (run.error)
        throw new errors/* PreviewError */.bU(`${run.error}. Check the ffmpeg on PATH, or set 'preview: false'.`);
    if (!/Stream #.*: Video:/.test(run.stderr)) {
        throw new errors/* PreviewError */.bU(`ffmpeg cannot read it as a video (${lastLines(run.stderr, 1) || 'no video stream'}). ` +
            "Check the MP4, or set 'preview: false'.");
    }
    const match = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(run.stderr);
    return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : 0;
}
async function runFfmpeg(session, args, what) {
    const run = await session.run(args);
    if (run.code !== 0 || run.error) {
        throw new errors/* PreviewError */.bU(`ffmpeg could not make ${what}: ${run.error ?? (lastLines(run.stderr, 2) || `exit code ${run.code}`)}. ` +
            "Check the MP4 and the ffmpeg on PATH, or set 'preview: false'.");
    }
}


/***/ })

};
