// The core's words, in every supported language. English is the reference: a missing translation
// is a type error, not a blank message.
import type { Language } from '../config/settings-catalog.js';

export interface Messages {
  languageName: string;
  greeting: (name: string, botName: string) => string;
  /** The greeting of the `guided` welcome (bot.welcome), followed by commands to try. */
  guidedGreeting: (name: string, botName: string) => string;
  helpHeader: string;
  helpAdminHeader: string;
  unknownCommand: (command: string, suggestion: string | undefined) => string;
  settingsPrompt: (current: string) => string;
  languageChanged: string;
  cancelled: string;
  nothingToCancel: string;
  adminOnly: string;
  handlerFailed: string;
  /** /reset: the conversation memory was cleared. */
  forgotten: string;
  /** The LLM conversation asking before it runs a command with side effects for the user. */
  confirmCommand: { ask: (command: string) => string; yes: string; no: string; declined: string; expired: string };
  slowDown: string;
  youAreBanned: (duration: string) => string;
  banUsage: string;
  unbanUsage: string;
  /** `duration` undefined: permanent. */
  banned: (userId: number, duration: string | undefined) => string;
  unbanned: (userId: number) => string;
  notBanned: (userId: number) => string;
  cannotBanAdmin: string;
  /** Why a payment was refused at pre-checkout (Telegram shows it to the user), and the gate of a paid command. */
  payments: {
    productGone: string;
    priceChanged: string;
    banned: string;
    invalid: string;
    needs: (key: string) => string;
  };
  /** /refund (admins): `amount` is already written out (e.g. "50 ⭐"); `reason` is the platform's, in English. */
  refund: {
    usage: string;
    done: (paymentId: number, amount: string, userId: number) => string;
    notFound: (paymentId: number) => string;
    already: (paymentId: number) => string;
    notRefundable: (paymentId: number, reason: string) => string;
  };
  /** /update (admins): `reason` is the platform's, in English. */
  update: {
    usage: string;
    status: (current: string, available: string) => string;
    upToDate: string;
    changes: (count: number) => string;
    started: string;
    inProgress: string;
    failed: (reason: string) => string;
  };
  commands: {
    start: string;
    help: string;
    settings: string;
    cancel: string;
    status: string;
    plugins: string;
    reset: string;
    ban: string;
    unban: string;
    stats: string;
    refund: string;
    update: string;
  };
}

