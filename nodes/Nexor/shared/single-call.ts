/**
 * One operation call outside a node's item loop (a polling trigger's check): the same engine
 * (core's sendCall: retries, shared waits, the account's rate gate) over the same HTTP call, with
 * the credential checked first. A bad credential is a NodeOperationError naming the fix.
 */
import type { ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';
import {
	Breaker,
	NexorInputError,
	PreparedCall,
	StopSignal,
	breakerThreshold,
	checkApiKey,
	normalizeBaseUrl,
	sendCall,
} from '../../../core';
import { DEFAULT_TIMEOUT_SECONDS } from './descriptions';
import { gateFor } from './gates';
import { sendToNexor } from './transport';

export async function sendSingleCall<R>(context: IPollFunctions | ILoadOptionsFunctions, call: PreparedCall<R>): Promise<R> {
	const credentials = await context.getCredentials('nexorApi');
	const rawKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const secret = rawKey.trim();
	let baseUrl: string;
	try {
		checkApiKey(rawKey);
		baseUrl = normalizeBaseUrl(credentials.baseUrl);
	} catch (error) {
		const invalid = error as NexorInputError;
		throw new NodeOperationError(context.getNode(), `Nexor API credential: ${invalid.message}`, { description: invalid.fix });
	}
	return await sendCall(
		{
			http: (request) => sendToNexor(context, { baseUrl, timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000 }, request),
			now: () => Date.now(),
			sleep,
			random: Math.random,
			gate: gateFor(baseUrl, secret, Date.now()),
			breaker: new Breaker(breakerThreshold(1)),
			stop: new StopSignal(),
			secret,
		},
		call,
	);
}
