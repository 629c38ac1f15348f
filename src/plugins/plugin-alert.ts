// ctx.alert: a plugin's alert for the operator, checked and raised through the platform's alerts
// (stored for the panel, sent to the admins once per incident). Its subject is the plugin's own
// (`plugin:<name>:<subject>`), so one plugin's alerts never fold into another's.
import { z } from 'zod';
import type { AlertKind } from '../db/schema.js';

/** What the platform's alert manager takes from a plugin. */
export interface PluginAlertCandidate {
  kind: Extract<AlertKind, 'plugin'>;
  subject: string;
  message: string;
}

const subjectSchema = z.string().regex(/^[a-z0-9._:-]{1,80}$/, "is 1–80 of a-z, 0-9, '.', '_', '-', ':'");
const messageSchema = z.string().trim().min(1, 'is empty').max(1000, 'is over 1000 characters');

/** ContextDeps.alert over `raise` (AlertManager.raise in the server). */
export function pluginAlerts(
  raise: (candidate: PluginAlertCandidate) => Promise<unknown>,
): (plugin: string, subject: string, message: string) => Promise<void> {
  return async (plugin, subject, message) => {
    const checkedSubject = subjectSchema.safeParse(subject);
    if (!checkedSubject.success) {
      throw new TypeError(
        `alert(${String(subject).slice(0, 100)}): the subject ${checkedSubject.error.issues[0]?.message}`,
      );
    }
    const checkedMessage = messageSchema.safeParse(message);
    if (!checkedMessage.success) {
      throw new TypeError(`alert(${subject}): the message ${checkedMessage.error.issues[0]?.message}`);
    }
    await raise({
      kind: 'plugin',
      subject: `plugin:${plugin}:${subject}`,
      message: `Plugin ${plugin}: ${checkedMessage.data}`,
    });
  };
}
