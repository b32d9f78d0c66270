/**
 * Email through SMTP with nodemailer. The password comes from the environment variable the
 * config names and is handed to nodemailer only; nodemailer's own logger stays off so no
 * protocol transcript (which would contain the AUTH exchange) can reach a log.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../config/types.js';
import type { EmailContent } from './render-email.js';
import { errorCode, errorMessage, type SendResult } from './send-result.js';

export interface EmailChannel {
  send(to: readonly string[], content: EmailContent): Promise<SendResult>;
  close(): void;
}

export function createEmailChannel(smtp: SmtpConfig, password: string | null, timeoutMs: number): EmailChannel {
  let transport: Transporter | null = null;
  const get = (): Transporter =>
    (transport ??= createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      logger: false,
      debug: false,
      disableFileAccess: true,
      disableUrlAccess: true,
    }));
  return {
    async send(to, content) {
      try {
        const info = (await get().sendMail({ from: smtp.from, to: [...to], subject: content.subject, text: content.text })) as {
          rejected?: unknown[];
          response?: string;
        };
        const rejected = (info.rejected ?? []).map(String);
        return { ok: true, status: replyCode(info.response), ...(rejected.length ? { note: `rejected recipients: ${rejected.join(', ')}` } : {}) };
      } catch (err) {
        const status = typeof (err as { responseCode?: unknown }).responseCode === 'number' ? (err as { responseCode: number }).responseCode : null;
        // SMTP 5xx replies are permanent (bad recipient, bad credentials); 4xx and network
        // errors may pass on another try.
        return { ok: false, status, code: errorCode(err, 'ESMTP'), message: errorMessage(err), retryable: status === null || status < 500 };
      }
    },
    close() {
      transport?.close();
      transport = null;
    },
  };
}

function replyCode(response: string | undefined): number | null {
  const m = /^(\d{3})/.exec(response ?? '');
  return m ? Number(m[1]) : null;
}
