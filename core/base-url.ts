/**
 * The credential's Base URL: absolute https (plain http only for a server on this machine, such as
 * the sandbox), a plain host (no user name or password, so the key can only go to the host that is
 * shown), no query or fragment, no trailing slash.
 */
import { NexorInputError, quoteShort } from './errors';

export const DEFAULT_BASE_URL = 'https://api.getnexor.ai/api/public';

const LABEL = 'Base URL';
const FIX = `Use Nexor's API address, ${DEFAULT_BASE_URL}, unless Nexor gave you another one.`;

/** scheme :// authority path (RFC 3986 path characters only); the authority is checked on its own below. */
const SHAPE = /^(https?):\/\/([^/?#\s\\]+)((?:\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?)$/i;
/** A DNS name or IPv4 address (ASCII only: a lookalike host in another script is refused), or [IPv6]; an optional port. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;
/** The address of one endpoint, pasted where the API's base address belongs. */
const ENDPOINT = /\/(leads|tags)(\/[^/]*)?$/i;

/**
 * HTTP clients read a name whose last label is a number as an IPv4 address ("127.1", "010.0.0.1"
 * in octal, "api.getnexor.ai127.0.0.1" not at all): such a name must be a plain dotted quad.
 */
function isUsableHostName(host: string): boolean {
	if (host.startsWith('[')) return true;
	const labels = host.split('.');
	if (!/^(\d+|0x[0-9a-f]*)$/i.test(labels[labels.length - 1])) return true;
	return labels.length === 4 && labels.every((label) => /^(0|[1-9]\d{0,2})$/.test(label) && Number(label) <= 255);
}

/**
 * localhost, 127.0.0.0/8 or ::1: a server on this machine, where plain http never crosses a network.
 * `host` is the authority without its port, already checked by HOST and isUsableHostName.
 */
function isLoopback(host: string): boolean {
	const name = host.toLowerCase();
	if (name === 'localhost') return true;
	if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return true;
	// Other spellings of ::1 ([0:0:0:0:0:0:0:1]) are refused anyway: the parser would show another host.
	return name === '[::1]';
}

export function normalizeBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') throw new NexorInputError('base_url', LABEL, 'The Base URL is empty', FIX);
	const notAddress = () =>
		new NexorInputError(
			'base_url',
			LABEL,
			`The Base URL ${quoteShort(text)} is not a full http(s) address without a query`,
			FIX,
		);
	const match = SHAPE.exec(text);
	if (!match) throw notAddress();
	const [, scheme, authority, rawPath] = match;
	if (authority.includes('@')) {
		// "https://api.getnexor.ai@other.example/…" sends the key to other.example.
		throw new NexorInputError(
			'base_url',
			LABEL,
			`The Base URL ${quoteShort(text)} contains a user name or password`,
			`Remove everything up to and including "@": the key belongs in the API Key field, never in the address. ${FIX}`,
		);
	}
	const host = HOST.exec(authority);
	const port = host?.[1] === undefined ? undefined : Number(host[1]);
	if (!host || (port !== undefined && (port < 1 || port > 65535 || host[1].startsWith('0')))) throw notAddress();
	const hostName = authority.replace(/:\d+$/, '');
	if (!isUsableHostName(hostName)) throw notAddress();
	if (scheme.toLowerCase() === 'http' && !isLoopback(hostName)) {
		// The key travels in a header: over plain http anyone on the way can read it.
		throw new NexorInputError(
			'base_url',
			LABEL,
			`The Base URL ${quoteShort(text)} uses http://, which would send your API key unencrypted`,
			`Use https:// instead. ${FIX} Plain http:// is accepted only for a test server on this machine (localhost, 127.0.0.1 or ::1), such as the Nexor sandbox.`,
		);
	}
	const path = rawPath.replace(/\/+$/, '');
	// "." and ".." (also written %2e) would move the requests somewhere else once resolved.
	const dots = (segment: string) => /^(\.|%2e){1,2}$/i.test(segment);
	if (path.split('/').some(dots)) throw notAddress();
	if (ENDPOINT.test(path)) {
		throw new NexorInputError(
			'base_url',
			LABEL,
			`The Base URL ${quoteShort(text)} points at an endpoint, not at the API's base address`,
			`Remove the "/leads…" or "/tags…" part at the end. ${FIX}`,
		);
	}
	const result = `${scheme.toLowerCase()}://${authority}${path}`;
	// Last guard: the URL parser HTTP clients use must read the same host (so the key goes where shown).
	if (!sameHost(result, authority)) throw notAddress();
	return result;
}

function sameHost(url: string, authority: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	const shown = authority.toLowerCase();
	const defaultPort = parsed.protocol === 'https:' ? ':443' : ':80';
	return parsed.host === shown || `${parsed.host}${defaultPort}` === shown;
}
