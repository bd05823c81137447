/** A decoded Stripe form value: strings at the leaves, nested objects/arrays above. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
/** A decoded form body or query string. */
export type FormParams = { [key: string]: FormValue };

function decode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/**
 * Parse `application/x-www-form-urlencoded` the way Stripe reads what
 * stripe-node sends: `a[b][0][c]=v` nests, numeric segments index arrays,
 * `a[]=v` appends. Own implementation keeps prototype keys impossible.
 */
export function parseForm(body: string): FormParams {
  const root: FormParams = Object.create(null) as FormParams;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    const path = m ? [m[1], ...(m[2].match(/\[([^[\]]*)\]/g) ?? []).map((s) => s.slice(1, -1))] : [rawKey];
    let node: FormParams | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]);
      const container = node as Record<string, FormValue>;
      const key = Array.isArray(node) && seg === '' ? String(node.length) : seg;
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') break;
      if (last) {
        container[key] = value;
        break;
      }
      const existing = container[key];
      if (typeof existing !== 'object' || existing === null) container[key] = nextIsIndex ? [] : (Object.create(null) as FormParams);
      node = container[key] as FormParams | FormValue[];
    }
  }
  return root;
}
