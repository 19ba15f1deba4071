import { RECORD_NAMES, type RecordName } from '../generated/records.js';

/** The resources Dyte's events are grouped by (`resource.event`); each has its own topic. */
export type Resource = 'meeting' | 'recording' | 'livestreaming';

/** Every event type with a typed schema: its record's full name and the resource (topic) it belongs to. */
export const KNOWN_EVENTS: Readonly<Record<string, { record: RecordName; resource: Resource }>> = {
  'meeting.started': { record: RECORD_NAMES.MeetingStarted, resource: 'meeting' },
  'meeting.ended': { record: RECORD_NAMES.MeetingEnded, resource: 'meeting' },
  'meeting.participantJoined': { record: RECORD_NAMES.MeetingParticipantJoined, resource: 'meeting' },
  'meeting.participantLeft': { record: RECORD_NAMES.MeetingParticipantLeft, resource: 'meeting' },
  'meeting.chatSynced': { record: RECORD_NAMES.MeetingChatSynced, resource: 'meeting' },
  'meeting.transcript': { record: RECORD_NAMES.MeetingTranscript, resource: 'meeting' },
  'meeting.summary': { record: RECORD_NAMES.MeetingSummary, resource: 'meeting' },
  'recording.statusUpdate': { record: RECORD_NAMES.RecordingStatusUpdate, resource: 'recording' },
  'livestreaming.statusUpdate': { record: RECORD_NAMES.LivestreamingStatusUpdate, resource: 'livestreaming' },
};

/**
 * The typed schema of an event name, or undefined. Own keys only: an event named "toString" or "__proto__" is
 * just an unknown event, never something inherited from Object.prototype.
 */
export function knownEvent(event: string): { record: RecordName; resource: Resource } | undefined {
  return Object.hasOwn(KNOWN_EVENTS, event) ? KNOWN_EVENTS[event] : undefined;
}

/** The record that carries any authentic webhook no typed schema fits. */
export const RAW_EVENT_RECORD = RECORD_NAMES.RawEvent;

/** The resource of an event name (`meeting.foo` -> meeting), or undefined for a resource the fleet does not know. */
export function resourceOf(event: string): Resource | undefined {
  const dot = event.indexOf('.');
  const resource = dot === -1 ? event : event.slice(0, dot);
  return resource === 'meeting' || resource === 'recording' || resource === 'livestreaming' ? resource : undefined;
}
