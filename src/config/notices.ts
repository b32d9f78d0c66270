/**
 * Notes for the operator about a valid config: things the config accepts but cannot check
 * itself (mail delivery, webhook reachability, scheduling keys kept raw), and choices that are
 * allowed but risky. Shown by `validate`; never a reason to refuse the config.
 */
import type { Config, JobConfig } from './types.js';

function list(items: readonly string[]): string {
  return items.join(', ');
}

function notificationNotices(job: JobConfig, config: Pick<Config, 'smtp'>, env: Readonly<Record<string, string | undefined>>): string[] {
  const n = job.notifications;
  if (!n) return [];
  const out: string[] = [];
  const events = [n.onSuccess ? 'success' : null, n.onFailure ? 'failure' : null].filter(Boolean).join(' and ') || 'no events';
  const parts = [
    n.email.length ? `email to ${list(n.email)}` : null,
    n.webhooks.length ? `${n.webhooks.length} webhook${n.webhooks.length === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  out.push(
    `job \`${job.name}\`: notifications checked (${parts.join('; ') || 'no recipients'}, on ${events}); ` +
      'delivery is done by the notify module: mail servers and webhook URLs are contacted only when a message is sent',
  );
  if (n.email.length && !config.smtp) {
    out.push(`job \`${job.name}\`: email recipients are set but there is no \`smtp:\` block, so no email can be sent`);
  }
  for (const w of n.webhooks) {
    const name = w['secret_header_env'];
    if (typeof name === 'string' && !env[name]) {
      out.push(`job \`${job.name}\`: a webhook's secret_header_env names ${name}, which is not set in this environment`);
    }
  }
  if ((n.email.length || n.webhooks.length) && !n.onSuccess && !n.onFailure) {
    out.push(`job \`${job.name}\`: on_success and on_failure are both false: only the other events (missed, skipped, interrupted…) are reported`);
  }
  return out;
}

export function configNotices(config: Omit<Config, 'notices'>, env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const job of config.jobs) {
    if (job.timeoutMs === null) {
      out.push(`job \`${job.name}\`: \`timeout: none\`: a deploy that hangs holds target \`${job.target}\` until someone cancels it`);
    }
    if (job.schedule === null) out.push(`job \`${job.name}\` has no schedule: it deploys only when asked (\`shipclock deploy ${job.name}\`)`);
    out.push(...notificationNotices(job, config, env));
    // Only `idempotent` is left as written (the recovery sweep reads it); the others are resolved.
    const extra = Object.keys(job.extra ?? {}).filter((k) => !['depends_on', 'windows', 'regions', 'waves', 'on_failure', 'dependency_window', 'idempotent'].includes(k));
    if (extra.length) {
      out.push(`job \`${job.name}\`: ${extra.map((k) => `\`${k}\``).join(', ')} checked for shape only; the scheduler validates and applies them`);
    }
  }
  const smtp = config.smtp;
  if (smtp?.passwordEnv && !env[smtp.passwordEnv]) {
    out.push(`smtp.password_env names ${smtp.passwordEnv}, which is not set in this environment: sending mail will fail to log in`);
  }
  const dbUrl = env['DATABASE_URL'];
  if (dbUrl && !/^postgres(ql)?:\/\//i.test(dbUrl.trim())) {
    out.push('DATABASE_URL is set but is not a postgres:// URL, so it is ignored for the store');
  }
  return out;
}
