import { ShipclockError } from '../errors/shipclock-error.js';

/** Another scheduler holds this state dir's SQLite store: running two would double-deploy. */
export class SchedulerLockedError extends ShipclockError {
  constructor(
    readonly holder: string,
    readonly untilMs: number,
  ) {
    super(
      'E_SCHEDULER_LOCKED',
      `another shipclock scheduler (${holder}) is running on this state directory; ` +
        'stop it first, or use a PostgreSQL store to run several instances',
      { exitCode: 2 },
    );
  }
}
