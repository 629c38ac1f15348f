// The local conversation engine (no key, offline): makes sense of a message with the intent
// classifier of the user's language and the operator's knowledge file, answers in that language, and
// says which command it leads to. It retrains in the background whenever the command set changes;
// the previous models answer meanwhile.

import path from 'node:path';
import type { Logger } from '../../config/logger.js';
import { LANGUAGES, type Language } from '../../config/settings-catalog.js';
import { type CommandInfo, type CommandRegistry, commandListing, describe } from '../../core/command-registry.js';
import { messages } from '../../core/i18n.js';
import { nextTurn } from '../../lib/next-turn.js';
import { IntentClassifier, type TrainingIntent } from './classifier.js';
import { type CorpusOverride, readCorpusOverride } from './corpus-override.js';
import { KnowledgeBase } from './knowledge.js';
import { LANGUAGE_PACKS } from './languages/index.js';
import { glossed, type LanguagePack } from './languages/pack.js';
import { type ModelCache, modelCache } from './model-cache.js';
import { tokenize } from './stemmer.js';

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
  /** The language the message is read in and answered in (English by default). */
  readonly language?: Language;
  /** The confidence below which it says it is not sure (INTENT_THRESHOLD; the setting conversation.confidenceThreshold). */
  readonly threshold?: number;
}

export interface LocalEngineOptions {
  readonly registry: CommandRegistry;
  /**
   * Where the operator's files are: the knowledge file (`knowledge.<lang>.md`, else `knowledge.md`)
   * and the corpus additions (`corpus.<lang>.json`); any may be absent.
   */
  readonly dataDir: string;
  readonly log: Logger;
  /** Where trained models are kept for the next start (model-cache.ts); none kept without it. */
  readonly cacheDir?: string;
  /** Quiet time after a change before retraining, so that a plugin's commands are learnt together. */
  readonly retrainDelayMs?: number;
  /** How often the knowledge files are checked for changes, at most (1 s). */
  readonly knowledgeRecheckMs?: number;
}

/**
 * Below this classifier score (the network's and the n-gram model's, averaged) the engine says it is
 * not sure rather than guess; the average is flatter than the network alone, whose threshold was 0.5.
 */
export const INTENT_THRESHOLD = 0.45;
/** Below this share of known words a score is not trusted, however high (see IntentClassifier.coverage). */
export const MIN_COVERAGE = 0.3;
const COMMAND_PREFIX = 'command.';

type Models = Readonly<Record<Language, IntentClassifier>>;

export class LocalEngine {
  /** The shared `knowledge.md`, and one file per language that takes its place when present. */
  private readonly knowledge: KnowledgeBase;
  private readonly knowledgeByLanguage: Readonly<Record<Language, KnowledgeBase>>;
  private models: Models | undefined;
  /** The latest training scheduled; trainings run one after another. */
  private training: Promise<Models | undefined> = Promise.resolve(undefined);
  private trainingDue = false;
  private readonly changed = () => this.scheduleTraining();
  private readonly cache: ModelCache | undefined;

