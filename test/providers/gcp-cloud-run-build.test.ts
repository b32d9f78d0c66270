/**
 * The pure part of source deploys: which Cloud Build build belongs to this deploy, and the
 * class of a failed build from Cloud Build's `status` and `failureInfo.type`.
 */
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { buildFailureClass, buildOfThisDeploy, describeBuildFailure, uploadedAtMs, type CloudBuild } from '../../src/providers/gcp-cloud-run-build.js';

const at = (iso: string): number => Date.parse(iso);

describe('gcp-cloud-run source builds', () => {
  it('the build of this deploy is the newest one tagged for the service created since the deploy started', () => {
    const builds: CloudBuild[] = [
      { id: 'old', tags: ['service_web'], createTime: '2026-01-01T10:00:00Z' },
      { id: 'other-service', tags: ['service_api'], createTime: '2026-01-01T10:05:01Z' },
      { id: 'ours', tags: ['service_web'], createTime: '2026-01-01T10:05:00Z' },
      { id: 'earlier-today', tags: ['service_web'], createTime: '2026-01-01T10:04:00Z' },
    ];
    assert.equal(buildOfThisDeploy(builds, 'web', at('2026-01-01T10:04:50Z'))?.id, 'ours');
    // The cloud's clock may be a little behind ours: 30 s of slack, no more.
    assert.equal(buildOfThisDeploy(builds, 'web', at('2026-01-01T10:05:20Z'))?.id, 'ours');
    assert.equal(buildOfThisDeploy(builds, 'web', at('2026-01-01T10:06:00Z')), undefined);
    assert.equal(buildOfThisDeploy([], 'web', 0), undefined);
  });

  it('when the source object carries gcloud\'s upload stamp (our clock), that decides, not the cloud\'s createTime', () => {
    const obj = (stamp: string): CloudBuild['source'] => ({ storageSource: { bucket: 'run-sources-p-r', object: `services/web/${stamp}-${'a'.repeat(32)}.zip` } });
    const builds: CloudBuild[] = [
      // An earlier attempt's build, created 5 s before this attempt started: within the createTime slack, but uploaded before.
      { id: 'attempt-1', tags: ['service_web'], createTime: '2026-01-01T10:04:55Z', source: obj(String(at('2026-01-01T10:04:54Z') / 1000)) },
    ];
    assert.equal(uploadedAtMs(builds[0] ?? {}), at('2026-01-01T10:04:54Z'));
    assert.equal(buildOfThisDeploy(builds, 'web', at('2026-01-01T10:05:00Z')), undefined);
    // This attempt's build, whose createTime is behind because the cloud's clock is.
    builds.push({ id: 'attempt-2', tags: ['service_web'], createTime: '2026-01-01T10:04:58Z', source: obj('1767261900.305696') });
    assert.equal(buildOfThisDeploy(builds, 'web', at('2026-01-01T10:05:00Z'))?.id, 'attempt-2');
    assert.equal(uploadedAtMs({ source: { storageSource: { object: 'elsewhere/app.zip' } } }), undefined);
  });

  it('classes: a failing build step is invalid; infrastructure trouble is transient; a refused push is auth; success is no build failure', () => {
    const cases: [CloudBuild, string | undefined][] = [
      [{ status: 'FAILURE', failureInfo: { type: 'USER_BUILD_STEP' } }, 'invalid'],
      [{ status: 'FAILURE', failureInfo: { type: 'PUSH_NOT_AUTHORIZED' } }, 'auth'],
      [{ status: 'FAILURE', failureInfo: { type: 'FETCH_SOURCE_FAILED' } }, 'transient'],
      [{ status: 'FAILURE', failureInfo: { type: 'PUSH_FAILED' } }, 'transient'],
      [{ status: 'FAILURE' }, 'unknown'],
      [{ status: 'INTERNAL_ERROR' }, 'transient'],
      [{ status: 'EXPIRED' }, 'transient'],
      [{ status: 'TIMEOUT' }, 'unknown'],
      [{ status: 'CANCELLED' }, 'unknown'],
      [{ status: 'SUCCESS' }, undefined],
      [{ status: 'WORKING' }, undefined],
    ];
    for (const [build, cls] of cases) assert.equal(buildFailureClass(build), cls, JSON.stringify(build));
  });

  it('the message names the build, why it failed, how to fix it and where the log is', () => {
    const m = describeBuildFailure({ id: 'b1', status: 'FAILURE', failureInfo: { type: 'USER_BUILD_STEP', detail: 'step 0 failed' }, logUrl: 'https://log/b1' });
    assert.equal(m, 'Cloud Build build b1 ended FAILURE (USER_BUILD_STEP): step 0 failed. Fix the source (or its Dockerfile) and deploy again. Logs: https://log/b1');
  });
});
