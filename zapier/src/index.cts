import { defineApp, version as platformVersion } from 'zapier-platform-core';
import { version } from '../package.json';
import authentication from './authentication.cjs';
import { afters, befores } from './middleware.cjs';
import addLeadTags from './creates/add-lead-tags.cjs';
import addLeadToWorkflow from './creates/add-lead-to-workflow.cjs';
import createLead from './creates/create-lead.cjs';
import createTag from './creates/create-tag.cjs';
import resumeAiAutomation from './creates/resume-ai-automation.cjs';
import setLeadStatus from './creates/set-lead-status.cjs';
import setLeadTags from './creates/set-lead-tags.cjs';
import stopAiAutomation from './creates/stop-ai-automation.cjs';
import updateLead from './creates/update-lead.cjs';
import findLead from './searches/find-lead.cjs';
import { campaignList, leadList, tagList, workflowList } from './triggers/lists.cjs';

export default defineApp({
	version,
	platformVersion,

	authentication,
	beforeRequest: [...befores],
	afterResponse: [...afters],

	// Hidden: they only fill the dropdowns (dynamic: 'lead_list.id.name' and so on).
	triggers: {
		[leadList.key]: leadList,
		[workflowList.key]: workflowList,
		[campaignList.key]: campaignList,
		[tagList.key]: tagList,
	},
	searches: {
		[findLead.key]: findLead,
	},
	creates: {
		[createLead.key]: createLead,
		[updateLead.key]: updateLead,
		[addLeadTags.key]: addLeadTags,
		[setLeadTags.key]: setLeadTags,
		[setLeadStatus.key]: setLeadStatus,
		[addLeadToWorkflow.key]: addLeadToWorkflow,
		[stopAiAutomation.key]: stopAiAutomation,
		[resumeAiAutomation.key]: resumeAiAutomation,
		[createTag.key]: createTag,
	},
	searchOrCreates: {
		[findLead.key]: {
			key: findLead.key,
			display: {
				label: 'Find or Create Lead',
				description: 'Finds a lead by email address or phone number, or creates it when none matches.',
			},
			search: findLead.key,
			create: createLead.key,
		},
	},
});
