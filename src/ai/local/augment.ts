// Paraphrase augmentation of the English training utterances: each one is also learnt with a key
// word swapped for a synonym and with the polite or question openings people put in front of a
// request, so that the few phrasings written by hand (or a command's one-line description) cover
// the many words users actually choose.

/**
 * Words that ask for the same thing, the first standing for the group: training and classifying
 * both see the first, so a synonym the corpus never used counts as the word it did.
 */
const SYNONYMS: readonly (readonly string[])[] = [
  ['show', 'list', 'display', 'view'],
  ['change', 'switch', 'set', 'adjust', 'configure', 'edit', 'modify'],
  ['stop', 'cancel', 'abort', 'quit', 'halt', 'scrap', 'nevermind'],
  ['forget', 'clear', 'erase', 'wipe', 'delete', 'reset'],
  ['money', 'payment', 'funds', 'cash', 'card'],
  ['pay', 'purchase', 'checkout'],
  [
    'order',
    'package',
    'parcel',
    'shipment',
    'delivery',
    'orders',
    'packages',
    'parcels',
    'shipments',
    'bought',
    'ordered',
  ],
  ['user', 'member', 'customer', 'users', 'members', 'customers'],
  ['ban', 'block', 'kick', 'mute'],
  ['unban', 'unblock'],
  ['settings', 'preferences', 'configuration', 'profile', 'account', 'options'],
  ['commands', 'features', 'functions', 'abilities', 'services', 'command', 'feature', 'function', 'menu'],
  ['help', 'assistance', 'guidance', 'assist', 'guide'],
  ['weather', 'forecast', 'temperature', 'rain', 'snow', 'sunny', 'windy', 'umbrella', 'hot', 'cold'],
  ['city', 'town'],
  ['statistics', 'stats', 'analytics', 'metrics', 'figures'],
  ['update', 'upgrade', 'updates', 'upgrades'],
  ['version', 'release'],
  ['plugin', 'extension', 'module', 'addon', 'plugins', 'extensions', 'modules', 'addons'],
  ['enable', 'disable', 'activate', 'deactivate'],
  ['status', 'health', 'uptime'],
  ['refund', 'reimburse', 'repay'],
  ['start', 'begin', 'restart', 'launch'],
  ['human', 'person', 'agent', 'operator', 'somebody', 'someone', 'manager', 'people'],
  ['price', 'cost', 'fee', 'rate', 'pricing', 'prices', 'costs', 'fees', 'rates'],
  ['expensive', 'pricey', 'costly'],
  ['conversation', 'chat', 'history', 'memory'],
  ['past', 'previous', 'earlier'],
  ['delivered', 'shipped', 'arrived', 'ship', 'arrive'],
];

/** Openings that change the shape of a request, not what it asks for. */
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

/** The text with contractions spelt out and each synonym replaced by the first word of its group. */
export function canonical(text: string): string {
  const spelt = CONTRACTIONS.reduce((result, [pattern, full]) => result.replace(pattern, full), text);
  return spelt.replace(/[a-z]+/gi, (word) => head.get(word.toLowerCase()) ?? word);
}

/** The utterance and the same with an opening, the openings taken in turn so that each appears with every intent. */
export function paraphrases(utterance: string, index: number): string[] {
  const lowered = utterance.charAt(0).toLowerCase() + utterance.slice(1);
  return [utterance, `${OPENINGS[index % OPENINGS.length]} ${lowered}`];
}
