import express, { Router, type Response } from 'express';
import helmet from 'helmet';
import path from 'node:path';

/** `public/` at the repository root; the same path from src/http (ts-jest) and dist/http (npm start). */
export const PUBLIC_DIR = path.resolve(__dirname, '..', '..', 'public');

/** graphql-ws's browser build (ES modules, no bare imports), served so the pages need no bundler. */
const GRAPHQL_WS_DIST = path.dirname(require.resolve('graphql-ws'));

/**
 * The pages only talk to this origin: GraphQL over fetch and graphql-ws, and CSP 3's 'self' covers
 * ws:/wss: to the same host, so no other socket can be opened from them. Provider pages are
 * reached by navigation (`location.assign`), which CSP does not restrict; forms are handled in
 * script, so `form-action 'self'` is enough.
 */
const storefrontCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

/** Only on the files served from here: GraphQL and the API routes behind this router get no CSP. */
function secureHeaders(res: Response): void {
  storefrontCsp(res.req, res, () => undefined);
  res.setHeader('Cache-Control', 'no-cache');
}

/**
 * The demo storefront and admin page (static files from `public/`) plus the graphql-ws client
 * at `/vendor/graphql-ws/`. Only GET/HEAD of existing files are answered; everything else
 * falls through to the routes mounted after it (GraphQL), untouched by these headers.
 */
export function storefrontRoutes(): Router {
  const router = Router();
  const options = { index: 'index.html', redirect: false, dotfiles: 'ignore' as const, setHeaders: secureHeaders };
  router.use('/vendor/graphql-ws', (req, res, next) => (req.path.endsWith('.js') ? next() : next('router')));
  router.use('/vendor/graphql-ws', express.static(GRAPHQL_WS_DIST, { ...options, index: false }));
  router.use(express.static(PUBLIC_DIR, options));
  return router;
}
