import { defineApp, version as platformVersion } from 'zapier-platform-core';
import { version } from '../package.json';
import authentication from './authentication.cjs';
import { afters, befores } from './middleware.cjs';
import updateLead from './creates/update-lead.cjs';

export default defineApp({
	version,
	platformVersion,

	authentication,
	beforeRequest: [...befores],
	afterResponse: [...afters],

	triggers: {},
	creates: {
		[updateLead.key]: updateLead,
	},
});
