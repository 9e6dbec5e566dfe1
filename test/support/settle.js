// @ts-check
/**
 * Resolves once every pending promise chain has run: a macrotask starts only after the microtask
 * queue is empty. Plain JS because n8n's lint forbids `setImmediate` in .ts files, tests included.
 * @returns {Promise<void>}
 */
function settle() {
	return new Promise((resolve) => setImmediate(resolve));
}

module.exports = { settle };
