import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkSchema } from '../../../src/store/schema-check.js';
import { withFixture, type MakeStore } from './fixture.js';

export function schemaTests(make: MakeStore): void {
  describe('migrations and schema drift', () => {
    it('migrate is idempotent and leaves the schema checkSchema expects', withFixture(make, async (_f, s) => {
      await s.migrate();
      await s.migrate();
      const r = await checkSchema(s);
      assert.deepEqual(r.problems, []);
      assert.equal(r.ok, true);
      assert.equal(r.backend, s.backend);
      assert.deepEqual(r.appliedVersions, r.expectedVersions);
      assert.ok(r.expectedVersions.length >= 1);
    }));

    it('instances migrating one empty database at once apply each migration exactly once', withFixture(make, async (f) => {
      const open = await f.freshDatabase();
      const racers = await Promise.all([0, 1, 2, 3].map(() => open()));
      const before = await checkSchema(racers[0]!);
      assert.deepEqual(before.appliedVersions, []);
      assert.deepEqual(before.missingTables.length > 0, true);
      await Promise.all(racers.map((s) => s.migrate()));
      const r = await checkSchema(racers[1]!);
      assert.equal(r.ok, true, r.problems.join('; '));
      assert.deepEqual(r.appliedVersions, r.expectedVersions);
    }));

    it('checkSchema reports pending, unknown and missing pieces and extra columns', withFixture(make, async (f, s) => {
      await f.exec('ALTER TABLE locks ADD COLUMN note_by_hand TEXT');
      let r = await checkSchema(s);
      assert.equal(r.ok, true, 'an extra column is drift worth a line, not a failure');
      assert.deepEqual(r.extraColumns, [{ table: 'locks', column: 'note_by_hand' }]);
      assert.equal(r.problems.length, 1);

      await f.exec('INSERT INTO schema_migrations (version, applied_ms) VALUES (9999, 0)');
      await f.exec('DELETE FROM schema_migrations WHERE version = 1');
      await f.exec('DROP TABLE events');
      await f.exec('ALTER TABLE attempts DROP COLUMN log_path');
      r = await checkSchema(s);
      assert.equal(r.ok, false);
      assert.deepEqual(r.pendingVersions, [1]);
      assert.deepEqual(r.unknownVersions, [9999]);
      assert.deepEqual(r.missingTables, ['events']);
      assert.deepEqual(r.missingColumns, [{ table: 'attempts', column: 'log_path' }]);
      assert.equal(r.problems.length, 5);
    }));
  });
}
