import { Router } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from './storefront.routes';

/** A package's root folder (its `exports` hide the browser builds from require.resolve). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, 'package.json')) || path.basename(dir) !== name) dir = path.dirname(dir);
  return dir;
}

/** The browser builds GraphiQL needs, from their npm packages: served from this origin, never a CDN. */
const ASSETS: Record<string, string> = {
  'react.production.min.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.production.min.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.min.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.min.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
  'graphiql-init.js': path.join(PUBLIC_DIR, 'graphiql', 'graphiql-init.js'),
};

/** Scripts only from here; GraphiQL sets inline styles and data: icons; fetch and graphql-ws only to this origin. */
const graphiqlCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

const escapeAttribute = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Development only: `GET /graphql` from a browser (Accept: text/html, no query) opens GraphiQL with
 * the admin key and the WebSocket URL pre-wired; every other request goes on to Apollo.
 */
export function graphiqlRoutes(adminKey: string): Router {
  const router = Router();
  router.get('/graphiql/assets/:file', (req, res, next) => {
    const file = ASSETS[req.params.file];
    if (!file) return next();
    graphiqlCsp(req, res, () => res.sendFile(file, { headers: { 'Cache-Control': 'no-cache' } }));
  });
  // A middleware, not router.get: a GET route would make Express answer OPTIONS /graphql itself, before CORS.
  router.use('/graphql', (req, res, next) => {
    if (req.method !== 'GET' || req.path !== '/' || req.query.query !== undefined || req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    graphiqlCsp(req, res, () => {
      res.type('html').set('Cache-Control', 'no-store').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL — payments API (development)</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.min.css">
<link rel="icon" href="/favicon.svg">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head><body>
<div id="graphiql" data-admin-key="${escapeAttribute(adminKey)}">Loading GraphiQL…</div>
<script src="/graphiql/assets/react.production.min.js"></script>
<script src="/graphiql/assets/react-dom.production.min.js"></script>
<script src="/graphiql/assets/graphiql.min.js"></script>
<script src="/graphiql/assets/graphiql-init.js"></script>
</body></html>`);
    });
  });
  return router;
}
