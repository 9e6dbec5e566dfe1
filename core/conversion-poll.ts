/**
 * The New Conversion polling trigger's logic: which pages of `GET /conversions` (newest first) a poll
 * reads, and which conversions are new since the checkpoint. Pure: the platforms fetch with the one
 * engine and store the checkpoint only after the new conversions were handed on, so a poll that fails
 * (a 429 or 5xx past its retries) neither loses nor repeats a conversion.
 */
import { unexpectedAnswer } from './answers';
import type { Row } from './lead-operations';
import type { PreparedCall } from './operation';
import { conversionsRequest, readConversionPage } from './outcome-operations';
import { optionalUuid } from './inputs';

/** What a trigger remembers between polls. */
export interface ConversionCheckpoint {
	/** created_at of the newest conversion handed on (ISO 8601). */
	newest?: string;
	/** IDs handed on with exactly that created_at (several may share a timestamp). */
	ids?: string[];
}

/** Pages a poll reads at most: 20 × 50 = 1,000 new conversions between two polls. */
export const POLL_PAGE = 50;
export const POLL_MAX_PAGES = 20;

const time = (event: Row) => Date.parse(String(event.created_at ?? ''));

function isNew(event: Row, checkpoint: ConversionCheckpoint): boolean {
	if (checkpoint.newest === undefined) return true;
	const at = time(event);
	const mark = Date.parse(checkpoint.newest);
	if (at !== mark) return at > mark;
	return !(checkpoint.ids ?? []).includes(String(event.id));
}

/** The poll's request(s): newest first, page after page while every conversion on a page is new. */
export function conversionPollCall(checkpoint: ConversionCheckpoint, conversionTypeId?: unknown): PreparedCall<Row[]> {
	const type = optionalUuid(conversionTypeId, { field: 'conversion_type_id', label: 'Conversion Type' }, 'conversion type');
	const filters: Record<string, string> = type === undefined ? {} : { conversion_type_id: type };
	return {
		request: conversionsRequest(filters, 0, POLL_PAGE),
		idempotent: true,
		failureWords: { action: 'conversion check' },
		read: (answer) => {
			const page = readConversionPage(answer.body, answer.status);
			// A conversion whose created_at can't be read can't be placed against the checkpoint: the
			// poll fails visibly (and the checkpoint stays) rather than going silent.
			const unreadable = page.find((event) => typeof event.id !== 'string' || Number.isNaN(time(event)));
			if (unreadable !== undefined) {
				throw unexpectedAnswer(answer.status, 'a conversion has no ID or no readable created_at', 'Nothing was handed on and the trigger will check again. If this repeats, tell Nexor support what GET /conversions answered.');
			}
			return page;
		},
		nextRequest: (page, sofar) => {
			// The first poll only sets the checkpoint: one page is enough.
			if (checkpoint.newest === undefined) return undefined;
			if (page.length < POLL_PAGE || !page.every((event) => isNew(event, checkpoint))) return undefined;
			if (sofar.length >= POLL_MAX_PAGES) return undefined;
			return conversionsRequest(filters, sofar.length * POLL_PAGE, POLL_PAGE);
		},
	};
}

/**
 * The conversions to hand on, oldest first and each once (a conversion that moved to the next page
 * while paging is counted once), and the checkpoint to store after handing them on. The first poll
 * (no checkpoint) hands on nothing and starts from the newest conversion; a manual test run hands on
 * the newest one and keeps the checkpoint as it was.
 */
export function newConversions(
	events: Row[],
	checkpoint: ConversionCheckpoint,
	mode: 'poll' | 'manual' = 'poll',
): { emit: Row[]; checkpoint: ConversionCheckpoint } {
	const unique = new Map<string, Row>();
	for (const event of events) if (typeof event.id === 'string' && !unique.has(event.id)) unique.set(event.id, event);
	const newestFirst = [...unique.values()].sort((a, b) => time(b) - time(a));
	if (mode === 'manual') return { emit: newestFirst.slice(0, 1), checkpoint };
	if (checkpoint.newest === undefined) return { emit: [], checkpoint: markOf(newestFirst, {}) };
	const fresh = newestFirst.filter((e) => isNew(e, checkpoint));
	return { emit: [...fresh].reverse(), checkpoint: markOf(fresh, checkpoint) };
}

/** The checkpoint of a first poll that found no conversion at all: every later one is new. */
export const EMPTY_START: ConversionCheckpoint = { newest: new Date(0).toISOString(), ids: [] };

function markOf(newestFirst: Row[], previous: ConversionCheckpoint): ConversionCheckpoint {
	if (newestFirst.length === 0) return previous.newest === undefined ? EMPTY_START : previous;
	const top = time(newestFirst[0]);
	const newest = new Date(top).toISOString();
	const sameTime = newestFirst.filter((e) => time(e) === top).map((e) => String(e.id));
	// Still at the previous mark: keep the IDs already handed on with it.
	const carried = previous.newest !== undefined && Date.parse(previous.newest) === top ? (previous.ids ?? []) : [];
	return { newest, ids: [...new Set([...carried, ...sameTime])] };
}
