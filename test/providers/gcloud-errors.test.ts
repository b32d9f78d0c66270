/** gcloud error output → error class, on output captured from the real gcloud v528 (see gcp-cloud-run-gcloud.test.ts). */
import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';
import { classifyGcloud } from '../../src/providers/gcloud-errors.js';

const result = (stderr: string) => ({ code: 1, signal: null, stdout: '', stderr });

describe('classifyGcloud', () => {
  it('reads the google.rpc status gcloud prints for API errors', () => {
    assert.equal(classifyGcloud(result('ERROR: (gcloud.run.deploy) RESOURCE_EXHAUSTED: quota\n')), 'throttled');
    assert.equal(classifyGcloud(result('ERROR: (gcloud.run.revisions.describe) PERMISSION_DENIED: no\n')), 'auth');
  });

  it('reads the JSON body and HTTP status of an untranslated HttpError (what gcloud prints after retrying a 503)', () => {
    const captured =
      "ERROR: (gcloud.run.deploy) HttpError accessing <http://us-central1-run.fake.test/apis/serving.knative.dev/v1/namespaces/proj1/services/web?alt=json>: " +
      "response: <{'content-type': 'application/json; charset=UTF-8', 'transfer-encoding': 'chunked', 'status': 503}>, " +
      'content <{"error":{"code":503,"status":"UNAVAILABLE","message":"scripted UNAVAILABLE"}}>.\n';
    assert.equal(classifyGcloud(result(captured)), 'transient');
    assert.equal(classifyGcloud(result(captured.replace(/content <.*>/, 'content <oops>'))), 'transient');
  });

  it('has no answer when gcloud printed no status (the provider then probes credentials)', () => {
    assert.equal(classifyGcloud(result('ERROR: (gcloud.run.deploy) You do not currently have an active account selected.\n')), undefined);
  });
});
