// @ts-check
'use strict';
/**
 * HTTP plumbing shared by the sandbox and the recorder: where things live, Nexor's documented
 * error bodies, the reply shape routes return, writing an answer, reading a body, and a server
 * on 127.0.0.1 that tracks its sockets and closes itself after a maximum lifetime.
 */

const http = require('node:http');

const BASE_PATH = '/api/public';
const CONTROL_PATH = '/__sandbox';
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/** Nexor's documented error bodies (and the sandbox's 429, which Nexor does not document). */
const BODIES = Object.freeze({
	missingKey: {
		error: 'Missing API key',
		message: 'Please provide your API key in the X-API-Key header',
	},
	invalidKey: { error: 'Invalid API key', message: 'The provided API key is not valid' },
	leadNotFound: {
		error: 'Not found',
		message: 'Lead not found or does not belong to your account',
	},
	tooManyRequests: { error: 'Too many requests', message: 'Rate limit exceeded, retry later' },
});

/**
 * @typedef {{ status: number, body: unknown, headers?: Record<string, string> }} Reply
 *   What a route handler returns: a status and a body sent as JSON.
 */

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @returns {Reply}
 */
function reply(status, body, headers) {
	return headers ? { status, body, headers } : { status, body };
}

/**
 * 400 `{"error":"Validation error","message":…}`.
 * @param {string} message
 * @param {Record<string, unknown>} [extra] more keys after `message`
 * @returns {Reply}
 */
function validationError(message, extra) {
	return reply(400, { error: 'Validation error', message, ...extra });
}

/**
 * Writes one answer (JSON content type unless `headers` says otherwise), unless the response is
 * already gone.
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string | Buffer} payload
 * @param {Record<string, string>} [headers]
 */
function writeResponse(res, status, payload, headers = {}) {
	if (res.destroyed || res.writableEnded) return;
	const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
	/** @type {Record<string, string | number>} */
	const out = { 'content-type': JSON_TYPE, 'content-length': body.length, ...headers };
	if (status === 204 || status === 304) {
		delete out['content-length'];
		res.writeHead(status, out);
		res.end();
	} else {
		res.writeHead(status, out);
		res.end(body);
	}
}

/**
 * Reads the whole body, keeping at most `keepBytes` (later chunks are drained, not kept).
 * @param {http.IncomingMessage} req
 * @param {number} keepBytes
 * @param {(text: string, bytes: number, tooLarge: boolean) => void} done
 */
function readBody(req, keepBytes, done) {
	/** @type {Buffer[]} */
	const chunks = [];
	let bytes = 0;
	req.on('data', (/** @type {Buffer} */ chunk) => {
		bytes += chunk.length;
		if (bytes <= keepBytes) chunks.push(chunk);
	});
	req.on('end', () => done(Buffer.concat(chunks).toString('utf8'), bytes, bytes > keepBytes));
	req.on('error', () => {
		// The client went away mid-body; nothing to answer.
	});
}

/**
 * @typedef {'closed' | 'max-lifetime'} CloseReason
 * @typedef {{
 *   origin: string, port: number, close: () => Promise<void>, closed: Promise<CloseReason>
 * }} Served
 */

/**
 * Listens on 127.0.0.1 only. `close()` (idempotent) stops listening and destroys every open
 * socket; after `maxLifetimeMs` it closes by itself (the timer is unref'd, so it never keeps a
 * process alive on its own).
 * @param {http.RequestListener} onRequest
 * @param {{ name: string, port: number, maxLifetimeMs: number, answerClientErrors: boolean,
 *   beforeClose?: () => void }} o `answerClientErrors`: a malformed request gets a bare 400
 *   (else its socket is destroyed); `beforeClose` runs once, when closing starts
 * @returns {Promise<Served>}
 */
async function serve(onRequest, o) {
	const server = http.createServer(onRequest);
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (_error, socket) => {
		if (o.answerClientErrors && socket.writable) {
			socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		} else socket.destroy();
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(o.port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error(`${o.name}: unexpected server address`);
	}

	/** @type {(reason: CloseReason) => void} */
	let resolveClosed = () => {};
	/** @type {Promise<CloseReason>} */
	const closed = new Promise((resolve) => {
		resolveClosed = resolve;
	});
	/** @type {Promise<void> | null} */
	let closing = null;
	/** @param {CloseReason} reason */
	const shutdown = (reason) => {
		if (closing) return closing;
		clearTimeout(lifetimeTimer);
		if (o.beforeClose) o.beforeClose();
		closing = /** @type {Promise<void>} */ (
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				for (const socket of sockets) socket.destroy();
				server.closeAllConnections();
			})
		).then(() => resolveClosed(reason));
		return closing;
	};
	const lifetimeTimer = setTimeout(() => void shutdown('max-lifetime'), o.maxLifetimeMs);
	// A forgotten server must not keep a test process alive on its own.
	lifetimeTimer.unref();

	return {
		origin: `http://127.0.0.1:${address.port}`,
		port: address.port,
		close: () => shutdown('closed'),
		closed,
	};
}

module.exports = {
	BASE_PATH,
	CONTROL_PATH,
	JSON_TYPE,
	HTML_TYPE,
	BODIES,
	reply,
	validationError,
	writeResponse,
	readBody,
	serve,
};
