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
import recordConversion from './creates/record-conversion.cjs';
import sendMessage from './creates/send-message.cjs';
import logMeeting from './creates/log-meeting.cjs';
import cancelMeeting from './creates/cancel-meeting.cjs';
import findLead from './searches/find-lead.cjs';
import { campaignList, conversionTypeList, leadList, tagList, workflowList } from './triggers/lists.cjs';
import newConversion from './triggers/new-conversion.cjs';

export default defineApp({
	version,
	platformVersion,

	authentication,
	beforeRequest: [...befores],
	afterResponse: [...afters],

	// New Conversion polls GET /conversions; the others are hidden: they only fill the dropdowns
	// (dynamic: 'lead_list.id.name' and so on). Nexor's webhooks can't be subscribed through its API:
	// the README gives the Catch Hook recipe for them instead.
	triggers: {
		[newConversion.key]: newConversion,
		[leadList.key]: leadList,
		[workflowList.key]: workflowList,
		[campaignList.key]: campaignList,
		[tagList.key]: tagList,
		[conversionTypeList.key]: conversionTypeList,
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
		[recordConversion.key]: recordConversion,
		[sendMessage.key]: sendMessage,
		[logMeeting.key]: logMeeting,
		[cancelMeeting.key]: cancelMeeting,
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
