import { DEFAULT_BASE_URL, normalizeBaseUrl } from '../../core/index';

/**
 * Nexor's API address as configured, before core's checks. `NEXOR_BASE_URL` redirects the app
 * (tests, `zapier-platform invoke` via `.env`, a staging push with `zapier-platform env:set`).
 * Read on every request rather than at load time, because appTester and invoke set the
 * environment after the app is loaded.
 */
export function rawBaseUrl(): string {
	const override = process.env.NEXOR_BASE_URL;
	return override !== undefined && override.trim() !== '' ? override : DEFAULT_BASE_URL;
}

/** The Base URL after core's checks (https, or plain http on this machine only; no user info…). */
export function baseUrl(): string {
	return normalizeBaseUrl(rawBaseUrl());
}
