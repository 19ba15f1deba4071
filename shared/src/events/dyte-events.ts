/** Namespace of every record type of schemas/. */
export const SCHEMA_NAMESPACE = 'io.dytebridge.dyte';

/** The resources Dyte's events are grouped by (`resource.event`); each has its own topic. */
export type Resource = 'meeting' | 'recording' | 'livestreaming';

/** Every event type with a typed schema: its record's full name and the resource (topic) it belongs to. */
export const KNOWN_EVENTS: Readonly<Record<string, { record: string; resource: Resource }>> = {
  'meeting.started': { record: `${SCHEMA_NAMESPACE}.MeetingStarted`, resource: 'meeting' },
  'meeting.ended': { record: `${SCHEMA_NAMESPACE}.MeetingEnded`, resource: 'meeting' },
  'meeting.participantJoined': { record: `${SCHEMA_NAMESPACE}.MeetingParticipantJoined`, resource: 'meeting' },
  'meeting.participantLeft': { record: `${SCHEMA_NAMESPACE}.MeetingParticipantLeft`, resource: 'meeting' },
  'meeting.chatSynced': { record: `${SCHEMA_NAMESPACE}.MeetingChatSynced`, resource: 'meeting' },
  'meeting.transcript': { record: `${SCHEMA_NAMESPACE}.MeetingTranscript`, resource: 'meeting' },
  'meeting.summary': { record: `${SCHEMA_NAMESPACE}.MeetingSummary`, resource: 'meeting' },
  'recording.statusUpdate': { record: `${SCHEMA_NAMESPACE}.RecordingStatusUpdate`, resource: 'recording' },
  'livestreaming.statusUpdate': { record: `${SCHEMA_NAMESPACE}.LivestreamingStatusUpdate`, resource: 'livestreaming' },
};

/**
 * The typed schema of an event name, or undefined. Own keys only: an event named "toString" or "__proto__" is
 * just an unknown event, never something inherited from Object.prototype.
 */
export function knownEvent(event: string): { record: string; resource: Resource } | undefined {
  return Object.hasOwn(KNOWN_EVENTS, event) ? KNOWN_EVENTS[event] : undefined;
}

/** The record that carries any authentic webhook no typed schema fits. */
export const RAW_EVENT_RECORD = `${SCHEMA_NAMESPACE}.RawEvent`;

/** The resource of an event name (`meeting.foo` -> meeting), or undefined for a resource the fleet does not know. */
export function resourceOf(event: string): Resource | undefined {
  const resource = event.split('.', 1)[0];
  return resource === 'meeting' || resource === 'recording' || resource === 'livestreaming' ? resource : undefined;
}
