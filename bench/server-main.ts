import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config/config';
import { startService } from '../src/app/start-service';
import { startFakeStripe } from './fake-stripe';

/**
 * Child process of the bench: `floor` is Apollo Server 5 on Express 5 answering one trivial
 * mutation (the stack's own cost, nothing of ours); `service` is this API, configured from the env;
 * `stripe` is the fake Stripe, away from the load generator's event loop so it answers at once.
 */
async function main(kind: string): Promise<{ url: string; close(): Promise<void>; report?(): unknown }> {
  if (kind === 'stripe') {
    const stripe = await startFakeStripe();
    return { url: stripe.url, close: () => stripe.close(), report: () => Object.fromEntries(stripe.calls) };
  }
  if (kind === 'service') {
    const service = await startService(loadConfig(process.env));
    return { url: service.url, close: async () => void (await service.close()) };
  }
  const apollo = new ApolloServer({
    typeDefs: 'type Query { ok: Boolean } type Mutation { ping(input: String!): String! }',
    resolvers: { Mutation: { ping: (_: unknown, args: { input: string }) => args.input } },
  });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await apollo.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

main(process.argv[2]).then(
  (running) => {
    process.send!({ url: running.url });
    process.on('message', async () => {
      const report = running.report?.();
      await running.close();
      if (report) process.send!({ report }, () => process.exit(0));
      else process.exit(0);
    });
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
