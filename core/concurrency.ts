/**
 * Bounded concurrency over a list of items, and one backoff shared by every worker.
 * Pure scheduling: the shell supplies the clock and the sleep, so core holds no timers.
 */

/** Runs `work(index)` for 0…count-1 with at most `limit` in flight; results keep input order. */
export async function mapWithConcurrency<T>(
	count: number,
	limit: number,
	work: (index: number, worker: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	const run = async (worker: number) => {
		while (next < count) {
			const index = next++;
			results[index] = await work(index, worker);
		}
	};
	await Promise.all(Array.from({ length: workers }, (_, worker) => run(worker)));
	return results;
}

/**
 * When Nexor answers 429, every worker waits until `resumeAt`, not only the one that was told.
 * Workers then restart spread over `spreadMs`, so they don't all hit Nexor in the same instant.
 */
export class SharedBackoff {
	private resumeAt = 0;

	constructor(private readonly spreadMs = 250) {}

	pauseFor(ms: number, now: number): void {
		this.resumeAt = Math.max(this.resumeAt, now + ms);
	}

	/** Milliseconds this worker should wait before its next request (0 = go). */
	waitBefore(now: number, random: number): number {
		if (now >= this.resumeAt) return 0;
		return this.resumeAt - now + Math.round(this.spreadMs * random);
	}
}