const en: Messages = {
  languageName: 'English',
  greeting: (name, botName) => `Hello, ${name}! I'm ${botName}. Send /help to see what I can do, or just write to me.`,
  guidedGreeting: (name, botName) => `Hello, ${name}! I'm ${botName}. Here is where to start:`,
  helpHeader: 'Here is what I can do:',
  helpAdminHeader: 'For admins:',
  unknownCommand: (command, suggestion) =>
    `I don't know ${command}.${suggestion ? ` Did you mean ${suggestion}?` : ''} Send /help for the list of commands.`,
  settingsPrompt: (current) => `Your language: ${current}. Choose another:`,
  languageChanged: 'Done: I will speak English with you.',
  cancelled: 'Cancelled. What next?',
  nothingToCancel: 'There was nothing to cancel.',
  adminOnly: 'That command is for the bot admins.',
  payments: {
    productGone: 'This product is no longer offered.',
    priceChanged: 'The price has changed since this invoice was made; please ask for a new one.',
    banned: 'You cannot make purchases from this bot.',
    invalid: 'This invoice is not valid any more.',
    needs: (key) => `That needs ${key}. See /shop.`,
  },
  handlerFailed: 'Sorry, something went wrong on my side. Please try again in a moment.',
  forgotten: 'Done: I forgot our conversation.',
  confirmCommand: {
    ask: (command) => `Shall I run ${command} for you?`,
    yes: 'Yes',
    no: 'No',
    declined: 'Not done.',
    expired: 'That question has expired.',
  },
  slowDown: "You're sending messages too fast. I'll skip some of them for a few seconds.",
  youAreBanned: (duration) => `Too many messages: I will ignore you for ${duration}.`,
  banUsage:
    'Usage: /ban <user id> [duration like 10m, 2h, 7d, or permanent] [reason], or reply to a message with /ban.',
  unbanUsage: 'Usage: /unban <user id>',
  banned: (userId, duration) => `User ${userId} is banned ${duration ? `for ${duration}` : 'permanently'}.`,
  unbanned: (userId) => `User ${userId} is no longer banned.`,
  notBanned: (userId) => `User ${userId} was not banned.`,
  cannotBanAdmin: 'Bot admins cannot be banned.',
  refund: {
    usage: 'Usage: /refund <payment id>: gives the payment back to the user and takes back what it granted.',
    done: (id, amount, userId) =>
      `Payment ${id} refunded: ${amount} back to user ${userId}; what it granted is revoked.`,
    notFound: (id) => `There is no payment ${id}.`,
    already: (id) => `Payment ${id} is refunded already.`,
    notRefundable: (id, reason) => `Payment ${id} cannot be refunded: ${reason}`,
  },
  update: {
    usage: 'Usage: /update shows what runs and what is available; /update apply updates now.',
    status: (current, available) => `Running: ${current}\nAvailable: ${available}`,
    upToDate: 'Up to date.',
    changes: (count) => `${count} change(s); /update apply to update now:`,
    started: 'The update has started. The bot restarts during it; the admin panel shows the progress.',
    inProgress: 'An update is already running.',
    failed: (reason) => `The update could not be checked or started: ${reason}`,
  },
  commands: {
    start: 'Start the bot',
    help: 'List the commands',
    settings: 'Your language and preferences',
    cancel: 'Cancel what is in progress',
    status: 'Platform status (admins)',
    plugins: 'Plugins: list, switch on and off (admins)',
    reset: 'Forget our conversation',
    ban: 'Ban a user (admins)',
    unban: 'Lift a ban (admins)',
    stats: 'Usage statistics (admins)',
    refund: 'Refund a payment (admins)',
    update: 'Update the platform (admins)',
  },
};

