/** A notification as a plain-text email: subject plus aligned facts, log excerpt and link. */
import type { Message } from './message.js';

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
}

export function renderEmail(m: Message): EmailContent {
  const subject = m.kind === 'summary' ? `[shipclock] ${m.headline}` : `[shipclock] ${m.headline} (${m.nominalTime})`;
  const width = Math.max(...m.facts.map((f) => f.label.length)) + 2;
  const lines = [m.headline, '', ...m.facts.map((f) => `${`${f.label}:`.padEnd(width)}${f.value.replace(/\n/g, `\n${' '.repeat(width)}`)}`)];
  if (m.logExcerpt) lines.push('', 'Log excerpt (last lines, secrets redacted):', ...m.logExcerpt.split('\n').map((l) => `  ${l}`));
  if (m.link) lines.push('', `Open in the dashboard: ${m.link}`);
  lines.push('', '-- ', 'shipclock');
  return { subject: subject.replace(/[\r\n]+/g, ' '), text: `${lines.join('\n')}\n` };
}
