// Paraphrase augmentation of the training utterances: each one is also learnt with a key word
// swapped for a synonym and with the polite or question openings people put in front of a request,
// so that the few phrasings written by hand (or a command's one-line description) cover the many
// words users actually choose. English has all three; German, Spanish and Russian a small synonym table.
import type { Language } from '../../config/settings-catalog.js';
import { normalize } from './stemmer.js';

/**
 * Words that ask for the same thing, the first standing for the group: training and classifying
 * both see the first, so a synonym the corpus never used counts as the word it did.
 */
const SYNONYMS: readonly (readonly string[])[] = [
  ['hello', 'hi', 'hey', 'heya', 'hiya', 'helo', 'hallo', 'hullo', 'howdy', 'yo', 'sup', 'hai'],
  ['bye', 'goodbye', 'cya', 'farewell', 'ciao', 'byebye', 'adios'],
  ['thanks', 'thank', 'thx', 'thanx', 'ty', 'thankyou', 'obliged', 'grateful', 'appreciate', 'appreciated'],
  ['show', 'list', 'display', 'view', 'overview', 'summary', 'rundown'],
  ['change', 'switch', 'set', 'adjust', 'configure', 'edit', 'modify', 'alter'],
  ['stop', 'cancel', 'abort', 'quit', 'halt', 'scrap', 'nevermind', 'enough'],
  ['forget', 'clear', 'erase', 'wipe', 'delete', 'reset'],
  ['money', 'payment', 'funds', 'cash', 'transaction'],
  ['pay', 'purchase', 'checkout', 'buy', 'subscribe', 'card', 'bill', 'invoice'],
  ['order', 'package', 'parcel', 'shipment', 'delivery', 'bought', 'ordered', 'goods', 'items', 'purchases'],
  ['user', 'member', 'customer', 'people', 'spammer', 'troll', 'guy'],
  ['ban', 'block', 'kick', 'mute', 'silence'],
  ['unban', 'unblock', 'unmute', 'pardon', 'readmit'],
  ['settings', 'preferences', 'configuration', 'profile', 'options', 'setup', 'account'],
  ['language', 'languages', 'lang', 'locale', 'english', 'german', 'spanish', 'russian', 'french', 'italian'],
  [
    'commands',
    'features',
    'functions',
    'abilities',
    'services',
    'command',
    'feature',
    'function',
    'menu',
    'capabilities',
    'skills',
  ],
  ['help', 'assistance', 'guidance', 'assist', 'guide', 'hlep', 'halp', 'manual', 'tutorial'],
  [
    'weather',
    'forecast',
    'temperature',
    'rain',
    'snow',
    'sunny',
    'windy',
    'umbrella',
    'hot',
    'cold',
    'storm',
    'stormy',
    'cloudy',
    'rainy',
    'snowy',
    'warm',
    'chilly',
    'freezing',
    'humid',
    'degrees',
  ],
  ['city', 'town'],
  ['statistics', 'stats', 'analytics', 'metrics', 'figures', 'numbers', 'usage'],
  ['update', 'upgrade'],
  ['version', 'release', 'build'],
  ['latest', 'newest', 'newer', 'current', 'outdated'],
  ['plugin', 'extension', 'module', 'addon', 'integration'],
  ['enable', 'disable', 'activate', 'deactivate', 'install', 'uninstall'],
  ['status', 'health', 'uptime', 'alive', 'online', 'offline'],
  ['refund', 'reimburse', 'repay', 'refunded', 'chargeback'],
  ['start', 'begin', 'restart', 'launch'],
  [
    'human',
    'person',
    'agent',
    'operator',
    'somebody',
    'someone',
    'manager',
    'staff',
    'representative',
    'employee',
    'supervisor',
  ],
  ['talk', 'speak', 'contact', 'reach', 'email', 'call', 'phone'],
  ['price', 'cost', 'fee', 'rate', 'pricing', 'tariff'],
  ['expensive', 'pricey', 'costly', 'cheap', 'affordable'],
  ['conversation', 'chat', 'history', 'memory', 'messages', 'discussion'],
  ['past', 'previous', 'earlier'],
  ['delivered', 'shipped', 'arrived', 'ship', 'arrive', 'dispatched', 'track', 'tracking'],
];

/**
 * The other languages' groups: the forms of wanting ("möchte/will", "quiero/quisiera", "хочу/хотел")
 * and the words of the settings and display requests, as written (no inflection is undone: each form
 * that matters is listed). The forms of "can" are left apart: folded, they blurred "what can you do".
 */
