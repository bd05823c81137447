/**
 * The admin page's outbound webhooks: merchant endpoints (register one, its signing secret shown
 * once; delete one) and recent deliveries with their attempts, each one redeliverable. The admin
 * key is passed in by admin.js on each call and never kept here.
 */
import { describeError, gql } from './api.js';
import { byId, el, fill, say } from './dom.js';

const QUERY = `query Outbound($first: Int) {
  webhookEndpoints { id url events enabled failingSince disabledReason createdAt }
  webhookDeliveries(first: $first) {
    totalCount
    edges { node { id endpointId messageId eventType orderId status attemptCount lastStatusCode lastError nextAttemptAt createdAt deliveredAt
      attempts { attemptedAt statusCode durationMs error } } }
  }
}`;

let request = 0;

/** Loads every endpoint and the newest 20 deliveries. */
export async function loadOutbound(adminKey) {
  const mine = ++request;
  let data;
  try {
    data = await gql(QUERY, { first: 20 }, adminKey);
  } catch (error) {
    if (mine === request) say(byId('outbound-message'), `Outbound webhooks could not be loaded. ${describeError(error)}`, 'error');
    return;
  }
  if (mine !== request) return;
  const endpoints = data.webhookEndpoints;
  fill(byId('outbound-endpoints'), endpoints.length ? endpoints.map((e) => endpointRow(e, adminKey)) : el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No endpoints registered.')));
  const { edges, totalCount } = data.webhookDeliveries;
  byId('outbound-caption').textContent = `Deliveries, newest first (${edges.length} of ${totalCount})`;
  fill(byId('outbound-deliveries'), edges.length ? edges.map(({ node }) => deliveryRow(node, adminKey)) : el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No deliveries yet.')));
}

function endpointRow(endpoint, adminKey) {
  const remove = el('button', { type: 'button', class: 'link', 'data-testid': 'delete-endpoint' }, 'Delete');
  remove.addEventListener('click', () => deleteEndpoint(endpoint.id, adminKey));
  const state = endpoint.enabled
    ? endpoint.failingSince ? `failing since ${new Date(endpoint.failingSince).toLocaleString()}` : 'enabled'
    : `disabled: ${endpoint.disabledReason ?? ''}`;
  return el('tr', { 'data-testid': 'endpoint-row', dataset: { id: endpoint.id } },
    el('td', { class: 'ids' }, endpoint.url),
    el('td', {}, endpoint.events.join(', ')),
    el('td', {}, state),
    el('td', {}, remove));
}

function deliveryRow(delivery, adminKey) {
  const again = el('button', { type: 'button', class: 'link', 'data-testid': 'redeliver' }, 'Redeliver');
  again.addEventListener('click', () => redeliver(delivery.id, adminKey));
  const last = delivery.attempts.at(-1);
  const problem = delivery.lastError ? `${delivery.lastError}${delivery.nextAttemptAt ? ` — next try ${new Date(delivery.nextAttemptAt).toLocaleTimeString()}` : ''}` : '';
  return el('tr', { 'data-testid': 'delivery-row', dataset: { id: delivery.id, status: delivery.status } },
    el('td', {}, new Date(delivery.createdAt).toLocaleString()),
    el('td', {}, delivery.eventType, el('br'), el('span', { class: 'ids' }, delivery.messageId)),
    el('td', { class: 'ids' }, delivery.orderId),
    el('td', {}, delivery.status),
    el('td', { class: 'num' }, String(delivery.attemptCount)),
    el('td', {}, problem || (last ? `HTTP ${last.statusCode ?? '—'} in ${last.durationMs} ms` : 'not sent yet')),
    el('td', {}, again));
}

async function createEndpoint(event, adminKey) {
  event.preventDefault();
  const url = byId('outbound-url').value.trim();
  const events = byId('outbound-events').value.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    const data = await gql(`mutation Create($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`, { input: { url, events } }, adminKey);
    byId('outbound-secret').textContent = data.createWebhookEndpoint.secret;
    byId('outbound-secret-box').hidden = false;
    say(byId('outbound-message'), 'Endpoint registered. Copy its signing secret now: it is not shown again.', 'success');
    byId('outbound-url').value = '';
  } catch (error) {
    say(byId('outbound-message'), `The endpoint was not registered. ${describeError(error)}`, 'error');
  }
  await loadOutbound(adminKey);
}

async function deleteEndpoint(id, adminKey) {
  try {
    await gql(`mutation Delete($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id }, adminKey);
    say(byId('outbound-message'), 'Endpoint deleted.', 'success');
  } catch (error) {
    say(byId('outbound-message'), `The endpoint was not deleted. ${describeError(error)}`, 'error');
  }
  await loadOutbound(adminKey);
}

async function redeliver(id, adminKey) {
  try {
    await gql(`mutation Redeliver($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }`, { id }, adminKey);
    say(byId('outbound-message'), 'Sent again as a new delivery of the same message.', 'success');
  } catch (error) {
    say(byId('outbound-message'), `Not sent again. ${describeError(error)}`, 'error');
  }
  await loadOutbound(adminKey);
}

/** Wires the section's controls; `key` returns the admin key of the unlocked page. */
export function wireOutbound(key) {
  byId('outbound-form').addEventListener('submit', (e) => createEndpoint(e, key()));
  byId('outbound-refresh').addEventListener('click', () => loadOutbound(key()));
}

/** Forgets what the section showed (the page was locked), the secret first of all. */
export function clearOutbound() {
  byId('outbound-secret').textContent = '';
  byId('outbound-secret-box').hidden = true;
  fill(byId('outbound-endpoints'));
  fill(byId('outbound-deliveries'));
}
