/**
 * A channel-neutral notification: what happened, as facts. The email, JSON, Slack and Teams
 * renderers all start from this, so every channel says the same thing. All free text passes
 * through the redactor here, once, before any channel sees it.
 */
import type { Aggregate, Recovery, Summary } from './episodes.js';
import type { Redactor } from './redact.js';
import { formatDuration, formatInstant } from './time-format.js';
import type { MessageKind, NotificationEvent, NotificationEventType } from './types.js';

export type Severity = 'good' | 'bad' | 'warning';

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export interface Message {
  readonly kind: MessageKind;
  readonly job: string;
  readonly severity: Severity;
  /** Short title: `Job web failed`. */
  readonly headline: string;
  /** One self-contained line, for plain-text fallbacks and subjects. */
  readonly text: string;
  readonly facts: readonly Fact[];
  readonly logExcerpt: string | null;
  readonly link: string | null;
  /** The event the message is about (for a summary: the latest one), redacted. */
  readonly event: NotificationEvent;
  /** Nominal time of `event`, in the job's zone. */
  readonly nominalTime: string;
  readonly summary: { readonly since: string; readonly count: number; readonly byType: Readonly<Partial<Record<NotificationEventType, number>>> } | null;
  readonly recovery: { readonly failures: number; readonly since: string | null; readonly unreported: number } | null;
}

export interface MessageContext {
  readonly timeZone: string | null;
  readonly dashboardUrl: string | null;
  readonly redact: Redactor;
}

const EXCERPT_MAX_LINES = 30;
const EXCERPT_MAX_CHARS = 2500;

const VERB: Record<NotificationEventType, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  recovered: 'recovered',
  timed_out: 'timed out',
  skipped: 'occurrence skipped',
  missed: 'occurrence missed',
  blocked: 'run blocked',
  interrupted: 'run interrupted',
  clock_jump: 'clock jump detected',
};

function severityOf(kind: MessageKind): Severity {
  if (kind === 'succeeded' || kind === 'recovered') return 'good';
  if (kind === 'failed' || kind === 'timed_out' || kind === 'summary') return 'bad';
  return 'warning';
}

/** The last lines of a log, redacted and bounded: the end of a log is where the failure is. */
export function excerptOf(log: string | undefined, redact: Redactor): string | null {
  if (!log || log.trim() === '') return null;
  let lines = redact(log).replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  if (lines.length > EXCERPT_MAX_LINES) lines = lines.slice(-EXCERPT_MAX_LINES);
  let text = lines.join('\n');
  if (text.length > EXCERPT_MAX_CHARS) text = `…${text.slice(-EXCERPT_MAX_CHARS)}`;
  return text;
}

export function runLink(dashboardUrl: string | null, occurrenceId: string): string | null {
  if (!dashboardUrl) return null;
  return `${dashboardUrl.replace(/\/+$/, '')}/runs/${encodeURIComponent(occurrenceId)}`;
}

function redactEvent(e: NotificationEvent, redact: Redactor): NotificationEvent {
  return {
    ...e,
    message: typeof e.message === 'string' ? redact(e.message) : e.message,
    errorClass: typeof e.errorClass === 'string' ? redact(e.errorClass) : e.errorClass,
    reason: e.reason === undefined ? undefined : redact(e.reason),
    logExcerpt: excerptOf(e.logExcerpt, redact) ?? undefined,
  };
}

function eventFacts(e: NotificationEvent, ctx: MessageContext, nominal: string): Fact[] {
  const facts: Fact[] = [];
  if (e.job) facts.push({ label: 'Job', value: e.job });
  facts.push({ label: 'Nominal time', value: nominal });
  if (e.attempts !== undefined) facts.push({ label: 'Attempts', value: String(e.attempts) });
  if (e.errorClass) facts.push({ label: 'Error class', value: e.errorClass });
  if (e.durationMs !== undefined) facts.push({ label: 'Duration', value: formatDuration(e.durationMs) });
  if (e.reason) facts.push({ label: 'Reason', value: e.reason });
  if (e.message) facts.push({ label: 'Error', value: e.message });
  if (e.runId) facts.push({ label: 'Run id', value: e.runId });
  facts.push({ label: 'Occurrence', value: e.occurrenceId });
  facts.push({ label: 'At', value: formatInstant(e.at, ctx.timeZone) });
  return facts;
}

