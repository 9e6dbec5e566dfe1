// Projects let the inner loop (`npm run test:unit`) skip the slow real-runtime suites,
// while `npm test` runs everything.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			rootDir: __dirname,
			// dist/package.json would clash with the root package.json in jest's module map.
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			roots: ['<rootDir>/test'],
			testMatch: ['<rootDir>/test/unit/**/*.test.{ts,js}', '<rootDir>/test/sandbox/**/*.test.{ts,js}'],
			transform,
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			rootDir: __dirname,
			// dist/package.json would clash with the root package.json in jest's module map.
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			roots: ['<rootDir>/test'],
			testMatch: ['<rootDir>/test/e2e/**/*.test.{ts,js}'],
			transform,
		},
		{
			// The Zapier app: plain CommonJS tests against the BUILT app (zapier/dist, build/build.zip);
			// `roots` keeps jest from crawling zapier/node_modules (the Zapier CLI, ~900 packages).
			displayName: 'zapier',
			testEnvironment: 'node',
			rootDir: __dirname,
			// dist/package.json would clash with the root package.json in jest's module map.
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			// zapier-platform-core patches Node's http module for the whole worker process, which stalls
			// later HTTP polling of n8n; so every suite that loads it runs here, and `npm test` runs this
			// project in a jest process of its own.
			roots: ['<rootDir>/zapier/test'],
			testMatch: ['<rootDir>/zapier/test/**/*.test.js'],
			transform: {},
		},
	],
};
