// The training corpus of the local conversation engine (English): the conversational intents with
// their answers, and extra phrasings for the core commands, whose one-line descriptions are terse.
// Plugin commands need nothing here: each is learnt from its own name and description.

export interface ConversationIntent {
  readonly intent: string;
  readonly utterances: readonly string[];
  /** The command this intent leads to (without the slash), if any. */
  readonly command?: string;
  /** The answer; `commands` lists what this user may run, one "/command — description" a line. */
  readonly reply: (commands: string) => string;
}

export const CONVERSATION_INTENTS: readonly ConversationIntent[] = [
  {
    intent: 'greeting',
    utterances: [
      'hello',
      'hi',
      'hi there',
      'hey',
      'hey bot',
      'good morning',
      'good afternoon',
      'good evening',
      'greetings',
      'hello, anybody there?',
      'howdy',
    ],
    reply: () => 'Hello! Tell me what you would like to do, or ask me what I can do.',
  },
  {
    intent: 'goodbye',
    utterances: ['bye', 'goodbye', 'see you later', 'see you', 'good night', 'talk to you later', 'I have to go now'],
    reply: () => 'Goodbye! Write to me any time.',
  },
  {
    intent: 'thanks',
    utterances: [
      'thanks',
      'thank you',
      'thank you very much',
      'thanks a lot',
      'many thanks',
      'cheers',
      'much appreciated',
      'great, thank you',
      'that was helpful',
    ],
    reply: () => "You're welcome!",
  },
  {
    intent: 'help',
    command: 'help',
    utterances: [
      'help',
      'help me',
      'I need help',
      'can you help me',
      'I am stuck',
      'I am lost',
      'how does this work',
      'how do I use this bot',
      'I do not understand',
      'what should I do',
      'instructions please',
    ],
    reply: (commands) => `Tell me in your own words what you want to do, or pick a command:\n${commands}`,
  },
  {
    intent: 'capabilities',
    command: 'help',
    utterances: [
      'what can you do',
      'what are you able to do',
      'what do you do',
      'what are your features',
      'what commands do you have',
      'which commands are there',
      'show me the commands',
      'list your commands',
      'what are you good for',
      'what is this bot for',
      'what services do you offer',
    ],
    reply: (commands) => `Here is what I can do:\n${commands}`,
  },
  {
    intent: 'pricing',
    utterances: [
      'how much does it cost',
      'what is the price',
      'what are your prices',
      'is it free',
      'how much do I have to pay',
      'pricing',
      'what does a subscription cost',
      'are there any fees',
      'how expensive is it',
    ],
    reply: (commands) => `I have no price list to give you here. These are the things I can do:\n${commands}`,
  },
  {
    intent: 'contact_human',
    utterances: [
      'I want to talk to a human',
      'can I speak to a person',
      'let me talk to a real person',
      'connect me to support',
      'I need a human',
      'talk to an operator',
      'how do I contact support',
      'is there a real person here',
      'customer service please',
      'get me an agent',
    ],
    reply: () =>
      "I'm a bot, so I can't hand you over myself. The people who run this bot can be reached through the contact details they publish; until then, tell me what you need and I'll try.",
  },
];

/** More ways of asking for a core command than its description gives; used while it is registered. */
export const COMMAND_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  start: ['start over', 'restart the bot', 'begin again', 'let us start'],
  settings: [
    'change my language',
    'I want to switch the language',
    'speak German',
    'can you talk in Spanish',
    'my preferences',
    'change my settings',
  ],
  cancel: ['stop that', 'never mind', 'abort', 'forget it, stop', 'cancel this'],
  status: ['is the platform running', 'show the bot status', 'how is the server doing', 'uptime and health'],
  plugins: ['turn a plugin on', 'switch off a plugin', 'which plugins are installed', 'enable a plugin'],
};