const de: Messages = {
  languageName: 'Deutsch',
  greeting: (name, botName) =>
    `Hallo, ${name}! Ich bin ${botName}. Schick /help, um zu sehen, was ich kann, oder schreib mir einfach.`,
  guidedGreeting: (name, botName) => `Hallo, ${name}! Ich bin ${botName}. Hier kannst du anfangen:`,
  helpHeader: 'Das kann ich:',
  helpAdminHeader: 'Für Admins:',
  unknownCommand: (command, suggestion) =>
    `${command} kenne ich nicht.${suggestion ? ` Meintest du ${suggestion}?` : ''} /help zeigt alle Befehle.`,
  settingsPrompt: (current) => `Deine Sprache: ${current}. Wähle eine andere:`,
  languageChanged: 'Erledigt: Ich spreche jetzt Deutsch mit dir.',
  cancelled: 'Abgebrochen. Was nun?',
  nothingToCancel: 'Es gab nichts abzubrechen.',
  adminOnly: 'Dieser Befehl ist den Admins des Bots vorbehalten.',
  payments: {
    productGone: 'Dieses Produkt wird nicht mehr angeboten.',
    priceChanged: 'Der Preis hat sich seit dieser Rechnung geändert; bitte fordere eine neue an.',
    banned: 'Du kannst bei diesem Bot nichts kaufen.',
    invalid: 'Diese Rechnung ist nicht mehr gültig.',
    needs: (key) => `Dafür brauchst du ${key}. Siehe /shop.`,
  },
  handlerFailed: 'Entschuldige, bei mir ist etwas schiefgegangen. Versuch es bitte gleich noch einmal.',
  forgotten: 'Erledigt: Ich habe unser Gespräch vergessen.',
  confirmCommand: {
    ask: (command) => `Soll ich ${command} für dich ausführen?`,
    yes: 'Ja',
    no: 'Nein',
    declined: 'Nicht ausgeführt.',
    expired: 'Diese Frage ist abgelaufen.',
  },
  slowDown: 'Du schreibst zu schnell. Ein paar Sekunden lang überspringe ich einige Nachrichten.',
  youAreBanned: (duration) => `Zu viele Nachrichten: Ich ignoriere dich für ${duration}.`,
  banUsage:
    'Aufruf: /ban <Nutzer-ID> [Dauer wie 10m, 2h, 7d oder permanent] [Grund], oder /ban als Antwort auf eine Nachricht.',
  unbanUsage: 'Aufruf: /unban <Nutzer-ID>',
  banned: (userId, duration) => `Nutzer ${userId} ist ${duration ? `für ${duration}` : 'dauerhaft'} gesperrt.`,
  unbanned: (userId) => `Nutzer ${userId} ist nicht mehr gesperrt.`,
  notBanned: (userId) => `Nutzer ${userId} war nicht gesperrt.`,
  cannotBanAdmin: 'Admins des Bots können nicht gesperrt werden.',
  refund: {
    usage: 'Aufruf: /refund <Zahlungs-ID>: erstattet die Zahlung und nimmt zurück, was sie freigeschaltet hat.',
    done: (id, amount, userId) =>
      `Zahlung ${id} erstattet: ${amount} zurück an Nutzer ${userId}; was sie freigeschaltet hat, ist entzogen.`,
    notFound: (id) => `Es gibt keine Zahlung ${id}.`,
    already: (id) => `Zahlung ${id} ist bereits erstattet.`,
    notRefundable: (id, reason) => `Zahlung ${id} kann nicht erstattet werden: ${reason}`,
  },
  update: {
    usage: 'Aufruf: /update zeigt, was läuft und was verfügbar ist; /update apply aktualisiert jetzt.',
    status: (current, available) => `Läuft: ${current}\nVerfügbar: ${available}`,
    upToDate: 'Auf dem neuesten Stand.',
    changes: (count) => `${count} Änderung(en); /update apply aktualisiert jetzt:`,
    started: 'Das Update läuft. Der Bot startet dabei neu; das Admin-Panel zeigt den Fortschritt.',
    inProgress: 'Es läuft bereits ein Update.',
    failed: (reason) => `Das Update konnte nicht geprüft oder gestartet werden: ${reason}`,
  },
  commands: {
    start: 'Den Bot starten',
    help: 'Befehle anzeigen',
    settings: 'Sprache und Einstellungen',
    cancel: 'Laufende Aktion abbrechen',
    status: 'Plattformstatus (Admins)',
    plugins: 'Plugins: anzeigen, ein- und ausschalten (Admins)',
    reset: 'Unser Gespräch vergessen',
    ban: 'Nutzer sperren (Admins)',
    unban: 'Sperre aufheben (Admins)',
    stats: 'Nutzungsstatistik (Admins)',
    refund: 'Eine Zahlung erstatten (Admins)',
    update: 'Die Plattform aktualisieren (Admins)',
  },
};

