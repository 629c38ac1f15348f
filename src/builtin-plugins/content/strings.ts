// The content store's words in English and German; English holds every key.
import type { PluginStrings } from '../../plugins/api.js';

const en = {
  saved: 'Saved as {id} ({visibility}).',
  savedTags: 'Saved as {id} ({visibility}), tagged {tags}.',
  alreadySaved: 'Already saved as {id}.',
  saveHow:
    'Reply to a message with /save to keep it, or write /save and a text. Add #tags, and "team" or "public" to share it: /save team #contracts',
  tooLarge: 'That is too large to keep: the limit is {limit}.',
  saveFailed: 'That could not be saved just now; please try again in a minute.',
  searchHow:
    'Write /search and what to look for, e.g. /search invoice #finance type:document after:2026-01-01 (or: mine)',
  noHits: 'Nothing you can see matches that.',
  found: { one: '{count} item:', other: 'Items {from}–{to}:' },
  more: 'More ›',
  getHow: 'Write /get and an item id, e.g. /get k3m9x2qa',
  notFound: 'There is no item {id} that you are allowed to see.',
  deleteHow: 'Write /delete and an item id, e.g. /delete k3m9x2qa',
  deleted: 'Deleted {id}.',
  notYours: 'Only its owner or an admin may delete {id}.',
  private: 'private',
  team: 'team',
  public: 'public',
  fileNotKept: 'The file is kept by Telegram only.',
  cut: '… (cut here; the whole text is in the admin panel)',
  inlineEmpty: 'Nothing found',
} as const;

export type ContentKey = keyof typeof en;

export const strings: PluginStrings<ContentKey> = {
  en,
  de: {
    saved: 'Gespeichert als {id} ({visibility}).',
    savedTags: 'Gespeichert als {id} ({visibility}), mit {tags}.',
    alreadySaved: 'Schon gespeichert als {id}.',
    saveHow:
      'Antworte mit /save auf eine Nachricht, um sie zu behalten, oder schreibe /save und einen Text. #Tags und "team" oder "public" teilen sie: /save team #vertraege',
    tooLarge: 'Das ist zu groß: die Grenze ist {limit}.',
    saveFailed: 'Das konnte gerade nicht gespeichert werden; bitte versuche es in einer Minute noch einmal.',
    searchHow:
      'Schreibe /search und wonach du suchst, z. B. /search Rechnung #finanzen type:document after:2026-01-01 (oder: mine)',
    noHits: 'Nichts, was du sehen darfst, passt dazu.',
    found: { one: '{count} Eintrag:', other: 'Einträge {from}–{to}:' },
    more: 'Mehr ›',
    getHow: 'Schreibe /get und die Nummer eines Eintrags, z. B. /get k3m9x2qa',
    notFound: 'Es gibt keinen Eintrag {id}, den du sehen darfst.',
    deleteHow: 'Schreibe /delete und die Nummer eines Eintrags, z. B. /delete k3m9x2qa',
    deleted: '{id} gelöscht.',
    notYours: 'Nur sein Besitzer oder ein Admin darf {id} löschen.',
    private: 'privat',
    team: 'Team',
    public: 'öffentlich',
    fileNotKept: 'Die Datei liegt nur bei Telegram.',
    cut: '… (hier gekürzt; der ganze Text steht im Admin-Panel)',
    inlineEmpty: 'Nichts gefunden',
  },
};
