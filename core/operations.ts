/**
 * Every Nexor operation both platforms offer, as data run by the one engine (send.ts, runner.ts).
 * An operation's input rules live in its own module (update-lead.ts); this file ties them to the
 * request, the answer and the lead it acts on.
 */
import { Lead, readLead } from './lead';
import type { Operation } from './operation';
import { UpdateLeadInput, buildUpdateRequest } from './update-lead';

/** `PUT /leads/{id}`: a partial update, metadata shallow-merged by Nexor. */
export const updateLead: Operation<UpdateLeadInput, Lead> = {
	resource: 'lead',
	name: 'update',
	action: 'Update lead',
	prepare(input) {
		const request = buildUpdateRequest(input);
		return {
			request: { method: request.method, path: request.path, body: request.body },
			leadKey: request.leadId.toLowerCase(),
			idempotent: true,
			failureWords: { leadId: request.leadId, action: 'update' },
			// With the lead ID: an answer about another lead must not pass as this one's.
			read: (answer) => readLead(answer.body, answer.status, request.leadId),
		};
	},
};
