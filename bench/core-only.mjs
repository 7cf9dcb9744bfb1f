// The start-up baseline: a bundle that loads only @actions/core, reads one input, and sends one request to the
// URL in INPUT_BASE-URL, as the action's first step would.
import * as core from '@actions/core'
import http from 'node:http'

const url = new URL(`${core.getInput('base-url')}/videos/generations`)
const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) =>
  response.resume(),
)
request.end(JSON.stringify({ prompt: core.getInput('prompt') }))
