// English: the corpus of src/ai/local/corpus.ts, and the engine's sentences.
import { COMMAND_EXAMPLES, CONVERSATION_INTENTS, OFF_TOPIC } from '../corpus.js';
import { type LanguagePack, plainWords, sentence, words } from './pack.js';

export const en: LanguagePack = {
  intents: CONVERSATION_INTENTS,
  commandExamples: COMMAND_EXAMPLES,
  offTopic: OFF_TOPIC,
  // Plugin descriptions are English already.
  glossary: {},
  askFor: (name, description) => {
    // In the first person and as "how do I…": "Pay for your order" → "how do I pay for my order".
    const mine = description.replace(/\byour\b/gi, 'my').replace(/\byou\b/gi, 'I');
    const asked = mine.charAt(0).toLowerCase() + mine.slice(1);
    return [`how do I ${asked}`, `I want to ${asked}`, `can I ${name}`];
  },
  notSure: (listing) => `I'm not sure what you mean. Here is what I can do:\n${listing}`,
  useCommand: (command, description) => `Use /${command} — ${sentence(description)}`,
  fillers: plainWords(
    `ok okay k kk yes yeah yep yup no nope nah sure alright right fine well so um uh hmm hm mm oh ah lol haha maybe perhaps indeed true false and or but the a an it this that one two three four five six seven eight nine ten first second`,
  ),
  stopwords:
    words(`a an the i me my mine you your yours we us our he she they them it its this that these those there here
  is are was were be been am do does did done can could would should will shall may might must
  how what when where which who whom why to of in on at by for with from into about as and or but not no
  if so than then too very just please any some have has had get got want need tell know let
  bot hello hi hey thanks thank`),
};