const es: Messages = {
  languageName: 'Español',
  greeting: (name, botName) =>
    `¡Hola, ${name}! Soy ${botName}. Envía /help para ver lo que puedo hacer, o simplemente escríbeme.`,
  guidedGreeting: (name, botName) => `¡Hola, ${name}! Soy ${botName}. Por aquí puedes empezar:`,
  helpHeader: 'Esto es lo que puedo hacer:',
  helpAdminHeader: 'Para administradores:',
  unknownCommand: (command, suggestion) =>
    `No conozco ${command}.${suggestion ? ` ¿Quisiste decir ${suggestion}?` : ''} Envía /help para ver los comandos.`,
  settingsPrompt: (current) => `Tu idioma: ${current}. Elige otro:`,
  languageChanged: 'Hecho: hablaré contigo en español.',
  cancelled: 'Cancelado. ¿Y ahora?',
  nothingToCancel: 'No había nada que cancelar.',
  adminOnly: 'Ese comando es solo para los administradores del bot.',
  payments: {
    productGone: 'Este producto ya no se ofrece.',
    priceChanged: 'El precio ha cambiado desde esta factura; pide una nueva.',
    banned: 'No puedes hacer compras en este bot.',
    invalid: 'Esta factura ya no es válida.',
    needs: (key) => `Eso necesita ${key}. Mira /shop.`,
  },
  handlerFailed: 'Lo siento, algo salió mal por mi parte. Inténtalo de nuevo en un momento.',
  forgotten: 'Hecho: olvidé nuestra conversación.',
  confirmCommand: {
    ask: (command) => `¿Ejecuto ${command} por ti?`,
    yes: 'Sí',
    no: 'No',
    declined: 'No se hizo.',
    expired: 'Esa pregunta ha caducado.',
  },
  slowDown: 'Estás enviando mensajes demasiado rápido. Durante unos segundos omitiré algunos.',
  youAreBanned: (duration) => `Demasiados mensajes: te ignoraré durante ${duration}.`,
  banUsage:
    'Uso: /ban <id de usuario> [duración como 10m, 2h, 7d o permanent] [motivo], o responde a un mensaje con /ban.',
  unbanUsage: 'Uso: /unban <id de usuario>',
  banned: (userId, duration) =>
    `El usuario ${userId} queda bloqueado ${duration ? `durante ${duration}` : 'de forma permanente'}.`,
  unbanned: (userId) => `El usuario ${userId} ya no está bloqueado.`,
  notBanned: (userId) => `El usuario ${userId} no estaba bloqueado.`,
  cannotBanAdmin: 'Los administradores del bot no se pueden bloquear.',
  refund: {
    usage: 'Uso: /refund <id de pago>: devuelve el pago al usuario y retira lo que concedía.',
    done: (id, amount, userId) =>
      `Pago ${id} reembolsado: ${amount} devueltos al usuario ${userId}; lo que concedía queda retirado.`,
    notFound: (id) => `No existe el pago ${id}.`,
    already: (id) => `El pago ${id} ya está reembolsado.`,
    notRefundable: (id, reason) => `El pago ${id} no se puede reembolsar: ${reason}`,
  },
  update: {
    usage: 'Uso: /update muestra lo que se ejecuta y lo disponible; /update apply actualiza ahora.',
    status: (current, available) => `En ejecución: ${current}\nDisponible: ${available}`,
    upToDate: 'Está al día.',
    changes: (count) => `${count} cambio(s); /update apply para actualizar ahora:`,
    started:
      'La actualización ha comenzado. El bot se reinicia durante ella; el panel de administración muestra el progreso.',
    inProgress: 'Ya hay una actualización en curso.',
    failed: (reason) => `No se pudo comprobar o iniciar la actualización: ${reason}`,
  },
  commands: {
    start: 'Iniciar el bot',
    help: 'Ver los comandos',
    settings: 'Idioma y preferencias',
    cancel: 'Cancelar lo que está en curso',
    status: 'Estado de la plataforma (admins)',
    plugins: 'Plugins: ver, activar y desactivar (admins)',
    reset: 'Olvidar nuestra conversación',
    ban: 'Bloquear a un usuario (admins)',
    unban: 'Levantar un bloqueo (admins)',
    stats: 'Estadísticas de uso (admins)',
    refund: 'Reembolsar un pago (admins)',
    update: 'Actualizar la plataforma (admins)',
  },
};

