// @ts-check
'use strict';
/**
 * ISO 8601 instants in request bodies (converted_at, starts_at, ends_at) and IANA time zones,
 * with Node's Intl only: a date-time with `Z` or an offset is that instant; one without is read
 * in a time zone (UTC unless the route says otherwise).
 */

/**
 * `YYYY-MM-DD`, optionally `THH:MM[:SS[.fraction]]`, optionally `Z` or `±HH[:]MM`.
 */
const ISO_RE =
	/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An IANA-style name (`UTC`, `America/Santiago`, `Etc/GMT+3`), checked against Intl as well. */
const ZONE_RE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** @type {Map<string, Intl.DateTimeFormat>} */
const formats = new Map();

/**
 * A formatter for the zone, or null when Intl does not know it.
 * @param {string} zone
 * @returns {Intl.DateTimeFormat | null}
 */
function formatFor(zone) {
	const known = formats.get(zone);
	if (known) return known;
	if (!ZONE_RE.test(zone)) return null;
	try {
		const format = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		if (formats.size < 500) formats.set(zone, format);
		return format;
	} catch {
		return null;
	}
}

/**
 * Whether Intl knows this IANA time zone name.
 * @param {string} zone
 */
function isTimeZone(zone) {
	return formatFor(zone) !== null;
}

/**
 * The zone's offset from UTC (ms, east positive) at the instant `t`.
 * @param {Intl.DateTimeFormat} format
 * @param {number} t
 */
function offsetAt(format, t) {
	/** @type {Record<string, number>} */
	const p = {};
	for (const part of format.formatToParts(new Date(t))) {
		if (part.type !== 'literal') p[part.type] = Number(part.value);
	}
	const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return wall - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time in `zone` stands for; in a repeated or a skipped hour (daylight
 * saving), the earlier of the two candidates.
 * @param {number} wallAsUtc the wall time read as if it were UTC
 * @param {Intl.DateTimeFormat} format
 */
function zonedToInstant(wallAsUtc, format) {
	const first = wallAsUtc - offsetAt(format, wallAsUtc);
	const second = wallAsUtc - offsetAt(format, first);
	return Math.min(first, second);
}

/**
 * Parses an ISO 8601 date or date-time. A date alone is midnight; a date-time without `Z` or an
 * offset is read in `zone`. Null when it is not such a text or names a day or time that doesn't
 * exist (2026-02-30, 24:00).
 * @param {unknown} value
 * @param {{ zone?: string, requireTime?: boolean }} [o]
 * @returns {number | null} ms since the epoch
 */
function parseInstant(value, o = {}) {
	if (typeof value !== 'string') return null;
	const m = ISO_RE.exec(value);
	if (!m) return null;
	const [, y, mo, d, h, mi, s, frac, zone] = m;
	if (o.requireTime && h === undefined) return null;
	const fields = [Number(y), Number(mo) - 1, Number(d), Number(h || 0), Number(mi || 0), Number(s || 0)];
	const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
	const wall = Date.UTC(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], ms);
	const check = new Date(wall);
	if (
		!Number.isFinite(wall) ||
		check.getUTCFullYear() !== fields[0] ||
		check.getUTCMonth() !== fields[1] ||
		check.getUTCDate() !== fields[2] ||
		check.getUTCHours() !== fields[3] ||
		check.getUTCMinutes() !== fields[4] ||
		check.getUTCSeconds() !== fields[5]
	) {
		return null;
	}
	if (zone === 'Z') return wall;
	if (zone !== undefined) {
		const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
		if (!zm || Number(zm[2]) > 23 || Number(zm[3]) > 59) return null;
		const offset = (Number(zm[2]) * 60 + Number(zm[3])) * 60_000 * (zm[1] === '+' ? 1 : -1);
		return wall - offset;
	}
	const format = formatFor(o.zone || 'UTC');
	return format ? zonedToInstant(wall, format) : null;
}

module.exports = { parseInstant, isTimeZone };
