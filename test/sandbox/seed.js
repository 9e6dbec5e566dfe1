// @ts-check
'use strict';
/**
 * The sandbox's data: the fake API key, seed campaigns, leads and tags, the generated and created
 * lead IDs, the lead shape, and the store the routes read and write (rebuilt by reset()).
 * A new resource adds its seed constants here and, if requests change it, its part of the store.
 */

const { clone } = require('./validation.js');

/**
 * @typedef {import('./validation.js').JsonObject} JsonObject
 *
 * @typedef {{
 *   id: string, first_name: string, last_name: string | null, email: string | null,
 *   phone: string | null, company: string | null, title: string | null, source: string,
 *   campaign_id: string | null, metadata: JsonObject, created_at: string, updated_at: string
 * }} Lead
 *
 * @typedef {{ id: string } & Partial<Omit<Lead, 'id'>>} LeadSeed
 * @typedef {{ id: string, name: string }} Campaign
 * @typedef {{
 *   id: string, name: string, slug: string, description: string | null,
 *   created_at: string, updated_at: string
 * }} Tag
 */

/** The sandbox's own fake key; works nowhere else. */
const SANDBOX_API_KEY = 'nxr_live_sandbox_key_0123456789abcdef';

/** Key order of every lead the sandbox returns. */
const LEAD_KEYS = Object.freeze(/** @type {const} */ ([
	'id',
	'first_name',
	'last_name',
	'email',
	'phone',
	'company',
	'title',
	'source',
	'campaign_id',
	'metadata',
	'created_at',
	'updated_at',
]));

/** Key order of every tag (GET /tags), as documented. */
const TAG_KEYS = Object.freeze(
	/** @type {const} */ (['id', 'name', 'slug', 'description', 'created_at', 'updated_at']),
);

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
	if (value !== null && typeof value === 'object') {
		for (const inner of Object.values(value)) deepFreeze(inner);
		Object.freeze(value);
	}
	return value;
}

