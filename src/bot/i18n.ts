// The core's words, in every supported language. English is the reference: a missing translation
// is a type error, not a blank message.
import type { Language } from '../config/settings-catalog.js';

export interface Messages {
  languageName: string;
  greeting: (name: string, botName: string) => string;
  helpHeader: string;
  helpAdminHeader: string;
  unknownCommand: (command: string, suggestion: string | undefined) => string;
  fallback: string;
  settingsPrompt: (current: string) => string;
  languageChanged: string;
  cancelled: string;
  nothingToCancel: string;
  adminOnly: string;
  handlerFailed: string;
  commands: {
    start: string;
    help: string;
    settings: string;
    cancel: string;
    status: string;
    plugins: string;
    stats: string;
  };
}

const en: Messages = {
  languageName: 'English',
  greeting: (name, botName) => `Hello, ${name}! I'm ${botName}. Send /help to see what I can do, or just write to me.`,
  helpHeader: 'Here is what I can do:',
  helpAdminHeader: 'For admins:',
  unknownCommand: (command, suggestion) =>
    `I don't know ${command}.${suggestion ? ` Did you mean ${suggestion}?` : ''} Send /help for the list of commands.`,
  fallback: "I'm not able to hold a conversation yet, but commands work: send /help to see them.",
  settingsPrompt: (current) => `Your language: ${current}. Choose another:`,
  languageChanged: 'Done: I will speak English with you.',
  cancelled: 'Cancelled. What next?',
  nothingToCancel: 'There was nothing to cancel.',
  adminOnly: 'That command is for the bot admins.',
  handlerFailed: 'Sorry, something went wrong on my side. Please try again in a moment.',
  commands: {
    start: 'Start the bot',
    help: 'List the commands',
    settings: 'Your language and preferences',
    cancel: 'Cancel what is in progress',
    status: 'Platform status (admins)',
    plugins: 'Plugins: list, switch on and off (admins)',
    stats: 'Usage statistics (admins)',
  },
};

const de: Messages = {
  languageName: 'Deutsch',
  greeting: (name, botName) =>
    `Hallo, ${name}! Ich bin ${botName}. Schick /help, um zu sehen, was ich kann, oder schreib mir einfach.`,
  helpHeader: 'Das kann ich:',
  helpAdminHeader: 'Für Admins:',
  unknownCommand: (command, suggestion) =>
    `${command} kenne ich nicht.${suggestion ? ` Meintest du ${suggestion}?` : ''} /help zeigt alle Befehle.`,
  fallback: 'Unterhalten kann ich mich noch nicht, aber Befehle funktionieren: /help zeigt sie.',
  settingsPrompt: (current) => `Deine Sprache: ${current}. Wähle eine andere:`,
  languageChanged: 'Erledigt: Ich spreche jetzt Deutsch mit dir.',
  cancelled: 'Abgebrochen. Was nun?',
  nothingToCancel: 'Es gab nichts abzubrechen.',
  adminOnly: 'Dieser Befehl ist den Admins des Bots vorbehalten.',
  handlerFailed: 'Entschuldige, bei mir ist etwas schiefgegangen. Versuch es bitte gleich noch einmal.',
  commands: {
    start: 'Den Bot starten',
    help: 'Befehle anzeigen',
    settings: 'Sprache und Einstellungen',
    cancel: 'Laufende Aktion abbrechen',
    status: 'Plattformstatus (Admins)',
    plugins: 'Plugins: anzeigen, ein- und ausschalten (Admins)',
    stats: 'Nutzungsstatistik (Admins)',
  },
};

const es: Messages = {
  languageName: 'Español',
  greeting: (name, botName) =>
    `¡Hola, ${name}! Soy ${botName}. Envía /help para ver lo que puedo hacer, o simplemente escríbeme.`,
  helpHeader: 'Esto es lo que puedo hacer:',
  helpAdminHeader: 'Para administradores:',
  unknownCommand: (command, suggestion) =>
    `No conozco ${command}.${suggestion ? ` ¿Quisiste decir ${suggestion}?` : ''} Envía /help para ver los comandos.`,
  fallback: 'Todavía no sé conversar, pero los comandos funcionan: envía /help para verlos.',
  settingsPrompt: (current) => `Tu idioma: ${current}. Elige otro:`,
  languageChanged: 'Hecho: hablaré contigo en español.',
  cancelled: 'Cancelado. ¿Y ahora?',
  nothingToCancel: 'No había nada que cancelar.',
  adminOnly: 'Ese comando es solo para los administradores del bot.',
  handlerFailed: 'Lo siento, algo salió mal por mi parte. Inténtalo de nuevo en un momento.',
  commands: {
    start: 'Iniciar el bot',
    help: 'Ver los comandos',
    settings: 'Idioma y preferencias',
    cancel: 'Cancelar lo que está en curso',
    status: 'Estado de la plataforma (admins)',
    plugins: 'Plugins: ver, activar y desactivar (admins)',
    stats: 'Estadísticas de uso (admins)',
  },
};

const ru: Messages = {
  languageName: 'Русский',
  greeting: (name, botName) =>
    `Привет, ${name}! Я ${botName}. Отправь /help, чтобы узнать, что я умею, или просто напиши мне.`,
  helpHeader: 'Вот что я умею:',
  helpAdminHeader: 'Для администраторов:',
  unknownCommand: (command, suggestion) =>
    `Я не знаю команды ${command}.${suggestion ? ` Может быть, ${suggestion}?` : ''} Список команд: /help.`,
  fallback: 'Разговаривать я пока не умею, но команды работают: отправь /help, чтобы их увидеть.',
  settingsPrompt: (current) => `Твой язык: ${current}. Выбери другой:`,
  languageChanged: 'Готово: теперь я говорю с тобой по-русски.',
  cancelled: 'Отменено. Что дальше?',
  nothingToCancel: 'Отменять было нечего.',
  adminOnly: 'Эта команда только для администраторов бота.',
  handlerFailed: 'Извини, у меня что-то пошло не так. Попробуй ещё раз чуть позже.',
  commands: {
    start: 'Запустить бота',
    help: 'Список команд',
    settings: 'Язык и настройки',
    cancel: 'Отменить текущее действие',
    status: 'Состояние платформы (админы)',
    plugins: 'Плагины: список, включение и выключение (админы)',
    stats: 'Статистика использования (админы)',
  },
};

export const messages: Readonly<Record<Language, Messages>> = { en, de, es, ru };
