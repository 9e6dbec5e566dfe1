/**
 * The one send loop: attempt → classify → wait → try again, for every operation on both platforms.
 * Pure: the HTTP call, the clock, the sleep, the random draw and the stop signals are handed in, so
 * the n8n node, the Zapier app and the virtual-time simulation all run this same code.
 */
import { Breaker } from './breaker';
import { NexorApiError } from './errors';
import { Headers, RETRY_POLICY, classifyFailure, retryDelayMs } from './failures';
import { MAX_PAGES, type NexorRequest, type PreparedCall } from './operation';
import { PACING_POLICY, RateGate, Slot } from './rate-gate';
import { StopSignal, pauseUnlessStopped } from './stop';

/** What came back for one try: an HTTP answer, or why none did. */
export interface HttpExchange {
	status?: number;
	headers?: Headers;
	/** Parsed JSON or raw text. */
	body?: unknown;
	/** Set when no HTTP answer arrived (reset, refused, timeout, DNS). */
	network?: { code?: string; message?: string };
}

export interface SendEnvironment {
	/**
	 * The platform's single HTTP call. Resolves with whatever came back, for every status; must not
	 * follow redirects (the API key must never reach a second host) and should abort when `stop` fires.
	 */
	http(request: NexorRequest): Promise<HttpExchange>;
	now(): number;
	sleep(ms: number): Promise<void>;
	/** A number in [0, 1): backoff jitter. */
	random(): number;
	/**
	 * Shared by every item of the execution, and in the n8n node by every execution in the process
	 * that talks to the same account (see gate-registry.ts).
	 */
	gate: RateGate;
	breaker: Breaker;
	/** Fired when the run stops (a stopping failure, or cancel): waits end at once, nothing more is sent. */
	stop: StopSignal;
	/** The API key, kept out of every message. */
	secret?: string;
	/** Tries in all; RETRY_POLICY.maxAttempts unless the platform retries by itself (Zapier: 1). */
	maxAttempts?: number;
}

/**
 * Each lap either waits until the slot's time or finds the slot voided by a new pause; the bound is
 * never reached in practice and only keeps the loop finite by construction.
 */
const MAX_LAPS = 1_000;

function checkStill(env: SendEnvironment): void {
	env.stop.throwIfStopped();
	env.breaker.check();
}

/** Waits for this item's turn at the shared gate (paused after a 429 or an outage, paced once a 429 was seen). */
async function takeSlot(env: SendEnvironment): Promise<Slot> {
	let slot = env.gate.reserve(env.now());
	for (let lap = 0; lap < MAX_LAPS; lap++) {
		const wait = slot.at - env.now();
		if (wait > 0) {
			await pauseUnlessStopped(env.sleep, wait, [env.stop, env.breaker.tripped]);
			// This run stopped: the gate may be shared with other runs, so its start time goes to them.
			if (env.stop.stopped || env.breaker.tripped.stopped) env.gate.release(slot, env.now());
			checkStill(env);
			continue;
		}
		if (env.gate.claim(slot, env.now())) return slot;
		slot = env.gate.reserve(env.now());
	}
	return slot;
}

/** Nexor certainly did not act on it, so even a create may be sent again. */
function notActedOn(exchange: HttpExchange): boolean {
	return exchange.status === 429 || exchange.network?.code === 'ECONNREFUSED';
}

/**
 * A create (or a move) whose answer was lost may have been applied: it is not sent again, and the
 * person is told to look before running the item again, which could apply it twice.
 */
function maybeApplied(error: NexorApiError, action: string): NexorApiError {
	return new NexorApiError({
		kind: error.kind,
		message: error.message,
		status: error.status,
		nexorMessage: error.nexorMessage,
		retryable: false,
		fix: `Nexor may have received the ${action} before the answer was lost, so it was not sent again: sending it twice could apply it twice. Check in Nexor whether it was applied before running this item again.`,
	});
}

/** No answer, a timeout or a server-side failure: evidence that Nexor can't be reached right now. */
function unreachable(error: NexorApiError): boolean {
	return error.kind === 'network' || (error.kind === 'server' && error.status !== 501);
}

/**
 * Sends one prepared call, retrying as core decides; resolves to the operation's result or throws a
 * NexorApiError. A paged call (nextRequest) sends page after page and joins them.
 */
export async function sendCall<R>(env: SendEnvironment, call: PreparedCall<R>): Promise<R> {
	if (!call.nextRequest) return await sendOne(env, call);
	const pages: R[] = [];
	let request: NexorRequest | undefined = call.request;
	while (request !== undefined) {
		const page: R = await sendOne(env, { ...call, request });
		pages.push(page);
		request = pages.length < MAX_PAGES ? call.nextRequest(page, pages, request) : undefined;
	}
	return pages.flatMap((page) => (Array.isArray(page) ? page : [page])) as unknown as R;
}

async function sendOne<R>(env: SendEnvironment, call: PreparedCall<R>): Promise<R> {
	const maxAttempts = env.maxAttempts ?? RETRY_POLICY.maxAttempts;
	// `attempt` counts the tries maxAttempts bounds; a 429 the gate calls its own lag (the request left
	// before the gate slowed down) is retried without counting, at most maxUnchargedRetries times.
	let uncharged = 0;
	for (let attempt = 1; ; ) {
		checkStill(env);
		const slot = await takeSlot(env);
		checkStill(env);

		const exchange = await env.http(call.request);
		// An answer that arrives after the run stopped is not reported: the node has already reported.
		env.stop.throwIfStopped();
		const now = env.now();
		const status = exchange.status;

		if (status !== undefined && status >= 200 && status < 300) {
			env.gate.delivered(slot, now);
			env.breaker.reached();
			return call.read({ status, headers: exchange.headers, body: exchange.body });
		}

		const error = classifyFailure({
			...exchange,
			now,
			secret: env.secret,
			leadId: call.failureWords.leadId,
			action: call.failureWords.action,
			notFound: call.failureWords.notFound,
			tries: attempt,
		});
		if (status !== undefined && status !== 429) env.gate.delivered(slot, now);

		if (error.kind === 'auth') {
			env.breaker.rejectedKey(error);
			throw error;
		}
		if (unreachable(error)) env.breaker.failedToReach(error);
		else if (status !== undefined) env.breaker.reached();

		if (error.kind === 'rate_limited') {
			// Every item waits (at its next takeSlot), not only this one.
			const pauseMs = retryDelayMs(error, attempt, env.random());
			const { charged } = env.gate.rateLimited(slot, now, pauseMs);
			if (!charged && uncharged < PACING_POLICY.maxUnchargedRetries) {
				uncharged++;
				continue;
			}
			if (attempt >= maxAttempts) throw error;
			attempt++;
			continue;
		}
		if (error.retryable && !call.idempotent && !notActedOn(exchange)) throw maybeApplied(error, call.failureWords.action);
		if (!error.retryable || attempt >= maxAttempts) throw error;
		// A shared backoff: an outage that one item meets holds every item back.
		env.gate.hold(now, retryDelayMs(error, attempt, env.random()));
		attempt++;
	}
}
