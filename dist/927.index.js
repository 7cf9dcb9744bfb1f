export const id = 927;
export const ids = [927];
export const modules = {

/***/ 43927:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openWasmSession: () => (/* binding */ openWasmSession)
/* harmony export */ });
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(75919);
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_worker_threads__WEBPACK_IMPORTED_MODULE_0__);
/**
 * The pinned FFmpeg compiled to WebAssembly, run inside the action's own process: in a worker thread (so the MP4's
 * upload goes on meanwhile) with an empty environment, no child process, and only its in-memory file system, which
 * holds the one input and what ffmpeg writes. Loaded only when a preview is made.
 */

// The loader expects a browser worker's `self`; given `wasmBinary` it fetches nothing. Runs as CommonJS.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
globalThis.self = { location: { href: 'file:///ffmpeg-core/' } }
;(async () => {
  const url = 'data:text/javascript;base64,' + Buffer.from(workerData.js).toString('base64')
  const { default: createCore } = await import(url)
  let lines = []
  const core = await createCore({ wasmBinary: workerData.wasm })
  core.setLogger(({ message }) => lines.push(message))
  core.FS.writeFile('input.mp4', workerData.input)
  parentPort.on('message', (message) => {
    if (message.read !== undefined) {
      let bytes
      try { bytes = core.FS.readFile(message.read) } catch { return parentPort.postMessage({ missing: true }) }
      return parentPort.postMessage({ bytes }, [bytes.buffer])
    }
    lines = []
    core.setTimeout(message.timeoutMs)
    const code = core.exec(...message.args)
    core.reset()
    parentPort.postMessage({ code, stderr: lines.join('\\n') })
  })
  parentPort.postMessage({ ready: true })
})().catch((error) => parentPort.postMessage({ failed: String((error && error.message) || error) }))
`;
/** Starts the core on `input` (the MP4's bytes); rejects when it cannot start. */
async function openWasmSession(core, input, timeoutMs) {
    const worker = new node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.Worker(WORKER_SOURCE, {
        eval: true,
        env: {},
        workerData: { js: core.js, wasm: core.wasm, input },
        // Kept off the step's log, where a line can be a workflow command.
        stdout: true,
        stderr: true,
    });
    let waiting;
    let ended;
    const settle = (reply) => {
        const resolve = waiting;
        waiting = undefined;
        resolve?.(reply);
    };
    worker.on('message', settle);
    worker.on('error', (error) => {
        ended = `the WebAssembly ffmpeg failed: ${error.message}`;
        settle({ failed: ended });
    });
    worker.on('exit', () => {
        ended ??= 'the WebAssembly ffmpeg stopped';
        settle({ failed: ended });
    });
    const ask = (message, ms) => new Promise((resolve) => {
        if (ended)
            return resolve({ failed: ended });
        // A run that overstays is ended with the worker: its memory goes with it.
        const timer = setTimeout(() => {
            ended = `the WebAssembly ffmpeg was stopped after ${ms / 1000} s`;
            settle({ failed: ended });
            void worker.terminate();
        }, ms);
        waiting = (reply) => {
            clearTimeout(timer);
            resolve(reply);
        };
        if (message)
            worker.postMessage(message);
    });
    const started = await ask(undefined, timeoutMs);
    if (started.failed !== undefined) {
        await worker.terminate();
        throw new Error(started.failed);
    }
    return {
        async run(args) {
            const reply = await ask({ args, timeoutMs }, timeoutMs);
            if (reply.failed !== undefined)
                return { code: null, stdout: '', stderr: '', error: reply.failed };
            return { code: reply.code ?? null, stdout: '', stderr: reply.stderr ?? '' };
        },
        async read(name) {
            const reply = await ask({ read: name }, timeoutMs);
            if (!reply.bytes)
                throw new Error(reply.failed ?? `ffmpeg wrote no ${name}`);
            return Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
        },
        async close() {
            await worker.terminate();
        },
    };
}


/***/ })

};
