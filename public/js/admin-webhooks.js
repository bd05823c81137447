/**
 * The admin page's webhook inbox view: stored provider events with their status, attempts and
 * last error; replay one, or put every DEAD event back in line. The admin key is passed in by
 * admin.js on each call and never kept here.
 */
import { describeError, gql } from './api.js';
import { byId, el, fill, say } from './dom.js';

const EVENTS_QUERY = `query WebhookEvents($status: WebhookEventStatus, $first: Int) {
  webhookEvents(status: $status, first: $first) {
    totalCount
    edges { node { id provider eventId type status outcome attempts lastError nextAttemptAt receivedAt appliedAt orderId payload } }
  }
}`;

let request = 0;

/** Loads the newest 20 events (optionally of one status) into the table. */
export async function loadWebhookEvents(adminKey) {
  const status = byId('webhook-status-filter').value || null;
  const mine = ++request;
  let data;
  try {
    data = await gql(EVENTS_QUERY, { status, first: 20 }, adminKey);
  } catch (error) {
    if (mine === request) say(byId('webhook-message'), `The webhook events could not be loaded. ${describeError(error)}`, 'error');
    return;
  }
  if (mine !== request) return;
  byId('webhook-table').dataset.filter = status ?? 'ALL';
  const { edges, totalCount } = data.webhookEvents;
  byId('webhook-caption').textContent = `Webhook events, newest first (${edges.length} of ${totalCount})`;
  fill(byId('webhook-events'), edges.map(({ node }) => eventRow(node, adminKey)));
  if (edges.length === 0) fill(byId('webhook-events'), el('tr', {}, el('td', { colspan: 8, class: 'muted' }, status ? `No ${status} events.` : 'No webhook events yet.')));
}

function eventRow(event, adminKey) {
  const replay = el('button', { type: 'button', class: 'link', 'data-testid': 'replay-webhook', disabled: event.status === 'APPLIED' || !event.payload }, 'Replay');
  replay.addEventListener('click', () => replayEvent(event.id, adminKey));
  const payload = event.payload ? el('details', {}, el('summary', {}, 'payload'), el('pre', { class: 'payload' }, event.payload)) : el('span', { class: 'muted' }, 'payload dropped');
  const problem = event.lastError ? `${event.lastError}${event.nextAttemptAt ? ` — next try ${new Date(event.nextAttemptAt).toLocaleTimeString()}` : ''}` : '';
  return el('tr', { 'data-testid': 'webhook-row', dataset: { id: event.id, status: event.status } },
    el('td', {}, new Date(event.receivedAt).toLocaleString()),
    el('td', {}, event.provider),
    el('td', {}, event.type, el('br'), el('span', { class: 'ids' }, event.eventId)),
    el('td', {}, event.status),
    el('td', { class: 'num' }, String(event.attempts)),
    el('td', {}, problem || event.outcome),
    el('td', { class: 'ids' }, event.orderId ?? ''),
    el('td', {}, replay, payload));
}

async function replayEvent(id, adminKey) {
  try {
    const data = await gql(`mutation Replay($id: ID!) { replayWebhookEvent(id: $id) { id status lastError } }`, { id }, adminKey);
    const r = data.replayWebhookEvent;
    say(byId('webhook-message'), r.status === 'APPLIED' || r.status === 'IGNORED' ? `Event replayed: ${r.status}.` : `Replay failed again: ${r.lastError}`, r.status === 'APPLIED' || r.status === 'IGNORED' ? 'success' : 'error');
  } catch (error) {
    say(byId('webhook-message'), `The event was not replayed. ${describeError(error)}`, 'error');
  }
  await loadWebhookEvents(adminKey);
}

/** Puts every DEAD event back in line for the inbox worker. */
export async function retryDeadWebhookEvents(adminKey) {
  try {
    const data = await gql('mutation RetryDead { retryDeadWebhookEvents }', {}, adminKey);
    say(byId('webhook-message'), `${data.retryDeadWebhookEvents} DEAD event(s) put back in line.`, 'success');
  } catch (error) {
    say(byId('webhook-message'), `DEAD events were not retried. ${describeError(error)}`, 'error');
  }
  await loadWebhookEvents(adminKey);
}
