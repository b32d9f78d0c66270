/**
 * `aws-lambda`: UpdateFunctionCode with an image URI or a zip file (RevisionId as an
 * optimistic lock: someone else's update in between is a `conflict`), then poll(): the
 * FunctionUpdatedV2 waiter, and a check that the function's LastUpdateStatus is Successful
 * with OUR CodeSha256; optionally PublishVersion (pinned to that CodeSha256) and point an alias
 * at the new version.
 */
import { awsClientConfig } from './aws-client-config.js';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  CreateAliasCommand,
  GetFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  waitForFunctionUpdatedV2,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { awsDeployError } from './aws-errors.js';
import { fieldOf } from './classify.js';
import type { ProviderDefinition } from './definition.js';
import { DeployError } from './deploy-error.js';
import { localPath } from './local-path.js';
import { durationMs, nonEmpty } from './settings-schema.js';
import type { DeployContext, DeployHandle, PollResult, Provider } from './types.js';

const KIND = 'aws-lambda';

export const awsLambdaSettings = z
  .strictObject({
    function_name: nonEmpty,
    image_uri: nonEmpty.optional(),
    /** Path of a .zip deployment package (uploaded directly: up to 50 MB). */
    zip_file: nonEmpty.optional(),
    region: nonEmpty.optional(),
    profile: nonEmpty.optional(),
    endpoint_url: z.url().optional(),
    /** Publish a version once the update succeeded. */
    publish: z.boolean().default(false),
    /** Point this alias at the published version (needs `publish: true`). */
    alias: nonEmpty.optional(),
    poll_interval: durationMs.default(2_000),
    wait_slice: durationMs.default(120_000),
  })
  .refine((s) => (s.image_uri === undefined) !== (s.zip_file === undefined), { message: 'set exactly one of `image_uri` and `zip_file`', path: ['image_uri'] })
  .refine((s) => s.alias === undefined || s.publish, { message: '`alias` needs `publish: true` (an alias points at a published version)', path: ['alias'] });
export type AwsLambdaSettings = z.output<typeof awsLambdaSettings>;

export class AwsLambdaProvider implements Provider {
  readonly kind = KIND;
  private client: LambdaClient | undefined;
  constructor(private readonly s: AwsLambdaSettings) {}

  private lambda(): LambdaClient {
    this.client ??= new LambdaClient(awsClientConfig(this.s));
    return this.client;
  }

  plan(): readonly string[] {
    const s = this.s;
    const code = s.image_uri !== undefined ? `ImageUri=${s.image_uri}` : `ZipFile=<${s.zip_file ?? ''}>`;
    const lines = [
      `lambda:GetFunction FunctionName=${s.function_name} region=${s.region ?? '(SDK default)'}`,
      `lambda:UpdateFunctionCode FunctionName=${s.function_name} ${code} RevisionId=<current>`,
      `wait lambda:FunctionUpdatedV2 FunctionName=${s.function_name}, then check LastUpdateStatus=Successful and CodeSha256=<ours>`,
    ];
    if (s.publish) lines.push(`lambda:PublishVersion FunctionName=${s.function_name} CodeSha256=<ours>`);
    if (s.alias) lines.push(`lambda:UpdateAlias FunctionName=${s.function_name} Name=${s.alias} FunctionVersion=<published> (CreateAlias if missing)`);
    return lines;
  }

  private async send<T>(step: string, ctx: DeployContext, call: (c: LambdaClient) => Promise<T>): Promise<T> {
    try {
      return await call(this.lambda());
    } catch (err) {
      throw awsDeployError(KIND, step, err, ctx.signal);
    }
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    const name = this.s.function_name;
    const opts = { abortSignal: ctx.signal };
    const current = await this.send('GetFunction', ctx, (c) => c.send(new GetFunctionCommand({ FunctionName: name }), opts));
    const zip = this.s.zip_file !== undefined ? await this.readZip(this.s.zip_file) : undefined;
    // Re-read: after a lost answer the function may already carry our code.
    if (ctx.attempt > 1) {
      const landed = zip
        ? current.Configuration?.CodeSha256 === createHash('sha256').update(zip).digest('base64')
        : current.Code?.ImageUri === this.s.image_uri;
      if (landed && current.Configuration?.CodeSha256) {
        ctx.log(`aws-lambda: ${name} already has this code (an earlier attempt's update landed)`);
        return this.handle(current.Configuration.CodeSha256);
      }
    }
    const updated = await this.send('UpdateFunctionCode', ctx, (c) =>
      c.send(
        new UpdateFunctionCodeCommand({
          FunctionName: name,
          ...(zip ? { ZipFile: zip } : { ImageUri: this.s.image_uri }),
          ...(current.Configuration?.RevisionId ? { RevisionId: current.Configuration.RevisionId } : {}),
        }),
        opts,
      ),
    );
    if (!updated.CodeSha256) throw new DeployError(KIND, 'transient', 'UpdateFunctionCode returned no CodeSha256');
    ctx.log(`aws-lambda: UpdateFunctionCode accepted (CodeSha256 ${updated.CodeSha256}, ${updated.LastUpdateStatus ?? '?'})`);
    return this.handle(updated.CodeSha256);
  }

