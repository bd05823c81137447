/** Tiny DOM helpers: everything dynamic goes in through textContent, never innerHTML. */

/** `el('td', { class: 'amount' }, 'text', childNode)`; `null`/`false` children are skipped. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces the element's children. */
export function fill(target, ...children) {
  target.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/** Shows a message in a `role=status`/`role=alert` box, or hides it when `text` is empty. */
export function say(target, text, kind = 'info') {
  target.textContent = text ?? '';
  target.hidden = !text;
  target.className = `notice notice-${kind}`;
}

/** `document.getElementById` that fails loudly in development if the page and script disagree. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node;
}
