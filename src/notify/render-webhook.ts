/**
 * Webhook payloads: a generic JSON document, a Slack message (`text` plus Block Kit blocks, as
 * accepted by Slack incoming webhooks and Mattermost/Rocket.Chat), and a Microsoft Teams
 * message carrying an Adaptive Card (what Teams workflow webhooks accept since Office 365
 * connectors were retired).
 */
import type { Message } from './message.js';
import type { WebhookFormat } from './webhook-config.js';

export function renderWebhook(format: WebhookFormat, m: Message): unknown {
  switch (format) {
    case 'slack':
      return slackPayload(m);
    case 'teams':
      return teamsPayload(m);
    case 'json':
      return jsonPayload(m);
  }
}

/** Stable, documented shape for programs: `schema` changes only with an incompatible change. */
export function jsonPayload(m: Message): Record<string, unknown> {
  const e = m.event;
  return {
    schema: 'shipclock.notification/v1',
    kind: m.kind,
    severity: m.severity,
    job: m.job,
    title: m.headline,
    text: m.text,
    nominalTime: m.nominalTime,
    nominalTimeUtc: e.nominalTime.toISOString(),
    occurrenceId: e.occurrenceId,
    runId: e.runId ?? null,
    attempts: e.attempts ?? null,
    errorClass: e.errorClass ?? null,
    message: e.message ?? null,
    durationMs: e.durationMs ?? null,
    reason: e.reason ?? null,
    at: e.at.toISOString(),
    logExcerpt: m.logExcerpt,
    url: m.link,
    summary: m.summary,
    recovery: m.recovery,
  };
}

// Slack limits: header text 150 chars, section text 3000, at most 10 fields of 2000.
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const mrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const EMOJI = { good: ':white_check_mark:', bad: ':x:', warning: ':warning:' } as const;

export function slackPayload(m: Message): Record<string, unknown> {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(m.headline, 150), emoji: true } },
    {
      type: 'section',
      fields: m.facts.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: clip(`*${mrkdwn(f.label)}*\n${mrkdwn(f.value)}`, 2000) })),
    },
  ];
  if (m.logExcerpt) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${clip(mrkdwn(m.logExcerpt), 2900)}\`\`\`` } });
  }
  if (m.link) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open run' }, url: m.link }] });
  }
  return { text: `${EMOJI[m.severity]} ${mrkdwn(m.text)}`, blocks };
}

const TEAMS_COLOR = { good: 'Good', bad: 'Attention', warning: 'Warning' } as const;

export function teamsPayload(m: Message): Record<string, unknown> {
  const body: unknown[] = [
    { type: 'TextBlock', text: m.headline, weight: 'Bolder', size: 'Medium', color: TEAMS_COLOR[m.severity], wrap: true },
    { type: 'FactSet', facts: m.facts.map((f) => ({ title: f.label, value: f.value })) },
  ];
  if (m.logExcerpt) body.push({ type: 'TextBlock', text: m.logExcerpt, fontType: 'Monospace', isSubtle: true, wrap: true });
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    actions: m.link ? [{ type: 'Action.OpenUrl', title: 'Open run', url: m.link }] : [],
    msteams: { width: 'Full' },
  };
  return {
    type: 'message',
    summary: m.text,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}