  private async readZip(path: string): Promise<Uint8Array> {
    try {
      return await readFile(path);
    } catch (err) {
      throw new DeployError(KIND, fieldOf(err, 'code') === 'ENOENT' ? 'not_found' : 'invalid', `cannot read zip_file ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private handle(codeSha256: string): DeployHandle {
    return { id: `${this.s.function_name}@${codeSha256}`, details: { function: this.s.function_name, codeSha256 } };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const sha = String(handle.details?.['codeSha256'] ?? '');
    const name = this.s.function_name;
    const delay = Math.max(1, Math.round(this.s.poll_interval / 1000));
    await waitForFunctionUpdatedV2(
      { client: this.lambda(), minDelay: delay, maxDelay: delay, maxWaitTime: Math.max(delay + 1, Math.round(this.s.wait_slice / 1000)), abortSignal: ctx.signal },
      { FunctionName: name },
    );
    if (ctx.signal.aborted) throw new DeployError(KIND, 'cancelled', 'stopped while waiting for the function update');
    const got = await this.send('GetFunction', ctx, (c) => c.send(new GetFunctionCommand({ FunctionName: name }), { abortSignal: ctx.signal }));
    const outcome = updateOutcome(got.Configuration, sha);
    if (outcome.state !== 'succeeded' || !this.s.publish) return outcome;
    const published = await this.send('PublishVersion', ctx, (c) =>
      c.send(new PublishVersionCommand({ FunctionName: name, CodeSha256: sha, Description: `shipclock run ${ctx.runId}` }), { abortSignal: ctx.signal }),
    );
    const version = published.Version ?? '?';
    if (!this.s.alias) return { state: 'succeeded', message: `${outcome.message}; published version ${version}` };
    const alias = this.s.alias;
    await this.send('UpdateAlias', ctx, async (c) => {
      try {
        await c.send(new UpdateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version }), { abortSignal: ctx.signal });
      } catch (err) {
        if (fieldOf(err, 'name') !== 'ResourceNotFoundException') throw err;
        await c.send(new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version }), { abortSignal: ctx.signal });
      }
    });
    return { state: 'succeeded', message: `${outcome.message}; published version ${version}, alias ${alias} → ${version}` };
  }
}

/** Pure: what the function's configuration says about OUR update. */
export function updateOutcome(conf: FunctionConfiguration | undefined, sha: string): PollResult {
  if (!conf) return { state: 'failed', errorClass: 'not_found', message: 'function not found' };
  if (conf.LastUpdateStatus === 'Failed') {
    return { state: 'failed', errorClass: 'unhealthy', message: `update failed: ${conf.LastUpdateStatusReasonCode ?? ''} ${conf.LastUpdateStatusReason ?? ''}`.trim() };
  }
  if (conf.LastUpdateStatus === 'InProgress' || conf.State === 'Pending') return { state: 'pending', message: 'update in progress', retryAfterMs: 0 };
  if (conf.CodeSha256 !== sha) {
    return { state: 'failed', errorClass: 'conflict', message: `function code is ${conf.CodeSha256 ?? '?'}, not ours (${sha}): another update replaced it` };
  }
  return { state: 'succeeded', message: `code ${sha} is live (LastUpdateStatus ${conf.LastUpdateStatus ?? 'Successful'})` };
}

export const awsLambdaDefinition: ProviderDefinition<AwsLambdaSettings> = {
  kind: KIND,
  summary: 'AWS Lambda: update function code (image or zip), wait until the update succeeds, optionally publish and move an alias',
  settingsSchema: awsLambdaSettings,
  create: (settings, options) => new AwsLambdaProvider({ ...settings, zip_file: localPath(settings.zip_file, options?.baseDir) }),
};
