import type { OccurrenceState } from '../store/types.js';

/** Every occurrence state, for validating `?state=` (kept exhaustive by the type below). */
const ALL: Record<OccurrenceState, true> = {
  pending: true,
  running: true,
  succeeded: true,
  failed: true,
  timed_out: true,
  cancelled: true,
  interrupted: true,
  skipped_overlap: true,
  missed: true,
  coalesced: true,
  paused: true,
  blocked_window: true,
  blocked_dependency: true,
  superseded: true,
  skipped_dst_gap: true,
};

export const OCCURRENCE_STATES = Object.keys(ALL) as readonly OccurrenceState[];
