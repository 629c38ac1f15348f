// The environment the bare contestant bots read: the same variable names OMNICore uses, so every
// contestant is started the same way.

export interface BareBotEnv {
  token: string;
  apiRoot: string;
  webhookUrl: string;
  secret: string;
  port: number;
}

export function readBotEnv(env: NodeJS.ProcessEnv = process.env): BareBotEnv {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  return {
    token: need('BOT_TOKEN'),
    apiRoot: need('TELEGRAM_API_ROOT'),
    webhookUrl: need('WEBHOOK_URL'),
    secret: need('WEBHOOK_SECRET'),
    port: Number(need('PORT')),
  };
}
