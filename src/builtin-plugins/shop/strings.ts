// The shop's words in English, German, Spanish and Russian; English holds every key. Product titles
// and descriptions are the operator's own and are shown as configured.
import type { PluginStrings } from '../../plugins/api.js';

const en = {
  shopHeading: 'What you can buy:',
  shopEmpty: 'Nothing is on sale right now.',
  shopFooter: 'Before you pay: /terms. Questions about a payment: /paysupport. What you have: /me.',
  forDays: { one: 'for {count} day', other: 'for {count} days' },
  forEver: 'for ever',
  renewsEvery: {
    one: 'renews every day until you cancel',
    other: 'renews every {count} days until you cancel',
  },
  button: '{title} · {price}',
  webButton: '{title} · {price} · web',
  subscribeText: 'Tap below to subscribe to {title}.',
  subscribeButton: 'Subscribe · {price}',
  checkoutText: 'Pay for {title} on the secure payment page; you will have it here as soon as the payment is through.',
  checkoutButton: 'Pay {price}',
  providerButton: '{title} · {price} · {provider}',
  cryptoText:
    'Pay {price} for {title} in crypto with {provider}: you choose the coin and its network on the invoice page. ' +
    'This message shows how the payment is going.',
  cryptoButton: 'Open invoice',
  checkoutWaiting: 'Waiting for your payment.',
  checkoutConfirming: 'Your payment has arrived and is being confirmed on the chain.',
  checkoutExpired: 'The invoice expired before it was paid. Send /shop to start again.',
  checkoutUnderpaid: 'Less than the price arrived, so nothing was unlocked. Please ask /paysupport.',
  checkoutLate: 'Your payment arrived after the invoice had expired, so nothing was unlocked. Please ask /paysupport.',
  checkoutRefunded: 'This payment was refunded.',
  checkoutPartlyRefunded: 'Part of this payment was refunded.',
  checkoutFailed: 'The payment failed. Send /shop to try again.',
  gone: 'That is no longer on sale at that price. Send /shop to see what is on sale now.',
  unavailable: 'That way of paying is not available right now. Please choose another one in /shop.',
  failed: 'The payment could not be started. Please try again in a few minutes.',
  thanksUntil: 'Thank you! {title} is yours until {date}.',
  thanksForever: 'Thank you! {title} is yours for ever.',
  thanks: 'Thank you for buying {title}!',
  renewed: 'Your {title} subscription was renewed; it runs until {date}.',
  meHeading: 'What you have:',
  meNothing: 'You have nothing from the shop yet. /shop shows what you can buy.',
  meUntil: '{name} — until {date}',
  meForever: '{name} — for ever',
  purchasesHeading: 'Your purchases:',
  refunded: 'refunded',
  partiallyRefunded: 'partly refunded',
  pending: 'not paid yet',
  failedPayment: 'failed',
  expired: 'expired',
  confirming: 'confirming on the chain',
  underpaid: 'underpaid: ask /paysupport',
  late: 'paid after it expired: ask /paysupport',
  support:
    'If something went wrong with a payment, write to the owner of this bot with the date and the product from /me. ' +
    'Telegram support cannot help with purchases made in this bot.',
  terms:
    'By paying you buy access to the digital features of this bot described in /shop, for the period shown. ' +
    'The seller is the owner of this bot, not Telegram. Purchases are not refunded unless the law requires it or ' +
    'the owner agrees. You can cancel a subscription at any time; it runs until the end of the period paid for.',
} as const;

export type ShopKey = keyof typeof en;

