// The upload page's and the bodies page's two DOM helpers: an element by id, and a new
// element whose text is set as text (never parsed as markup).

export const $ = (id) => document.getElementById(id);

/** A new `tag` element: `props.text` as its text, `props.class` as its class, other props as attributes; then its children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}
