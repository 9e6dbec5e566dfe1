/**
 * A stop that wakes every waiter at once: fired by the item runner after a failure that stops the
 * run, by the shell when the execution is cancelled, or by the breaker when Nexor can't be reached.
 * Listeners, not a shared never-settling promise, so a long run doesn't pile up reactions.
 */
export class StopSignal {
	private fired = false;
	private why: unknown;
	private readonly listeners = new Set<() => void>();

	get stopped(): boolean {
		return this.fired;
	}

	/** What stopped it (an error, or the cancellation). */
	get reason(): unknown {
		return this.why;
	}

	stop(reason: unknown): void {
		if (this.fired) return;
		this.fired = true;
		this.why = reason;
		const listeners = [...this.listeners];
		this.listeners.clear();
		for (const listener of listeners) listener();
	}

	/** Calls `listener` once when stopped (at once if already); returns a function that unsubscribes. */
	onStop(listener: () => void): () => void {
		if (this.fired) {
			listener();
			return () => undefined;
		}
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	throwIfStopped(): void {
		if (this.fired) throw this.why;
	}
}

/** Waits `ms` with the platform's sleep, or less: until any of `signals` stops. Holds no timer itself. */
export function pauseUnlessStopped(
	sleep: (ms: number) => Promise<void>,
	ms: number,
	signals: readonly StopSignal[],
): Promise<void> {
	if (signals.some((signal) => signal.stopped)) return Promise.resolve();
	return new Promise<void>((resolve) => {
		const offs = signals.map((signal) => signal.onStop(resolve));
		void sleep(ms).then(() => {
			for (const off of offs) off();
			resolve();
		});
	});
}
