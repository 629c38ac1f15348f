// The local conversation engine (no key, offline): makes sense of a message with the intent
// classifier and the operator's knowledge file, and says which command it leads to. It retrains in
// the background whenever the command set changes; the previous model answers meanwhile.

import type { Logger } from '../../config/logger.js';
import { type CommandInfo, type CommandRegistry, commandListing, describe } from '../../core/command-registry.js';
import { messages } from '../../core/i18n.js';
import { IntentClassifier, type TrainingIntent } from './classifier.js';
import { COMMAND_EXAMPLES, CONVERSATION_INTENTS } from './corpus.js';
import { KnowledgeBase } from './knowledge.js';

/** What the engine makes of one message: the shape `omnicore ask --json` prints. */
export interface Understanding {
  /** A corpus intent ("greeting"…), "command.<name>", "knowledge", or "none" when unsure. */
  readonly intent: string;
  readonly confidence: number;
  /** The command the reply leads to, with its slash ("/pay"), or null. */
  readonly command: string | null;
  readonly reply: string;
}

export interface UnderstandOptions {
  /** Admins may be led to admin-only commands. */
  readonly isAdmin?: boolean;
}

export interface LocalEngineOptions {
  readonly registry: CommandRegistry;
  /** The operator's Markdown knowledge file; it may be absent. */
  readonly knowledgeFile: string;
  readonly log: Logger;
  /** Quiet time after a change before retraining, so that a plugin's commands are learnt together. */
  readonly retrainDelayMs?: number;
  /** How often the knowledge file is checked for changes, at most (1 s). */
  readonly knowledgeRecheckMs?: number;
}

/** Below this classifier score the engine says it is not sure rather than guess. */
export const INTENT_THRESHOLD = 0.5;
/** Below this share of known words a score is not trusted, however high (see IntentClassifier.coverage). */
export const MIN_COVERAGE = 0.3;
const COMMAND_PREFIX = 'command.';

export class LocalEngine {
  private readonly knowledge: KnowledgeBase;
  private model: IntentClassifier | undefined;
  /** The latest training scheduled; trainings run one after another. */
  private training: Promise<IntentClassifier | undefined> = Promise.resolve(undefined);
  private trainingDue = false;
  private readonly changed = () => this.scheduleTraining();

  constructor(private readonly options: LocalEngineOptions) {
    this.knowledge = new KnowledgeBase(
      options.knowledgeFile,
      (error) => options.log.warn({ err: error, file: options.knowledgeFile }, 'could not read the knowledge file'),
      options.knowledgeRecheckMs,
    );
    options.registry.on('change', this.changed);
    this.scheduleTraining();
  }

  /** Resolves once every training scheduled so far has finished. */
  async trained(): Promise<void> {
    await this.training;
  }

  /** Stops following the command set. */
  close(): void {
    this.options.registry.off('change', this.changed);
  }

  async understand(text: string, options: UnderstandOptions = {}): Promise<Understanding> {
    // The engine understands English, so it answers in English, command descriptions included.
    const t = messages.en;
    const available = this.options.registry.list({ includeAdmin: options.isAdmin ?? false });
    const known = this.knowledge.answer(text);
    if (known) {
      const led = available.find((info) => new RegExp(`(^|[^\\w/])/${info.command}(?!\\w)`).test(known.answer));
      const command = led ? `/${led.command}` : null;
      return { intent: 'knowledge', confidence: round(known.confidence), command, reply: known.answer };
    }
    const model = this.model ?? (await this.training);
    const usable = (intent: string) =>
      !intent.startsWith(COMMAND_PREFIX) || available.some((info) => `${COMMAND_PREFIX}${info.command}` === intent);
    const best = (await (model as IntentClassifier).classify(text)).find((entry) => usable(entry.intent));
    const listing = commandListing(this.options.registry, t, options.isAdmin ?? false);
    if (!best || best.score < INTENT_THRESHOLD || (model as IntentClassifier).coverage(text) < MIN_COVERAGE) {
      return {
        intent: 'none',
        confidence: round(best?.score ?? 0),
        command: null,
        reply: `I'm not sure what you mean. Here is what I can do:\n${listing}`,
      };
    }
    const conversational = CONVERSATION_INTENTS.find((intent) => intent.intent === best.intent);
    if (conversational) {
      const command = conversational.command ? `/${conversational.command}` : null;
      return { intent: best.intent, confidence: round(best.score), command, reply: conversational.reply(listing) };
    }
    const info = available.find((entry) => `${COMMAND_PREFIX}${entry.command}` === best.intent) as CommandInfo;
    const description = describe(info, t).trim();
    return {
      intent: best.intent,
      confidence: round(best.score),
      command: `/${info.command}`,
      reply: `Use /${info.command} — ${description}${/[.!?]$/.test(description) ? '' : '.'}`,
    };
  }

  private scheduleTraining(): void {
    // A training not begun yet will see this change too.
    if (this.trainingDue) return;
    this.trainingDue = true;
    const delay = this.options.retrainDelayMs ?? 50;
    this.training = this.training
      .catch(() => undefined)
      .then(() => new Promise((resolve) => setTimeout(resolve, delay)))
      .then(async () => {
        this.trainingDue = false;
        const commands = this.options.registry.list({ includeAdmin: true });
        const model = await IntentClassifier.train(trainingSet(commands));
        this.model = model;
        this.options.log.info(
          { ms: Math.round(model.trainingMs), commands: commands.length },
          'conversation model trained',
        );
        return model;
      });
    this.training.catch((error: unknown) => this.options.log.error({ err: error }, 'conversation training failed'));
  }
}

/** The corpus intents, and one intent per command not already covered by them. */
function trainingSet(commands: readonly CommandInfo[]): TrainingIntent[] {
  const covered = new Set(CONVERSATION_INTENTS.map((intent) => intent.command));
  const commandIntents = commands
    .filter((info) => !covered.has(info.command))
    .map((info) => ({ intent: `${COMMAND_PREFIX}${info.command}`, utterances: commandUtterances(info) }));
  return [...CONVERSATION_INTENTS, ...commandIntents];
}

/**
 * A command learnt from its name and its (English) description, also as the user would ask for it:
 * in the first person and as "how do I…" (every command gets those, so they favour none of them).
 */
function commandUtterances(info: CommandInfo): string[] {
  const name = info.command.replace(/_/g, ' ');
  const description = describe(info, messages.en)
    .replace(/\s*\/\w+.*$/, '')
    // "(admins)" says who may run it, not what it does: shared by several commands, it only blurs them.
    .replace(/\s*\([^)]*\)/g, '');
  const mine = description.replace(/\byour\b/gi, 'my').replace(/\byou\b/gi, 'I');
  const asked = mine.charAt(0).toLowerCase() + mine.slice(1);
  return [
    name,
    description,
    `${name}: ${description}`,
    `how do I ${asked}`,
    `I want to ${asked}`,
    `can I ${name}`,
    ...(COMMAND_EXAMPLES[info.command] ?? []),
  ];
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
