import { databaseConfig } from '../../src/config/database.config';
import { openDatabase } from '../../src/db/orm';
import { inboxAppendCases } from '../helpers/inbox-append.kit';
import { createScratchDatabase, type ScratchDatabase } from './postgres.helpers';

describe('inbox append (PostgreSQL)', () => {
  let db: ScratchDatabase;
  afterAll(async () => db?.drop());
  inboxAppendCases(async () => {
    db = await createScratchDatabase('append');
    return openDatabase(databaseConfig(db.url, []));
  }, 'postgresql');
});