const OTHER_SYNONYMS: Readonly<Record<Exclude<Language, 'en'>, readonly (readonly string[])[]>> = {
  de: [
    ['möchte', 'möchten', 'will', 'willst', 'wollen', 'möcht'],
    ['zeig', 'zeige', 'zeigen', 'zeigst', 'anzeigen'],
    ['ändern', 'ändere', 'änder', 'wechseln', 'wechsle', 'umstellen', 'anpassen', 'einstellen'],
    ['einstellungen', 'optionen', 'präferenzen', 'vorlieben', 'konfiguration', 'einstellung'],
    ['benachrichtigungen', 'mitteilungen', 'benachrichtigung', 'hinweise', 'meldungen', 'push'],
  ],
  es: [
    ['quiero', 'quisiera', 'querría', 'deseo', 'queremos'],
    ['muestra', 'muéstrame', 'muestrame', 'enseña', 'enséñame', 'mostrar', 'mostrame'],
    ['cambiar', 'cambia', 'cámbiame', 'modificar', 'modifica', 'ajustar', 'ajusta', 'cambio'],
    ['configuración', 'ajustes', 'preferencias', 'opciones', 'configuracion', 'config'],
    ['notificaciones', 'avisos', 'alertas', 'notificación', 'notis'],
  ],
  ru: [
    ['хочу', 'хотел', 'хотела', 'хотелось', 'хотим', 'хочется'],
    ['покажи', 'покажите', 'показать', 'выведи', 'отобрази'],
    ['поменять', 'поменяй', 'сменить', 'смени', 'изменить', 'измени', 'переключить', 'переключи'],
    ['настройки', 'параметры', 'предпочтения', 'настройка', 'опции', 'настроек', 'параметров'],
    ['уведомления', 'оповещения', 'уведомлений', 'оповещений', 'уведомление', 'пуши'],
  ],
};

/**
 * Openings that change the shape of a request, not what it asks for. English only: German, Spanish
 * and Russian openings ("könnten Sie", "quisiera", "хотел бы") doubled their training time and
 * picked no more sentences right (BENCHMARKS.md); their asking forms are folded as synonyms instead.
 */
const OPENINGS: readonly string[] = [
  'please',
  'can you',
  'could you',
  'I want to',
  'I would like to',
  'how do I',
  'how can I',
];

/** Contractions spelt out, with or without their apostrophe, as the corpus writes them. */
const CONTRACTIONS: readonly (readonly [RegExp, string])[] = [
  [/\b(what|that|it|there|where|how|who)[’']?s\b/gi, '$1 is'],
  [/\bi[’']?m\b/gi, 'I am'],
  [/\b(I|you|we|they)[’']?re\b/gi, '$1 are'],
  [/\b(I|you|we|they)[’']?ve\b/gi, '$1 have'],
  [/\b(I|you|we|they)[’']?d\b/gi, '$1 would'],
  [/\b(I|you|we|they)[’']?ll\b/gi, '$1 will'],
  [/\blet[’']?s\b/gi, 'let us'],
  [/\b(can)[’']?t\b/gi, 'cannot'],
  [/\bwon[’']?t\b/gi, 'will not'],
  [/\b(do|does|did|is|are|was|were|have|has|should|would|could)n[’']?t\b/gi, '$1 not'],
];

const head = new Map<string, string>();
for (const [first, ...others] of SYNONYMS) for (const word of others) head.set(word, first as string);

/** Each word of the groups, as the tokenizer writes it (lower case, no accents), with its group's head. */
function heads(groups: readonly (readonly string[])[]): ReadonlyMap<string, string> {
  return new Map(groups.flatMap((group) => group.map((word) => [normalize(word), group[0] as string])));
}

const otherHeads = { de: heads(OTHER_SYNONYMS.de), es: heads(OTHER_SYNONYMS.es), ru: heads(OTHER_SYNONYMS.ru) };

/** Endings that inflect a word without changing what it asks for ("blocked", "raining", "bans"). */
const ENDINGS: readonly string[] = ['s', 'es', 'ed', 'd', 'ing'];

/** The head of the word's group, looked up as written and then without an inflection ("shipped" → "ship"). */
function groupHead(word: string): string | undefined {
  const lower = word.toLowerCase();
  const direct = head.get(lower);
  if (direct || lower.length < 5) return direct;
  for (const ending of ENDINGS) {
    if (!lower.endsWith(ending)) continue;
    const root = lower.slice(0, -ending.length);
    // A doubled last consonant goes with the ending: "shipped", "banned", "stopped".
    const undoubled = /([b-df-hj-np-tv-z])\1$/.test(root) ? root.slice(0, -1) : root;
    const found = head.get(root) ?? head.get(undoubled) ?? head.get(`${root}e`);
    if (found) return found;
  }
  return undefined;
}

/**
 * The text with each synonym replaced by the first word of its group; in English also with
 * contractions spelt out and synonyms recognised when inflected.
 */
export function canonical(text: string, language: Language = 'en'): string {
  if (language !== 'en') {
    const heads = otherHeads[language];
    return text.replace(/\p{L}+/gu, (word) => heads.get(normalize(word)) ?? word);
  }
  const spelt = CONTRACTIONS.reduce((result, [pattern, full]) => result.replace(pattern, full), text);
  return spelt.replace(/[a-z]+/gi, (word) => groupHead(word) ?? word);
}

/** The English utterance and the same with an opening, the openings taken in turn so that each appears with every intent. */
export function paraphrases(utterance: string, index: number): string[] {
  const lowered = utterance.charAt(0).toLowerCase() + utterance.slice(1);
  return [utterance, `${OPENINGS[index % OPENINGS.length]} ${lowered}`];
}
