// Phrases seen in Telegram spam waves (crypto giveaways, "earn per day" offers, fake support,
// adult bait). Kept short and specific: a match bans, so a pattern must not catch ordinary talk.
export const SPAM_PATTERNS: readonly RegExp[] = [
  /\b(?:free|claim)\s+(?:your\s+)?(?:btc|eth|usdt|crypto|airdrop)\b/i,
  /\bearn\s+\$?\d[\d,.]*\s*(?:\$|usd|dollars?)?\s*(?:per|a|every)\s+(?:day|hour|week)\b/i,
  /\b(?:double|x2|x10)\s+your\s+(?:btc|eth|usdt|crypto|money|deposit)\b/i,
  /\bsend\s+\d[\d.,]*\s*(?:btc|eth|usdt)\s+(?:and|to)\s+(?:get|receive)\b/i,
  /\b(?:investment|trading)\s+(?:manager|expert|mentor)\b.*\b(?:dm|inbox|contact)\s+me\b/i,
  /\bgiveaway\b.*\b(?:connect|verify)\s+(?:your\s+)?wallet\b/i,
  /\b(?:hot|lonely)\s+(?:girls?|singles?)\s+(?:near|in)\s+(?:you|your\s+area)\b/i,
  /\bwork\s+from\s+home\b.*\b(?:dm|write|contact)\s+(?:me|us)\b/i,
];
