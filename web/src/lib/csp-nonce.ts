/**
 * The page's Content Security Policy allows inline styles only with the nonce the server wrote into
 * `<meta name="csp-nonce">` for this response. antd's own styles carry it (ConfigProvider `csp`);
 * a few helpers under antd (the scroll locker of dialogs, the scrollbar measure) insert a style
 * element without passing it on. Style elements the app's scripts insert get the nonce here; styles
 * written into markup (an injected `<style>`) still have none and stay blocked.
 */
export const styleNonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;

if (styleNonce) {
  const withNonce = <T extends Node>(node: T): T => {
    if (node instanceof HTMLStyleElement && !node.nonce) node.nonce = styleNonce;
    return node;
  };
  const { appendChild, insertBefore } = Node.prototype;
  Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
    return appendChild.call(this, withNonce(node)) as T;
  };
  Node.prototype.insertBefore = function <T extends Node>(this: Node, node: T, child: Node | null): T {
    return insertBefore.call(this, withNonce(node), child) as T;
  };
}