export const strings: PluginStrings<ShopKey> = {
  en,
  de: {
    shopHeading: 'Das gibt es zu kaufen:',
    shopEmpty: 'Im Moment gibt es nichts zu kaufen.',
    shopFooter: 'Vor dem Bezahlen: /terms. Fragen zu einer Zahlung: /paysupport. Was du hast: /me.',
    forDays: { one: 'für {count} Tag', other: 'für {count} Tage' },
    forEver: 'für immer',
    renewsEvery: {
      one: 'verlängert sich jeden Tag, bis du kündigst',
      other: 'verlängert sich alle {count} Tage, bis du kündigst',
    },
    webButton: '{title} · {price} · Web',
    subscribeText: 'Tippe unten, um {title} zu abonnieren.',
    subscribeButton: 'Abonnieren · {price}',
    checkoutText: 'Bezahle {title} auf der sicheren Zahlungsseite; sobald die Zahlung durch ist, hast du es hier.',
    checkoutButton: '{price} bezahlen',
    cryptoText:
      'Bezahle {price} für {title} in Krypto mit {provider}: Coin und Netzwerk wählst du auf der Rechnungsseite. ' +
      'Diese Nachricht zeigt, wie weit die Zahlung ist.',
    cryptoButton: 'Rechnung öffnen',
    checkoutWaiting: 'Warte auf deine Zahlung.',
    checkoutConfirming: 'Deine Zahlung ist angekommen und wird auf der Chain bestätigt.',
    checkoutExpired: 'Die Rechnung ist abgelaufen, bevor sie bezahlt wurde. Sende /shop, um neu zu beginnen.',
    checkoutUnderpaid: 'Es kam weniger als der Preis an, daher wurde nichts freigeschaltet. Bitte frag /paysupport.',
    checkoutLate:
      'Deine Zahlung kam nach Ablauf der Rechnung an, daher wurde nichts freigeschaltet. Bitte frag /paysupport.',
    checkoutRefunded: 'Diese Zahlung wurde erstattet.',
    checkoutPartlyRefunded: 'Ein Teil dieser Zahlung wurde erstattet.',
    checkoutFailed: 'Die Zahlung ist fehlgeschlagen. Sende /shop, um es noch einmal zu versuchen.',
    gone: 'Das gibt es zu diesem Preis nicht mehr. Sende /shop für das aktuelle Angebot.',
    unavailable: 'Diese Zahlungsart ist gerade nicht verfügbar. Bitte wähle in /shop eine andere.',
    failed: 'Die Zahlung konnte nicht gestartet werden. Bitte versuche es in ein paar Minuten noch einmal.',
    thanksUntil: 'Danke! {title} gehört dir bis {date}.',
    thanksForever: 'Danke! {title} gehört dir für immer.',
    thanks: 'Danke für deinen Kauf: {title}!',
    renewed: 'Dein Abo {title} wurde verlängert und läuft bis {date}.',
    meHeading: 'Das hast du:',
    meNothing: 'Du hast noch nichts aus dem Shop. /shop zeigt, was es gibt.',
    meUntil: '{name} — bis {date}',
    meForever: '{name} — für immer',
    purchasesHeading: 'Deine Käufe:',
    refunded: 'erstattet',
    partiallyRefunded: 'teilweise erstattet',
    pending: 'noch nicht bezahlt',
    failedPayment: 'fehlgeschlagen',
    expired: 'abgelaufen',
    confirming: 'wird bestätigt',
    underpaid: 'zu wenig bezahlt: frag /paysupport',
    late: 'nach Ablauf bezahlt: frag /paysupport',
    support:
      'Wenn bei einer Zahlung etwas schiefgegangen ist, schreib dem Betreiber dieses Bots und nenne Datum und ' +
      'Produkt aus /me. Der Telegram-Support kann bei Käufen in diesem Bot nicht helfen.',
    terms:
      'Mit der Zahlung kaufst du Zugang zu den in /shop beschriebenen digitalen Funktionen dieses Bots für den ' +
      'angegebenen Zeitraum. Verkäufer ist der Betreiber des Bots, nicht Telegram. Käufe werden nicht erstattet, ' +
      'außer das Gesetz verlangt es oder der Betreiber stimmt zu. Ein Abo kannst du jederzeit kündigen; es läuft ' +
      'bis zum Ende des bezahlten Zeitraums.',
  },
  es: {
    shopHeading: 'Esto es lo que puedes comprar:',
    shopEmpty: 'Ahora mismo no hay nada a la venta.',
    shopFooter: 'Antes de pagar: /terms. Dudas sobre un pago: /paysupport. Lo que tienes: /me.',
    forDays: { one: 'durante {count} día', other: 'durante {count} días' },
    forEver: 'para siempre',
    renewsEvery: {
      one: 'se renueva cada día hasta que lo canceles',
      other: 'se renueva cada {count} días hasta que lo canceles',
    },
    subscribeText: 'Toca abajo para suscribirte a {title}.',
    subscribeButton: 'Suscribirse · {price}',
    checkoutText: 'Paga {title} en la página de pago segura; lo tendrás aquí en cuanto se complete el pago.',
    checkoutButton: 'Pagar {price}',
    cryptoText:
      'Paga {price} por {title} en cripto con {provider}: eliges la moneda y su red en la página de la factura. ' +
      'Este mensaje muestra cómo va el pago.',
    cryptoButton: 'Abrir factura',
    checkoutWaiting: 'Esperando tu pago.',
    checkoutConfirming: 'Tu pago ha llegado y se está confirmando en la cadena.',
    checkoutExpired: 'La factura caducó sin pagarse. Envía /shop para empezar de nuevo.',
    checkoutUnderpaid: 'Llegó menos que el precio, así que no se desbloqueó nada. Pregunta en /paysupport.',
    checkoutLate:
      'Tu pago llegó después de que caducara la factura, así que no se desbloqueó nada. Pregunta en /paysupport.',
    checkoutRefunded: 'Este pago se ha reembolsado.',
    checkoutPartlyRefunded: 'Parte de este pago se ha reembolsado.',
    checkoutFailed: 'El pago ha fallado. Envía /shop para intentarlo de nuevo.',
    gone: 'Esto ya no está a la venta a ese precio. Envía /shop para ver lo que hay ahora.',
    unavailable: 'Esta forma de pago no está disponible ahora. Elige otra en /shop.',
    failed: 'No se pudo iniciar el pago. Inténtalo de nuevo en unos minutos.',
    thanksUntil: '¡Gracias! Tienes {title} hasta el {date}.',
    thanksForever: '¡Gracias! Tienes {title} para siempre.',
    thanks: '¡Gracias por comprar {title}!',
    renewed: 'Tu suscripción a {title} se ha renovado hasta el {date}.',
    meHeading: 'Lo que tienes:',
    meNothing: 'Aún no tienes nada de la tienda. /shop muestra lo que puedes comprar.',
    meUntil: '{name} — hasta el {date}',
    meForever: '{name} — para siempre',
    purchasesHeading: 'Tus compras:',
    refunded: 'reembolsado',
    partiallyRefunded: 'reembolsado en parte',
    pending: 'sin pagar',
    failedPayment: 'fallido',
    expired: 'caducado',
    confirming: 'confirmándose',
    underpaid: 'pago insuficiente: pregunta en /paysupport',
    late: 'pagado tras caducar: pregunta en /paysupport',
    support:
      'Si algo salió mal con un pago, escribe al propietario de este bot indicando la fecha y el producto que ves ' +
      'en /me. El soporte de Telegram no puede ayudar con compras hechas en este bot.',
    terms:
      'Al pagar compras acceso a las funciones digitales de este bot descritas en /shop durante el periodo ' +
      'indicado. El vendedor es el propietario del bot, no Telegram. Las compras no se reembolsan, salvo cuando la ' +
      'ley lo exija o el propietario lo acepte. Puedes cancelar una suscripción cuando quieras; sigue activa hasta ' +
      'el final del periodo pagado.',
  },
  ru: {
    shopHeading: 'Что можно купить:',
    shopEmpty: 'Сейчас ничего не продаётся.',
    shopFooter: 'Перед оплатой: /terms. Вопросы об оплате: /paysupport. Ваши покупки: /me.',
    forDays: {
      one: 'на {count} день',
      few: 'на {count} дня',
      many: 'на {count} дней',
      other: 'на {count} дня',
    },
    forEver: 'навсегда',
    renewsEvery: {
      one: 'продлевается каждый {count} день, пока вы не отмените',
      few: 'продлевается каждые {count} дня, пока вы не отмените',
      many: 'продлевается каждые {count} дней, пока вы не отмените',
      other: 'продлевается каждые {count} дня, пока вы не отмените',
    },
    webButton: '{title} · {price} · сайт',
    subscribeText: 'Нажмите кнопку ниже, чтобы оформить подписку «{title}».',
    subscribeButton: 'Подписаться · {price}',
    checkoutText:
      'Оплатите «{title}» на защищённой странице оплаты; покупка появится здесь, как только платёж пройдёт.',
    checkoutButton: 'Оплатить {price}',
    cryptoText:
      'Оплатите {price} за «{title}» криптовалютой через {provider}: монету и сеть вы выберете на странице счёта. ' +
      'В этом сообщении будет видно, как идёт оплата.',
    cryptoButton: 'Открыть счёт',
    checkoutWaiting: 'Ждём вашу оплату.',
    checkoutConfirming: 'Платёж получен и подтверждается в блокчейне.',
    checkoutExpired: 'Срок счёта истёк, а оплата не пришла. Отправьте /shop, чтобы начать заново.',
    checkoutUnderpaid: 'Пришло меньше, чем стоит покупка, поэтому ничего не открыто. Напишите в /paysupport.',
    checkoutLate: 'Платёж пришёл после истечения срока счёта, поэтому ничего не открыто. Напишите в /paysupport.',
    checkoutRefunded: 'Этот платёж возвращён.',
    checkoutPartlyRefunded: 'Часть этого платежа возвращена.',
    checkoutFailed: 'Платёж не прошёл. Отправьте /shop, чтобы попробовать снова.',
    gone: 'Это больше не продаётся по этой цене. Отправьте /shop, чтобы увидеть, что есть сейчас.',
    unavailable: 'Этот способ оплаты сейчас недоступен. Выберите другой в /shop.',
    failed: 'Не удалось начать оплату. Попробуйте ещё раз через несколько минут.',
    thanksUntil: 'Спасибо! Доступ к «{title}» открыт до {date}.',
    thanksForever: 'Спасибо! Доступ к «{title}» открыт навсегда.',
    thanks: 'Спасибо за покупку «{title}»!',
    renewed: 'Подписка «{title}» продлена до {date}.',
    meHeading: 'Что у вас есть:',
    meNothing: 'У вас пока нет покупок. /shop покажет, что можно купить.',
    meUntil: '{name} — до {date}',
    meForever: '{name} — навсегда',
    purchasesHeading: 'Ваши покупки:',
    refunded: 'возвращено',
    partiallyRefunded: 'частично возвращено',
    pending: 'не оплачено',
    failedPayment: 'не прошло',
    expired: 'истекло',
    confirming: 'подтверждается',
    underpaid: 'оплачено не полностью: напишите в /paysupport',
    late: 'оплачено после истечения: напишите в /paysupport',
    support:
      'Если с оплатой что-то пошло не так, напишите владельцу этого бота и укажите дату и товар из /me. ' +
      'Поддержка Telegram не может помочь с покупками в этом боте.',
    terms:
      'Оплачивая, вы покупаете доступ к цифровым функциям этого бота, описанным в /shop, на указанный срок. ' +
      'Продавец — владелец бота, а не Telegram. Покупки не возвращаются, кроме случаев, предусмотренных законом ' +
      'или согласованных с владельцем. Подписку можно отменить в любой момент; она действует до конца оплаченного ' +
      'периода.',
  },
};