/** @type {ReadonlyArray<Campaign>} */
const SEED_CAMPAIGNS = deepFreeze([
	// The campaign ID used in Nexor's own PUT /leads/{id} example.
	{ id: '123e4567-e89b-12d3-a456-426614174001', name: 'Q1 Campaign' },
	{ id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', name: 'Webinar Follow-up' },
	{ id: '16fd2706-8baf-433b-82eb-8c7fada847da', name: 'Spring Promo' },
]);
const SEED_CAMPAIGN_IDS = Object.freeze(SEED_CAMPAIGNS.map((c) => c.id));

/** @type {ReadonlyArray<Lead>} */
const SEED_LEADS = Object.freeze([
	{
		// Nexor's documentation example lead (get-lead / update-lead pages).
		id: '123e4567-e89b-12d3-a456-426614174000',
		first_name: 'Carlos',
		last_name: 'Lopez',
		email: 'carlos@example.com',
		phone: '+56912345678',
		company: 'Acme Corp',
		title: null,
		source: 'api',
		campaign_id: null,
		metadata: { edad: 35, utm_source: 'google' },
		created_at: '2026-02-10T12:00:00Z',
		updated_at: '2026-02-10T12:00:00Z',
	},
	{
		id: '3b9c2f1e-7a4d-4c8b-9e2f-5d6a7b8c9d01',
		first_name: 'María',
		last_name: 'González',
		email: 'maria.gonzalez@example.cl',
		phone: '+56987654321',
		company: 'Inmobiliaria Sur',
		title: 'Broker',
		source: 'website',
		campaign_id: '123e4567-e89b-12d3-a456-426614174001',
		metadata: { broker_asociado: 'Juan Perez', utm_source: 'facebook' },
		created_at: '2026-02-11T09:30:00Z',
		updated_at: '2026-02-12T15:45:10Z',
	},
	{
		id: '8f14e45f-ceea-467f-a0e6-1b2c3d4e5f02',
		first_name: 'John',
		last_name: 'Doe',
		email: 'john@example.com',
		phone: '+1234567890',
		company: 'Stark Industries',
		title: 'Manager',
		source: 'api',
		campaign_id: null,
		metadata: {},
		created_at: '2026-03-01T08:00:00Z',
		updated_at: '2026-03-01T08:00:00Z',
	},
	{
		id: 'c9f0f895-fb98-4b91-99f5-a1b2c3d4e5f3',
		first_name: 'Ana',
		last_name: 'Silva',
		email: null,
		phone: '+5491155550123',
		company: null,
		title: null,
		source: 'whatsapp',
		campaign_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
		metadata: { estado_lead: 'calificado', edad: 42 },
		created_at: '2026-03-15T18:20:00Z',
		updated_at: '2026-04-02T10:05:00Z',
	},
	{
		id: 'd3d94468-02a4-4259-b55d-e5f6a7b8c9d4',
		first_name: 'Sofía',
		last_name: 'Martínez',
		email: 'sofia@example.org',
		phone: null,
		company: 'Globex',
		title: 'CTO',
		source: 'import',
		campaign_id: null,
		metadata: { crm: { deal_id: 'D-1001', stage: 'proposal' }, vip: true },
		created_at: '2026-04-20T14:00:00Z',
		updated_at: '2026-05-05T11:11:11Z',
	},
	{
		// The "automatic metadata mapping" example from the create-lead page.
		id: 'e4da3b7f-bbce-4345-9777-2b3c4d5e6f05',
		first_name: 'Tony',
		last_name: null,
		email: 'tony@example.com',
		phone: '+56922223333',
		company: null,
		title: null,
		source: 'api',
		campaign_id: '16fd2706-8baf-433b-82eb-8c7fada847da',
		metadata: { edad: 35, broker: 'Tony' },
		created_at: '2026-06-01T07:00:00Z',
		updated_at: '2026-06-01T07:00:00Z',
	},
]);
for (const lead of SEED_LEADS) deepFreeze(lead);
const SEED_LEAD_IDS = Object.freeze(SEED_LEADS.map((l) => l.id));

/** @type {ReadonlyArray<Tag>} */
const SEED_TAGS = deepFreeze([
	{
		id: '0f8fad5b-d9cb-469f-a165-70867728950e',
		name: 'VIP',
		slug: 'vip',
		description: 'High-value leads',
		created_at: '2026-01-15T10:00:00Z',
		updated_at: '2026-01-15T10:00:00Z',
	},
	{
		id: '1c6b1470-3f5b-4b3a-9f0e-6b8d2a7e4c11',
		name: 'Follow-up',
		slug: 'follow-up',
		description: null,
		created_at: '2026-01-20T12:30:00Z',
		updated_at: '2026-02-01T09:00:00Z',
	},
	{
		id: '2d7c2581-4a6c-4c4b-8a1f-7c9e3b8f5d22',
		name: 'Hot lead',
		slug: 'hot-lead',
		description: 'Replied in the last 24 hours',
		created_at: '2026-02-05T16:45:00Z',
		updated_at: '2026-02-05T16:45:00Z',
	},
]);

const GENERATED_PREFIX = 'a0000000-0000-4000-8000-';
const CREATED_PREFIX = 'b0000000-0000-4000-8000-';

/**
 * ID of the i-th lead made by `options.leadCount` (0-based):
 * `a0000000-0000-4000-8000-` + i as 12 lower-case hex digits, e.g. i=10 → …-00000000000a.
 * @param {number} i
 * @returns {string}
 */
function generatedLeadId(i) {
	if (!Number.isInteger(i) || i < 0 || i >= 2 ** 48) {
		throw new RangeError(`generatedLeadId: i must be an integer in [0, 2^48), got ${i}`);
	}
	return GENERATED_PREFIX + i.toString(16).padStart(12, '0');
}

/**
 * ID of the n-th lead created through POST /leads since start or the last reset (1-based).
 * @param {number} n
 * @returns {string}
 */
function createdLeadId(n) {
	return CREATED_PREFIX + n.toString(16).padStart(12, '0');
}

const FIRST_NAMES = [
	'Lucas',
	'Valentina',
	'Mateo',
	'Camila',
	'Benjamín',
	'Isidora',
	'Diego',
	'Emma',
	'Tomás',
	'Florencia',
];
const ASCII_FIRST = [
	'lucas',
	'valentina',
	'mateo',
	'camila',
	'benjamin',
	'isidora',
	'diego',
	'emma',
	'tomas',
	'florencia',
];
const LAST_NAMES = [
	'Rojas',
	'Muñoz',
	'Díaz',
	'Pérez',
	'Soto',
	'Contreras',
	'Silva',
	'Martínez',
	'Sepúlveda',
	'Morales',
	'Fuentes',
];
const ASCII_LAST = [
	'rojas',
	'munoz',
	'diaz',
	'perez',
	'soto',
	'contreras',
	'silva',
	'martinez',
	'sepulveda',
	'morales',
	'fuentes',
];
const COMPANIES = [
	'Acme Corp',
	null,
	'Globex',
	'Initech',
	null,
	'Umbrella SpA',
	'Stark Industries',
];
const TITLES = ['Manager', null, 'CEO', 'Broker', 'Analyst'];
const SOURCES = ['api', 'website', 'import', 'whatsapp'];
const UTM = ['google', 'facebook', 'newsletter', 'linkedin', 'direct'];

/**
 * The i-th generated lead. Pure function of i, so two sandboxes agree.
 * @param {number} i
 * @returns {Lead}
 */
function generatedLead(i) {
	const created = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('.000Z', 'Z');
	const campaignSlot = i % (SEED_CAMPAIGN_IDS.length + 1);
	return {
		id: generatedLeadId(i),
		first_name: FIRST_NAMES[i % FIRST_NAMES.length],
		last_name: LAST_NAMES[i % LAST_NAMES.length],
		email: `${ASCII_FIRST[i % ASCII_FIRST.length]}.${ASCII_LAST[i % ASCII_LAST.length]}.${i}@example.com`,
		phone: `+1555${String(i).padStart(7, '0')}`,
		company: COMPANIES[i % COMPANIES.length],
		title: TITLES[i % TITLES.length],
		source: SOURCES[i % SOURCES.length],
		campaign_id: campaignSlot === SEED_CAMPAIGN_IDS.length ? null : SEED_CAMPAIGN_IDS[campaignSlot],
		metadata: { index: i, utm_source: UTM[i % UTM.length] },
		created_at: created,
		updated_at: created,
	};
}

/**
 * A copy of a lead with its keys in the documented order.
 * @param {Lead} lead
 * @returns {Lead}
 */
function presentLead(lead) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const key of LEAD_KEYS) out[key] = clone(lead[key]);
	return /** @type {Lead} */ (out);
}

