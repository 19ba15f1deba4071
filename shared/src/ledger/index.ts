export {
  emptyArtifact,
  emptySessionState,
  foldSession,
  incompleteSince,
  isIncomplete,
  ledgerKeyOf,
  mergeArtifacts,
  mergeSessionStates,
  noSessionKey,
  type SessionContribution,
} from './fold-session.js';
export { LEDGER_TTL_SECONDS, ledgerKeys, type LedgerKeys } from './ledger-keys.js';
export { readSessionStates } from './read-session-states.js';
export { rebuildLedger, type RebuildResult } from './rebuild-ledger.js';
export { incompleteSessions, LedgerNotLoadedError, sessionLedger, type IncompleteQuery, type LedgerEntry, type SessionLedger } from './session-ledger.js';
