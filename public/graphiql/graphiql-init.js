/* Starts GraphiQL from this origin's copies of its assets, with the admin key and the WebSocket URL
   pre-wired (both read from the page's data attributes: no inline script, so a strict CSP holds). */
(function () {
  const root = document.getElementById('graphiql');
  const adminKey = root.dataset.adminKey;
  const url = `${location.origin}/graphql`;
  const subscriptionUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const authorization = `Bearer ${adminKey}`;
  const fetcher = GraphiQL.createFetcher({ url, subscriptionUrl, headers: { authorization }, wsConnectionParams: { authorization } });
  const defaultQuery = `# GraphiQL on this service, with the development admin key already sent (see Headers).
# Amounts are integers in the currency's minor unit. Run one operation with the ▶ button.

query Products {
  products { sku name unitAmount currency }
}

query RecentOrders {
  orders(first: 5) { edges { node { id status amount currency createdAt } } }
}

mutation CreateOrder {
  createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 2 }] }) { accessToken order { id status amount currency } }
}

# Paste an order id, run it, then pay or refund that order elsewhere: changes arrive here live.
subscription OrderStatus {
  orderStatusChanged(orderId: "<order id>") { status previousStatus source at }
}
`;
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery,
      defaultHeaders: JSON.stringify({ authorization }, null, 2),
      shouldPersistHeaders: false,
    }),
  );
})();