const ru: Messages = {
  languageName: 'Русский',
  greeting: (name, botName) =>
    `Привет, ${name}! Я ${botName}. Отправь /help, чтобы узнать, что я умею, или просто напиши мне.`,
  guidedGreeting: (name, botName) => `Привет, ${name}! Я ${botName}. С этого можно начать:`,
  helpHeader: 'Вот что я умею:',
  helpAdminHeader: 'Для администраторов:',
  unknownCommand: (command, suggestion) =>
    `Я не знаю команды ${command}.${suggestion ? ` Может быть, ${suggestion}?` : ''} Список команд: /help.`,
  settingsPrompt: (current) => `Твой язык: ${current}. Выбери другой:`,
  languageChanged: 'Готово: теперь я говорю с тобой по-русски.',
  cancelled: 'Отменено. Что дальше?',
  nothingToCancel: 'Отменять было нечего.',
  adminOnly: 'Эта команда только для администраторов бота.',
  payments: {
    productGone: 'Этот товар больше не продаётся.',
    priceChanged: 'Цена изменилась после выставления счёта; запросите новый.',
    banned: 'Вы не можете совершать покупки в этом боте.',
    invalid: 'Этот счёт больше не действителен.',
    needs: (key) => `Для этого нужно ${key}. Смотрите /shop.`,
  },
  handlerFailed: 'Извини, у меня что-то пошло не так. Попробуй ещё раз чуть позже.',
  forgotten: 'Готово: я забыл наш разговор.',
  confirmCommand: {
    ask: (command) => `Выполнить ${command}?`,
    yes: 'Да',
    no: 'Нет',
    declined: 'Не выполнено.',
    expired: 'Этот вопрос уже неактуален.',
  },
  slowDown: 'Ты отправляешь сообщения слишком быстро. Несколько секунд я буду пропускать часть из них.',
  youAreBanned: (duration) => `Слишком много сообщений: я не буду отвечать тебе ${duration}.`,
  banUsage:
    'Использование: /ban <id пользователя> [срок, например 10m, 2h, 7d или permanent] [причина], или ответь на сообщение командой /ban.',
  unbanUsage: 'Использование: /unban <id пользователя>',
  banned: (userId, duration) => `Пользователь ${userId} заблокирован ${duration ? `на ${duration}` : 'навсегда'}.`,
  unbanned: (userId) => `Пользователь ${userId} разблокирован.`,
  notBanned: (userId) => `Пользователь ${userId} не был заблокирован.`,
  cannotBanAdmin: 'Администраторов бота заблокировать нельзя.',
  refund: {
    usage: 'Использование: /refund <id платежа>: возвращает платёж пользователю и отзывает то, что он давал.',
    done: (id, amount, userId) =>
      `Платёж ${id} возвращён: ${amount} снова у пользователя ${userId}; то, что он давал, отозвано.`,
    notFound: (id) => `Платежа ${id} нет.`,
    already: (id) => `Платёж ${id} уже возвращён.`,
    notRefundable: (id, reason) => `Платёж ${id} нельзя вернуть: ${reason}`,
  },
  update: {
    usage: 'Использование: /update показывает текущую и доступную версии; /update apply обновляет сейчас.',
    status: (current, available) => `Работает: ${current}\nДоступно: ${available}`,
    upToDate: 'Установлена последняя версия.',
    changes: (count) => `Изменений: ${count}; /update apply, чтобы обновить сейчас:`,
    started: 'Обновление началось. Бот перезапустится во время него; ход обновления виден в админ-панели.',
    inProgress: 'Обновление уже выполняется.',
    failed: (reason) => `Не удалось проверить или начать обновление: ${reason}`,
  },
  commands: {
    start: 'Запустить бота',
    help: 'Список команд',
    settings: 'Язык и настройки',
    cancel: 'Отменить текущее действие',
    status: 'Состояние платформы (админы)',
    plugins: 'Плагины: список, включение и выключение (админы)',
    reset: 'Забыть наш разговор',
    ban: 'Заблокировать пользователя (админы)',
    unban: 'Снять блокировку (админы)',
    stats: 'Статистика использования (админы)',
    refund: 'Вернуть платёж (админы)',
    update: 'Обновить платформу (админы)',
  },
};

export const messages: Readonly<Record<Language, Messages>> = { en, de, es, ru };
