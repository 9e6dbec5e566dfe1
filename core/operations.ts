/**
 * Every Nexor operation both platforms offer, as data run by the one engine (send.ts, runner.ts).
 * An operation's input rules live in its own module (update-lead.ts, create-lead.ts,
 * lead-operations.ts, tag-operations.ts); this file ties Update Lead to its request and lists them all.
 */
import { Lead, readLead } from './lead';
import {
	addLeadToWorkflow,
	createLead,
	findLeads,
	getLead,
	getLeadAutomationStatus,
	getLeadHistory,
	getLeadMeetings,
	resumeLeadAutomation,
	setLeadStatus,
	stopLeadAutomation,
} from './lead-operations';
import type { Operation } from './operation';
import { cancelMeeting, listConversions, logMeeting, recordConversion, sendMessage } from './outcome-operations';
import { addLeadTags, createTag, deleteTag, getLeadTags, listTags, setLeadTags } from './tag-operations';
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

/** By resource, then by name (the n8n operation value). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const OPERATIONS: Record<string, Record<string, Operation<any, unknown>>> = {
	lead: {
		create: createLead,
		get: getLead,
		find: findLeads,
		update: updateLead,
		setStatus: setLeadStatus,
		addToWorkflow: addLeadToWorkflow,
		stopAutomation: stopLeadAutomation,
		resumeAutomation: resumeLeadAutomation,
		getAutomationStatus: getLeadAutomationStatus,
		getHistory: getLeadHistory,
		getMeetings: getLeadMeetings,
		getTags: getLeadTags,
		addTags: addLeadTags,
		setTags: setLeadTags,
	},
	tag: {
		getMany: listTags,
		create: createTag,
		delete: deleteTag,
	},
	conversion: {
		record: recordConversion,
		getMany: listConversions,
	},
	message: {
		send: sendMessage,
	},
	meeting: {
		log: logMeeting,
		cancel: cancelMeeting,
	},
};
