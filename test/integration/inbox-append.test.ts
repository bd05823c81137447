import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseConfig } from '../../src/config/database.config';
import { openDatabase } from '../../src/db/orm';
import { inboxAppendCases } from '../helpers/inbox-append.kit';

describe('inbox append (SQLite file)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'inbox-append-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  inboxAppendCases(() => openDatabase(databaseConfig(`sqlite:${path.join(dir, 'inbox.sqlite')}`, [])), 'sqlite');
});