  constructor(private readonly options: LocalEngineOptions) {
    const knowledgeBase = (file: string, language: Language) =>
      new KnowledgeBase(
        path.join(options.dataDir, file),
        (error) => options.log.warn({ err: error, file }, 'could not read the knowledge file'),
        options.knowledgeRecheckMs,
        LANGUAGE_PACKS[language].stopwords,
      );
    this.knowledge = knowledgeBase('knowledge.md', 'en');
    this.knowledgeByLanguage = Object.fromEntries(
      LANGUAGES.map((language) => [language, knowledgeBase(`knowledge.${language}.md`, language)]),
    ) as Record<Language, KnowledgeBase>;
    // Said once: a cache that fails, fails for every language and every training after.
    let warned = false;
    this.cache =
      options.cacheDir === undefined
        ? undefined
        : modelCache(path.join(options.cacheDir, 'intent-models'), (error, file) => {
            if (warned) return options.log.debug({ err: error, file }, 'the model cache could not be used');
            warned = true;
            options.log.warn({ err: error, file }, 'the model cache could not be used; models are trained instead');
          });
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
    const language = options.language ?? 'en';
    const pack = LANGUAGE_PACKS[language];
    const t = messages[language];
    const isAdmin = options.isAdmin ?? false;
    const available = this.options.registry.list({ includeAdmin: isAdmin });
    const ownKnowledge = this.knowledgeByLanguage[language];
    const known = (ownKnowledge.present ? ownKnowledge : this.knowledge).answer(text);
    if (known) {
      const led = available.find((info) => new RegExp(`(^|[^\\w/])/${info.command}(?!\\w)`).test(known.answer));
      const command = led ? `/${led.command}` : null;
      return { intent: 'knowledge', confidence: round(known.confidence), command, reply: known.answer };
    }
    const models = (this.models ?? (await this.training)) as Models;
    const usable = (intent: string) =>
      !intent.startsWith(COMMAND_PREFIX) || available.some((info) => `${COMMAND_PREFIX}${info.command}` === intent);
    // A message of fillers alone ("ok", "- one", "no") asks for nothing, whatever it resembles.
    const asks = !tokenize(text).every((word) => pack.fillers.has(word));
    const threshold = options.threshold ?? INTENT_THRESHOLD;
    const own = asks ? await judge(models[language], text, usable, threshold) : UNSURE;
    // Plugin descriptions are English, and users mix in English words and command names: what the
    // user's own model is unsure of, the English one may place (its answer still in the user's language).
    const best = own.sure || !asks || language === 'en' ? own : await judge(models.en, text, usable, threshold);
    const listing = commandListing(this.options.registry, t, isAdmin);
    if (!best.sure) {
      return { intent: 'none', confidence: round(own.score), command: null, reply: pack.notSure(listing) };
    }
    const conversational = pack.intents.find((intent) => intent.intent === best.intent);
    if (conversational) {
      const command = conversational.command ? `/${conversational.command}` : null;
      return { intent: best.intent, confidence: round(best.score), command, reply: conversational.reply(listing) };
    }
    const info = available.find((entry) => `${COMMAND_PREFIX}${entry.command}` === best.intent) as CommandInfo;
    return {
      intent: best.intent,
      confidence: round(best.score),
      command: `/${info.command}`,
      reply: pack.useCommand(info.command, describe(info, t).trim()),
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
        const started = performance.now();
        const models = {} as Record<Language, IntentClassifier>;
        for (const language of LANGUAGES) {
          const override = readCorpusOverride(this.options.dataDir, language, this.options.log);
          const set = trainingSet(LANGUAGE_PACKS[language], language, commands, override, (intent) =>
            this.options.log.warn({ language, intent }, 'the corpus override names no such intent; it is left out'),
          );
          models[language] = await IntentClassifier.train(set, language, LANGUAGE_PACKS[language].offTopic, this.cache);
          // Training is synchronous work: one language at a time, so that updates, timers and the
          // Bot API (the emulator's too) get their turn between them rather than after all four.
          await nextTurn();
        }
        this.models = models;
        this.options.log.info(
          {
            ms: Math.round(performance.now() - started),
            commands: commands.length,
            languages: LANGUAGES.length,
            loaded: LANGUAGES.filter((language) => models[language].loaded).length,
          },
          'conversation models trained',
        );
        return models;
      });
    this.training.catch((error: unknown) => this.options.log.error({ err: error }, 'conversation training failed'));
  }
}

/** The corpus intents, one intent per command not already covered by them, and the operator's additions. */
function trainingSet(
  pack: LanguagePack,
  language: Language,
  commands: readonly CommandInfo[],
  override: CorpusOverride,
  unknownIntent: (intent: string) => void,
): TrainingIntent[] {
  const covered = new Set(pack.intents.map((intent) => intent.command));
  const commandIntents = commands
    .filter((info) => !covered.has(info.command))
    .map((info) => ({
      intent: `${COMMAND_PREFIX}${info.command}`,
      utterances: commandUtterances(info, pack, language),
    }));
  const intents: TrainingIntent[] = [...pack.intents, ...commandIntents];
  for (const [intent, utterances] of Object.entries(override)) {
    const index = intents.findIndex((entry) => entry.intent === intent);
    const entry = intents[index];
    if (entry) intents[index] = { intent, utterances: [...entry.utterances, ...utterances] };
    else unknownIntent(intent);
  }
  return intents;
}

/**
 * A command learnt from its name and its description — in the user's language where the command has
 * one (the core's do), and in English as written (a plugin's) — and as the user would ask for it.
 */
function commandUtterances(info: CommandInfo, pack: LanguagePack, language: Language): string[] {
  const name = info.command.replace(/_/g, ' ');
  // Without the example after it, nor "(admins)": who may run it, not what it does; shared by
  // several commands, it only blurs them.
  const withoutNotes = (text: string) => text.replace(/\s*\/\w+.*$/, '').replace(/\s*\([^)]*\)/g, '');
  const description = withoutNotes(describe(info, messages[language]));
  const english = withoutNotes(describe(info, messages.en));
  // A plugin's description is English only: its gloss gives the user's own words for it.
  const native = english === description ? glossed(english, pack.glossary) : [];
  return [
    name,
    description,
    ...(english === description ? [] : [english]),
    `${name}: ${description}`,
    ...pack.askFor(name, description),
    ...native,
    ...native.flatMap((gloss) => pack.askFor(name, gloss)),
    ...(pack.commandExamples[info.command] ?? []),
  ];
}

interface Judgement {
  readonly intent: string;
  readonly score: number;
  readonly sure: boolean;
}

const UNSURE: Judgement = { intent: 'none', score: 0, sure: false };

/** The model's best usable intent, and whether it is sure enough of it to answer. */
async function judge(
  model: IntentClassifier,
  text: string,
  usable: (intent: string) => boolean,
  threshold: number,
): Promise<Judgement> {
  const best = (await model.classify(text)).find((entry) => usable(entry.intent));
  if (!best) return UNSURE;
  // A fragment ("ok", "- one") has too few words to outvote a chance likeness: the models must agree.
  const trusted = best.agreed || !model.isFragment(text);
  return { ...best, sure: trusted && best.score >= threshold && model.coverage(text) >= MIN_COVERAGE };
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