/**
 * What an `options.leads` entry with a new id starts from.
 * @param {string} id
 * @returns {Lead}
 */
function newLeadDefaults(id) {
	return {
		id,
		first_name: 'Lead',
		last_name: null,
		email: null,
		phone: null,
		company: null,
		title: null,
		source: 'api',
		campaign_id: null,
		metadata: {},
		created_at: '2026-02-10T12:00:00Z',
		updated_at: '2026-02-10T12:00:00Z',
	};
}

/**
 * @typedef {{
 *   leads: Map<string, Lead>, createdCount: number,
 *   campaigns: Campaign[], campaignIds: Set<string>, tags: ReadonlyArray<Tag>,
 *   reset: () => void
 * }} Store
 *   What the routes read and write. `leads` and `createdCount` change with requests and go back
 *   to the seed on reset(); campaigns and tags are fixed for the sandbox's life.
 */

/**
 * @param {{ leadCount: number, leads: LeadSeed[], campaigns: Campaign[] }} config
 *   `leads`: already checked `options.leads` (lower-cased ids); `campaigns`: seed plus options
 * @returns {Store}
 */
function createStore(config) {
	/** @type {Store} */
	const store = {
		leads: new Map(),
		createdCount: 0,
		campaigns: config.campaigns,
		campaignIds: new Set(config.campaigns.map((c) => c.id)),
		tags: SEED_TAGS,
		reset: () => {
			const leads = new Map();
			for (const lead of SEED_LEADS) leads.set(lead.id, presentLead(lead));
			for (let i = 0; i < config.leadCount; i++) {
				const lead = generatedLead(i);
				leads.set(lead.id, lead);
			}
			for (const extra of config.leads) {
				const id = extra.id;
				const base = leads.get(id) || newLeadDefaults(id);
				leads.set(id, presentLead({ ...base, ...clone(extra), id }));
			}
			store.leads = leads;
			store.createdCount = 0;
		},
	};
	store.reset();
	return store;
}

module.exports = {
	SANDBOX_API_KEY,
	LEAD_KEYS,
	TAG_KEYS,
	SEED_CAMPAIGNS,
	SEED_CAMPAIGN_IDS,
	SEED_LEADS,
	SEED_LEAD_IDS,
	SEED_TAGS,
	generatedLeadId,
	createdLeadId,
	generatedLead,
	presentLead,
	createStore,
};
