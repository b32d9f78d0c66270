/**
 * A scripted fake of the ECS JSON API (awsJson1_1: POST /, `X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.<Op>`), for the paths moto cannot produce: rollouts that
 * fail or roll back, conflicts, throttling, a call that lands but loses its answer. It models
 * just enough state (one service, task definitions with tags, deployments) to be consistent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';

type Json = Record<string, unknown>;
export type Rollout = 'complete' | 'fail' | 'fail-rollback';
export interface Fault {
  readonly status: number;
  readonly type: string;
  /** Apply the operation, then answer with the fault (the call landed, the answer was lost). */
  readonly afterApplying?: boolean;
}

const ACCOUNT = '123456789012';
const PREFIX = 'AmazonEC2ContainerServiceV20141113.';

export class EcsScriptedServer implements AsyncDisposable {
  readonly requests: string[] = [];
  rollout: Rollout = 'complete';
  rollbackEnabled = true;
  private readonly faults = new Map<string, Fault[]>();
  private readonly taskDefs = new Map<string, { td: Json; tags: Json[] }>();
  private readonly revisions = new Map<string, number>();
  private service: Json & { deployments: Json[] } = { deployments: [] };
  private describesSinceUpdate = 0;
  private nextId = 1;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.register({ family: 'web', containerDefinitions: [{ name: 'app', image: 'web:1' }] });
    const first = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:1`;
    this.service = {
      serviceName: 'web',
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      taskDefinition: first,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      deployments: [this.deployment(first, 'PRIMARY', 'COMPLETED', 2)],
    };
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this;
  }

  /** The next `times` calls of `op` answer with `fault`. */
  fail(op: string, fault: Fault, times = 1): void {
    this.faults.set(op, [...(this.faults.get(op) ?? []), ...Array<Fault>(times).fill(fault)]);
  }

  get taskDefinitionCount(): number {
    return this.taskDefs.size;
  }

  currentService(): Json {
    return this.service;
  }

  private deployment(td: string, status: string, rolloutState: string, running: number): Json {
    return { id: `ecs-svc/${this.nextId++}`, status, taskDefinition: td, rolloutState, desiredCount: 2, runningCount: running, createdAt: Date.now() / 1000 };
  }

  private register(input: Json): Json {
    const family = String(input['family']);
    const rev = (this.revisions.get(family) ?? 0) + 1;
    this.revisions.set(family, rev);
    const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${family}:${rev}`;
    const { tags, ...rest } = input;
    const td = { ...rest, taskDefinitionArn: arn, revision: rev, status: 'ACTIVE' };
    this.taskDefs.set(arn, { td, tags: (tags as Json[] | undefined) ?? [] });
    return td;
  }

  private apply(op: string, body: Json): Json {
    switch (op) {
      case 'DescribeServices':
        this.advance();
        return { services: [this.service], failures: [] };
      case 'DescribeTaskDefinition': {
        const found = this.taskDefs.get(String(body['taskDefinition']));
        if (!found) throw { status: 400, type: 'ClientException' };
        return { taskDefinition: found.td, tags: found.tags };
      }
      case 'RegisterTaskDefinition':
        return { taskDefinition: this.register(body) };
      case 'UpdateService': {
        const td = String(body['taskDefinition']);
        const previous = this.service.deployments.map((d) => ({ ...d, status: 'ACTIVE' }));
        this.service.deployments = [this.deployment(td, 'PRIMARY', 'IN_PROGRESS', 0), ...previous];
        this.service['taskDefinition'] = td;
        this.service['deploymentConfiguration'] = { deploymentCircuitBreaker: { enable: true, rollback: this.rollbackEnabled } };
        this.describesSinceUpdate = 0;
        return { service: this.service };
      }
      default:
        throw { status: 400, type: 'InvalidAction' };
    }
  }

  /** Each DescribeServices after an update moves the rollout one step, as ECS would over time. */
  private advance(): void {
    const [ours, ...rest] = this.service.deployments;
    if (!ours || ours['rolloutState'] !== 'IN_PROGRESS' || rest.length === 0) return;
    this.describesSinceUpdate++;
    // A rollout without automatic rollback fails at once; the others take two looks.
    if (this.describesSinceUpdate < (this.rollout === 'fail' ? 1 : 2)) return;
    if (this.rollout === 'complete') {
      this.service.deployments = [{ ...ours, rolloutState: 'COMPLETED', runningCount: 2 }];
    } else if (this.rollout === 'fail') {
      this.service.deployments = [{ ...ours, rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' }, ...rest];
    } else {
      // Circuit breaker: ECS rolls back to the previous revision and drops the failed deployment.
      const previousTd = String(rest[0]?.['taskDefinition']);
      this.service.deployments = [this.deployment(previousTd, 'PRIMARY', 'COMPLETED', 2)];
      this.service['taskDefinition'] = previousTd;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const op = String(req.headers['x-amz-target'] ?? '').replace(PREFIX, '');
    this.requests.push(op);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Json;
    const fault = this.faults.get(op)?.shift();
    try {
      if (fault && !fault.afterApplying) throw fault;
      const out = this.apply(op, body);
      if (fault) throw fault;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(out));
    } catch (e) {
      const f = e as Fault;
      res
        .writeHead(f.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': f.type })
        .end(JSON.stringify({ __type: f.type, message: `scripted ${f.type}` }));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
