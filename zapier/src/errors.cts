/**
 * Translates core's verdicts (NexorInputError, NexorApiError) into Zapier's error classes.
 * Core decides what went wrong and what to say; this file only picks the Zapier class and
 * makes sure the API key can't leak through any message.
 */
import type { HttpResponse, ZObject } from 'zapier-platform-core';
import { Headers, NexorApiError, NexorInputError, redactSecret } from '../../core/index';

/** The key as sent (trimmed), for redaction only; validation happens in the middleware. */
export function secretOf(authData: Record<string, unknown> | undefined): string | undefined {
	const raw = authData?.api_key;
	if (typeof raw !== 'string') return undefined;
	const key = raw.trim();
	return key === '' ? undefined : key;
}

function text(error: { message: string; fix: string }, secret: string | undefined): string {
	const message = error.message.replace(/[.\s]+$/, '');
	return redactSecret(`${message}. ${error.fix}`, secret);
}

export interface FailureContext {
	secret?: string;
	/** The connection test ("Test connection"), where a rejected key is a sign-in problem, not an expired one. */
	authTest?: boolean;
}

/** Bad input or bad configuration, found before anything was sent. */
export function inputError(z: ZObject, error: NexorInputError, secret: string | undefined): Error {
	const message = text(error, secret);
	if (error.code === 'nothing_to_update') {
		// A soft stop: Zapier never turns a Zap off for a HaltedError, and an empty update is no fault.
		return new z.errors.HaltedError(message);
	}
	if (error.field === 'api_key') return new z.errors.Error(message, 'AuthenticationError', 401);
	return new z.errors.Error(message, 'InvalidData', 400);
}

/** A failed exchange with Nexor, already interpreted by core. */
export function apiError(z: ZObject, error: NexorApiError, context: FailureContext): Error {
	const message = text(error, context.secret);
	const status = error.status;
	switch (error.kind) {
		case 'auth':
			// During a Zap run a rejected key means the connection went stale: ExpiredAuthError pauses
			// the Zap's runs and asks the user to reconnect, instead of failing every run.
			return context.authTest
				? new z.errors.Error(message, 'AuthenticationError', status ?? 401)
				: new z.errors.ExpiredAuthError(message);
		case 'not_found':
			return new z.errors.Error(message, 'NotFound', 404);
		case 'validation':
			return new z.errors.Error(message, 'InvalidData', status ?? 400);
		case 'rate_limited': {
			// Zapier schedules the retry itself (apps get no retry loop); no Retry-After → Zapier's default delay.
			const ms = error.retryAfterMs;
			return new z.errors.ThrottledError(message, ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000)));
		}
		case 'server':
			return new z.errors.Error(message, 'NexorUnavailable', status ?? 500);
		case 'network':
			return new z.errors.Error(message, 'NexorUnreachable', 503);
		case 'unexpected_response':
			// Often a 2xx that isn't Nexor's JSON: report it as a bad gateway, not as the 200 it was.
			return new z.errors.Error(message, 'UnexpectedResponse', status !== undefined && status >= 400 ? status : 502);
	}
}

export function toZapierError(z: ZObject, error: unknown, context: FailureContext): Error {
	if (error instanceof NexorInputError) return inputError(z, error, context.secret);
	if (error instanceof NexorApiError) return apiError(z, error, context);
	throw error;
}

/** node-fetch's headers as the plain record core reads. */
export function plainHeaders(response: HttpResponse): Headers {
	const out: Headers = {};
	response.headers.forEach((value, name) => {
		out[name] = value;
	});
	return out;
}
