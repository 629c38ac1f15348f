// The broadcasts plugin's words in English, German, Spanish and Russian; English holds every key.
import type { PluginStrings } from '../../plugins/api.js';

const en = {
  usage:
    'Write /broadcast, a segment and the text (Telegram HTML), e.g. /broadcast all Hello! — or answer a photo with /broadcast <segment>. Segments: all, language:de, active:30, segment:dormant, entitlement:premium.',
  badSegment: 'That segment does not work: {error}',
  refused: 'That cannot be broadcast: {error}',
  sending: {
    one: 'Broadcast {id} is going out to {count} user ({blocked} who blocked the bot left out). Progress is on the panel’s Broadcasts page.',
    other:
      'Broadcast {id} is going out to {count} users ({blocked} who blocked the bot left out). Progress is on the panel’s Broadcasts page.',
  },
  queued: {
    one: 'Broadcast {id} is queued for {count} user; it goes out when the one sending now is done.',
    other: 'Broadcast {id} is queued for {count} users; it goes out when the one sending now is done.',
  },
} as const;

export type BroadcastsKey = keyof typeof en;

export const strings: PluginStrings<BroadcastsKey> = {
  en,
  de: {
    usage:
      'Schreib /broadcast, ein Segment und den Text (Telegram-HTML), z. B. /broadcast all Hallo! — oder antworte mit /broadcast <Segment> auf ein Foto. Segmente: all, language:de, active:30, segment:dormant, entitlement:premium.',
    badSegment: 'Dieses Segment geht nicht: {error}',
    refused: 'Das kann nicht gesendet werden: {error}',
    sending:
      'Rundsendung {id} geht an {count} Nutzer ({blocked}, die den Bot blockiert haben, ausgenommen). Den Fortschritt zeigt die Seite Broadcasts im Panel.',
    queued: 'Rundsendung {id} für {count} Nutzer wartet; sie startet, sobald die laufende fertig ist.',
  },
  es: {
    usage:
      'Escribe /broadcast, un segmento y el texto (HTML de Telegram), p. ej. /broadcast all ¡Hola! — o responde a una foto con /broadcast <segmento>. Segmentos: all, language:de, active:30, segment:dormant, entitlement:premium.',
    badSegment: 'Ese segmento no vale: {error}',
    refused: 'Eso no se puede difundir: {error}',
    sending: {
      one: 'La difusión {id} sale hacia {count} usuario (se omiten {blocked} que bloquearon el bot). El progreso está en la página Broadcasts del panel.',
      other:
        'La difusión {id} sale hacia {count} usuarios (se omiten {blocked} que bloquearon el bot). El progreso está en la página Broadcasts del panel.',
    },
    queued: {
      one: 'La difusión {id} para {count} usuario espera; sale cuando termine la que se envía ahora.',
      other: 'La difusión {id} para {count} usuarios espera; sale cuando termine la que se envía ahora.',
    },
  },
  ru: {
    usage:
      'Напишите /broadcast, сегмент и текст (Telegram HTML), например /broadcast all Привет! — или ответьте на фото командой /broadcast <сегмент>. Сегменты: all, language:de, active:30, segment:dormant, entitlement:premium.',
    badSegment: 'Такой сегмент не подходит: {error}',
    refused: 'Это нельзя разослать: {error}',
    sending: {
      one: 'Рассылка {id} уходит {count} пользователю (исключены заблокировавшие бота: {blocked}). Ход рассылки — на странице Broadcasts в панели.',
      other:
        'Рассылка {id} уходит {count} пользователям (исключены заблокировавшие бота: {blocked}). Ход рассылки — на странице Broadcasts в панели.',
    },
    queued: {
      one: 'Рассылка {id} для {count} пользователя ждёт; она начнётся, когда закончится текущая.',
      other: 'Рассылка {id} для {count} пользователей ждёт; она начнётся, когда закончится текущая.',
    },
  },
};
