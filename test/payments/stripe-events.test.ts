// How Stripe events become ledger changes, for the cases the end-to-end tests do not deliver: a
// payment still on its way (a bank debit), accounts on an API version older than basil (the invoice's
// subscription at its top, the period on the subscription), subscriptions changed without ending.
import { describe, expect, it } from 'vitest';
import { stripeEvent } from '../../src/payments/providers/stripe-events.js';

const ours = { user: '42', product: 'shop/club', grant_key: 'club', grant_days: '30' };
const event = (type: string, object: Record<string, unknown>) => ({
  id: `evt_${type}`,
  object: 'event',
  type,
  created: 1_900_000_000,
  data: { object },
});
const session = {
  id: 'cs_1',
  mode: 'payment',
  payment_status: 'unpaid',
  amount_total: 499,
  currency: 'usd',
  payment_intent: 'pi_1',
  metadata: ours,
};

describe('Stripe events as ledger changes', () => {
  it('waits for a delayed payment method, and credits it when it succeeds or closes it when it fails', () => {
    expect(stripeEvent(event('checkout.session.completed', session)).change).toBeUndefined();
    expect(
      stripeEvent(event('checkout.session.async_payment_succeeded', { ...session, payment_status: 'paid' })).change,
    ).toEqual({
      kind: 'paid',
      providerId: 'cs_1',
      reference: 'pi_1',
      userId: 42,
      product: 'shop/club',
      grant: { key: 'club', days: 30 },
      amount: 499,
      currency: 'USD',
    });
    expect(stripeEvent(event('checkout.session.async_payment_failed', session)).change).toEqual({
      kind: 'failed',
      providerId: 'cs_1',
    });
  });

  it('reads a renewal from an account on an API version before basil', () => {
    const legacy = {
      id: 'in_2',
      billing_reason: 'subscription_cycle',
      amount_paid: 300,
      currency: 'eur',
      subscription: 'sub_1',
      subscription_details: { metadata: ours },
    };
    expect(stripeEvent(event('invoice.paid', legacy)).change).toMatchObject({
      kind: 'paid',
      providerId: 'in_2',
      subscriptionId: 'sub_1',
      userId: 42,
      amount: 300,
      currency: 'EUR',
    });
  });

  it('credits no invoice but a renewal of a subscription it sold', () => {
    const invoice = {
      id: 'in_3',
      amount_paid: 300,
      currency: 'eur',
      parent: { subscription_details: { subscription: 'sub_1', metadata: ours } },
    };
    for (const reason of ['subscription_create', 'subscription_update', 'manual']) {
      expect(stripeEvent(event('invoice.paid', { ...invoice, billing_reason: reason })).change).toBeUndefined();
    }
    const elsewhere = {
      ...invoice,
      billing_reason: 'subscription_cycle',
      parent: { subscription_details: { subscription: 'sub_9', metadata: {} } },
    };
    expect(stripeEvent(event('invoice.paid', elsewhere)).change).toBeUndefined();
  });

  it('ends a subscription set to cancel at its period end then, with the period on the subscription before basil', () => {
    const subscription = {
      id: 'sub_1',
      status: 'active',
      cancel_at: null,
      cancel_at_period_end: true,
      current_period_end: 1_900_100_000,
    };
    expect(stripeEvent(event('customer.subscription.updated', subscription)).change).toEqual({
      kind: 'subscription_ended',
      subscriptionId: 'sub_1',
      endsAt: 1_900_100_000_000,
    });
  });

  it('ends an unpaid subscription when it became so, and leaves an active one alone', () => {
    const subscription = { id: 'sub_1', status: 'unpaid', cancel_at_period_end: false, items: { data: [] } };
    expect(stripeEvent(event('customer.subscription.updated', subscription)).change).toEqual({
      kind: 'subscription_ended',
      subscriptionId: 'sub_1',
      endsAt: 1_900_000_000_000,
    });
    expect(
      stripeEvent(event('customer.subscription.updated', { ...subscription, status: 'active' })).change,
    ).toBeUndefined();
  });
});
