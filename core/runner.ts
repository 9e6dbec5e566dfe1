/**
 * The item runner: every input item ends as exactly one outcome, in input order. Items for one lead
 * run one after another in input order; different leads run side by side, at most `concurrency` at
 * once. After a failure that stops the run (or on cancel) no new item starts, and items still
 * waiting end at once.
 */
import { StopSignal } from './stop';

export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface RunOptions<R> {
	count: number;
	concurrency: number;
	/** The lead item `index` acts on (see PreparedCall.leadKey); `undefined` = no order to keep. */
	leadKeyOf(index: number): string | undefined;
	/** Runs one item; a rejection is that item's error. */
	run(index: number): Promise<R>;
	/** n8n's "Stop Workflow": the first failure stops the run. Otherwise every item gets an outcome. */
	stopOnError: boolean;
	/** Fired by the runner on a stopping failure, or by the shell on cancel; `run` must honour it. */
	stop: StopSignal;
}

export interface RunReport<R> {
	/** In input order; `undefined` for items never run because the run stopped. */
	outcomes: Array<ItemOutcome<R> | undefined>;
	/** The failure that stopped the run (stopOnError), with its item. */
	stoppedBy?: { index: number; error: unknown };
}

export async function runItems<R>(options: RunOptions<R>): Promise<RunReport<R>> {
	const { count, stop } = options;
	const outcomes = new Array<ItemOutcome<R> | undefined>(count);
	const report: RunReport<R> = { outcomes };

	let cursor = 0;
	/** Leads with an item in flight, and their items waiting behind it, in input order. */
	const busy = new Set<string>();
	const waiting = new Map<string, number[]>();

	/** The next item this worker may start: first the next one for the lead it just finished. */
	const next = (finishedKey: string | undefined): number | undefined => {
		if (finishedKey !== undefined) {
			const queue = waiting.get(finishedKey);
			if (queue !== undefined && queue.length > 0) {
				const index = queue.shift() as number;
				if (queue.length === 0) waiting.delete(finishedKey);
				return index; // the lead stays busy: its next item runs on this worker
			}
			busy.delete(finishedKey);
		}
		while (cursor < count) {
			const index = cursor++;
			const key = options.leadKeyOf(index);
			if (key === undefined) return index;
			if (busy.has(key)) {
				const queue = waiting.get(key);
				if (queue) queue.push(index);
				else waiting.set(key, [index]);
				continue;
			}
			busy.add(key);
			return index;
		}
		return undefined;
	};

	const worker = async () => {
		let key: string | undefined;
		for (;;) {
			if (stop.stopped) return;
			const index = next(key);
			if (index === undefined) return;
			key = options.leadKeyOf(index);
			try {
				outcomes[index] = { ok: true, value: await options.run(index) };
			} catch (error) {
				// Ended by the stop (its own failure came first, or the run was cancelled): no outcome.
				if (stop.stopped && error === stop.reason) return;
				outcomes[index] = { ok: false, error };
				if (options.stopOnError) {
					report.stoppedBy ??= { index, error };
					stop.stop(error);
					return;
				}
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(options.concurrency) || 1, count));
	// Every worker has returned before this resolves: nothing is left running to send later.
	await Promise.all(Array.from({ length: count === 0 ? 0 : workers }, worker));
	return report;
}