function describeCounts(agg: Aggregate): string {
  const parts = Object.entries(agg.byType).map(([t, n]) => `${n} ${VERB[t as NotificationEventType]}`);
  return parts.join(', ');
}

function noun(agg: Aggregate): string {
  const onlyFailures = Object.keys(agg.byType).every((t) => t === 'failed' || t === 'timed_out');
  const word = onlyFailures ? 'failure' : 'problem';
  return `${agg.count} more ${word}${agg.count === 1 ? '' : 's'}`;
}

export function eventMessage(event: NotificationEvent, ctx: MessageContext, recovery: Recovery | null = null): Message {
  const e = redactEvent(event, ctx.redact);
  const kind: MessageKind = recovery ? 'recovered' : e.type;
  const nominal = formatInstant(e.nominalTime, ctx.timeZone);
  const who = e.job ? `Job ${e.job}` : 'shipclock';
  let headline = `${who} ${VERB[kind as NotificationEventType]}`;
  const facts = eventFacts(e, ctx, nominal);
  let rec: Message['recovery'] = null;
  if (recovery) {
    const since = recovery.since ? formatInstant(recovery.since, ctx.timeZone) : null;
    if (recovery.failures > 0) headline += ` after ${recovery.failures} failure${recovery.failures === 1 ? '' : 's'}`;
    if (since) facts.splice(1, 0, { label: 'Failing since', value: since });
    if (recovery.unreported) facts.splice(2, 0, { label: 'Not reported before', value: describeCounts(recovery.unreported) });
    rec = { failures: recovery.failures, since, unreported: recovery.unreported?.count ?? 0 };
  }
  const text = `shipclock: ${headline} (nominal ${nominal}${e.attempts !== undefined ? `, ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}` : ''}${e.errorClass ? `, ${e.errorClass}` : ''}${e.reason ? `: ${e.reason}` : ''})`;
  return {
    kind,
    job: e.job,
    severity: severityOf(kind),
    headline,
    text,
    facts,
    logExcerpt: e.logExcerpt ? e.logExcerpt : null,
    link: runLink(ctx.dashboardUrl, e.occurrenceId),
    event: e,
    nominalTime: nominal,
    summary: null,
    recovery: rec,
  };
}

export function summaryMessage(summary: Summary, ctx: MessageContext): Message {
  const agg = summary.aggregate;
  const last = redactEvent(agg.last, ctx.redact);
  const since = formatInstant(summary.since, ctx.timeZone);
  const nominal = formatInstant(last.nominalTime, ctx.timeZone);
  const headline = `${noun(agg)} of ${summary.job === '*' ? 'the scheduler' : `job ${summary.job}`} since ${since}`;
  const facts: Fact[] = [
    { label: 'Job', value: summary.job },
    { label: 'Since', value: since },
    { label: 'Counts', value: describeCounts(agg) },
    { label: 'First nominal time', value: formatInstant(agg.first.nominalTime, ctx.timeZone) },
    { label: 'Last nominal time', value: nominal },
    ...eventFacts(last, ctx, nominal)
      .filter((f) => f.label !== 'Job' && f.label !== 'Nominal time')
      .map((f) => ({ label: `Last ${f.label.toLowerCase()}`, value: f.value })),
  ];
  return {
    kind: 'summary',
    job: summary.job,
    severity: 'bad',
    headline,
    text: `shipclock: ${headline} (${describeCounts(agg)}; last nominal ${nominal}${last.errorClass ? `, ${last.errorClass}` : ''})`,
    facts,
    logExcerpt: last.logExcerpt ? last.logExcerpt : null,
    link: runLink(ctx.dashboardUrl, last.occurrenceId),
    event: last,
    nominalTime: nominal,
    summary: { since, count: agg.count, byType: { ...agg.byType } },
    recovery: null,
  };
}
