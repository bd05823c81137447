import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from './schema';
import { createAppPubSub } from './pubsub';

/** The SDL committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export function printAppSchema(): string {
  return `${printSchema(lexicographicSortSchema(buildAppSchema(createAppPubSub())))}\n`;
}

if (require.main === module) {
  const target = path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql');
  writeFileSync(target, printAppSchema());
  console.log(`wrote ${target}`);
}
