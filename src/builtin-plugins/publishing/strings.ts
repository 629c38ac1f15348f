// The publishing plugin's words in English and German; English holds every key.
import type { PluginStrings } from '../../plugins/api.js';

const en = {
  postHow:
    'Write /post and a text, or answer a message (a photo too) with /post. Options before the text: @account, unlisted, private, cw:"a warning", lang:de, poll:1d with "- option" lines.',
  scheduleHow:
    'Write /schedule, a time and the text, e.g. /schedule in 2h …, /schedule tomorrow 09:00 …, /schedule 2026-12-24 18:00 … (UTC).',
  publishHow:
    'Write /publish and a content item id to make a DEV.to article of it: /publish k3m9x2qa [draft] [#tag …] [canonical:URL] [series:Name]',
  notAllowed: "Only the bot's admins and the posters set in the panel may publish.",
  noMastodon:
    'No Mastodon account is set up: add one in the panel (Plugins › Publishing) or set MASTODON_URL and MASTODON_TOKEN.',
  noDevto: 'No DEV.to account is set up: add an API key in the panel (Plugins › Publishing) or set DEVTO_API_KEY.',
  unknownAccount: 'There is no {service} account {account}.',
  nothingToPost: 'There is nothing to post.',
  badOptions: 'That cannot be posted: {error}',
  inPast: 'That time has passed; give one in the future.',
  tooFar: 'That is more than a year away.',
  queued: 'Queued as {id}; it goes out through {account} in a moment, and I will say when it is out.',
  scheduled: 'Scheduled as {id} for {when} UTC through {account}.',
  out: '{id} is out: {url}',
  failed: '{id} failed for good: {error}. It can be retried from /queue or the panel.',
  noItem: 'There is no content item {id} that you may see.',
  queueEmpty: 'Nothing is queued, and nothing failed lately.',
  queueTitle: 'The publishing queue:',
  retry: 'Retry {id}',
  cancel: 'Cancel {id}',
  remove: 'Delete {id}',
  retried: '{id} is queued again.',
  cancelled: '{id} is cancelled.',
  removing: 'Deleting {id} from Mastodon.',
  notNow: '{id} cannot be changed now ({status}).',
  replied: '💬 {account} replied to {url}:\n{text}',
} as const;

export type PublishingKey = keyof typeof en;

export const strings: PluginStrings<PublishingKey> = {
  en,
  de: {
    postHow:
      'Schreibe /post und einen Text, oder antworte mit /post auf eine Nachricht (auch ein Foto). Optionen vor dem Text: @konto, unlisted, private, cw:"eine Warnung", lang:de, poll:1d mit Zeilen "- Option".',
    scheduleHow:
      'Schreibe /schedule, eine Zeit und den Text, z. B. /schedule in 2h …, /schedule tomorrow 09:00 …, /schedule 2026-12-24 18:00 … (UTC).',
    publishHow:
      'Schreibe /publish und die Nummer eines Eintrags, um daraus einen DEV.to-Artikel zu machen: /publish k3m9x2qa [draft] [#tag …] [canonical:URL] [series:Name]',
    notAllowed: 'Nur die Admins des Bots und die im Panel eingetragenen Autoren dürfen veröffentlichen.',
    noMastodon:
      'Es ist kein Mastodon-Konto eingerichtet: füge eins im Panel hinzu (Plugins › Publishing) oder setze MASTODON_URL und MASTODON_TOKEN.',
    noDevto:
      'Es ist kein DEV.to-Konto eingerichtet: füge einen API-Schlüssel im Panel hinzu (Plugins › Publishing) oder setze DEVTO_API_KEY.',
    unknownAccount: 'Es gibt kein {service}-Konto {account}.',
    nothingToPost: 'Da ist nichts zu veröffentlichen.',
    badOptions: 'Das lässt sich nicht veröffentlichen: {error}',
    inPast: 'Diese Zeit ist vorbei; nenne eine in der Zukunft.',
    tooFar: 'Das ist mehr als ein Jahr entfernt.',
    queued: 'Eingereiht als {id}; es geht gleich über {account} hinaus, und ich sage Bescheid.',
    scheduled: 'Geplant als {id} für {when} UTC über {account}.',
    out: '{id} ist veröffentlicht: {url}',
    failed: '{id} ist endgültig gescheitert: {error}. Über /queue oder das Panel lässt es sich neu versuchen.',
    noItem: 'Es gibt keinen Eintrag {id}, den du sehen darfst.',
    queueEmpty: 'Nichts wartet, und nichts ist zuletzt gescheitert.',
    queueTitle: 'Die Warteschlange:',
    retry: '{id} neu versuchen',
    cancel: '{id} abbrechen',
    remove: '{id} löschen',
    retried: '{id} ist wieder eingereiht.',
    cancelled: '{id} ist abgebrochen.',
    removing: '{id} wird bei Mastodon gelöscht.',
    notNow: '{id} lässt sich gerade nicht ändern ({status}).',
    replied: '💬 {account} hat auf {url} geantwortet:\n{text}',
  },
};
