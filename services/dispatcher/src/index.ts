// The dispatcher's steps that others may reuse (`dyte-bridge replay archive` and `requeue --parked`, the benchmarks'
// workloads), so that the jobs they make are exactly the dispatcher's (docs/adr/0005). Outside the dispatcher, only
// test/ may import anything else of it (test/unit/structure/import-seams.test.ts).

/** Decodes one Kafka record and tells what it means for the archive: download jobs, nothing, or a reason to park it. */
export { createRecordDispatcher } from './dispatch-record.js';
/** Adds download jobs (noted under their meeting first) and parked records; a job added twice is a no-op. */
export { enqueueDispatches } from './dispatch-record.js';
/** The download jobs an event's record gives, or why it gives none. */
export { artifactJobs } from './domain/artifact-jobs.js';
/** What one record tells the session ledger: the contributions it folds into its session's state. */
export { sessionContributions } from './ledger/session-contributions.js';
/** A session's state as the ledger writes it on the sessions topic. */
export { sessionStateMessage } from './ledger/session-state-message.js';
/** One reconcile: the provider's sessions of a window against the download queue; adds the jobs the fleet lacks. */
export { nothingToReconcileWith, reconcile } from './reconcile/reconcile.js';
/** The download queue as the reconciler reads and changes it. */
export { queueJobStore } from './reconcile/reconcile-job-store.js';
/** What the reconciler takes from the session ledger: its incomplete sessions and what it knows archived. */
export { ledgerSources, type ArchivedArtifactsSource, type IncompleteSessionsSource } from './reconcile/ledger-sources.js';
/** What a reconcile found and did. */
export type { ArtifactFinding, ReconcileReport, SessionFinding } from './reconcile/reconcile-report.js';
